package money

import (
	"strconv"

	"github.com/holiman/uint256"
)

// Uint128 returns d's atto value (d × 10^18) as its low and high 64-bit
// words, and whether it fits in those 128 bits. Stores that hold many
// amounts (the order book's bid entries) keep the 16 bytes instead of 32:
// 2^128 atto is about 3.4 × 10^20 whole units, beyond any real price.
func (d *Dec) Uint128() (lo, hi uint64, ok bool) {
	return d.atto[0], d.atto[1], d.atto[2]|d.atto[3] == 0
}

// DecFromUint128 is the Dec whose atto value is hi × 2^64 + lo, the inverse
// of Uint128.
func DecFromUint128(lo, hi uint64) Dec {
	var d Dec
	d.atto[0], d.atto[1] = lo, hi
	return d
}

// SetUint128 sets d to the Dec whose atto value is hi × 2^64 + lo, in place
// (DecFromUint128 without a temporary, for loops that fill many amounts).
func (d *Dec) SetUint128(lo, hi uint64) {
	d.atto[0], d.atto[1], d.atto[2], d.atto[3] = lo, hi, 0, 0
}

// AppendShort appends d's ShortString form ("0.5", "100") to dst without
// allocating when the whole part fits in 64 bits (below about 1.8 × 10^19
// units); larger values take the ShortString path.
func (d Dec) AppendShort(dst []byte) []byte {
	var whole, frac uint256.Int
	whole.DivMod(&d.atto, one, &frac)
	if !whole.IsUint64() {
		return append(dst, d.ShortString()...)
	}
	dst = strconv.AppendUint(dst, whole.Uint64(), 10)
	f := frac.Uint64() // < 10^18
	if f == 0 {
		return dst
	}
	var buf [Precision]byte
	for i := Precision - 1; i >= 0; i-- {
		buf[i] = byte('0' + f%10)
		f /= 10
	}
	n := Precision
	for buf[n-1] == '0' {
		n--
	}
	dst = append(dst, '.')
	return append(dst, buf[:n]...)
}
