package engine

import "fmt"

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
	q     wheel
	slots []uint64 // slot -> sequence number of its pending event, 0 if none
	// cancelled has bit i set while slot i's item is cancelled but still
	// queued (a slot is freed only when its item leaves the queue). Firing
	// checks it instead of slots: a bit per slot stays in the cache where
	// a word per slot, read at random, misses on a large queue.
	cancelled []uint64
	free      []uint32 // slots whose item has left the queue
	dead      int      // cancelled items still in the queue
	stats     Stats
	current   EventID
	stopped   bool
}

// New returns an empty simulation at Time 0.
func New() *Sim { return &Sim{q: wheel{shift: windowBits}} }

// SetResolution sets the width of the queue's windows to about d (a power
// of two nanoseconds, from 4 µs to 4.3 s); call it before scheduling
// anything. It changes no order and no result, only the cost: events of one
// window are ordered by a heap, events farther apart by the wheel, which
// moves each event a level closer per cascade. A simulation whose events
// are typically seconds apart (a market with 6 s blocks) runs faster with
// windows of tens of milliseconds than with the default 4 µs; one with
// events microseconds apart wants the default.
func (s *Sim) SetResolution(d Duration) {
	if s.stats.Scheduled > 0 {
		panic("engine: SetResolution after scheduling; set it on a new Sim")
	}
	b := uint(windowBits)
	for b < maxWindowBits && Duration(1)<<(b+1) <= d {
		b++
	}
	s.q.shift = b
}

// Grow preallocates room for n events in the queue (pending ones and
// cancelled ones not yet swept: up to as many again, or 1,024 more), so
// that a run whose queue stays within that size allocates nothing at all.
// Without it, the queue grows to the run's peak (geometrically) and
// allocates nothing after that.
func (s *Sim) Grow(n int) {
	if n <= cap(s.slots) {
		return
	}
	more := n - cap(s.slots)
	slots := make([]uint64, len(s.slots), n)
	copy(slots, s.slots)
	s.slots = slots
	s.cancelled = append(make([]uint64, 0, n/64+1), s.cancelled...)
	free := make([]uint32, len(s.free), n)
	copy(free, s.free)
	s.free = free
	if !s.q.slotRoom {
		// Room besides for a partly filled chunk in every slot that can
		// hold an event (a slot's list has at most one), and one more for
		// a cascade in progress.
		more += (min(n, numLevels*numSlots) + 1) * chunkLen
		s.q.slotRoom = true
	}
	s.q.grow(more)
	// The current window's heap too may hold them all (events at one
	// instant: a whole population's hourly withdrawal, say).
	s.q.front = append(make([]item, 0, n), s.q.front...)
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
	if s.seq == maxSeq {
		panic("engine: this Sim has scheduled 2^39 events, its limit; split the run")
	}
	s.seq++
	var i uint32
	if n := len(s.free); n > 0 {
		i = s.free[n-1]
		s.free = s.free[:n-1]
		s.slots[i] = s.seq
	} else {
		if len(s.slots) == maxSlots {
			panic("engine: 2^24 events pending at once, the queue's limit; schedule fewer events ahead")
		}
		i = uint32(len(s.slots))
		s.slots = append(s.slots, s.seq)
		if int(i/64) == len(s.cancelled) {
			s.cancelled = append(s.cancelled, 0)
		}
	}
	s.q.push(&item{at: t, key: lane | s.seq<<slotBits | uint64(i), h: h})
	s.stats.Scheduled++
	return EventID{seq: s.seq, slot: i}
}

// IsPending reports whether id is still waiting to fire.
func (s *Sim) IsPending(id EventID) bool {
	return id.seq != 0 && int(id.slot) < len(s.slots) && s.slots[id.slot] == id.seq
}

