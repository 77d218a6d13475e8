package market

import "fmt"

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
	if !s.order.Sealed {
		return Receipt{}, fmt.Errorf("%w: %s", ErrNotSealed, bid.ID)
	}
	p := b.providers.intern(bid.ID.Provider)
	if err := s.checkNoBid(p, &bid); err != nil {
		return Receipt{}, err
	}
	b.bidSeq++
	seq := b.bidSeq
	if r := b.offerEligible(s, &bid); r != ReasonNone {
		s.reject(rejectEntry{provider: p, reason: r, action: DepositNone, height: bid.PlacedAt, seq: seq, deposit: bid.Deposit})
		return Receipt{Seq: seq, Reason: r}, nil
	}
	s.dropRejection(p)
	s.appendBid(&bidEntry{provider: p, state: BidSealed, depDenom: b.depositDenom(&bid), height: bid.PlacedAt, seq: seq, deposit: bid.Deposit.Amount})
	s.commits = append(s.commits, bid.Commitment)
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
	s := &b.slots[h]
	if !s.order.Sealed {
		return Receipt{}, fmt.Errorf("%w: %s", ErrNotSealed, r.Bid)
	}
	if !s.order.TakesRevealsAt(height) {
		return Receipt{}, fmt.Errorf("%w: %s at height %d; reveals are taken at heights [%d, %d)", ErrRevealWindow, r.Bid, height, s.order.CloseHeight, s.order.RevealEnd)
	}
	i := s.find(b.providers.lookup(r.Bid.Provider))
	if i < 0 {
		return Receipt{}, fmt.Errorf("%w: %s has no commitment", ErrUnknownBid, r.Bid)
	}
	e := &s.bids[i]
	switch e.state {
	case BidWithdrawn:
		return Receipt{}, fmt.Errorf("%w: %s cannot be revealed", ErrWithdrawn, r.Bid)
	case BidActive:
		return Receipt{}, fmt.Errorf("%w: %s", ErrAlreadyRevealed, r.Bid)
	}
	if !r.Verify(s.commits[i]) {
		return Receipt{}, fmt.Errorf("%w: %s: sha256 of the reveal is %s, committed %s; check price, denom and salt", ErrRevealMismatch, r.Bid, r.Commitment(), s.commits[i])
	}
	probe := Bid{ID: r.Bid, Price: r.Price}
	if reason := priceEligible(&s.order, &probe); reason != ReasonNone {
		deposit := b.depositOf(e)
		s.rejected = append(s.rejected, rejectEntry{
			provider: e.provider, reason: reason, action: depositAction(deposit, DepositRefund),
			height: e.height, seq: e.seq, price: r.Price, deposit: deposit,
		})
		s.removeBid(i)
		return Receipt{Reason: reason}, nil
	}
	e.state, e.price = BidActive, r.Price.Amount
	return Receipt{Best: s.offerBest(int32(i), e, &b.providers)}, nil
}

// removeBid deletes entry i, keeping the others in order and best pointing
// at the same bid. Only sealed orders remove entries (an ineligible reveal),
// and only unrevealed entries can be removed, so best never points at i.
func (s *orderSlot) removeBid(i int) {
	s.bids = append(s.bids[:i], s.bids[i+1:]...)
	s.commits = append(s.commits[:i], s.commits[i+1:]...)
	for j := i; j < min(len(s.bids), inlineProviders); j++ {
		s.provs[j] = s.bids[j].provider
	}
	if s.best > int32(i) {
		s.best--
	}
}
