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
