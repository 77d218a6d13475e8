package market

import (
	"fmt"
	"math/bits"
	"unsafe"

	"github.com/akash-market/akash/core/money"
)

// nextDue peeks at the close queue, first dropping items of cancelled orders;
// it returns where the item is, for popAt.
func (b *OrderBook) nextDue() (queueItem, int, bool) {
	for {
		it, k, ok := b.queue.peek()
		if !ok || b.slots[it.slot].ins == it.ins {
			return it, k, ok
		}
		b.queue.popAt(k)
	}
}

// CloseDue matches every order whose match height (close height, or reveal
// end for a sealed order) is at or before height, removes them from the book,
// and returns their Results in (match height, order insertion) order. It
// returns nil when nothing is due. A chain calls it once per block; a
// simulator may call it with any later height. The Results own their memory;
// CloseDueInto is the allocation-free form.
func (b *OrderBook) CloseDue(height int64) []Result {
	return b.CloseDueInto(nil, height)
}

// Closing is reusable memory for CloseDueInto, in the spirit of raft's Ready:
// the Results it returns (their Bids, and the denominations of the few bids
// in other ones) live in the Closing and are overwritten by the next
// CloseDueInto that uses it. A driver that applies results at once and keeps
// nothing from them (the simulator's hot loop) closes orders without
// allocating; one that keeps a Result copies it (Result.CopyTo).
type Closing struct {
	results  []Result
	outcomes []BidOutcome
	odd      []oddDenoms
}

// CloseDueInto is CloseDue writing into c (which it resets first); with c nil
// it allocates fresh memory, exactly like CloseDue.
func (b *OrderBook) CloseDueInto(c *Closing, height int64) []Result {
	exact := c == nil // no reuse to plan for: size each array to fit
	if exact {
		c = &Closing{}
	}
	c.results, c.outcomes, c.odd = c.results[:0], c.outcomes[:0], c.odd[:0]
	for {
		it, k, ok := b.nextDue()
		if !ok || it.at > height {
			if len(c.results) == 0 {
				return nil
			}
			return c.results
		}
		b.queue.popAt(k)
		s := &b.slots[it.slot]
		// The entries' lines are requested first (placedInOrder), then
		// the next order's (prefetchNext) and the order table's and the
		// fill index's (unlink): all cold, they are then fetched
		// together, not one after the other.
		ordered := s.placedInOrder()
		b.prefetchNext()
		b.unlink(it.slot)
		n := len(s.bids)
		// Outcomes are carved from one array; if it must grow, results
		// already made keep the old array, so none of them is disturbed.
		if cap(c.outcomes)-len(c.outcomes) < n {
			size := n
			if !exact {
				size = max(2*cap(c.outcomes), n, 32)
			}
			c.outcomes = make([]BidOutcome, 0, size)
		}
		start := len(c.outcomes)
		c.outcomes = c.outcomes[:start+n]
		// Odd denominations go after the last result's, in the array's
		// free tail (a result that needs more gets a new array and keeps
		// it; later ones go on from there).
		oddAt := len(c.odd)
		c.results = append(c.results, Result{})
		res := &c.results[len(c.results)-1] // written in place: a Result is a few hundred bytes
		b.result(res, s, c.outcomes[start:start+n:start+n], c.odd[oddAt:oddAt], ordered, false)
		if k := len(res.odd); k > 0 {
			if cap(res.odd) == cap(c.odd)-oddAt { // still c.odd's array
				c.odd = c.odd[:oddAt+k]
			} else {
				c.odd = res.odd
			}
			res.odd = res.odd[:k:k]
		}
		b.release(it.slot)
	}
}

// prefetchNext asks for the slot and the entries of the order that closes
// next (in this call, or the next one: a driver closes orders in queue
// order), so that they arrive while this order closes rather than when that
// one does: the wait for an order's slot and entries (8 + 10 cold lines at
// 20 bids) was most of a close. Only the next slot's bid-list header is
// read; the rest is a hint, and nothing depends on it.
func (b *OrderBook) prefetchNext() {
	it, _, ok := b.queue.peek()
	if !ok {
		return
	}
	s := &b.slots[it.slot]
	prefetchRange(unsafe.Pointer(s), unsafe.Sizeof(*s))
	if len(s.bids) > 0 {
		prefetchRange(unsafe.Pointer(&s.bids[0]), uintptr(len(s.bids))*unsafe.Sizeof(s.bids[0]))
	}
}

