package lease

import (
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/akash-market/akash/core/money"
)

// Fraction is an exact ratio of two amounts, such as a provider's governance
// weight: its bonded stake over all bonded stake. Nothing is divided, so
// nothing is rounded; comparisons cross-multiply with a 512-bit product.
// A zero denominator means the value 0 (no stake anywhere yet).
type Fraction struct {
	Num, Den money.Dec
}

// IsZero reports whether the fraction is 0.
func (f Fraction) IsZero() bool { return f.Num.IsZero() || f.Den.IsZero() }

// Cmp returns -1, 0 or +1 as f is less than, equal to or greater than g.
func (f Fraction) Cmp(g Fraction) int {
	fz, gz := f.IsZero(), g.IsZero()
	switch {
	case fz && gz:
		return 0
	case fz:
		return -1
	case gz:
		return 1
	}
	return cmp512(mul256(limbs(f.Num), limbs(g.Den)), mul256(limbs(g.Num), limbs(f.Den)))
}

// Equal reports whether f and g are the same number (1/2 equals 2/4).
func (f Fraction) Equal(g Fraction) bool { return f.Cmp(g) == 0 }

// Scale returns ⌊f × n⌋ for a fraction at most 1 (a share), exactly; a
// fraction above 1 saturates at n. PPM and BasisPoints use it.
func (f Fraction) Scale(n uint64) uint64 {
	if f.IsZero() {
		return 0
	}
	num, den := limbs(f.Num), limbs(f.Den)
	// Largest r in [0, n] with r × Den ≤ Num × n: a binary search of exact
	// 512-bit comparisons (about 20 steps for n = 10^6), never overflowing.
	target := mul256(num, [4]uint64{n})
	lo, hi := uint64(0), n
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if cmp512(mul256(den, [4]uint64{mid}), target) <= 0 {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// BasisPoints returns ⌊f × 10000⌋.
func (f Fraction) BasisPoints() uint32 { return uint32(f.Scale(10_000)) }

// PPM returns ⌊f × 1,000,000⌋ (parts per million).
func (f Fraction) PPM() uint64 { return f.Scale(1_000_000) }

func (f Fraction) String() string {
	return fmt.Sprintf("%s/%s", f.Num.ShortString(), f.Den.ShortString())
}

// limbs returns d's atto-unit count as little-endian 64-bit words.
func limbs(d money.Dec) [4]uint64 {
	b := d.Bytes32()
	return [4]uint64{
		binary.BigEndian.Uint64(b[24:32]),
		binary.BigEndian.Uint64(b[16:24]),
		binary.BigEndian.Uint64(b[8:16]),
		binary.BigEndian.Uint64(b[0:8]),
	}
}

// mul256 is the full 512-bit product of two 256-bit numbers (schoolbook).
func mul256(x, y [4]uint64) [8]uint64 {
	var r [8]uint64
	for i := 0; i < 4; i++ {
		var carry uint64
		for j := 0; j < 4; j++ {
			hi, lo := bits.Mul64(x[i], y[j])
			var c uint64
			lo, c = bits.Add64(lo, r[i+j], 0)
			hi += c
			lo, c = bits.Add64(lo, carry, 0)
			hi += c
			r[i+j] = lo
			carry = hi
		}
		r[i+4] = carry
	}
	return r
}

func cmp512(x, y [8]uint64) int {
	for i := 7; i >= 0; i-- {
		switch {
		case x[i] < y[i]:
			return -1
		case x[i] > y[i]:
			return 1
		}
	}
	return 0
}
