package money

import (
	"math/bits"

	"github.com/holiman/uint256"
)

// MulFracCeil returns d × num ÷ den rounded UP to the atto-unit (a cost is
// never understated by the division), with a 512-bit intermediate like
// MulFrac. den must not be 0.
func (d Dec) MulFracCeil(num, den uint64) (Dec, error) {
	if d.small() && den != 0 {
		q, rem := mulDiv128(&d, num, den)
		if rem != 0 { // round up: q + 1, carrying through the words
			var c uint64
			q.atto[0], c = bits.Add64(q.atto[0], 1, 0)
			q.atto[1], c = bits.Add64(q.atto[1], 0, c)
			q.atto[2], c = bits.Add64(q.atto[2], 0, c)
			q.atto[3] += c
		}
		return q, nil
	}
	q, err := d.MulFrac(num, den)
	if err != nil {
		return Dec{}, err
	}
	// The remainder d·num − q·den is below den, so computing both products
	// modulo 2^256 and subtracting gives it exactly.
	var prod, back, rem uint256.Int
	prod.Mul(&d.atto, uint256.NewInt(num))
	back.Mul(&q.atto, uint256.NewInt(den))
	rem.Sub(&prod, &back)
	if rem.IsZero() {
		return q, nil
	}
	return q.Add(Dec{atto: *uint256.NewInt(1)})
}

// CeilTo returns d rounded UP to a multiple of quantum atto-units (10^12 is
// a micro-unit, 10^18 a whole unit), or ErrOverflow. quantum must not be 0.
func (d Dec) CeilTo(quantum uint64) (Dec, error) {
	if d.small() && quantum != 0 {
		_, r := quo128(&d, quantum)
		if r == 0 {
			return d, nil
		}
		// d + (quantum − r) < 2^128 + 2^64: the carry lands in the third word.
		var c uint64
		d.atto[0], c = bits.Add64(d.atto[0], quantum-r, 0)
		d.atto[1], c = bits.Add64(d.atto[1], 0, c)
		d.atto[2] = c
		return d, nil
	}
	_, rem := d.QuoInt(quantum)
	if rem.IsZero() {
		return d, nil
	}
	var up Dec
	up.atto.SetUint64(quantum)
	_ = up.atto.Sub(&up.atto, &rem.atto) // rem < quantum
	return d.Add(up)
}

// FloorTo returns d rounded DOWN to a multiple of quantum atto-units.
// quantum must not be 0.
func (d Dec) FloorTo(quantum uint64) Dec {
	if d.small() && quantum != 0 {
		_, r := quo128(&d, quantum)
		var b uint64
		d.atto[0], b = bits.Sub64(d.atto[0], r, 0)
		d.atto[1] -= b
		return d
	}
	_, rem := d.QuoInt(quantum)
	var r Dec
	r.atto.Sub(&d.atto, &rem.atto)
	return r
}