// CancelOrder removes an open order before it is matched, e.g. when the
// tenant closes the deployment. Bids still competing are refunded (a
// commitment too: the tenant, not the provider, ended the auction).
func (b *OrderBook) CancelOrder(id OrderID) (Result, error) {
	h, ok := b.byID.get(&id, b.slots)
	if !ok {
		return Result{}, fmt.Errorf("%w: %s", ErrUnknownOrder, id)
	}
	s := &b.slots[h]
	b.unlink(h)
	// The order's queue item goes stale with the slot; see closeQueue.
	var res Result
	b.result(&res, s, make([]BidOutcome, len(s.bids)), nil, s.placedInOrder(), true)
	b.release(h)
	return res, nil
}

// placedInOrder reports whether the slot's entries are in placement order
// (they are unless a re-bid reused an earlier entry, heights went
// backwards, or a placement is kept whole in the rare lists), which spares
// the sort its check. It is the close's first pass over the entries, a few
// instructions each: their lines, cold by the time an order closes, are then
// all requested at once, where the long loop that writes the outcomes would
// wait for them a few at a time.
func (s *orderSlot) placedInOrder() bool {
	// (dh, ds) are offsets from one base, so dh<<32|ds orders as
	// (height, seq) does: one compare per entry.
	ordered, flags, last := true, uint16(0), uint64(0)
	for i := range s.bids {
		e := &s.bids[i]
		at := uint64(e.dh)<<32 | uint64(e.ds)
		if at <= last && i > 0 {
			ordered = false
		}
		flags |= e.flags
		last = at
	}
	return ordered && flags&(entryBigHeight|entryBigSeq) == 0
}

// result writes the order's Result into res (a zero Result) from its entries
// into outs, which has one element per entry, and odd (empty: the Result
// appends the few bids' denominations unlike its own); ordered is
// placedInOrder's answer. The winner is the incrementally kept best, so no
// ranking happens here beyond labelling each loser outbid or
// later-at-same-price.
func (b *OrderBook) result(res *Result, s *orderSlot, outs []BidOutcome, odd []oddDenoms, ordered, cancelled bool) {
	denom := s.order.MaxPrice.Denom
	res.Order, res.Denom, res.Bids, res.odd = s.order.ID, denom, outs, odd
	// The common deposit's denomination is the Result's; a bid's other one
	// is flagged.
	if s.depSet {
		res.DepositDenom = b.denoms.names[s.depDen]
	}
	// The usual close: nothing kept aside in the slot's rare lists, so
	// every entry is inline (see rareEmpty) and the short loop writes the
	// outcomes.
	if !cancelled && s.dep.hi != bigAmount && s.rareEmpty() {
		b.inlineOutcomes(s, outs, denom)
		res.sealSorted(int(s.best), ordered)
		return
	}
	b.outcomes(res, s, outs, cancelled)
	if cancelled {
		if !ordered {
			sortOutcomes(res.Bids)
		}
		res.why = explainCancelled
		return
	}
	res.sealSorted(int(s.best), ordered)
}

// rareEmpty reports whether the slot keeps nothing in its rare lists. Then
// every entry is inline, so the close need not read each one to know it: an
// entry's flags and a price kept whole (bigAmount) are each set only with an
// item added to those lists, which empty only when the slot is reused; a
// rejected entry's reason is written at its rejection, with oddDenom only
// when its price's denomination goes to rare.odd (an entry in another state
// may keep a stale reason from the slot's last order, which no loop reads);
// and an entry's state is one of the five the book writes.
// TestPropInlineOutcomesEqualGeneral holds it.
func (s *orderSlot) rareEmpty() bool {
	r := s.rare
	return r == nil || len(r.odd)|len(r.big)|len(r.heights)|len(r.seqs)|len(r.deps) == 0
}

