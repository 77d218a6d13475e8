package market

// closeQueue is a binary min-heap of open orders keyed by (match height,
// insertion sequence): the book pops every order due at a height in that
// order, so results come out deterministically without sorting. It is typed
// (no container/heap, whose interface boxes every element) and records each
// order's position in its slot so a cancelled order can be removed in O(log n).
type closeQueue struct {
	items []queueItem
	slots *[]orderSlot // the book's slots (which grow), to keep heapPos up to date
}

type queueItem struct {
	at   int64  // match height
	ins  uint64 // order insertion sequence: breaks ties between orders due together
	slot uint32
}

func (q *closeQueue) less(i, j int) bool {
	a, b := &q.items[i], &q.items[j]
	if a.at != b.at {
		return a.at < b.at
	}
	return a.ins < b.ins
}

func (q *closeQueue) swap(i, j int) {
	q.items[i], q.items[j] = q.items[j], q.items[i]
	(*q.slots)[q.items[i].slot].heapPos = int32(i)
	(*q.slots)[q.items[j].slot].heapPos = int32(j)
}

func (q *closeQueue) push(it queueItem) {
	q.items = append(q.items, it)
	i := len(q.items) - 1
	(*q.slots)[it.slot].heapPos = int32(i)
	q.up(i)
}

// peek returns the earliest item; ok is false when the queue is empty.
func (q *closeQueue) peek() (queueItem, bool) {
	if len(q.items) == 0 {
		return queueItem{}, false
	}
	return q.items[0], true
}

// remove takes out the item at heap position i.
func (q *closeQueue) remove(i int) {
	last := len(q.items) - 1
	if i != last {
		q.swap(i, last)
	}
	(*q.slots)[q.items[last].slot].heapPos = -1
	q.items = q.items[:last]
	if i != last {
		if !q.down(i) {
			q.up(i)
		}
	}
}

func (q *closeQueue) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !q.less(i, p) {
			return
		}
		q.swap(i, p)
		i = p
	}
}

// down sifts i towards the leaves and reports whether it moved.
func (q *closeQueue) down(i int) bool {
	start, n := i, len(q.items)
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && q.less(r, l) {
			m = r
		}
		if !q.less(m, i) {
			break
		}
		q.swap(i, m)
		i = m
	}
	return i > start
}
