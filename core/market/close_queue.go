package market

// closeQueue holds the open orders keyed by (match height, insertion
// sequence): the book pops every order due at a height in that order, so
// results come out deterministically without sorting.
//
// Orders mostly arrive in that order already (a market's bid window is the
// same for every order, so match heights grow with insertion), so the queue
// keeps a few FIFO lanes, each a sorted run: an item no earlier than a lane's
// last goes to the end of that lane, in O(1), and leaves from its head, in
// O(1), with no sifting through a large array whose deep levels are cold.
// Open and sealed orders (whose match height is later by the reveal window)
// interleave as two runs, each in its own lane. Items that fit no lane go to
// a 4-ary min-heap. A pop takes the least of the lanes' heads and the heap's
// top. It is typed (no container/heap, whose interface boxes every element).
//
// A cancelled order is not dug out of the queue: its item goes stale (the
// slot it names now holds another order, or none, with another insertion
// sequence) and is dropped when it reaches the front. That keeps each sift to
// the heap's own compact array; tracking positions in the order slots would
// add a cold write per level.
type closeQueue struct {
	items []queueItem // the heap
	lanes [queueLanes]queueLane
}

// newCloseQueue makes a queue with room for n items in its first lane, where
// orders that arrive in match order go.
func newCloseQueue(n int) closeQueue {
	var q closeQueue
	q.lanes[0].items = make([]queueItem, 0, n)
	return q
}

// queueLanes is how many sorted runs the queue keeps beside its heap.
const queueLanes = 4

// queueLane is a sorted run of items: items[head:] are queued, in order.
type queueLane struct {
	items []queueItem
	head  int
}

type queueItem struct {
	at   int64  // match height
	ins  uint64 // order insertion sequence: breaks ties, and identifies the order
	slot uint32
}

// before is the queue's order: (at, ins).
func (a *queueItem) before(b *queueItem) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.ins < b.ins
}

// push queues it: at the end of the first lane it does not precede (or an
// empty one), else in the heap.
func (q *closeQueue) push(it queueItem) {
	for k := range q.lanes {
		l := &q.lanes[k]
		if n := len(l.items); n == l.head || !it.before(&l.items[n-1]) {
			if n == l.head {
				l.items, l.head = l.items[:0], 0
			}
			l.items = append(l.items, it)
			return
		}
	}
	q.heapPush(it)
}

// front is the index of the lane whose head is the queue's first item, or
// -1 for the heap's top (or an empty queue: see peek).
func (q *closeQueue) front() int {
	at := -1
	var first *queueItem
	if len(q.items) > 0 {
		first = &q.items[0]
	}
	for k := range q.lanes {
		l := &q.lanes[k]
		if l.head == len(l.items) {
			continue
		}
		if h := &l.items[l.head]; first == nil || h.before(first) {
			at, first = k, h
		}
	}
	return at
}

func (q *closeQueue) peek() (queueItem, int, bool) {
	if k := q.front(); k >= 0 {
		l := &q.lanes[k]
		return l.items[l.head], k, true
	}
	if len(q.items) == 0 {
		return queueItem{}, -1, false
	}
	return q.items[0], -1, true
}

// pop removes the first item (the one peek gives).
func (q *closeQueue) pop() { q.popAt(q.front()) }

// popAt removes the first item, which peek found at k (a lane, or -1 for
// the heap's top): the close pops what it peeked without looking for the
// front again.
func (q *closeQueue) popAt(k int) {
	if k < 0 {
		q.heapPop()
		return
	}
	l := &q.lanes[k]
	l.head++
	switch {
	case l.head == len(l.items):
		l.items, l.head = l.items[:0], 0
	case l.head >= 1024 && 2*l.head >= len(l.items):
		// Slide the run down so its array is reused rather than grown.
		n := copy(l.items, l.items[l.head:])
		l.items, l.head = l.items[:n], 0
	}
}

// capacity is how many items the queue's arrays hold (OrderBook.Memory).
func (q *closeQueue) capacity() int {
	n := cap(q.items)
	for k := range q.lanes {
		n += cap(q.lanes[k].items)
	}
	return n
}

func (q *closeQueue) less(i, j int) bool { return q.items[i].before(&q.items[j]) }

// The heap is 4-ary: a pop sifts down half as many levels as in a binary
// heap, and a node's four children are adjacent (96 bytes, about two cache
// lines), which at 100,000 orders saves most of the misses of the deep
// levels. (at, ins) is a strict total order, so the pop order is the same
// for any arity.
const queueArity = 4

func (q *closeQueue) heapPush(it queueItem) {
	q.items = append(q.items, it)
	i := len(q.items) - 1
	for i > 0 {
		p := (i - 1) / queueArity
		if !q.less(i, p) {
			return
		}
		q.items[i], q.items[p] = q.items[p], q.items[i]
		i = p
	}
}

func (q *closeQueue) heapPop() {
	last := len(q.items) - 1
	q.items[0] = q.items[last]
	q.items = q.items[:last]
	n, i := last, 0
	for {
		l := queueArity*i + 1
		if l >= n {
			return
		}
		m := l
		for c := l + 1; c < l+queueArity && c < n; c++ {
			if q.less(c, m) {
				m = c
			}
		}
		if !q.less(m, i) {
			return
		}
		q.items[i], q.items[m] = q.items[m], q.items[i]
		i = m
	}
}