// outcomes writes outs, one per entry, for any order (inlineOutcomes is the
// short form for the usual one), recording in res the denominations unlike
// its own.
func (b *OrderBook) outcomes(res *Result, s *orderSlot, outs []BidOutcome, cancelled bool) {
	denom := s.order.MaxPrice.Denom
	sealed := s.order.Sealed
	open := s.order.OpenHeight
	bestPrice := s.bestKey.price
	var noPrice denomFlags // see inlineOutcomes
	if denom != "" {
		noPrice = priceNoDenom
	}
	// Losers are told outbid from later-at-same-price by comparing packed
	// prices, when both are inline (amount orders as (hi, lo)); reading
	// back the Dec just written stalled on store forwarding.
	var bestPacked amount
	packedBest := false
	if s.best >= 0 {
		bestPacked = s.bids[s.best].price
		packedBest = bestPacked.hi != bigAmount
	}
	names := b.providers.names
	for i := range s.bids {
		e := &s.bids[i]
		oc := &outs[i]
		// Field by field rather than a composite literal: this is the hot
		// loop of a close, and the literal costs a zeroed temporary and a
		// copy per bid. Every field is written, since outs may be reused.
		oc.Provider = names[e.provider]
		dep, flags := s.dep, denomFlags(0)
		if e.flags == 0 {
			oc.PlacedAt, oc.Seq = open+int64(e.dh), s.seqBase+uint64(e.ds)
		} else {
			oc.PlacedAt, oc.Seq = s.heightOf(e), s.seqOf(e)
			var depDen uint16
			depDen, dep = s.depositAt(e)
			if depDen != s.depDen {
				flags = res.depositFlag(b.denoms.names[depDen])
				if flags&depositOdd != 0 {
					res.setOdd(oc.Provider, denom, b.denoms.names[depDen])
				}
			}
		}
		oc.Reason = ReasonNone
		s.unpackTo(&oc.Deposit, dep)
		s.unpackTo(&oc.Price, e.price)
		if sealed && e.state != BidActive {
			oc.Price, flags = money.Dec{}, flags|noPrice // never revealed
		}
		oc.denoms = flags
		switch e.state {
		case BidActive:
			// Ranked here, in the same pass: the winner is the kept best,
			// and every other eligible bid needs one price compare.
			// (loserOutcome, written out so this loop stays call-free.)
			oc.Outcome, oc.Action = OutcomeLaterAtSamePrice, DepositRefund
			if int32(i) == s.best {
				oc.Outcome, oc.Action = OutcomeWon, DepositKeep
			} else if packedBest && e.price.hi != bigAmount {
				if e.price.hi > bestPacked.hi || (e.price.hi == bestPacked.hi && e.price.lo > bestPacked.lo) {
					oc.Outcome = OutcomeOutbid
				}
			} else if bestPrice.Less(oc.Price) {
				oc.Outcome = OutcomeOutbid
			}
			if dep == (amount{}) {
				oc.Action = DepositNone
			}
		case BidWithdrawn:
			oc.Outcome, oc.Action = OutcomeWithdrawn, DepositNone
		case BidSealed:
			oc.Outcome, oc.Action = OutcomeUnrevealed, depositAction(&oc.Deposit, DepositForfeit)
		default: // rejected: listed as ineligible even when the order is cancelled
			b.rejectedOutcome(s, e, res, oc)
			continue
		}
		if cancelled && e.state != BidWithdrawn {
			oc.Outcome, oc.Action = OutcomeCancelled, depositAction(&oc.Deposit, DepositRefund)
		}
	}
}

// inlineOutcomes writes outs for an order whose entries are all inline (see
// rareEmpty): nothing kept aside in the slot's rare lists, so every deposit
// is the common one and every price is in the order's denomination (or has
// none). Every active bid is a loser (outbid or later at the same price,
// told by one packed compare with the best) until the best is labelled the
// winner at the end. It writes exactly what result's general loop does.
func (b *OrderBook) inlineOutcomes(s *orderSlot, outs []BidOutcome, denom string) {
	names := b.providers.names
	open, seqBase := s.order.OpenHeight, s.seqBase
	var dep money.Dec
	dep.SetUint128(s.dep.lo, s.dep.hi)
	refund, keep := DepositRefund, DepositKeep
	if s.dep == (amount{}) {
		refund, keep = DepositNone, DepositNone
	}
	var best amount
	if s.best >= 0 {
		best = s.bids[s.best].price
	}
	bids := s.bids[:len(outs)]
	for i := range bids {
		e := &bids[i]
		oc := &outs[i]
		oc.Provider = names[e.provider]
		oc.Price.SetUint128(e.price.lo, e.price.hi)
		oc.Deposit = dep
		oc.PlacedAt, oc.Seq = open+int64(e.dh), seqBase+uint64(e.ds)
		oc.Reason, oc.denoms = ReasonNone, 0
		if e.state == BidActive { // the usual entry: a loser until the best is labelled
			// Outbid when the best's packed price is below this one's,
			// later at the same price otherwise: the borrow of
			// best - price, with no branch on prices that vary from bid
			// to bid and mispredicted a fifth of the time.
			_, borrow := bits.Sub64(best.lo, e.price.lo, 0)
			_, borrow = bits.Sub64(best.hi, e.price.hi, borrow)
			oc.Outcome, oc.Action = OutcomeLaterAtSamePrice-Outcome(borrow), refund
			continue
		}
		b.inlineOther(s, e, oc, denom, refund)
	}
	if s.best >= 0 {
		w := &outs[s.best]
		w.Outcome, w.Action = OutcomeWon, keep
	}
}

