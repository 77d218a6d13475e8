package engine

import "math/bits"

// The pending-event queue is a hierarchical timing wheel on integer time, a
// radix structure that fits a discrete-event simulation because virtual time
// never goes backwards.
//
// Time is cut into windows of 2^shift ns (about 4 µs by default; a Sim whose
// events are seconds apart sets a wider one with SetResolution). The current
// window's events sit in `front`, a binary min-heap on (time, lane|sequence):
// that heap is where events at one instant, and events close together, are
// put in order. Later windows are filed in the wheel: window numbers are read
// as base-256 digits (8 bits each), and an event whose window first differs
// from the current one (`base`) in digit L sits in slot (L, its digit L).
// Slots at level L are therefore ordered by time, and every slot of level L
// comes before every slot of level L+1. To move on, the queue takes the
// first non-empty slot of the lowest non-empty level, advances base to the
// slot's start and re-files its events one level down ("cascades"); a level-0
// slot is one window and goes to the heap. Times and keys order everything;
// nothing else (no map, no pointer value) reaches the firing order.
//
// Each event is filed once and cascaded once per level below its first:
// about once for an event 1 ms ahead, twice for 100 ms, three times for a
// minute, four for an hour, always by sequential appends. Slots are lists of fixed-size chunks
// drawn from a shared pool, so memory follows the number of pending events,
// not the number of slots ever used, and steady state allocates nothing.
//
// Cancellation is lazy: Cancel marks the event's slot dead in O(1) and the
// event is dropped when it reaches the front. Dead events are swept out of
// the wheel once they outnumber the live ones (and number at least
// compactMinDead), so garbage stays bounded by the live queue size and the
// sweep costs O(1) amortised per cancellation.

// frontLane marks events that fire before every ordinary event at the same
// instant (block production). The lane is the top bit of the ordering key so
// that lane and sequence compare as one integer.
//
// Below the lane bit the key holds the sequence number and, in its low
// slotBits, the event's slot in the Sim's slot table. Sequence numbers are
// unique, so the slot bits never decide an order; packing them into the key
// keeps an item at 32 bytes, which is a fifth less memory traffic.
const (
	slotBits          = 24
	seqBits           = 63 - slotBits
	maxSlots          = 1 << slotBits // pending events at once: 16,777,216
	maxSeq            = 1<<seqBits - 1
	frontLane  uint64 = 0
	normalLane uint64 = 1 << 63
	slotMask          = maxSlots - 1
)

// compactMinDead avoids sweeping tiny queues over and over. A variable only
// so that tests can force sweeps in small queues.
var compactMinDead = 1024

const (
	windowBits    = 12 // the default window: 4.096 µs
	maxWindowBits = 32 // the widest window SetResolution sets: 4.3 s
	digitBits     = 8
	numSlots      = 1 << digitBits
	numLevels     = (63 - windowBits + digitBits - 1) / digitBits // times are ≥ 0: 63 bits
	chunkLen      = 32
	// minGrowChunks is the fewest chunks one allocation adds to the pool.
	minGrowChunks = 16
)

// item is what the wheel moves around. It carries its handler so that firing
// an event reads nothing but the wheel: the slot table is only written (a
// store, which does not stall) unless cancelled events are waiting. In a
// queue of 10^5 events a read of a random slot would miss the cache on
// every event.
type item struct {
	at  Time
	key uint64 // lane | sequence number | slot; unique per event
	h   Handler
}

func (it *item) slot() uint32 { return uint32(it.key & slotMask) }
func (it *item) seq() uint64  { return it.key &^ normalLane >> slotBits }

// chunk is one block of a slot's list. The header comes first so that it
// shares a cache line with the first items: many low-level slots hold few.
type chunk struct {
	n     int
	next  *chunk
	items [chunkLen]item
}

type chunkList struct{ head, tail *chunk }

// slotSet is the set of non-empty slots of one level: a bitmap of 256 bits
// and a summary of which of its four words are non-zero, so that adding,
// removing and finding the first member each touch one word.
type slotSet struct {
	words [numSlots / 64]uint64
	any   uint8 // bit i: words[i] ≠ 0
}

func (m *slotSet) add(d uint64) {
	m.words[d/64] |= 1 << (d % 64)
	m.any |= 1 << (d / 64)
}

// remove deletes d and reports whether the set is now empty.
func (m *slotSet) remove(d uint64) bool {
	i := d / 64
	m.words[i] &^= 1 << (d % 64)
	if m.words[i] == 0 {
		m.any &^= 1 << i
	}
	return m.any == 0
}

func (m *slotSet) empty() bool { return m.any == 0 }

// first returns the smallest member (the set is non-empty).
func (m *slotSet) first() uint64 {
	i := bits.TrailingZeros8(m.any)
	return uint64(i*64 + bits.TrailingZeros64(m.words[i]))
}

// next returns the smallest member after d.
func (m *slotSet) next(d uint64) (uint64, bool) {
	for d++; d < numSlots; d++ {
		if m.words[d/64]&(1<<(d%64)) != 0 {
			return d, true
		}
	}
	return 0, false
}

func (a *item) less(b *item) bool {
	return a.at < b.at || (a.at == b.at && a.key < b.key)
}

