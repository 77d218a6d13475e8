package market

import (
	"fmt"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

// The order lifecycle's rules, each written once here. The in-memory
// OrderBook (the simulator's and the load test's market) and the chain's
// market keeper (which keeps orders and bids in its store) both call these
// functions and only load, store and emit around what they decide, as x/bank's
// msg server does around its keeper:
//
//	placing a bid or commitment   CheckPlacement, CheckEarlierBid, BidDeposit, Admission
//	revealing a commitment        CheckReveal
//	withdrawing before the close  CheckWithdraw
//	matching at the match height  Match (the book: its incremental best, by the same beats)
//	each deposit's fate           the Result's DepositAction per bid
//
// A check that fails returns an error wrapping one of the sentinels in
// errors.go, with the IDs and heights involved and what would be right; an
// ineligible bid is not an error but a Reason (the book records it for the
// Result; the chain refuses the transaction with ErrIneligible, so no deposit
// is taken for it).

// BidKind is how a provider prices its bid.
type BidKind uint8

const (
	OpenBid   BidKind = iota // the price in the clear
	SealedBid                // a commitment to the price, revealed after the bidding window
)

func (k BidKind) String() string {
	if k == SealedBid {
		return "sealed"
	}
	return "open"
}

// KindOf is the kind of bid an order takes.
func KindOf(o *Order) BidKind {
	if o.Sealed {
		return SealedBid
	}
	return OpenBid
}

// CheckPlacement decides whether a bid (kind OpenBid) or commitment (kind
// SealedBid) on open order o can be considered at all at bid.PlacedAt: inside
// the bidding window, by a named provider, with a deposit that has a denom,
// and of the kind the order takes.
func CheckPlacement(o *Order, bid *Bid, kind BidKind) error {
	if !o.TakesBidsAt(bid.PlacedAt) {
		return fmt.Errorf("%w: %s at height %d; bids are taken at heights [%d, %d)", ErrBiddingClosed, bid.ID, bid.PlacedAt, o.OpenHeight, o.CloseHeight)
	}
	if bid.ID.Provider == "" {
		return fmt.Errorf("%w: %s: provider address is empty", ErrInvalidBid, bid.ID)
	}
	if bid.Deposit.Denom == "" && !bid.Deposit.Amount.IsZero() {
		return fmt.Errorf("%w: %s: deposit %s has no denom", ErrInvalidBid, bid.ID, bid.Deposit.Amount.ShortString())
	}
	switch want := KindOf(o); {
	case kind == want:
		return nil
	case want == SealedBid:
		return fmt.Errorf("%w: %s", ErrSealedOrder, bid.ID)
	default:
		return fmt.Errorf("%w: %s", ErrNotSealed, bid.ID)
	}
}

// CheckEarlierBid enforces one bid per provider per order, given the state
// of the provider's earlier bid on it (the caller asks only when there is
// one). A withdrawn bid still counts: re-bidding after a withdrawal would let
// a provider jump the time order or probe the market for free. A rejected
// attempt does not (the book records it; the chain never stored it).
func CheckEarlierBid(id BidID, earlier BidState) error {
	if earlier >= bidRejected {
		return nil
	}
	return fmt.Errorf("%w: %s (state %s); one bid per provider per order, a withdrawn bid counts", ErrDuplicateBid, id, earlier)
}

// BidDeposit is the deposit a bid locks: the one it offers, at least min, or
// min when it offers none. A zero min (no denom) asks for no minimum.
func BidDeposit(id BidID, offered, min money.Coin) (money.Coin, error) {
	if min.Denom == "" {
		return offered, nil
	}
	if offered.Denom == "" && offered.Amount.IsZero() {
		return min, nil
	}
	if offered.Denom != min.Denom || offered.Amount.Less(min.Amount) {
		return money.Coin{}, fmt.Errorf("%w: %s: deposit %s offered; at least %s is required", ErrInvalidDeposit, id, offered, min)
	}
	return offered, nil
}

// Admission is the eligibility a bid of kind must pass to be placed: every
// rule for an open bid; for a commitment only the offer's rules, since its
// price is checked at reveal (CheckReveal).
func Admission(o *Order, bid *Bid, kind BidKind) Reason {
	return admission(o, &o.Requirements, bid, kind)
}

func admission(o *Order, req *manifest.PlacementRequirements, bid *Bid, kind BidKind) Reason {
	if r := offerEligible(o, req, bid); r != ReasonNone || kind == SealedBid {
		return r
	}
	return priceEligible(o, bid)
}

// CheckReveal decides a reveal r at height h of the commitment c, whose bid
// is in state: the order must be sealed and in its reveal window, the bid a
// commitment not yet revealed, and r must hash to c. A reveal that fails is an
// error and changes nothing (the provider may still reveal correctly before
// the window ends). A matching reveal returns the price's eligibility: an
// ineligible price is accepted as a reveal but the bid loses as ineligible and
// its deposit is refunded, since revealing honestly is what the deposit
// secures, not bidding well.
func CheckReveal(o *Order, state BidState, c *Commitment, r *Reveal, h int64) (Reason, error) {
	if !o.Sealed {
		return ReasonNone, fmt.Errorf("%w: %s", ErrNotSealed, r.Bid)
	}
	if !o.TakesRevealsAt(h) {
		return ReasonNone, fmt.Errorf("%w: %s at height %d; reveals are taken at heights [%d, %d)", ErrRevealWindow, r.Bid, h, o.CloseHeight, o.RevealEnd)
	}
	switch {
	case state >= bidRejected:
		return ReasonNone, fmt.Errorf("%w: %s has no commitment", ErrUnknownBid, r.Bid)
	case state == BidWithdrawn:
		return ReasonNone, fmt.Errorf("%w: %s cannot be revealed", ErrWithdrawn, r.Bid)
	case state == BidActive:
		return ReasonNone, fmt.Errorf("%w: %s", ErrAlreadyRevealed, r.Bid)
	}
	if !r.verify(c) {
		return ReasonNone, fmt.Errorf("%w: %s: sha256 of the reveal is %s, committed %s; reveal the price, denom and salt you committed", ErrRevealMismatch, r.Bid, r.Commitment(), *c)
	}
	probe := Bid{ID: r.Bid, Price: r.Price}
	return priceEligible(o, &probe), nil
}

// CheckWithdraw decides whether the bid id, in state, may be withdrawn from
// order o at height h: only before the order's close height, and only once.
// Its deposit goes back at once and the bid stays on record as withdrawn.
func CheckWithdraw(o *Order, id BidID, state BidState, h int64) error {
	if !o.TakesWithdrawalsAt(h) {
		return fmt.Errorf("%w: %s at height %d, close height %d", ErrWithdrawTooLate, id, h, o.CloseHeight)
	}
	switch {
	case state >= bidRejected:
		return fmt.Errorf("%w: %s", ErrUnknownBid, id)
	case state == BidWithdrawn:
		return fmt.Errorf("%w: %s already withdrawn", ErrWithdrawn, id)
	}
	return nil
}

// IneligibleError is how a caller that refuses ineligible bids (the chain)
// reports one: the bid, the rule it broke, and the order's limit.
func IneligibleError(o *Order, bid *Bid, kind BidKind, why Reason) error {
	if kind == SealedBid {
		return fmt.Errorf("%w: commitment %s fails %q", ErrIneligible, bid.ID, why)
	}
	return fmt.Errorf("%w: bid %s at %s fails %q (order max %s)", ErrIneligible, bid.ID, bid.Price, why, o.MaxPrice)
}
