package market

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// nextDue peeks at the close queue, first dropping items of cancelled orders.
func (b *OrderBook) nextDue() (queueItem, bool) {
	for {
		it, ok := b.queue.peek()
		if !ok || b.slots[it.slot].ins == it.ins {
			return it, ok
		}
		b.queue.pop()
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
		it, ok := b.nextDue()
		if !ok || it.at > height {
			if len(c.results) == 0 {
				return nil
			}
			return c.results
		}
		b.queue.pop()
		s := &b.slots[it.slot]
		// Unlinked first: the order table's and the fill index's lines
		// (cold, like the order's entries) are then fetched while the
		// entries are, not one after the other.
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
		b.result(res, s, c.outcomes[start:start+n:start+n], c.odd[oddAt:oddAt], false)
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
	b.result(&res, s, make([]BidOutcome, len(s.bids)), nil, true)
	b.release(h)
	return res, nil
}

// result writes the order's Result into res (a zero Result) from its entries
// into outs, which has one element per entry, and odd (empty: the Result
// appends the few bids' denominations unlike its own). The winner is the
// incrementally kept best, so no ranking happens here beyond labelling each
// loser outbid or later-at-same-price.
func (b *OrderBook) result(res *Result, s *orderSlot, outs []BidOutcome, odd []oddDenoms, cancelled bool) {
	denom := s.order.MaxPrice.Denom
	res.Order, res.Denom, res.Bids, res.odd = s.order.ID, denom, outs, odd
	// The common deposit's denomination is the Result's; a bid's other one
	// is flagged.
	if s.depSet {
		res.DepositDenom = b.denoms.names[s.depDen]
	}
	// A first pass over the entries reads one word of each: their lines
	// (cold by the time an order closes) are then fetched all at once,
	// rather than two or three at a time as the long loop below would,
	// and it learns whether they are in placement order already (they are
	// unless a re-bid reused an earlier entry or heights went backwards),
	// which spares the sort its check.
	// It also learns whether every entry is inline: nothing kept aside in
	// the slot's rare lists (the usual close, written by a short loop).
	ordered := true
	inline := !cancelled && s.dep.hi != bigAmount
	for i := range s.bids {
		c := &s.bids[i]
		if !c.inline() {
			inline = false
		}
		if i == 0 {
			continue
		}
		a := &s.bids[i-1]
		// Offsets from one base compare as the values do.
		if (a.flags|c.flags)&(entryBigHeight|entryBigSeq) != 0 || a.dh > c.dh || (a.dh == c.dh && a.ds >= c.ds) {
			ordered = false
		}
	}
	if inline {
		b.inlineOutcomes(s, outs, denom)
	} else {
		b.outcomes(res, s, outs, cancelled)
	}
	if cancelled {
		if !ordered {
			sortOutcomes(res.Bids)
		}
		res.why = explainCancelled
		return
	}
	res.sealSorted(int(s.best), ordered)
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

// inline reports whether e keeps nothing in its slot's rare lists (see
// inlineOutcomes).
func (e *bidEntry) inline() bool {
	return e.flags == 0 && e.price.hi != bigAmount && e.reason&oddDenom == 0 && e.state <= bidRejectedReveal
}

// inlineOutcomes writes outs for an order whose entries are all inline (see
// result): nothing kept aside in the slot's rare lists, so every deposit is
// the common one and every price is in the order's denomination (or has
// none). Every active bid is a loser (outbid or later at the same price,
// told by one packed compare with the best) until the best is labelled the
// winner at the end. It writes exactly what result's general loop does.
func (b *OrderBook) inlineOutcomes(s *orderSlot, outs []BidOutcome, denom string) {
	names := b.providers.names
	open, seqBase := s.order.OpenHeight, s.seqBase
	sealed := s.order.Sealed
	var dep money.Dec
	dep.SetUint128(s.dep.lo, s.dep.hi)
	refund, keep, forfeit := DepositRefund, DepositKeep, DepositForfeit
	if s.dep == (amount{}) {
		refund, keep, forfeit = DepositNone, DepositNone, DepositNone
	}
	// A price never revealed (or a sealed order's rejected commitment) has
	// no denomination, which outcomes flag unless it is the Result's own.
	var noPrice denomFlags
	if denom != "" {
		noPrice = priceNoDenom
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
		outcome, reason, action, flags := OutcomeLaterAtSamePrice, ReasonNone, refund, denomFlags(0)
		switch e.state {
		case BidActive:
			if e.price.hi > best.hi || (e.price.hi == best.hi && e.price.lo > best.lo) {
				outcome = OutcomeOutbid
			}
		case BidWithdrawn:
			outcome, action = OutcomeWithdrawn, DepositNone
		case BidSealed:
			outcome, action = OutcomeUnrevealed, forfeit
		case bidRejected:
			outcome, reason, action = OutcomeIneligible, Reason(e.reason), DepositNone
		default: // bidRejectedReveal: its deposit was taken at commitment
			outcome, reason = OutcomeIneligible, Reason(e.reason)
		}
		if sealed && e.state != BidActive && e.state != bidRejectedReveal {
			oc.Price, flags = money.Dec{}, noPrice // never revealed
		}
		oc.Outcome, oc.Reason, oc.Action, oc.denoms = outcome, reason, action, flags
	}
	if s.best >= 0 {
		w := &outs[s.best]
		w.Outcome, w.Action = OutcomeWon, keep
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
	s.setBest(-1)
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
