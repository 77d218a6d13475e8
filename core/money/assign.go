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
	x := &e.atto
	h0, l0 := bits.Mul64(x[0], n)
	h1, l1 := bits.Mul64(x[1], n)
	h2, l2 := bits.Mul64(x[2], n)
	h3, l3 := bits.Mul64(x[3], n)
	r1, c := bits.Add64(l1, h0, 0)
	r2, c := bits.Add64(l2, h1, c)
	r3, c := bits.Add64(l3, h2, c)
	if h3|c != 0 { // the product needs a fifth word
		return ErrOverflow
	}
	d.atto[0], d.atto[1], d.atto[2], d.atto[3] = l0, r1, r2, r3
	return nil
}
