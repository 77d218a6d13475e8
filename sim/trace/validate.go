package trace

import (
	"encoding/hex"
	"fmt"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
)

// payloads lists the payload fields a record has set, by their JSON names.
func (r *Record) payloads() []string {
	var set []string
	add := func(ok bool, name string) {
		if ok {
			set = append(set, name)
		}
	}
	add(r.Header != nil, "header")
	add(r.Provider != nil, "provider")
	add(r.ProviderStatus != nil, "provider_status")
	add(r.Deployment != nil, "deployment")
	add(r.Deposit != nil, "deposit")
	add(r.Order != nil, "order")
	add(r.Bid != nil, "bid")
	add(r.Reveal != nil, "reveal")
	add(r.BidWithdrawn != nil, "bid_withdrawn")
	add(r.OrderClosed != nil, "order_closed")
	add(r.LeaseOpened != nil, "lease_opened")
	add(r.LeaseClosed != nil, "lease_closed")
	add(r.CloseLease != nil, "close_lease")
	add(r.CloseDeployment != nil, "close_deployment")
	add(r.Withdraw != nil, "withdraw")
	add(r.CreateLease != nil, "create_lease")
	add(r.Transfer != nil, "transfer")
	add(r.Truncated != nil, "truncated")
	add(r.End != nil, "end")
	return set
}

// payloadOf names the payload field each kind carries.
var payloadOf = map[Kind]string{
	KindHeader: "header", KindProvider: "provider", KindProviderStatus: "provider_status",
	KindDeployment: "deployment", KindDeposit: "deposit", KindOrder: "order",
	KindBid: "bid", KindCommit: "bid", KindReveal: "reveal", KindBidWithdrawn: "bid_withdrawn",
	KindOrderClosed: "order_closed", KindLeaseOpened: "lease_opened", KindLeaseClosed: "lease_closed",
	KindCloseLease: "close_lease", KindCloseDeployment: "close_deployment", KindWithdraw: "withdraw",
	KindCreateLease: "create_lease", KindTransfer: "transfer", KindTruncated: "truncated", KindEnd: "end",
}

// Validate checks that the record is well formed: a known kind, exactly its
// payload, and the payload's required fields. It does not check the record
// against the rest of the trace.
func (r *Record) Validate() error {
	want, ok := payloadOf[r.Kind]
	if !ok {
		return fmt.Errorf("kind %q is not a trace record kind (want one of header, provider, deployment, order, bid, commit, reveal, order-closed, lease-opened, lease-closed, transfer, end, ...)", r.Kind)
	}
	set := r.payloads()
	if len(set) != 1 || set[0] != want {
		return fmt.Errorf("a %s record carries exactly the field %q; this one has %v", r.Kind, want, set)
	}
	if r.Height < 0 {
		return fmt.Errorf("%s record: height %d is negative", r.Kind, r.Height)
	}
	switch r.Kind {
	case KindHeader:
		h := r.Header
		if h.Version != Version {
			return fmt.Errorf("header: version %q; this reader reads %q", h.Version, Version)
		}
		if h.Denom == "" || h.BlockTimeNS <= 0 || h.EndHeight < 0 || h.Market.BidWindowBlocks < 1 {
			return fmt.Errorf("header: denom %q, block_time_ns %d, end_height %d, market.bid_window_blocks %d: want a denom, a positive block time, end_height >= 0 and a window of at least 1 block",
				h.Denom, h.BlockTimeNS, h.EndHeight, h.Market.BidWindowBlocks)
		}
	case KindProvider:
		if r.Provider.Addr == "" {
			return fmt.Errorf("provider: addr is empty")
		}
	case KindProviderStatus:
		switch r.ProviderStatus.Status {
		case StatusOutage, StatusRepaired, StatusLeft, StatusStakeReleased:
		default:
			return fmt.Errorf("provider_status: status %q; want outage, repaired, left or stake-released", r.ProviderStatus.Status)
		}
		if r.ProviderStatus.Addr == "" {
			return fmt.Errorf("provider_status: addr is empty")
		}
	case KindDeployment:
		if err := r.Deployment.ID.check("deployment.id", levelDeployment); err != nil {
			return err
		}
		if len(r.Deployment.Group.Units) == 0 {
			return fmt.Errorf("deployment %s: group has no resource units", r.Deployment.ID)
		}
	case KindDeposit:
		return r.Deposit.ID.check("deposit.id", levelDeployment)
	case KindOrder:
		o := r.Order
		if err := o.ID.check("order.id", levelOrder); err != nil {
			return err
		}
		if o.CloseHeight <= o.OpenHeight || (o.Sealed && o.RevealEnd <= o.CloseHeight) || (!o.Sealed && o.RevealEnd != 0) {
			return fmt.Errorf("order %s: heights open %d, close %d, reveal_end %d, sealed %t: want open < close, and close < reveal_end exactly when sealed",
				o.ID, o.OpenHeight, o.CloseHeight, o.RevealEnd, o.Sealed)
		}
	case KindBid, KindCommit:
		b := r.Bid
		if err := b.ID.check("bid.id", levelBid); err != nil {
			return err
		}
		if err := reasonName("bid "+b.ID.String(), b.Reason); err != nil {
			return err
		}
		if r.Kind == KindCommit {
			if err := hex32("commit "+b.ID.String()+": commitment", b.Commitment); err != nil {
				return err
			}
			return hex32("commit "+b.ID.String()+": salt", b.Salt)
		}
		if b.Commitment != "" || b.Salt != "" {
			return fmt.Errorf("bid %s: an open bid has no commitment or salt", b.ID)
		}
	case KindReveal:
		if err := r.Reveal.ID.check("reveal.id", levelBid); err != nil {
			return err
		}
		return hex32("reveal "+r.Reveal.ID.String()+": salt", r.Reveal.Salt)
	case KindBidWithdrawn:
		return r.BidWithdrawn.ID.check("bid_withdrawn.id", levelBid)
	case KindOrderClosed:
		c := r.OrderClosed
		if err := c.ID.check("order_closed.id", levelOrder); err != nil {
			return err
		}
		if c.Matched == (c.Winner == "") || (c.Matched && c.Cancelled) {
			return fmt.Errorf("order_closed %s: matched %t, cancelled %t, winner %q: a matched order names its winner, an unmatched or cancelled one none", c.ID, c.Matched, c.Cancelled, c.Winner)
		}
		for i, b := range c.Bids {
			if b.Provider == "" {
				return fmt.Errorf("order_closed %s: bids[%d].provider is empty", c.ID, i)
			}
			where := fmt.Sprintf("order_closed %s: bids[%d]", c.ID, i)
			if err := outcomeName(where, b.Outcome); err != nil {
				return err
			}
			if err := actionName(where, b.Action); err != nil {
				return err
			}
			if err := reasonName(where, b.Reason); err != nil {
				return err
			}
		}
	case KindLeaseOpened:
		return r.LeaseOpened.ID.check("lease_opened.id", levelBid)
	case KindLeaseClosed:
		if err := r.LeaseClosed.ID.check("lease_closed.id", levelBid); err != nil {
			return err
		}
		return closeReason("lease_closed "+r.LeaseClosed.ID.String(), r.LeaseClosed.Reason)
	case KindCloseLease:
		if err := r.CloseLease.ID.check("close_lease.id", levelBid); err != nil {
			return err
		}
		return closeReason("close_lease "+r.CloseLease.ID.String(), r.CloseLease.Reason)
	case KindCloseDeployment:
		return r.CloseDeployment.ID.check("close_deployment.id", levelDeployment)
	case KindWithdraw:
		return r.Withdraw.ID.check("withdraw.id", levelBid)
	case KindCreateLease:
		return r.CreateLease.ID.check("create_lease.id", levelBid)
	case KindTransfer:
		t := r.Transfer
		if t.Why == "" || t.From.Kind == "" || t.To.Kind == "" {
			return fmt.Errorf("transfer: why %q, from.kind %q, to.kind %q: none may be empty", t.Why, t.From.Kind, t.To.Kind)
		}
		if t.Account != nil {
			if err := t.Account.check("transfer.account", levelDeployment); err != nil {
				return err
			}
		}
		if t.Lease != nil {
			return t.Lease.check("transfer.lease", levelBid)
		}
	case KindTruncated:
		if r.Truncated.Limit < 1 {
			return fmt.Errorf("truncated: limit %d; want >= 1", r.Truncated.Limit)
		}
	case KindEnd:
		for i, b := range r.End.Wallets {
			if b.Addr == "" {
				return fmt.Errorf("end: wallets[%d].addr is empty", i)
			}
		}
	}
	return nil
}

