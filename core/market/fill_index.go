package market

import (
	"cmp"
	"math/bits"
	"slices"
	"strconv"

	"github.com/akash-market/akash/core/manifest"
)

// fillIndex answers "which open orders could this provider fill?" without
// scanning every order. See docs/market.md for the design; in short:
//
//  1. Orders are grouped into buckets by their placement requirements
//     (attributes + signedBy), exactly. A provider evaluates each distinct
//     requirement set once, not once per order, and skips whole buckets it
//     cannot satisfy. Real markets have few distinct requirement sets
//     (regions, tiers, audited-by) relative to orders.
//  2. Inside a bucket, orders sit in cells by resource size class:
//     (bit length of cpu millis, bit length of memory bytes, needs gpu). A
//     cell's orders all need at least 2^(class-1) of cpu and memory, so a
//     provider skips every cell whose floor exceeds its capacity, and every
//     gpu cell if it has no gpu.
//  3. In the remaining cells each order gets the exact resource, reputation
//     and window check.
//
// Buckets and cells live in slices in creation order and the answer is
// sorted by order insertion, so results never depend on map iteration.
type fillIndex struct {
	byKey   map[string]int32
	buckets []reqBucket
	// free holds emptied buckets. An emptied bucket stays dormant under its
	// key until another requirement set needs the room, so a region whose
	// orders all closed gets its bucket back without allocating.
	free   []int32
	keyBuf []byte // AddOrder's requirement key, reused
	// cellRoom, when set (OrderBook.Reserve), sizes what a new bucket and
	// cell start with: room for cellClasses cells and cellRoom orders each,
	// the cells' lists cut from cellArr while it lasts.
	cellRoom int
	cellArr  []uint32 // cells' order lists still to hand out (Reserve)
}

type reqBucket struct {
	key    string
	req    manifest.PlacementRequirements
	live   int
	freeAt int32 // position in fillIndex.free while dormant, else -1
	cells  []fillCell
	byCell map[uint32]int32
}

type fillCell struct {
	class          uint32
	minCPU, minMem uint64 // every order in the cell needs at least this much
	gpu            bool
	slots          []uint32
}

// indexPos is where an order sits in the index, kept in its slot for O(1) removal.
type indexPos struct{ bucket, cell, pos int32 }

// fillHit is a candidate answer before sorting by insertion.
type fillHit struct {
	ins  uint64
	slot uint32
}

func (x *fillIndex) init() { x.byKey = make(map[string]int32) }

// appendRequirementKey appends an exact, unambiguous encoding of a
// requirement set (attributes are sorted by Order.Validate, auditor lists by
// NewOrder) to dst: AddOrder encodes into a reused buffer and looks the
// bucket up without making a string.
func appendRequirementKey(dst []byte, r *manifest.PlacementRequirements) []byte {
	put := func(s string) {
		dst = strconv.AppendInt(dst, int64(len(s)), 10)
		dst = append(dst, ':')
		dst = append(dst, s...)
	}
	for _, a := range r.Attributes {
		put(a.Key)
		put(a.Value)
	}
	dst = append(dst, '|')
	for _, a := range r.SignedBy.AllOf {
		put(a)
	}
	dst = append(dst, '|')
	for _, a := range r.SignedBy.AnyOf {
		put(a)
	}
	return dst
}

func sizeClass(v uint64) (class uint32, floor uint64) {
	c := bits.Len64(v)
	if c == 0 {
		return 0, 0
	}
	return uint32(c), 1 << (c - 1)
}

// add puts the order in slot into the index; installed reports that its
// requirement set took a bucket it did not hold before (new or recycled).
func (x *fillIndex) add(slot uint32, o *Order) (pos indexPos, installed bool) {
	x.keyBuf = appendRequirementKey(x.keyBuf[:0], &o.Requirements)
	bi, ok := x.byKey[string(x.keyBuf)] // no string is made for a lookup
	if ok && x.buckets[bi].freeAt >= 0 {
		x.takeFree(bi) // dormant: same requirement set, same copy
	}
	if !ok {
		key := string(x.keyBuf)
		if n := len(x.free); n > 0 {
			bi = x.free[n-1]
			x.takeFree(bi)
			if old := x.buckets[bi].key; old != "" {
				delete(x.byKey, old)
			}
		} else {
			bi = int32(len(x.buckets))
			x.buckets = append(x.buckets, x.newBucket())
		}
		b := &x.buckets[bi]
		// The bucket owns a copy: eligibility reads it for every order in the
		// bucket, so it must not change if a caller reuses its order's slices.
		b.key, b.req = key, copyRequirements(o.Requirements)
		x.byKey[key] = bi
		installed = true
	}
	b := &x.buckets[bi]
	cpuC, cpuF := sizeClass(o.Resources.CPUMillis)
	memC, memF := sizeClass(o.Resources.MemoryBytes)
	gpu := o.Resources.GPUUnits > 0
	class := cpuC | memC<<8
	if gpu {
		class |= 1 << 16
	}
	ci, ok := b.byCell[class]
	if !ok {
		ci = int32(len(b.cells))
		if len(b.cells) < cap(b.cells) {
			// A reused bucket's cell keeps its slots array's capacity.
			b.cells = b.cells[:ci+1]
			b.cells[ci] = fillCell{class: class, minCPU: cpuF, minMem: memF, gpu: gpu, slots: x.reuseCellSlots(b.cells[ci].slots)}
		} else {
			b.cells = append(b.cells, fillCell{class: class, minCPU: cpuF, minMem: memF, gpu: gpu, slots: x.newCellSlots()})
		}
		b.byCell[class] = ci
	}
	c := &b.cells[ci]
	c.slots = append(c.slots, slot)
	b.live++
	return indexPos{bucket: bi, cell: ci, pos: int32(len(c.slots) - 1)}, installed
}

