package chainclient

import (
	"fmt"
	"strconv"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
)

// Event types the market module emits (node/x/market/keeper).
const (
	evOrderCreated   = "akash.market.order_created"
	evOrderMatched   = "akash.market.order_matched"
	evOrderUnmatched = "akash.market.order_unmatched"
	evLeaseClosed    = "akash.market.lease_closed"
)

// rawEvent is one market event of a block, decoded but not yet enriched
// (an order_created carries only the order's ID; the client queries the rest).
type rawEvent struct {
	kind    string
	order   market.OrderID
	lease   market.LeaseID
	price   string
	closure lease.Closure
	detail  string
}

// blockEvents extracts the market events of one block, in the order the
// block emitted them: transactions first (in block order), then the block's
// own events (EndBlock: matching, escrow closes). Unknown events are skipped;
// a market event that does not parse is an error naming it.
func blockEvents(res abci.ResponseFinalizeBlock) ([]rawEvent, error) {
	var out []rawEvent
	add := func(evs []abci.Event) error {
		for _, e := range evs {
			r, ok, err := parseEvent(e)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, r)
			}
		}
		return nil
	}
	for _, tx := range res.TxResults {
		if tx == nil || tx.Code != 0 {
			continue // a failed tx's events did not happen
		}
		if err := add(tx.Events); err != nil {
			return nil, err
		}
	}
	if err := add(res.Events); err != nil {
		return nil, err
	}
	return out, nil
}

func attr(e abci.Event, key string) string {
	for _, a := range e.Attributes {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

func parseEvent(e abci.Event) (rawEvent, bool, error) {
	bad := func(err error) (rawEvent, bool, error) {
		return rawEvent{}, false, fmt.Errorf("chain event %s: %w", e.Type, err)
	}
	switch e.Type {
	case evOrderCreated:
		id, err := ParseOrderID(attr(e, "order"))
		if err != nil {
			return bad(err)
		}
		return rawEvent{kind: e.Type, order: id}, true, nil
	case evOrderMatched:
		id, err := ParseLeaseID(attr(e, "lease"))
		if err != nil {
			return bad(err)
		}
		return rawEvent{kind: e.Type, order: id.OrderID, lease: id, price: attr(e, "price")}, true, nil
	case evOrderUnmatched:
		id, err := ParseOrderID(attr(e, "order"))
		if err != nil {
			return bad(err)
		}
		return rawEvent{kind: e.Type, order: id, detail: attr(e, "why")}, true, nil
	case evLeaseClosed:
		id, err := ParseLeaseID(attr(e, "lease"))
		if err != nil {
			return bad(err)
		}
		r, err := lease.ParseCloseReason(attr(e, "reason"))
		if err != nil {
			return bad(err)
		}
		return rawEvent{kind: e.Type, order: id.OrderID, lease: id, closure: lease.Closure{Reason: r, Detail: attr(e, "detail")}}, true, nil
	}
	return rawEvent{}, false, nil
}

// ParseOrderID reads "owner/dseq/gseq/oseq" (market.OrderID's String form).
func ParseOrderID(s string) (market.OrderID, error) {
	p := strings.Split(s, "/")
	if len(p) != 4 {
		return market.OrderID{}, fmt.Errorf("order id %q: want owner/dseq/gseq/oseq", s)
	}
	return orderID(p, s)
}

// ParseLeaseID reads "owner/dseq/gseq/oseq/provider" (market.LeaseID's String form).
func ParseLeaseID(s string) (market.LeaseID, error) {
	p := strings.Split(s, "/")
	if len(p) != 5 || p[4] == "" {
		return market.LeaseID{}, fmt.Errorf("lease id %q: want owner/dseq/gseq/oseq/provider", s)
	}
	o, err := orderID(p[:4], s)
	if err != nil {
		return market.LeaseID{}, err
	}
	return market.LeaseID{OrderID: o, Provider: p[4]}, nil
}

func orderID(p []string, s string) (market.OrderID, error) {
	dseq, err1 := strconv.ParseUint(p[1], 10, 64)
	gseq, err2 := strconv.ParseUint(p[2], 10, 32)
	oseq, err3 := strconv.ParseUint(p[3], 10, 32)
	if p[0] == "" || err1 != nil || err2 != nil || err3 != nil {
		return market.OrderID{}, fmt.Errorf("id %q: want a non-empty owner and unsigned dseq, gseq, oseq", s)
	}
	return market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: p[0], DSeq: dseq}, GSeq: uint32(gseq)}, OSeq: uint32(oseq)}, nil
}
