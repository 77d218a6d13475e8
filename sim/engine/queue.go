package engine

import "math/bits"

// The pending-event queue is a radix heap (Ahuja, Mehlhorn, Orlin, Tarjan
// 1990), which fits a discrete-event simulation because virtual time never
// goes backwards: every new event is at or after the last time popped.
//
// Bucket b > 0 holds the events whose time differs from `last` (the time of
// the last event popped) first in bit b-1; bucket 0 holds the events at
// exactly `last`. Scheduling is an append to one bucket. When bucket 0 is
// empty, the first non-empty bucket is scanned for its earliest time, which
// becomes `last`, and its events are redistributed into lower buckets. Each
// event moves at most 63 times and in practice a handful, always by
// sequential appends, so the queue stays fast when it holds 10^5 or 10^6
// events and a binary or 4-ary heap would miss the cache on every level.
//
// Bucket 0 is a small binary min-heap on the (lane, sequence) key: that is
// where ties at one instant are put in order. Times order buckets; keys order
// ties; nothing else (no map, no pointer) can influence the firing order.
//
// Cancellation is lazy: Cancel marks the event's slot dead in O(1) and the
// event is dropped when the queue reaches it. Dead events are swept out of all
// buckets once they outnumber the live ones (and number at least
// compactMinDead), so garbage stays bounded by the live queue size and the
// sweep costs O(1) amortised per cancellation.

// frontLane marks events that fire before every ordinary event at the same
// instant (block production). The lane is the top bit of the ordering key so
// that lane and sequence compare as one integer.
const (
	frontLane  uint64 = 0
	normalLane uint64 = 1 << 63
	seqMask           = normalLane - 1
)

// compactMinDead avoids sweeping tiny queues over and over. A variable only
// so that tests can force sweeps in small queues.
var compactMinDead = 1024

const numBuckets = 64 // times are non-negative int64, so bit 63 never differs

// item is what the buckets move around. It carries its handler so that
// firing an event reads nothing but the bucket it sits in: the slot table is
// only written (a store that does not stall) unless cancelled events are
// waiting in the queue. In a queue of 10^5 events a read of a random slot
// would miss the cache on every event.
type item struct {
	at   Time
	key  uint64 // lane | sequence number; unique per event
	h    Handler
	slot uint32
}

type radixQueue struct {
	last    Time
	nonzero uint64 // bit b set when buckets[b] (b ≥ 1) is non-empty
	buckets [numBuckets][]item
	items   int // items held, live and dead
}

func bucketOf(at, last Time) int { return bits.Len64(uint64(at) ^ uint64(last)) }

// push adds it; it.at must be ≥ q.last.
func (q *radixQueue) push(it item) {
	q.items++
	b := bucketOf(it.at, q.last)
	if b == 0 {
		q.pushZero(it)
		return
	}
	q.buckets[b] = append(q.buckets[b], it)
	q.nonzero |= 1 << b
}

// pushZero inserts into bucket 0's heap, ordered by key.
func (q *radixQueue) pushZero(it item) {
	h := append(q.buckets[0], it)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].key <= it.key {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = it
	q.buckets[0] = h
}

// popZero removes and returns the smallest-key item of bucket 0 (non-empty).
func (q *radixQueue) popZero() item {
	h := q.buckets[0]
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h[n] = item{} // let the GC collect the handler
	h = h[:n]
	q.buckets[0] = h
	q.items--
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].key < h[c].key {
			c++
		}
		if last.key <= h[c].key {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = last
	return top
}

// heapifyZero restores bucket 0's heap order after a sweep.
func (q *radixQueue) heapifyZero() {
	h := q.buckets[0]
	for start := len(h)/2 - 1; start >= 0; start-- {
		i, it := start, h[start]
		for {
			c := 2*i + 1
			if c >= len(h) {
				break
			}
			if c+1 < len(h) && h[c+1].key < h[c].key {
				c++
			}
			if it.key <= h[c].key {
				break
			}
			h[i] = h[c]
			i = c
		}
		h[i] = it
	}
}

// firstBucket returns the lowest non-empty bucket above 0, or -1.
func (q *radixQueue) firstBucket() int {
	if q.nonzero == 0 {
		return -1
	}
	return bits.TrailingZeros64(q.nonzero)
}

// redistribute makes `at` (the earliest time in bucket b) the new last and
// moves bucket b's items into lower buckets.
func (q *radixQueue) redistribute(b int, at Time) {
	q.last = at
	src := q.buckets[b]
	for i := range src {
		it := src[i]
		d := bucketOf(it.at, at)
		if d == 0 {
			q.pushZero(it)
			continue
		}
		q.buckets[d] = append(q.buckets[d], it)
		q.nonzero |= 1 << d
	}
	clear(src) // drop handler references held past the new length
	q.buckets[b] = src[:0]
	q.nonzero &^= 1 << b
}
