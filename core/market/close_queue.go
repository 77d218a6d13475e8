package market

// closeQueue is a 4-ary min-heap of open orders keyed by (match height,
// insertion sequence): the book pops every order due at a height in that
// order, so results come out deterministically without sorting. It is typed
// (no container/heap, whose interface boxes every element).
//
// A cancelled order is not dug out of the heap: its item goes stale (the
// slot it names now holds another order, or none, with another insertion
// sequence) and is dropped when it reaches the top. That keeps each sift to
// the heap's own compact array; tracking positions in the order slots would
// add a cold write per level.
type closeQueue struct {
	items []queueItem
}

type queueItem struct {
	at   int64  // match height
	ins  uint64 // order insertion sequence: breaks ties, and identifies the order
	slot uint32
}

func (q *closeQueue) less(i, j int) bool {
	a, b := &q.items[i], &q.items[j]
	if a.at != b.at {
		return a.at < b.at
	}
	return a.ins < b.ins
}

// The heap is 4-ary: a pop sifts down half as many levels as in a binary
// heap, and a node's four children are adjacent (96 bytes, about two cache
// lines), which at 100,000 orders saves most of the misses of the deep
// levels. (at, ins) is a strict total order, so the pop order is the same
// for any arity.
const queueArity = 4

func (q *closeQueue) push(it queueItem) {
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

func (q *closeQueue) peek() (queueItem, bool) {
	if len(q.items) == 0 {
		return queueItem{}, false
	}
	return q.items[0], true
}

func (q *closeQueue) pop() {
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