type idLevel uint8

const (
	levelDeployment idLevel = iota
	levelOrder
	levelBid
)

// check: the ID names exactly the level wanted.
func (id ID) check(field string, lvl idLevel) error {
	if id.Owner == "" || id.DSeq == 0 {
		return fmt.Errorf("%s: owner %q, dseq %d: want an owner and dseq >= 1", field, id.Owner, id.DSeq)
	}
	hasOrder := id.GSeq != 0 && id.OSeq != 0
	switch lvl {
	case levelDeployment:
		if id.GSeq != 0 || id.OSeq != 0 || id.Provider != "" {
			return fmt.Errorf("%s: %s names more than a deployment; want owner and dseq only", field, id)
		}
	case levelOrder:
		if !hasOrder || id.Provider != "" {
			return fmt.Errorf("%s: %s: want owner, dseq, gseq >= 1 and oseq >= 1, and no provider", field, id)
		}
	case levelBid:
		if !hasOrder || id.Provider == "" {
			return fmt.Errorf("%s: %s: want owner, dseq, gseq >= 1, oseq >= 1 and a provider", field, id)
		}
	}
	return nil
}

func hex32(field, s string) error {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return fmt.Errorf("%s %q: want 64 hex digits (32 bytes)", field, s)
	}
	return nil
}

func closeReason(field, s string) error {
	r, err := lease.ParseCloseReason(s)
	if err != nil {
		return fmt.Errorf("%s: %w", field, err)
	}
	if !r.Valid() {
		return fmt.Errorf("%s: reason %q; a close always has a reason", field, s)
	}
	return nil
}

// reasonName: s is empty or a core/market Reason name other than "eligible".
func reasonName(where, s string) error {
	if s == "" {
		return nil
	}
	if r, ok := market.ParseReason(s); !ok || r == market.ReasonNone {
		return fmt.Errorf("%s: reason %q is not an eligibility rule's name (cpu, memory, price, attribute, ...)", where, s)
	}
	return nil
}

// outcomeName: s is a core/market Outcome name.
func outcomeName(where, s string) error {
	for o := market.OutcomeWon; o <= market.OutcomeExpired; o++ {
		if o.String() == s {
			return nil
		}
	}
	return fmt.Errorf("%s: outcome %q; want won, outbid, later-at-same-price, ineligible, withdrawn, unrevealed, order-cancelled, not-picked or expired", where, s)
}

// actionName: s is a core/market DepositAction name.
func actionName(where, s string) error {
	for a := market.DepositNone; a <= market.DepositForfeit; a++ {
		if a.String() == s {
			return nil
		}
	}
	return fmt.Errorf("%s: deposit action %q; want none, refund, keep or forfeit", where, s)
}
