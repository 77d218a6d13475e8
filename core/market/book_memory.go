package market

import "unsafe"

// Memory is what the book's own arrays hold, for load tests and capacity
// planning: Bytes counts the capacity of every array the book owns (order
// slots, bid entries, sealed commitments, the slots' rare lists, the order
// table, the close queue, the fill index's cells and the verdict table),
// not the strings the orders point to (owners, denoms, attributes), which
// the caller's orders share. RestingBids is the bids held in open orders
// (entries of every state).
type Memory struct {
	Bytes       int64
	RestingBids int64
}

// Memory sums the book's arrays; it walks every slot, so call it outside
// timed code.
func (b *OrderBook) Memory() Memory {
	var m Memory
	add := func(n int, size uintptr) { m.Bytes += int64(n) * int64(size) }
	add(cap(b.slots), unsafe.Sizeof(orderSlot{}))
	add(cap(b.free), 4)
	for i := range b.slots {
		s := &b.slots[i]
		add(cap(s.bids), unsafe.Sizeof(bidEntry{}))
		add(cap(s.commits), unsafe.Sizeof(Commitment{}))
		if s.ins != 0 {
			m.RestingBids += int64(len(s.bids))
		}
		if r := s.rare; r != nil {
			add(1, unsafe.Sizeof(slotRare{}))
			add(cap(r.odd), unsafe.Sizeof(oddPrice{}))
			add(cap(r.big), unsafe.Sizeof(amount{})*2)
			add(cap(r.heights), 8)
			add(cap(r.seqs), 8)
			add(cap(r.deps), unsafe.Sizeof(oddDeposit{}))
		}
	}
	for _, c := range b.commitPool {
		add(cap(c), unsafe.Sizeof(Commitment{}))
	}
	add(cap(b.commitPool), 24)
	add(cap(b.byID.entries), 8)
	add(recentSize, 8)
	add(b.queue.capacity(), unsafe.Sizeof(queueItem{}))
	for i := range b.index.buckets {
		bk := &b.index.buckets[i]
		add(cap(bk.cells), unsafe.Sizeof(fillCell{}))
		cells := bk.cells[:cap(bk.cells)] // emptied cells keep their arrays
		for j := range cells {
			add(cap(cells[j].slots), 4)
		}
	}
	add(cap(b.verdicts.table), 4)
	return m
}
