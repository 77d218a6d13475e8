package market

// Reserve sizes the book, before a run, for orders open at once, each with
// room for bids bids: the order slots and their bid arrays (one block), the
// close queue's runs and heap. A run that stays within that allocates
// nothing to open an order or to take its bids, where otherwise every new
// peak of open orders makes a slot and its bid array, and an order with more
// bids than BookConfig.BidsPerOrder grows its list. It changes no rule and
// no result: the reserved slots are handed out in the order the book would
// make them (they wait under every freed slot, which is reused first), and
// slots made past the reservation get room for bids too.
func (b *OrderBook) Reserve(orders, bids int) {
	b.bidsHint = max(b.bidsHint, bids)
	if m := orders - len(b.slots); m > 0 {
		hint := b.bidsHint
		slots := make([]orderSlot, len(b.slots), orders)
		copy(slots, b.slots)
		arr := make([]bidEntry, m*hint)
		for i := range m {
			slots = append(slots, orderSlot{bids: arr[i*hint : i*hint : (i+1)*hint]})
		}
		// The free list pops from its end: the new slots go under the freed
		// ones, the lowest handle nearest the top, as AddOrder would append.
		free := make([]uint32, 0, orders)
		for h := orders - 1; h >= len(b.slots); h-- {
			free = append(free, uint32(h))
		}
		b.free = append(free, b.free...)
		b.slots = slots
	}
	b.queue.reserve(orders)
}

// reserve gives each run and the heap room for n queued items. A run's
// array holds its popped head until it empties or slides (pop), so up to
// about twice its queued items, and at least 1,024 popped ones.
func (q *closeQueue) reserve(n int) {
	room := 2*n + 1024
	for k := range q.lanes {
		if l := &q.lanes[k]; cap(l.items) < room {
			items := make([]queueItem, len(l.items), room)
			copy(items, l.items)
			l.items = items
		}
	}
	if cap(q.items) < n {
		q.items = append(make([]queueItem, 0, n), q.items...)
	}
}

// ReserveCommitments makes commitment arrays for sealed orders open at once
// (room for the book's bids per order each, one block), so that a run whose
// sealed orders stay within that makes none. Call it after Reserve. The
// arrays are blank and interchangeable: which order takes which changes
// nothing.
func (b *OrderBook) ReserveCommitments(orders int) {
	hint := max(b.bidsHint, 4)
	m := orders - len(b.commitPool)
	if m <= 0 {
		return
	}
	arr := make([]Commitment, m*hint)
	pool := make([][]Commitment, 0, orders)
	for i := range m {
		pool = append(pool, arr[i*hint:i*hint:(i+1)*hint])
	}
	b.commitPool = append(pool, b.commitPool...)
}
