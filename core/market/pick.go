package market

import (
	"fmt"
	"strings"

	"github.com/akash-market/akash/core/money"
)

// Tenant-pick matching (Akash mainnet's mode), beside automatic matching.
//
// In auto mode (the whitepaper's, the default) an order is decided at its
// match height by Match or the book's close: the lowest eligible price wins.
// In tenant mode the same close ranks the same bids, but the Result is not
// applied: when it has at least one eligible bid the order waits (Await) for
// its tenant to create a lease for any eligible bid it likes (Pick), until its
// bid timeout passes (Expire: the order closes unmatched and every bid
// deposit taken is refunded). Both drivers keep their close exactly as it is
// and only branch on the mode at the close, so auto mode's bid path is the
// same code either way:
//
//	at the match height   res := Match(o, bids) (or the book's Result); Await(&res, o.MatchHeight(), mode, timeout)
//	the tenant's pick     Pick(a, res, chosen, h) -> the Result to apply (winner: chosen)
//	the timeout           Due(a, h), then Expire(a, res) -> the unmatched Result to apply
//
// A chain keeper keeps the bids in its store during the wait and calls Match
// again over them at the pick or the timeout (the outcome is the same: bids
// cannot be placed, revealed or withdrawn after the match height); the
// simulator keeps a copy of the close's Result.

// Matching is how an order's winner is chosen.
type Matching uint8

const (
	MatchingAuto   Matching = iota // lowest eligible price wins at the close (earliest wins a tie)
	MatchingTenant                 // the tenant picks any eligible bid after the close, before its bid timeout
)

// String is the name used in params, scenarios and flags: "auto" or "tenant".
func (m Matching) String() string {
	if m == MatchingTenant {
		return "tenant"
	}
	return "auto"
}

// ParseMatching reads "auto" (or "", the default) or "tenant".
func ParseMatching(s string) (Matching, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return MatchingAuto, nil
	case "tenant":
		return MatchingTenant, nil
	}
	return MatchingAuto, fmt.Errorf("%w: matching %q; use auto (lowest eligible price wins at the close) or tenant (the tenant picks a bid before its bid timeout)", ErrInvalidMatching, s)
}

// Awaiting is an order that closed in tenant mode with at least one eligible
// bid and waits for its tenant's pick. It is a plain value a keeper stores.
type Awaiting struct {
	Order  OrderID
	Closed int64 // the order's match height: the close that ranked its bids
	Until  int64 // the last height at which a pick is taken; the order expires at its end
}

// TakesPickAt reports whether a pick at height h is in time: after the close,
// at or before Until.
func (a *Awaiting) TakesPickAt(h int64) bool { return h > a.Closed && h <= a.Until }

// Due reports whether the order expires at the end of height h (no pick came).
func (a *Awaiting) Due(h int64) bool { return h >= a.Until }

// Await decides what the close of an order at its match height closedAt,
// ranked as res (Match's or the book's Result), does under mode: in auto mode, or when
// no bid is eligible, res is applied as is (false). In tenant mode with an
// eligible bid, the order waits for its tenant's pick for timeout blocks
// after the close (true); res is kept (or re-made by Match) for Pick or
// Expire. A timeout below one block is refused.
func Await(res *Result, closedAt int64, mode Matching, timeout int64) (Awaiting, bool, error) {
	if mode != MatchingTenant {
		return Awaiting{}, false, nil
	}
	if timeout < 1 {
		return Awaiting{}, false, fmt.Errorf("%w: bid timeout %d blocks for order %s; tenant matching needs at least 1 block for the tenant to pick", ErrInvalidMatching, timeout, res.Order)
	}
	if !res.Matched {
		return Awaiting{}, false, nil
	}
	return Awaiting{Order: res.Order, Closed: closedAt, Until: closedAt + timeout}, true, nil
}

// Pickable reports whether outcome b (from the close's Result) may be picked
// by the tenant: an eligible bid (the auto winner or any eligible loser).
func Pickable(b *BidOutcome) bool {
	switch b.Outcome {
	case OutcomeWon, OutcomeOutbid, OutcomeLaterAtSamePrice:
		return true
	}
	return false
}

