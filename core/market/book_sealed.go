package market

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// Commit places a sealed bid on a sealed order: bid.Commitment (see
// Reveal.Commitment) stands in for the price, which is ignored. The offer is
// checked now, since it does not depend on the price; the price is checked at
// reveal. The commitment's (height, seq) is the bid's place in time, so among
// equal revealed prices the earliest commitment wins.
func (b *OrderBook) Commit(bid Bid) (Receipt, error) {
	s, err := b.slotForBid(&bid)
	if err != nil {
		return Receipt{}, err
	}
	return b.commit(s, &bid)
}

// commit is Commit once the bid's order slot is found and its window and
// deposit checked.
func (b *OrderBook) commit(s *orderSlot, bid *Bid) (Receipt, error) {
	if !s.order.Sealed {
		return Receipt{}, fmt.Errorf("%w: %s", ErrNotSealed, bid.ID)
	}
	p := b.providers.intern(bid.ID.Provider)
	prev, err := s.checkNoBid(p, bid)
	if err != nil {
		return Receipt{}, err
	}
	b.bidSeq++
	seq := b.bidSeq
	r := b.offerEligible(s, bid)
	i, e := s.entryFor(prev, p)
	e.depDenom = b.depositDenom(bid)
	e.height, e.seq = bid.PlacedAt, seq
	e.price, e.deposit = money.Dec{}, bid.Deposit.Amount
	// commits stays parallel to bids: a rejected entry has a zero one.
	var c Commitment
	if r == ReasonNone {
		c = bid.Commitment
	}
	if int(i) < len(s.commits) {
		s.commits[i] = c
	} else {
		s.commits = append(s.commits, c)
	}
	if r != ReasonNone {
		// No price yet: the rejected commitment's Result price is zero.
		e.state, e.reason = bidRejected, uint8(r)
		return Receipt{Seq: seq, Reason: r}, nil
	}
	e.state = BidSealed
	return Receipt{Seq: seq}, nil
}

// Reveal opens a sealed bid during its order's reveal window (close height <=
// height < reveal end). A reveal that does not hash to the commitment is an
// error and changes nothing: the provider may still reveal correctly before
// the window ends. A matching reveal whose price is ineligible (wrong denom,
// above the max) is accepted as a reveal but the bid is rejected with its
// Reason, and its deposit is refunded at match time: revealing honestly is
// what the deposit secures, not bidding well.
func (b *OrderBook) Reveal(r Reveal, height int64) (Receipt, error) {
	h, ok := b.byID.get(&r.Bid.OrderID, b.slots)
	if !ok {
		return Receipt{}, fmt.Errorf("%w: %s", ErrUnknownOrder, r.Bid)
	}
	return b.reveal(&b.slots[h], &r, height)
}

// reveal is Reveal once the order's slot is found.
func (b *OrderBook) reveal(s *orderSlot, r *Reveal, height int64) (Receipt, error) {
	if !s.order.Sealed {
		return Receipt{}, fmt.Errorf("%w: %s", ErrNotSealed, r.Bid)
	}
	if !s.order.TakesRevealsAt(height) {
		return Receipt{}, fmt.Errorf("%w: %s at height %d; reveals are taken at heights [%d, %d)", ErrRevealWindow, r.Bid, height, s.order.CloseHeight, s.order.RevealEnd)
	}
	i := s.find(b.providers.lookup(r.Bid.Provider))
	if i < 0 || s.bids[i].rejected() {
		return Receipt{}, fmt.Errorf("%w: %s has no commitment", ErrUnknownBid, r.Bid)
	}
	e := &s.bids[i]
	switch e.state {
	case BidWithdrawn:
		return Receipt{}, fmt.Errorf("%w: %s cannot be revealed", ErrWithdrawn, r.Bid)
	case BidActive:
		return Receipt{}, fmt.Errorf("%w: %s", ErrAlreadyRevealed, r.Bid)
	}
	if !r.verify(&s.commits[i]) {
		return Receipt{}, fmt.Errorf("%w: %s: sha256 of the reveal is %s, committed %s; check price, denom and salt", ErrRevealMismatch, r.Bid, r.Commitment(), s.commits[i])
	}
	probe := Bid{ID: r.Bid, Price: r.Price}
	e.price = r.Price.Amount
	if reason := priceEligible(&s.order, &probe); reason != ReasonNone {
		// The entry stays where it is, now rejected; its deposit is
		// refunded at match time (see result).
		s.markRejected(e, bidRejectedReveal, reason, r.Price.Denom)
		return Receipt{Reason: reason}, nil
	}
	e.state = BidActive
	return Receipt{Best: s.offerBest(int32(i), e, &b.providers)}, nil
}
