package money

import "math/bits"

// Fast paths for amounts below 2^128 atto (about 3.4 × 10^20 whole units:
// every real price, cost and balance). They compute exactly what the
// uint256 paths compute, with a few machine multiplies and divides instead
// of the general 256- and 512-bit routines; FuzzFast128 holds them equal.

// small reports whether d is below 2^128 atto.
func (d *Dec) small() bool { return d.atto[2]|d.atto[3] == 0 }

// mulDiv128 returns floor(d × num ÷ den) and the remainder, for d below
// 2^128 and den > 0. d × num is below 2^192, so the quotient always fits.
func mulDiv128(d *Dec, num, den uint64) (q Dec, rem uint64) {
	h0, p0 := bits.Mul64(d.atto[0], num)
	h1, l1 := bits.Mul64(d.atto[1], num)
	p1, c := bits.Add64(l1, h0, 0)
	p2 := h1 + c
	q2, r := p2/den, p2%den
	q1, r := bits.Div64(r, p1, den)
	q0, r := bits.Div64(r, p0, den)
	q.atto[0], q.atto[1], q.atto[2] = q0, q1, q2
	return q, r
}

// quo128 returns floor(d ÷ n) and the remainder, for d below 2^128, n > 0.
func quo128(d *Dec, n uint64) (q Dec, rem uint64) {
	q1, r := d.atto[1]/n, d.atto[1]%n
	q0, r := bits.Div64(r, d.atto[0], n)
	q.atto[0], q.atto[1] = q0, q1
	return q, r
}

// quoFloor128 is QuoFloor for d < 2^128 atto and a divisor n < 2^64 atto
// (n > 0): one 128-by-64-bit division. A quotient of 2^64 or more
// saturates, as QuoFloor's does.
func quoFloor128(d *Dec, n uint64) uint64 {
	if d.atto[1] >= n {
		return ^uint64(0)
	}
	q, _ := bits.Div64(d.atto[1], d.atto[0], n)
	return q
}

// MulDivToGrid returns ⌊d × num ÷ (grid × per)⌋ × grid (⌈⌉ when ceil) for d
// below 2^128 atto: d × num ÷ per rounded, in one step, to a multiple of
// grid atto. Nested roundings of exact quotients collapse into one
// (⌊⌊x ÷ a⌋ ÷ b⌋ = ⌊x ÷ ab⌋, and so for ⌈⌉), so callers that scale an amount
// by a fraction and then round it to a price grid can do both with two
// machine divisions. It reports false (compute the general way) when d is
// wider, grid × per overflows 64 bits, or the result needs more than 128
// bits; core/market's provider cost and the simulator's margin prices use
// it, and their tests hold it equal to their general paths.
func MulDivToGrid(d *Dec, num, per, grid uint64, ceil bool) (Dec, bool) {
	hiDiv, div := bits.Mul64(grid, per)
	if !d.small() || hiDiv != 0 || div == 0 {
		return Dec{}, false
	}
	// d × num as three words p2:p1:p0.
	h0, p0 := bits.Mul64(d.atto[0], num)
	h1, l1 := bits.Mul64(d.atto[1], num)
	p1, c := bits.Add64(l1, h0, 0)
	p2 := h1 + c
	if p2 >= div { // the quotient needs more than 128 bits
		return Dec{}, false
	}
	q1, r := bits.Div64(p2, p1, div)
	q0, r := bits.Div64(r, p0, div)
	if ceil && r != 0 {
		q0, c = bits.Add64(q0, 1, 0)
		if q1, c = bits.Add64(q1, 0, c); c != 0 {
			return Dec{}, false
		}
	}
	// q × grid must fit 128 bits.
	w1, w0 := bits.Mul64(q0, grid)
	x1, x0 := bits.Mul64(q1, grid)
	if x1 != 0 {
		return Dec{}, false
	}
	if w1, c = bits.Add64(w1, x0, 0); c != 0 {
		return Dec{}, false
	}
	return DecFromUint128(w0, w1), true
}