// Cancel removes the pending event id and reports whether it was pending.
// Cancelling an event that already fired, was already cancelled, or the zero
// EventID does nothing and returns false. Cancel is O(1) amortised: the
// queue drops the event when it reaches it, and sweeps cancelled events out
// early once they outnumber the live ones, so they never pile up.
func (s *Sim) Cancel(id EventID) bool {
	if !s.IsPending(id) {
		return false
	}
	s.slots[id.slot] = 0
	s.cancelled[id.slot/64] |= 1 << (id.slot % 64)
	s.dead++
	s.stats.Cancelled++
	if s.dead >= compactMinDead && s.dead > s.q.items-s.dead {
		s.sweep()
	}
	return true
}

// live reports whether it has not been cancelled.
func (s *Sim) live(it *item) bool {
	i := it.slot()
	return s.cancelled[i/64]&(1<<(i%64)) == 0
}

// release frees the slot of an item leaving the queue.
func (s *Sim) release(i uint32) {
	s.slots[i] = 0
	s.free = append(s.free, i)
}

// releaseDead frees the slot of a cancelled item leaving the queue.
func (s *Sim) releaseDead(i uint32) {
	s.cancelled[i/64] &^= 1 << (i % 64)
	s.free = append(s.free, i)
}

// sweep removes every cancelled item from the queue.
func (s *Sim) sweep() {
	s.dead -= s.q.filter(func(it *item) bool {
		if s.live(it) {
			return true
		}
		s.releaseDead(it.slot())
		return false
	})
}

// fireNext fires the next live event if its time is ≤ limit and reports
// whether it did. It works on the heap's top in place: an item is 32 bytes
// and copying it around is a measurable share of an event's cost.
func (s *Sim) fireNext(limit Time) bool {
	q := &s.q
	for {
		if len(q.front) == 0 {
			if q.advance(limit) {
				continue
			}
			if q.items == 0 {
				// A cascade may have moved base to the time of events that
				// were all cancelled, past Now. With the queue empty, any
				// base is valid: put it back to Now so that scheduling at
				// Now stays legal.
				q.base = uint64(s.now) >> q.shift
			}
			return false
		}
		top := &q.front[0]
		// Only read the slot when some event is cancelled: with none, every
		// queued item is live.
		if s.dead > 0 && !s.live(top) {
			s.releaseDead(top.slot())
			s.dead--
			q.removeTop()
			continue
		}
		if top.at > limit {
			return false
		}
		h := top.h
		s.now = top.at
		s.current = EventID{seq: top.seq(), slot: top.slot()}
		s.release(top.slot())
		q.removeTop()
		s.stats.Fired++
		h.Fire(s)
		return true
	}
}

// NextTime returns the time of the next pending event.
func (s *Sim) NextTime() (Time, bool) {
	q := &s.q
	for {
		// Drop cancelled events at the front, and move on only as far as
		// Now, so that the queue's base never passes the clock.
		for len(q.front) > 0 {
			if s.dead == 0 || s.live(&q.front[0]) {
				return q.front[0].at, true
			}
			s.releaseDead(q.front[0].slot())
			s.dead--
			q.removeTop()
		}
		if !q.advance(s.now) {
			break
		}
	}
	// The earliest slot starts after Now's window: scan it.
	l, d, _, ok := q.first()
	if !ok {
		return 0, false
	}
	best, found := Time(0), false
	for c := q.slots[l][d].head; c != nil; c = c.next {
		for i := range c.n {
			it := &c.items[i]
			if (s.dead == 0 || s.live(it)) && (!found || it.at < best) {
				best, found = it.at, true
			}
		}
	}
	if !found {
		// Only cancelled events there: sweep them and look again.
		s.sweep()
		return s.NextTime()
	}
	return best, true
}

// Step fires the next pending event and reports whether there was one. It
// ignores Stop; Stop only ends Run and RunUntil.
func (s *Sim) Step() bool { return s.fireNext(MaxTime) }

// Run fires events until none are pending or a handler calls Stop. With a
// block producer running the queue never empties; use RunUntil.
func (s *Sim) Run() {
	s.stopped = false
	for !s.stopped && s.fireNext(MaxTime) {
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
	for s.fireNext(t) {
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
