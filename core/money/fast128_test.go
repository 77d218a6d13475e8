package money

import (
	"testing"

	"github.com/holiman/uint256"
)

// The 256-bit reference computations the fast paths must equal.
func refMulFrac(d Dec, num, den uint64) Dec {
	var r Dec
	r.atto.MulDivOverflow(&d.atto, uint256.NewInt(num), uint256.NewInt(den))
	return r
}

func refMulFracCeil(d Dec, num, den uint64) Dec {
	q := refMulFrac(d, num, den)
	var prod, back, rem uint256.Int
	prod.Mul(&d.atto, uint256.NewInt(num))
	back.Mul(&q.atto, uint256.NewInt(den))
	rem.Sub(&prod, &back)
	if !rem.IsZero() {
		q.atto.AddUint64(&q.atto, 1)
	}
	return q
}

func refQuoInt(d Dec, n uint64) (Dec, Dec) {
	var r, m Dec
	r.atto.DivMod(&d.atto, uint256.NewInt(n), &m.atto)
	return r, m
}

func refFloorTo(d Dec, n uint64) Dec {
	_, m := refQuoInt(d, n)
	var r Dec
	r.atto.Sub(&d.atto, &m.atto)
	return r
}

func refCeilTo(d Dec, n uint64) Dec {
	_, m := refQuoInt(d, n)
	if m.IsZero() {
		return d
	}
	var r Dec
	r.atto.SetUint64(n)
	r.atto.Sub(&r.atto, &m.atto)
	r.atto.Add(&r.atto, &d.atto)
	return r
}

func refQuoFloor(d, e Dec) uint64 {
	var q uint256.Int
	q.Div(&d.atto, &e.atto)
	v, over := q.Uint64WithOverflow()
	if over {
		return ^uint64(0)
	}
	return v
}

func checkFast128(t *testing.T, lo, hi, num, den uint64) {
	if den == 0 {
		den = 1
	}
	d := DecFromUint128(lo, hi)
	if got, _ := d.MulFrac(num, den); got != refMulFrac(d, num, den) {
		t.Fatalf("MulFrac(%s, %d, %d) = %s, want %s", d, num, den, got, refMulFrac(d, num, den))
	}
	if got, _ := d.MulFracCeil(num, den); got != refMulFracCeil(d, num, den) {
		t.Fatalf("MulFracCeil(%s, %d, %d) = %s, want %s", d, num, den, got, refMulFracCeil(d, num, den))
	}
	for _, e := range []Dec{DecFromUint128(den, 0), DecFromUint128(num|1, 0), DecFromUint128(den, num)} {
		if e.IsZero() {
			continue
		}
		if got, want := d.QuoFloor(e), refQuoFloor(d, e); got != want {
			t.Fatalf("QuoFloor(%s, %s) = %d, want %d", d, e, got, want)
		}
	}
	if got, want := d.FloorTo(den), refFloorTo(d, den); got != want {
		t.Fatalf("FloorTo(%s, %d) = %s, want %s", d, den, got, want)
	}
	if got, _ := d.CeilTo(den); got != refCeilTo(d, den) {
		t.Fatalf("CeilTo(%s, %d) = %s, want %s", d, den, got, refCeilTo(d, den))
	}
	q, r := d.QuoInt(den)
	if wq, wr := refQuoInt(d, den); q != wq || r != wr {
		t.Fatalf("QuoInt(%s, %d) = %s r %s, want %s r %s", d, den, q, r, wq, wr)
	}
}

func TestFast128Edges(t *testing.T) {
	const m = ^uint64(0)
	for _, c := range [][4]uint64{
		{0, 0, 0, 1}, {1, 0, 1, 1}, {m, m, m, 1}, {m, m, m, m}, {m, m, 1, m}, {m, m, m, 2},
		{12345, 6789, 10000, 3}, {0, 1, 1 << 63, 7}, {m, 0, m, m - 1}, {5, 5, 0, 9},
	} {
		checkFast128(t, c[0], c[1], c[2], c[3])
	}
}

