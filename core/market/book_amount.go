package market

import "github.com/akash-market/akash/core/money"

// amount is a money.Dec as a bid entry stores it: 16 bytes instead of 32,
// which with the rest of the entry makes a bid 32 bytes, two to a cache line
// (TestBidEntrySize).
// A value below 2^128 - 2^64 atto (about 3.4 × 10^20 whole units: every
// real price and deposit) is its two low words; a larger one is kept whole
// in the slot's rare.big list, and the entry holds hi = bigAmount and its
// index there. Nothing is rounded: unpack(pack(d)) == d for every d.
type amount struct{ lo, hi uint64 }

// bigAmount in amount.hi marks a value kept in the slot's big list.
const bigAmount = ^uint64(0)

// slotRare is what few orders need, kept behind one pointer so the slot
// stays 512 bytes: rejected prices in another denom than the order's, and
// amounts too large for an entry. It is allocated on first use and kept,
// emptied, for the slot's next orders.
type slotRare struct {
	odd     []oddPrice
	big     []money.Dec
	heights []int64      // entries with entryBigHeight
	seqs    []uint64     // entries with entryBigSeq
	deps    []oddDeposit // entries with entryOddDeposit, by provider
}

// oddDeposit is the deposit of a bid unlike its order's common one.
type oddDeposit struct {
	provider uint32
	denom    uint16
	amount   amount
}

// setTime stores (height, seq) in e as offsets from the order's open height
// and the slot's seqBase, or whole in the rare lists when an offset passes
// 32 bits. e.flags must have been cleared.
func (s *orderSlot) setTime(e *bidEntry, height int64, seq uint64) {
	if dh := uint64(height - s.order.OpenHeight); dh <= 1<<32-1 && height >= s.order.OpenHeight {
		e.dh = uint32(dh)
	} else {
		r := s.rareData()
		e.dh, e.flags = uint32(len(r.heights)), e.flags|entryBigHeight
		r.heights = append(r.heights, height)
	}
	if ds := seq - s.seqBase; ds <= 1<<32-1 && seq >= s.seqBase {
		e.ds = uint32(ds)
	} else {
		r := s.rareData()
		e.ds, e.flags = uint32(len(r.seqs)), e.flags|entryBigSeq
		r.seqs = append(r.seqs, seq)
	}
}

func (s *orderSlot) heightOf(e *bidEntry) int64 {
	if e.flags&entryBigHeight != 0 {
		return s.rare.heights[e.dh]
	}
	return s.order.OpenHeight + int64(e.dh)
}

func (s *orderSlot) seqOf(e *bidEntry) uint64 {
	if e.flags&entryBigSeq != 0 {
		return s.rare.seqs[e.ds]
	}
	return s.seqBase + uint64(e.ds)
}

// setDeposit records e's deposit (denom handle and amount): the order's
// first bid sets the common deposit, a later one that differs is kept in
// rare.deps under its provider. e.flags must have been cleared.
func (s *orderSlot) setDeposit(e *bidEntry, den uint16, d *money.Dec) {
	a := s.pack(d)
	if !s.depSet {
		s.dep, s.depDen, s.depSet = a, den, true
	}
	if a == s.dep && den == s.depDen {
		return
	}
	e.flags |= entryOddDeposit
	r := s.rareData()
	for i := range r.deps {
		if r.deps[i].provider == e.provider {
			r.deps[i].denom, r.deps[i].amount = den, a
			return
		}
	}
	r.deps = append(r.deps, oddDeposit{provider: e.provider, denom: den, amount: a})
}

// depositAt is e's deposit: denom handle and packed amount.
func (s *orderSlot) depositAt(e *bidEntry) (uint16, amount) {
	if e.flags&entryOddDeposit != 0 {
		for i := range s.rare.deps {
			if d := &s.rare.deps[i]; d.provider == e.provider {
				return d.denom, d.amount
			}
		}
	}
	return s.depDen, s.dep
}

// pack stores d for an entry of this slot.
func (s *orderSlot) pack(d *money.Dec) amount {
	if lo, hi, ok := d.Uint128(); ok && hi != bigAmount {
		return amount{lo: lo, hi: hi}
	}
	return s.packBig(d)
}

//go:noinline (so pack, the common case, inlines)
func (s *orderSlot) packBig(d *money.Dec) amount {
	r := s.rareData()
	r.big = append(r.big, *d)
	return amount{lo: uint64(len(r.big) - 1), hi: bigAmount}
}

// unpack is the Dec a packs.
func (s *orderSlot) unpack(a amount) money.Dec {
	if a.hi == bigAmount {
		return s.rare.big[a.lo]
	}
	return money.DecFromUint128(a.lo, a.hi)
}

// unpackTo is unpack writing into *d, without a temporary.
func (s *orderSlot) unpackTo(d *money.Dec, a amount) {
	if a.hi == bigAmount {
		*d = s.rare.big[a.lo]
		return
	}
	d.SetUint128(a.lo, a.hi)
}

func (s *orderSlot) rareData() *slotRare {
	if s.rare == nil {
		s.rare = &slotRare{}
	}
	return s.rare
}

// resetRare empties the rare lists for the slot's next order, keeping their
// memory; the denom strings are dropped for the collector.
func (s *orderSlot) resetRare() {
	if r := s.rare; r != nil {
		clear(r.odd)
		r.odd, r.big = r.odd[:0], r.big[:0]
		r.heights, r.seqs, r.deps = r.heights[:0], r.seqs[:0], r.deps[:0]
	}
}