// CheckPick decides whether the tenant may pick chosen at height h for the
// awaiting order a whose close ranked res: in time, a bid of this order, and
// eligible (not withdrawn, not unrevealed, not ineligible). It returns the
// chosen bid's index in res.Bids.
func CheckPick(a *Awaiting, res *Result, chosen BidID, h int64) (int, error) {
	if chosen.OrderID != a.Order {
		return -1, fmt.Errorf("%w: bid %s is not a bid of order %s", ErrUnknownBid, chosen, a.Order)
	}
	if !a.TakesPickAt(h) {
		return -1, fmt.Errorf("%w: order %s at height %d; its tenant picks at heights [%d, %d] (closed at %d, bid timeout ends at %d)", ErrPickWindow, a.Order, h, a.Closed+1, a.Until, a.Closed, a.Until)
	}
	for i := range res.Bids {
		b := &res.Bids[i]
		if b.Provider != chosen.Provider || res.Order != chosen.OrderID {
			continue
		}
		switch {
		case Pickable(b):
			return i, nil
		case b.Outcome == OutcomeWithdrawn:
			return -1, fmt.Errorf("%w: bid %s was withdrawn; pick one of the order's eligible bids (query the order's bids)", ErrWithdrawn, chosen)
		case b.Outcome == OutcomeUnrevealed:
			return -1, fmt.Errorf("%w: bid %s is a commitment never revealed; pick a revealed, eligible bid", ErrIneligible, chosen)
		default:
			return -1, fmt.Errorf("%w: bid %s at %s fails %q; pick an eligible bid", ErrIneligible, chosen, res.PriceOf(b), b.Why())
		}
	}
	return -1, fmt.Errorf("%w: %s has no bid on order %s; pick one of the order's eligible bids", ErrUnknownBid, chosen.Provider, a.Order)
}

// Pick is the tenant's choice of chosen at height h (see CheckPick): the
// Result to apply, in res's memory (res is relabelled, not copied): chosen
// wins at its own price and keeps its deposit locked with the lease, every
// other eligible bid is not picked and refunded; withdrawn, unrevealed and
// ineligible bids keep the close's outcome and deposit fate.
func Pick(a *Awaiting, res Result, chosen BidID, h int64) (Result, error) {
	i, err := CheckPick(a, &res, chosen, h)
	if err != nil {
		return Result{}, err
	}
	for j := range res.Bids {
		b := &res.Bids[j]
		if !Pickable(b) {
			continue
		}
		if j == i {
			b.Outcome, b.Action = OutcomeWon, depositAction(&b.Deposit, DepositKeep)
			continue
		}
		b.Outcome, b.Action = OutcomeNotPicked, depositAction(&b.Deposit, DepositRefund)
	}
	w := &res.Bids[i]
	res.Matched, res.Winner, res.Price, res.why = true, res.BidID(w), res.PriceOf(w), explainNone
	return res, nil
}

// Expire is the end of an awaiting order whose tenant picked no bid by
// a.Until: the Result to apply (in res's memory), unmatched, with every
// eligible bid expired and its deposit refunded; withdrawn, unrevealed and
// ineligible bids keep the close's outcome and deposit fate.
func Expire(a *Awaiting, res Result) Result {
	for j := range res.Bids {
		b := &res.Bids[j]
		if Pickable(b) {
			b.Outcome, b.Action = OutcomeExpired, depositAction(&b.Deposit, DepositRefund)
		}
	}
	res.Matched, res.Winner, res.Price = false, BidID{}, money.Coin{}
	// "bid timeout: the tenant picked none of N eligible bids by height
	// a.Until", N counted from the outcomes when asked.
	res.why, res.until = explainPickTimeout, a.Until
	return res
}

// Cancel is the end of an awaiting order whose deployment closed before its
// tenant picked (the book's CancelOrder, the chain's order cancel): the
// Result to apply (in res's memory), with every bid that still holds a
// deposit cancelled and refunded (a commitment never revealed too: the tenant,
// not the provider, ended the auction); withdrawn bids and bids refused at
// placement keep their outcome.
func Cancel(res Result) Result {
	for j := range res.Bids {
		b := &res.Bids[j]
		switch {
		case b.Outcome == OutcomeWithdrawn:
		case b.Outcome == OutcomeIneligible && b.Action == DepositNone:
		default:
			b.Outcome, b.Action = OutcomeCancelled, depositAction(&b.Deposit, DepositRefund)
		}
	}
	res.Matched, res.Winner, res.Price = false, BidID{}, money.Coin{}
	res.why = explainPickCancel
	return res
}
