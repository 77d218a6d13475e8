package money

import "math/bits"

// In-place forms of Add, Sub and MulInt for hot loops: escrow settlement runs
// them once per lease per block, and the value forms spend most of their time
// copying 32-byte values through return slots. On error the receiver is
// unchanged, so callers keep the all-or-nothing behaviour of the value forms.

// AddAssign sets d = d + e, or returns ErrOverflow and leaves d unchanged.
func (d *Dec) AddAssign(e *Dec) error {
	var r Dec
	if _, over := r.atto.AddOverflow(&d.atto, &e.atto); over {
		return ErrOverflow
	}
	*d = r
	return nil
}

// SubAssign sets d = d − e, or returns ErrNegative and leaves d unchanged.
func (d *Dec) SubAssign(e *Dec) error {
	if d.atto.Lt(&e.atto) {
		return ErrNegative
	}
	d.atto.Sub(&d.atto, &e.atto)
	return nil
}

// SetMulInt sets d = e × n, or returns ErrOverflow and leaves d unchanged.
// It multiplies 256 by 64 bits (four word products), not 256 by 256.
func (d *Dec) SetMulInt(e *Dec, n uint64) error {
	var r Dec
	var carry uint64
	for i := 0; i < 4; i++ {
		hi, lo := bits.Mul64(e.atto[i], n)
		var c uint64
		r.atto[i], c = bits.Add64(lo, carry, 0)
		carry = hi + c // cannot wrap: hi ≤ 2^64 − 2
	}
	if carry != 0 {
		return ErrOverflow
	}
	*d = r
	return nil
}
