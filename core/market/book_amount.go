package market

import "github.com/akash-market/akash/core/money"

// amount is a money.Dec as a bid entry stores it: 16 bytes instead of 32,
// which with the rest of the entry makes a bid 56 bytes, padded to one
// 64-byte cache line (TestBidEntrySize).
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
	odd []oddPrice
	big []money.Dec
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
	}
}