// remove takes the order at p out; the order moved into its place gets its
// position updated through slots.
func (x *fillIndex) remove(slot uint32, p indexPos, slots []orderSlot) {
	b := &x.buckets[p.bucket]
	c := &b.cells[p.cell]
	last := len(c.slots) - 1
	if int(p.pos) != last {
		moved := c.slots[last]
		c.slots[p.pos] = moved
		slots[moved].pos.pos = p.pos
	}
	c.slots = c.slots[:last]
	b.live--
	if b.live == 0 {
		// Dormant: keep the key, the requirement copy and the cells' memory;
		// the bucket is reused as is if its requirement set comes back, or
		// for another set when add needs room.
		clear(b.byCell)
		for i := range b.cells {
			b.cells[i].slots = b.cells[i].slots[:0]
		}
		b.cells = b.cells[:0]
		b.freeAt = int32(len(x.free))
		x.free = append(x.free, p.bucket)
	}
}

// takeFree removes dormant bucket bi from the free list.
func (x *fillIndex) takeFree(bi int32) {
	at := x.buckets[bi].freeAt
	last := int32(len(x.free) - 1)
	if at != last {
		moved := x.free[last]
		x.free[at] = moved
		x.buckets[moved].freeAt = at
	}
	x.free = x.free[:last]
	x.buckets[bi].freeAt = -1
}

// Fillable appends to dst the IDs of the open orders that offer could fill
// right now: taking bids at height, requirements met, every resource total
// within the offer's, reputation at least the minimum. Price is left out
// (the provider chooses it). Orders come in the order they were added. With
// enough capacity in dst and once the book is warm it allocates nothing.
func (bk *OrderBook) Fillable(dst []OrderID, offer Offer, height int64) []OrderID {
	hits := bk.fillable(&offer, height)
	for _, h := range hits {
		dst = append(dst, bk.slots[h.slot].order.ID)
	}
	return dst
}

// FillableRefs is Fillable returning handles (see OrderRef) to the same
// orders in the same order, for PlaceBidRef.
func (bk *OrderBook) FillableRefs(dst []OrderRef, offer Offer, height int64) []OrderRef {
	hits := bk.fillable(&offer, height)
	for _, h := range hits {
		dst = append(dst, OrderRef{slot: h.slot, gen: bk.slots[h.slot].gen})
	}
	return dst
}

// fillable returns the matching orders' slots sorted by insertion, in the
// book's scratch memory (valid until the next call).
func (bk *OrderBook) fillable(offer *Offer, height int64) []fillHit {
	x := &bk.index
	hits := bk.scratch[:0]
	have := &offer.Resources
	for bi := range x.buckets {
		b := &x.buckets[bi]
		if b.live == 0 ||
			!attributesSubset(b.req.Attributes, offer.Attributes) ||
			!signedBySatisfied(&b.req, offer.Audited) {
			continue
		}
		for ci := range b.cells {
			c := &b.cells[ci]
			if len(c.slots) == 0 || c.minCPU > have.CPUMillis || c.minMem > have.MemoryBytes || (c.gpu && have.GPUUnits == 0) {
				continue
			}
			for _, h := range c.slots {
				s := &bk.slots[h]
				o := &s.order
				if offer.Reputation >= o.MinReputation && o.TakesBidsAt(height) &&
					checkResources(&o.Resources, have) == ReasonNone {
					hits = append(hits, fillHit{ins: s.ins, slot: h})
				}
			}
		}
	}
	slices.SortFunc(hits, func(a, b fillHit) int { return cmp.Compare(a.ins, b.ins) })
	bk.scratch = hits[:0]
	return hits
}
