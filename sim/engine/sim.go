package engine

import (
	"fmt"
	"math/bits"
)

// Handler is the work an event does when it fires. Fire runs with the
// simulation's clock set to the event's time and may schedule or cancel other
// events. Implement it with a pointer receiver on a reusable struct to
// schedule without allocating; HandlerFunc adapts a plain function.
type Handler interface {
	Fire(s *Sim)
}

// HandlerFunc adapts a function to Handler. Creating a closure allocates if it
// captures variables; hot paths should reuse Handler values instead.
type HandlerFunc func(s *Sim)

// Fire calls f(s).
func (f HandlerFunc) Fire(s *Sim) { f(s) }

// EventID names one scheduled event so that it can be cancelled. The zero
// EventID names no event. IDs are never reused within a Sim: a stale ID (of an
// event that already fired or was cancelled) is recognised and ignored.
type EventID struct {
	seq  uint64 // the event's sequence number, from 1
	slot uint32
}

// Seq returns the event's sequence number: 1 for the first event scheduled on
// the Sim, then 2, 3, ... Events at the same time and lane fire in Seq order.
func (id EventID) Seq() uint64 { return id.seq }

// IsZero reports whether id names no event.
func (id EventID) IsZero() bool { return id.seq == 0 }

// Stats counts what the simulation has done so far.
type Stats struct {
	Scheduled uint64 // events accepted by At, After, AtFront
	Fired     uint64 // events whose handler ran
	Cancelled uint64 // events removed by Cancel before firing
}

// Sim is a discrete-event simulation: a virtual clock and one queue of pending
// events ordered by (time, lane, sequence number). It is not safe for
// concurrent use and never starts goroutines; run independent replicates on
// separate Sims instead.
type Sim struct {
	now   Time
	seq   uint64
	q     radixQueue
	slots []uint64 // slot -> sequence number of its pending event, 0 if none

	free    []uint32 // slots whose item has left the queue
	dead    int      // cancelled items still in the queue
	stats   Stats
	current EventID
	stopped bool
}

// New returns an empty simulation at Time 0.
func New() *Sim { return &Sim{} }

// Grow preallocates bookkeeping for n pending events. It only saves the
// early growth of a run; once the queue's buckets have reached the run's peak
// size, scheduling and firing allocate nothing either way.
func (s *Sim) Grow(n int) {
	if n <= cap(s.slots) {
		return
	}
	slots := make([]uint64, len(s.slots), n)
	copy(slots, s.slots)
	s.slots = slots
	free := make([]uint32, len(s.free), n)
	copy(free, s.free)
	s.free = free
}

// Now returns the current virtual time: the time of the event being fired,
// or of the last one fired, or the bound of the last RunUntil.
func (s *Sim) Now() Time { return s.now }

// Current returns the ID of the event whose handler is running (or ran last).
func (s *Sim) Current() EventID { return s.current }

// Pending returns the number of events waiting to fire.
func (s *Sim) Pending() int { return s.q.items - s.dead }

// Stats returns the event counters.
func (s *Sim) Stats() Stats { return s.stats }

// At schedules h to fire at time t, after every event already scheduled for t
// in the same lane. It panics if t is before Now or h is nil: both are bugs in
// the caller, and silently clamping would hide them.
func (s *Sim) At(t Time, h Handler) EventID { return s.schedule(t, normalLane, h) }

// After schedules h to fire d after Now. It panics if d is negative.
func (s *Sim) After(d Duration, h Handler) EventID {
	if d < 0 {
		panic(fmt.Sprintf("engine: After(%d ns): negative delay; use a delay >= 0", int64(d)))
	}
	return s.schedule(s.now+Time(d), normalLane, h)
}

// AtFront schedules h at time t in the front lane: it fires before every
// ordinary (At/After) event at t, whenever those were scheduled, and after
// front-lane events scheduled for t before it. Block production uses it so
// that a block is the first thing that happens at its instant.
func (s *Sim) AtFront(t Time, h Handler) EventID { return s.schedule(t, frontLane, h) }

func (s *Sim) schedule(t Time, lane uint64, h Handler) EventID {
	if t < s.now {
		panic(fmt.Sprintf("engine: scheduling at %d ns, before Now() = %d ns; schedule at or after Now", int64(t), int64(s.now)))
	}
	if h == nil {
		panic("engine: scheduling a nil Handler; pass a Handler value or a HandlerFunc")
	}
	s.seq++
	var i uint32
	if n := len(s.free); n > 0 {
		i = s.free[n-1]
		s.free = s.free[:n-1]
		s.slots[i] = s.seq
	} else {
		i = uint32(len(s.slots))
		s.slots = append(s.slots, s.seq)
	}
	s.q.push(item{at: t, key: lane | s.seq, h: h, slot: i})
	s.stats.Scheduled++
	return EventID{seq: s.seq, slot: i}
}

// IsPending reports whether id is still waiting to fire.
func (s *Sim) IsPending(id EventID) bool {
	return id.seq != 0 && int(id.slot) < len(s.slots) && s.slots[id.slot] == id.seq
}

