package market

import (
	"fmt"
)

// Commit places a sealed bid on a sealed order: bid.Commitment (see
// Reveal.Commitment) stands in for the price, which is ignored. The offer is
// checked now, since it does not depend on the price; the price is checked at
// reveal. The commitment's (height, seq) is the bid's place in time, so among
// equal revealed prices the earliest commitment wins.
// As with PlaceBid, *bid is read, not kept or changed.
func (b *OrderBook) Commit(bid *Bid) (Receipt, error) {
	p := b.providers.lookup(bid.ID.Provider) // with the order's look-up, as in PlaceBid
	h, ok := b.byID.get(&bid.ID.OrderID, b.slots)
	if !ok {
		return Receipt{}, unknownOrder(bid)
	}
	return b.commit(&b.slots[h], bid, p)
}

// commit is Commit once the bid's order slot is found.
// p is the bidder's handle if the caller has it, else noProvider.
func (b *OrderBook) commit(s *orderSlot, bid *Bid, p uint32) (Receipt, error) {
	dep, err := b.checkPlacement(s, bid, SealedBid)
	if err != nil {
		return Receipt{}, err
	}
	if p == noProvider {
		p = b.providers.intern(bid.ID.Provider)
	}
	prev, err := s.checkNoBid(p, bid)
	if err != nil {
		return Receipt{}, err
	}
	b.bidSeq++
	seq := b.bidSeq
	r := b.admit(s, bid, SealedBid, p)
	i, e := s.entryFor(prev, p)
	e.flags = 0
	s.setTime(e, bid.PlacedAt, seq)
	s.setDeposit(e, b.depositDenom(dep.Denom), &dep.Amount)
	e.price = amount{}
	// commits stays parallel to bids: a rejected entry has a zero one.
	var c Commitment
	if r == ReasonNone {
		c = bid.Commitment
	}
	if s.commits == nil {
		if n := len(b.commitPool); n > 0 {
			s.commits, b.commitPool = b.commitPool[n-1], b.commitPool[:n-1]
		} else {
			s.commits = make([]Commitment, 0, max(b.bidsHint, 4))
		}
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
	i := s.find(b.providers.lookup(r.Bid.Provider))
	state, c := bidRejected, &Commitment{} // no entry: treated as never committed
	// An open order's bids have no commitments; CheckReveal refuses the reveal.
	if i >= 0 && i < len(s.commits) {
		state, c = s.bids[i].state, &s.commits[i]
	}
	reason, err := CheckReveal(&s.order, state, c, r, height)
	if err != nil {
		return Receipt{}, err
	}
	e := &s.bids[i]
	e.price = s.pack(&r.Price.Amount)
	if reason != ReasonNone {
		// The entry stays where it is, now rejected; its deposit is
		// refunded at match time (see result).
		s.markRejected(e, bidRejectedReveal, reason, r.Price.Denom)
		return Receipt{Reason: reason}, nil
	}
	e.state = BidActive
	return Receipt{Best: s.offerBest(int32(i), e, &b.providers)}, nil
}
