package market

// Reserve sizes the book, before a run, for orders open at once, each with
// room for bids bids: the order slots and their bid arrays (one block), the
// close queue's runs and heap, and the fill index's new buckets and cells
// (room for cellClasses size classes, and for the orders in each cell). A
// run that stays within that allocates nothing to open an order or to take
// its bids, where otherwise every new peak of open orders makes a slot and
// its bid array, an order with more bids than BookConfig.BidsPerOrder grows
// its list, and a cell with more orders than before grows its own. It
// changes no rule and no result: the reserved slots are handed out in the
// order the book would make them (they wait under every freed slot, which
// is reused first), and slots made past the reservation get room for bids
// too.
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
	// A new cell of the fill index gets room for all of them (a cell holds
	// open orders only), so that a cell never grows within the reservation.
	if orders > b.index.cellRoom {
		b.index.cellRoom = orders
		b.index.cellArr = make([]uint32, reservedCells*orders)
	}
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

// cellClasses is the room for size classes a new requirement bucket starts
// with once the book is reserved: a market's demand shapes fall in a few.
const cellClasses = 32

// reservedCells is how many cells' order lists Reserve makes in one block:
// a market's requirement sets times its demand's size classes, which in the
// shipped scenarios stay below it.
const reservedCells = 64

// newBucket is an empty requirement bucket: with room for cellClasses cells
// once the book is reserved.
func (x *fillIndex) newBucket() reqBucket {
	if x.cellRoom == 0 {
		return reqBucket{byCell: make(map[uint32]int32), freeAt: -1}
	}
	return reqBucket{byCell: make(map[uint32]int32, cellClasses), cells: make([]fillCell, 0, cellClasses), freeAt: -1}
}

// newCellSlots is a new cell's order list: nil (grown on use), or room for
// cellRoom orders once the book is reserved (from the reserved block while
// it lasts).
func (x *fillIndex) newCellSlots() []uint32 {
	if x.cellRoom == 0 {
		return nil
	}
	if len(x.cellArr) >= x.cellRoom {
		cell := x.cellArr[:0:x.cellRoom]
		x.cellArr = x.cellArr[x.cellRoom:]
		return cell
	}
	return make([]uint32, 0, x.cellRoom)
}

// reuseCellSlots is the order list of a cell made again in a reused place
// of its bucket: the place's old list, emptied, or a new one if the place
// never held a cell (a reserved bucket's room).
func (x *fillIndex) reuseCellSlots(old []uint32) []uint32 {
	if old == nil {
		return x.newCellSlots()
	}
	return old[:0]
}