// Cancel removes the pending event id and reports whether it was pending.
// Cancelling an event that already fired, was already cancelled, or the zero
// EventID does nothing and returns false. Cancel is O(1); the queue drops the
// event when it reaches it, and sweeps cancelled events out early once they
// outnumber the live ones, so cancelled events never pile up.
func (s *Sim) Cancel(id EventID) bool {
	if !s.IsPending(id) {
		return false
	}
	s.slots[id.slot] = 0
	s.dead++
	s.stats.Cancelled++
	if s.dead >= compactMinDead && s.dead > s.q.items-s.dead {
		s.sweep()
	}
	return true
}

// live reports whether it has not been cancelled.
func (s *Sim) live(it *item) bool { return s.slots[it.slot] == it.key&seqMask }

// release frees the slot of an item leaving the queue.
func (s *Sim) release(i uint32) {
	s.slots[i] = 0
	s.free = append(s.free, i)
}

// dropDead removes cancelled items from bucket b and reports whether the
// bucket still holds items.
func (s *Sim) dropDead(b int) bool {
	src := s.q.buckets[b]
	kept := src[:0]
	for i := range src {
		if s.live(&src[i]) {
			kept = append(kept, src[i])
		} else {
			s.release(src[i].slot)
			s.dead--
			s.q.items--
		}
	}
	clear(src[len(kept):])
	s.q.buckets[b] = kept
	if b > 0 && len(kept) == 0 {
		s.q.nonzero &^= 1 << b
	}
	return len(kept) > 0
}

// sweep removes every cancelled item from the queue.
func (s *Sim) sweep() {
	s.dropDead(0)
	s.q.heapifyZero()
	for bs := s.q.nonzero; bs != 0; bs &= bs - 1 {
		s.dropDead(bits.TrailingZeros64(bs))
	}
}

// minOf returns the earliest time in bucket b (b ≥ 1, non-empty after
// dropping cancelled items; ok is false if none remain).
func (s *Sim) minOf(b int) (Time, bool) {
	if s.dead > 0 && !s.dropDead(b) {
		return 0, false
	}
	src := s.q.buckets[b]
	m := src[0].at
	for i := 1; i < len(src); i++ {
		if src[i].at < m {
			m = src[i].at
		}
	}
	return m, true
}

// pop removes and returns the next live event if its time is ≤ limit. The
// queue's `last` only moves to a time that is about to fire, which keeps the
// radix invariant last ≤ Now ≤ every pending time.
func (s *Sim) pop(limit Time) (item, bool) {
	q := &s.q
	for {
		if len(q.buckets[0]) > 0 {
			if q.last > limit {
				return item{}, false
			}
			it := q.popZero()
			// Only read the slot when some event is cancelled: with none,
			// every queued item is live.
			if s.dead > 0 && !s.live(&it) {
				s.release(it.slot)
				s.dead--
				continue
			}
			s.release(it.slot)
			return it, true
		}
		b := q.firstBucket()
		if b < 0 {
			return item{}, false
		}
		m, ok := s.minOf(b)
		if !ok {
			continue
		}
		if m > limit {
			return item{}, false
		}
		q.redistribute(b, m)
	}
}

// NextTime returns the time of the next pending event.
func (s *Sim) NextTime() (Time, bool) {
	q := &s.q
	for len(q.buckets[0]) > 0 {
		if s.dead == 0 || s.live(&q.buckets[0][0]) {
			return q.last, true
		}
		it := q.popZero()
		s.release(it.slot)
		s.dead--
	}
	for {
		b := q.firstBucket()
		if b < 0 {
			return 0, false
		}
		if m, ok := s.minOf(b); ok {
			return m, true
		}
	}
}

// Step fires the next pending event and reports whether there was one. It
// ignores Stop; Stop only ends Run and RunUntil.
func (s *Sim) Step() bool {
	it, ok := s.pop(MaxTime)
	if ok {
		s.fire(&it)
	}
	return ok
}

func (s *Sim) fire(it *item) {
	s.now = it.at
	s.current = EventID{seq: it.key & seqMask, slot: it.slot}
	s.stats.Fired++
	it.h.Fire(s)
}

// Run fires events until none are pending or a handler calls Stop. With a
// block producer running the queue never empties; use RunUntil.
func (s *Sim) Run() {
	s.stopped = false
	for !s.stopped {
		it, ok := s.pop(MaxTime)
		if !ok {
			return
		}
		s.fire(&it)
	}
}

// RunUntil fires, in order, every event at or before t (including events that
// handlers schedule at or before t while it runs), then sets the clock to t.
// If a handler calls Stop, RunUntil returns right after that handler and the
// clock stays at that event's time. A bound before Now fires nothing and
// leaves the clock alone.
func (s *Sim) RunUntil(t Time) {
	s.stopped = false
	if t < s.now {
		return
	}
	for {
		it, ok := s.pop(t)
		if !ok {
			break
		}
		s.fire(&it)
		if s.stopped {
			return
		}
	}
	s.now = t
}

// Stop asks the running Run or RunUntil to return after the current handler.
// Pending events stay queued; a later Run or RunUntil continues from there.
// Each Run and RunUntil clears an earlier Stop when it starts.
func (s *Sim) Stop() { s.stopped = true }

// Stopped reports whether the last Run or RunUntil ended because of Stop.
func (s *Sim) Stopped() bool { return s.stopped }