func FuzzFast128(f *testing.F) {
	f.Add(uint64(5), uint64(2), uint64(9950), uint64(10000))
	f.Fuzz(func(t *testing.T, lo, hi, num, den uint64) { checkFast128(t, lo, hi, num, den) })
}

// refMulDivToGrid is MulDivToGrid the long way: scale, then round to the
// grid, each an exact 256-bit step.
func refMulDivToGrid(d Dec, num, per, grid uint64, ceil bool) Dec {
	if ceil {
		return refCeilTo(refMulFracCeil(d, num, per), grid)
	}
	return refFloorTo(refMulFrac(d, num, per), grid)
}

func TestMulDivToGridEdges(t *testing.T) {
	max128 := DecFromUint128(^uint64(0), ^uint64(0))
	cases := []struct {
		name            string
		d               Dec
		num, per, grid  uint64
		ceil, wantFound bool
	}{
		{"zero", Dec{}, 7, 3, 1_000_000_000_000, true, true},
		{"exact", DecFromUint128(6_000_000_000_000, 0), 1, 1, 1_000_000_000_000, true, true},
		{"rounds up", DecFromUint128(6_000_000_000_001, 0), 1, 1, 1_000_000_000_000, true, true},
		{"rounds down", DecFromUint128(6_999_999_999_999, 0), 1, 1, 1_000_000_000_000, false, true},
		{"cost rule", DecFromUint128(123_456_789_012_345_678, 5), 1_250_000, 1_000_000, 1_000_000_000_000, true, true},
		{"margin rule", DecFromUint128(987_654_321_987_654_321, 1), 11_500, 9_000, 1_000_000_000_000, false, true},
		{"result too wide", max128, 3, 1, 1, false, false},
		{"divisor too wide", DecFromUint128(5, 0), 1, 1 << 40, 1 << 40, false, false},
		{"zero divisor", DecFromUint128(5, 0), 1, 0, 10, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := MulDivToGrid(&c.d, c.num, c.per, c.grid, c.ceil)
			if ok != c.wantFound {
				t.Fatalf("ok = %v, want %v", ok, c.wantFound)
			}
			if ok {
				if want := refMulDivToGrid(c.d, c.num, c.per, c.grid, c.ceil); got != want {
					t.Fatalf("got %s, want %s", got.atto.Dec(), want.atto.Dec())
				}
			}
		})
	}
}

// FuzzMulDivToGrid holds the one-step scale-and-round equal to the two
// exact steps whenever it answers.
func FuzzMulDivToGrid(f *testing.F) {
	f.Add(uint64(123_456_789), uint64(5), uint64(1_250_000), uint64(1_000_000), uint64(1_000_000_000_000), true)
	f.Add(^uint64(0), ^uint64(0)>>20, uint64(11_500), uint64(9_000), uint64(1_000_000_000_000), false)
	f.Fuzz(func(t *testing.T, lo, hi, num, per, grid uint64, ceil bool) {
		d := DecFromUint128(lo, hi)
		got, ok := MulDivToGrid(&d, num, per, grid, ceil)
		if !ok {
			return
		}
		if want := refMulDivToGrid(d, num, per, grid, ceil); got != want {
			t.Fatalf("%s × %d ÷ %d to grid %d (ceil %v): got %s, want %s", d.atto.Dec(), num, per, grid, ceil, got.atto.Dec(), want.atto.Dec())
		}
	})
}

// BenchmarkMulFrac is a take (basis points of an hour's accrual, about 2^69
// atto) and a quotient of an amount below 2^64 atto, the common shapes of
// MulFrac and QuoInt in a simulation.
func BenchmarkMulFrac(b *testing.B) {
	hour := NewDecFromAtto(1_234_567_000_000_000_000)
	hour, _ = hour.MulInt(600)
	small := NewDecFromAtto(987_654_321_000)
	var sink uint64
	b.Run("take", func(b *testing.B) {
		for b.Loop() {
			q, _ := hour.MulFrac(200, 10_000)
			sink += q.atto[0]
		}
	})
	b.Run("quo", func(b *testing.B) {
		for b.Loop() {
			q, _ := small.QuoInt(1_000_000)
			sink += q.atto[0]
		}
	})
	_ = sink
}