// inlineOther is inlineOutcomes for an entry that is not active: withdrawn,
// committed and never revealed, or rejected. Kept out of the loop, which
// the usual close runs for active entries only.
func (b *OrderBook) inlineOther(s *orderSlot, e *bidEntry, oc *BidOutcome, denom string, refund DepositAction) {
	switch e.state {
	case BidWithdrawn:
		oc.Outcome, oc.Action = OutcomeWithdrawn, DepositNone
	case BidSealed:
		oc.Outcome, oc.Action = OutcomeUnrevealed, DepositForfeit
		if refund == DepositNone { // no deposit to forfeit
			oc.Action = DepositNone
		}
	case bidRejected:
		oc.Outcome, oc.Reason, oc.Action = OutcomeIneligible, Reason(e.reason), DepositNone
	default: // bidRejectedReveal: its deposit was taken at commitment
		oc.Outcome, oc.Reason, oc.Action = OutcomeIneligible, Reason(e.reason), refund
		return // its price was revealed
	}
	if s.order.Sealed { // a price never revealed (or a commitment rejected unopened)
		oc.Price = money.Dec{}
		if denom != "" { // has no denomination, which is flagged unless the Result's is none too
			oc.denoms = priceNoDenom
		}
	}
}

// unlink removes a closing order from the order table and the fill index:
// no look-up finds it any more (its slot is still read for its Result).
func (b *OrderBook) unlink(h uint32) {
	s := &b.slots[h]
	b.index.remove(h, s.pos, b.slots)
	b.byID.delHash(s.hash, h)
}

// release frees an unlinked slot whose order has left the queue. Its slices
// keep their capacity for the next order.
func (b *OrderBook) release(h uint32) {
	s := &b.slots[h]
	s.order = Order{}
	s.bids = s.bids[:0]
	if s.commits != nil {
		// A sealed order's commitments go back to the book's pool, for
		// the next sealed order in whatever slot: slots that open orders
		// reuse hold no commitment array.
		b.commitPool = append(b.commitPool, s.commits[:0])
		s.commits = nil
	}
	s.resetRare()
	// Only the index: the best key holds no pointer, and AddOrder sets it
	// (setBest) before anything reads it.
	s.best = -1
	s.ins = 0
	s.gen++ // every OrderRef to the closed order is now stale
	b.free = append(b.free, h)
}

// rejectedOutcome fills oc (whose provider, height, seq and deposit are
// set) for a rejected entry: the bid as it was rejected, its reason, and the
// deposit refunded if it was taken (an ineligible reveal) or left alone (a
// bid rejected at placement never paid one).
func (b *OrderBook) rejectedOutcome(s *orderSlot, e *bidEntry, res *Result, oc *BidOutcome) {
	oc.Outcome, oc.Reason, oc.Action = OutcomeIneligible, Reason(e.reason&^oddDenom), DepositNone
	price := s.priceDenom(e)
	s.unpackTo(&oc.Price, e.price)
	switch {
	case e.state == bidRejectedReveal:
		oc.Action = depositAction(&oc.Deposit, DepositRefund)
	case s.order.Sealed:
		oc.Price, price = money.Dec{}, "" // a commitment rejected for its offer has no price
	}
	deposit := res.DepositOf(oc).Denom
	res.setDenoms(oc, price, deposit)
}