type wheel struct {
	base      uint64 // current window number; base<<shift ≤ Now
	shift     uint   // a window is 2^shift ns
	levelMask uint16 // bit L set when level L has a non-empty slot
	slotMask  [numLevels]slotSet
	slots     [numLevels][numSlots]chunkList
	front     []item // events in window base, a min-heap on (at, key)
	pool      *chunk // free chunks
	items     int    // events held, live and cancelled
	chunks    int    // chunks allocated, in use or pooled
	slotRoom  bool   // Grow has added a chunk for every slot
}

// place returns the level and digit of the slot for window win (≠ base).
func (w *wheel) place(win uint64) (level int, digit uint64) {
	level = (bits.Len64(win^w.base) - 1) / digitBits
	return level, win >> (digitBits * level) & (numSlots - 1)
}

// push files it; it.at must be in window base or later.
func (w *wheel) push(it *item) {
	w.items++
	w.file(it)
}

func (w *wheel) file(it *item) {
	win := uint64(it.at) >> w.shift
	if win == w.base {
		w.pushFront(it)
		return
	}
	l, d := w.place(win)
	lst := &w.slots[l][d]
	c := lst.tail
	if c == nil || c.n == chunkLen {
		if w.pool == nil {
			w.grow(w.chunks * chunkLen / 2) // geometric: a growing queue allocates O(log n) times
		}
		nc := w.pool
		w.pool = nc.next
		nc.next = nil
		if c == nil {
			lst.head = nc
			w.slotMask[l].add(d)
			w.levelMask |= 1 << l
		} else {
			c.next = nc
		}
		lst.tail = nc
		c = nc
	}
	c.items[c.n] = *it
	c.n++
}

// take empties slot (l, d) and returns its chunks.
func (w *wheel) take(l int, d uint64) *chunk {
	lst := &w.slots[l][d]
	head := lst.head
	*lst = chunkList{}
	if w.slotMask[l].remove(d) {
		w.levelMask &^= 1 << l
	}
	return head
}

// recycle clears c (so the GC does not keep handlers alive) and pools it.
func (w *wheel) recycle(c *chunk) {
	clear(c.items[:c.n])
	c.n = 0
	c.next = w.pool
	w.pool = c
}

// first returns the earliest non-empty slot and the first window it covers.
func (w *wheel) first() (l int, d uint64, startWin uint64, ok bool) {
	if w.levelMask == 0 {
		return 0, 0, 0, false
	}
	l = bits.TrailingZeros16(w.levelMask)
	d = w.slotMask[l].first()
	shift := uint(digitBits * l)
	// Keep base's digits above level l, put d at level l, zero below.
	high := w.base >> (shift + digitBits) << (shift + digitBits)
	return l, d, high | d<<shift, true
}

// advance cascades the earliest slot if it starts at or before limit and
// reports whether it did. Moving base only to a slot start ≤ limit keeps
// base ≤ Now once the caller has fired or set the clock to limit.
func (w *wheel) advance(limit Time) bool {
	l, d, startWin, ok := w.first()
	if !ok || startWin > uint64(limit)>>w.shift {
		return false
	}
	w.base = startWin
	for c := w.take(l, d); c != nil; {
		for i := range c.n {
			w.file(&c.items[i])
		}
		next := c.next
		w.recycle(c)
		c = next
	}
	return true
}

// pushFront inserts into the heap of the current window's events.
func (w *wheel) pushFront(it *item) {
	h := append(w.front, *it)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !it.less(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = *it
	w.front = h
}

// removeTop removes the earliest event of the current window (the heap is
// non-empty).
func (w *wheel) removeTop() {
	h := w.front
	n := len(h) - 1
	w.items--
	if n == 0 {
		h[0] = item{} // let the GC collect the handler
		w.front = h[:0]
		return
	}
	last := h[n]
	h[n] = item{}
	w.front = h[:n]
	siftDown(w.front, 0, &last)
}

func siftDown(h []item, i int, it *item) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && h[c+1].less(&h[c]) {
			c++
		}
		if !h[c].less(it) {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = *it
}

// filter keeps the events for which keep returns true, everywhere in the
// wheel, and returns how many it dropped.
func (w *wheel) filter(keep func(*item) bool) int {
	dropped := 0
	kept := w.front[:0]
	for i := range w.front {
		if keep(&w.front[i]) {
			kept = append(kept, w.front[i])
		} else {
			dropped++
		}
	}
	clear(w.front[len(kept):])
	w.front = kept
	for start := len(kept)/2 - 1; start >= 0; start-- {
		it := kept[start]
		siftDown(kept, start, &it)
	}
	for l := range numLevels {
		m := w.slotMask[l] // a copy: re-filing sets bits again
		if m.empty() {
			continue
		}
		for d, ok := m.first(), true; ok; d, ok = m.next(d) {
			// Re-file the survivors into the same (just emptied) slot: their
			// times and base are unchanged, so place() puts them back there.
			c := w.take(l, d)
			for c != nil {
				for i := range c.n {
					if keep(&c.items[i]) {
						w.file(&c.items[i])
					} else {
						dropped++
					}
				}
				next := c.next
				w.recycle(c)
				c = next
			}
		}
	}
	w.items -= dropped
	return dropped
}

// grow adds free chunks to the pool for about n more events, in one
// allocation (at least minGrowChunks). The chunks are linked in memory
// order, so a cascade that takes several reads them sequentially.
func (w *wheel) grow(n int) {
	k := max(n/chunkLen+1, minGrowChunks)
	cs := make([]chunk, k)
	for i := k - 1; i >= 0; i-- {
		cs[i].next = w.pool
		w.pool = &cs[i]
	}
	w.chunks += k
}
