package bidengine

import (
	"cmp"
	"errors"
	"slices"

	"github.com/akash-market/akash/core/market"
)

// Snapshot is the chain as a catch-up query saw it at Height: every open
// order, this provider's bids that are still open, and its active leases.
// The caller takes one at start and after any gap in the event stream (and
// periodically, as a safety net).
type Snapshot struct {
	Height int64
	Orders []market.Order
	Bids   []market.OrderID // orders this provider has an open bid on
	// Sealed lists the orders of Bids whose bid is a commitment not yet
	// revealed (the engine asks for the reveal in the reveal window).
	Sealed []market.OrderID
	Leases []LeaseInfo
}

// Catchup reconciles the engine with a snapshot:
//   - leases on chain the engine does not hold are adopted (capacity
//     committed, manifest awaited from the lease's start);
//   - open bids on chain the engine did not know are recorded (capacity
//     reserved) so they are never placed twice;
//   - open orders never seen are considered exactly like OrderSeen (and
//     reported as Missed, since the event stream should have delivered them);
//   - bids the engine believes in whose order was matched by Height without
//     a lease for this provider are lost; capacity is released;
//   - a sealed bid on chain not yet revealed is revealed in its order's
//     reveal window (after a restart too: the caller keeps the salt).
//
// Catch-up after catch-up, or after events the snapshot already includes,
// changes nothing: at most one bid per order stands.
func (e *Engine) Catchup(s Snapshot) error {
	var errs []error
	if s.Height > e.height {
		e.Block(s.Height)
	}
	leased := make(map[market.OrderID]bool, len(s.Leases))
	for _, l := range s.Leases {
		if l.ID.Provider != e.cfg.Provider {
			continue
		}
		leased[l.ID.OrderID] = true
		if _, ok := e.leases[l.ID.OrderID]; !ok {
			if err := e.LeaseWon(l); err != nil {
				errs = append(errs, err)
			}
		}
	}
	open := make(map[market.OrderID]*market.Order, len(s.Orders))
	for i := range s.Orders {
		open[s.Orders[i].ID] = &s.Orders[i]
	}
	onChain := make(map[market.OrderID]bool, len(s.Bids))
	unrevealed := make(map[market.OrderID]bool, len(s.Sealed))
	for _, id := range s.Sealed {
		unrevealed[id] = true
	}
	for _, id := range s.Bids {
		onChain[id] = true
		st, known := e.orders[id]
		if known && (st.phase == phaseBidding || st.phase == phaseBid) {
			if st.phase == phaseBidding {
				st.phase = phaseBid
				st.since = 0
				e.landed()
			}
			if !st.revealing {
				st.revealed = !unrevealed[id]
			}
			continue
		}
		if leased[id] {
			continue
		}
		o, isOpen := open[id]
		if !isOpen {
			// A bid on an order that is no longer open and has no lease of
			// ours: it lost; nothing to hold.
			continue
		}
		if known && st.phase == phaseFailed {
			// The tx we thought failed did land.
			st.phase = phaseBid
			st.since = 0
		} else if known {
			continue // skipped/done orders cannot carry a bid of ours
		} else {
			st = &orderState{order: *o, phase: phaseBid}
			e.orders[id] = st
		}
		st.revealed = !unrevealed[id]
		if _, err := e.inv.Reserve(id, o.Requirements.Attributes, o.Resources); err != nil {
			// Our own bid on chain no longer fits (capacity was re-used
			// meanwhile): still record it so it is not placed again.
			e.emit(Action{Kind: Skipped, Order: id, Reason: "bid on chain no longer fits the inventory: " + err.Error()})
		}
	}
	for i := range s.Orders {
		o := &s.Orders[i]
		if _, known := e.orders[o.ID]; known || leased[o.ID] {
			continue
		}
		e.emit(Action{Kind: Missed, Order: o.ID, Reason: "open order found by catch-up, not by the event stream"})
		e.OrderSeen(*o)
	}
	for _, st := range e.sortedOrders() {
		id := st.order.ID
		if (st.phase == phaseBid || st.phase == phaseBidding) && !onChain[id] && !leased[id] && open[id] == nil && st.order.MatchHeight() <= s.Height {
			e.BidLost(id, "order matched without a lease for this provider (catch-up)")
		}
	}
	for _, st := range e.sortedOrders() {
		e.reveal(st) // commitments found on chain, in their reveal window now
	}
	e.tickLeases() // adopted leases may be past their manifest deadline already
	return errors.Join(errs...)
}

// sortedOrders and sortedLeases iterate maps in ID order so the actions
// come out the same on every run (the engine is deterministic).
func (e *Engine) sortedOrders() []*orderState {
	out := make([]*orderState, 0, len(e.orders))
	for _, s := range e.orders {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *orderState) int { return compareOrderID(a.order.ID, b.order.ID) })
	return out
}

func (e *Engine) sortedLeases() []*leaseState {
	out := make([]*leaseState, 0, len(e.leases))
	for _, l := range e.leases {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b *leaseState) int { return compareOrderID(a.info.ID.OrderID, b.info.ID.OrderID) })
	return out
}

func compareOrderID(a, b market.OrderID) int {
	return cmp.Or(
		cmp.Compare(a.Owner, b.Owner),
		cmp.Compare(a.DSeq, b.DSeq),
		cmp.Compare(a.GSeq, b.GSeq),
		cmp.Compare(a.OSeq, b.OSeq),
	)
}
