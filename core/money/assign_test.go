package money

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func TestAssignMatchesValueForms(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	max := MustParseDec("115792089237316195423570985008687907853269984665640564039457.584007913129639935")
	rnd := func() Dec {
		var d Dec
		for i := range 4 {
			if r.IntN(3) > 0 {
				d.atto[i] = r.Uint64() >> r.UintN(64)
			}
		}
		return d
	}
	for i := range 20_000 {
		a, b, n := rnd(), rnd(), r.Uint64()>>r.UintN(64)
		if i%100 == 0 {
			a = max
		}
		want, werr := a.Add(b)
		got := a
		gerr := got.AddAssign(&b)
		if !errors.Is(gerr, werr) || (gerr == nil && !got.Equal(want)) || (gerr != nil && !got.Equal(a)) {
			t.Fatalf("AddAssign(%s, %s) = %s, %v; want %s, %v", a, b, got, gerr, want, werr)
		}
		want, werr = a.Sub(b)
		got = a
		gerr = got.SubAssign(&b)
		if !errors.Is(gerr, werr) || (gerr == nil && !got.Equal(want)) || (gerr != nil && !got.Equal(a)) {
			t.Fatalf("SubAssign(%s, %s) = %s, %v; want %s, %v", a, b, got, gerr, want, werr)
		}
		want, werr = a.MulInt(n)
		got = b
		gerr = got.SetMulInt(&a, n)
		if !errors.Is(gerr, werr) || (gerr == nil && !got.Equal(want)) || (gerr != nil && !got.Equal(b)) {
			t.Fatalf("SetMulInt(%s, %d) = %s, %v; want %s, %v", a, n, got, gerr, want, werr)
		}
	}
}
