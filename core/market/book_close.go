package market

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// NextClose returns the lowest match height among open orders, so a driver
// can skip heights at which nothing closes.
func (b *Book) NextClose() (int64, bool) {
	it, ok := b.queue.peek()
	return it.at, ok
}

// CloseDue matches every order whose match height (close height, or reveal
// end for a sealed order) is at or before height, removes them from the book,
// and returns their Results in (match height, order insertion) order. It
// returns nil when nothing is due. A chain calls it once per block; a
// simulator may call it with any later height.
func (b *Book) CloseDue(height int64) []Result {
	var out []Result
	for {
		it, ok := b.queue.peek()
		if !ok || it.at > height {
			return out
		}
		b.queue.remove(0)
		out = append(out, b.result(&b.slots[it.slot], false))
		b.release(it.slot)
	}
}

// CancelOrder removes an open order before it is matched, e.g. when the
// tenant closes the deployment. Bids still competing are refunded (a
// commitment too: the tenant, not the provider, ended the auction).
func (b *Book) CancelOrder(id OrderID) (Result, error) {
	h, ok := b.byID.get(&id, b.slots)
	if !ok {
		return Result{}, fmt.Errorf("%w: %s", ErrUnknownOrder, id)
	}
	s := &b.slots[h]
	b.queue.remove(int(s.heapPos))
	res := b.result(s, true)
	b.release(h)
	return res, nil
}

// result builds the order's Result from its entries. The winner is the
// incrementally kept best, so no ranking happens here beyond labelling each
// loser outbid or later-at-same-price.
func (b *Book) result(s *orderSlot, cancelled bool) Result {
	id := s.order.ID
	res := Result{Order: id, Bids: make([]BidOutcome, len(s.bids)+len(s.rejected))}
	denom := s.order.MaxPrice.Denom
	for i := range s.bids {
		e := &s.bids[i]
		oc := &res.Bids[i]
		*oc = BidOutcome{
			Bid:      BidID{OrderID: id, Provider: b.providers.name(e.provider)},
			PlacedAt: e.height, Seq: e.seq, Deposit: e.deposit,
		}
		switch e.state {
		case BidActive:
			oc.Price = priceOf(&s.order, denom, e)
			oc.Outcome = outcomePending
		case BidWithdrawn:
			oc.Price = priceOf(&s.order, denom, e)
			oc.Outcome, oc.Action = OutcomeWithdrawn, DepositNone
		case BidSealed:
			oc.Outcome, oc.Action = OutcomeUnrevealed, depositAction(e.deposit, DepositForfeit)
		}
		if cancelled && (e.state == BidActive || e.state == BidSealed) {
			oc.Outcome, oc.Action = OutcomeCancelled, depositAction(e.deposit, DepositRefund)
		}
	}
	for j := range s.rejected {
		r := &s.rejected[j]
		res.Bids[len(s.bids)+j] = BidOutcome{
			Bid:     BidID{OrderID: id, Provider: b.providers.name(r.provider)},
			Outcome: OutcomeIneligible, Reason: r.reason, Price: r.price,
			PlacedAt: r.height, Seq: r.seq, Deposit: r.deposit, Action: r.action,
		}
	}
	if cancelled {
		sortOutcomes(res.Bids)
		res.Explanation = "order cancelled before matching"
		return res
	}
	res.finish(int(s.best))
	return res
}

// priceOf is the entry's price as a coin; a sealed order's bid that was
// withdrawn before revealing has no known price and shows zero.
func priceOf(o *Order, denom string, e *bidEntry) money.Coin {
	if o.Sealed && e.state != BidActive {
		return money.Coin{}
	}
	return money.Coin{Denom: denom, Amount: e.price}
}

// release frees a slot whose order has left the queue. Its slices keep their
// capacity for the next order.
func (b *Book) release(h uint32) {
	s := &b.slots[h]
	b.index.remove(h, s.pos, b.slots)
	b.byID.del(&s.order.ID, h)
	s.order = Order{}
	s.bids, s.commits, s.rejected = s.bids[:0], s.commits[:0], s.rejected[:0]
	s.setBest(-1)
	s.heapPos = -1
	b.free = append(b.free, h)
}
