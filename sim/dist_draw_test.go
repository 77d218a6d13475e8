package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/akash-market/akash/core/money"
)

func TestRoundMicroAndScale(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1.2345678901", "1.234567"},
		{"0.0000009", "0"},
		{"12345678901234.000001999", "12345678901234.000001"},
		{"5", "5"},
	} {
		if got := roundMicro(money.MustParseDec(c.in)); !got.Equal(money.MustParseDec(c.want)) {
			t.Errorf("roundMicro(%s) = %s, want %s", c.in, got.ShortString(), c.want)
		}
	}
	if got := scaleMicro(money.MustParseDec("3"), 1.5); !got.Equal(money.MustParseDec("4.5")) {
		t.Errorf("scaleMicro(3, 1.5) = %s", got.ShortString())
	}
	if got := scaleMicro(money.MustParseDec("1"), 1.0/3); !got.Equal(money.MustParseDec("0.333333")) {
		t.Errorf("scaleMicro(1, 1/3) = %s", got.ShortString())
	}
	if got := decFloat(money.MustParseDec("1234.5")); got != 1234.5 {
		t.Errorf("decFloat = %v", got)
	}
}

// refDecFloat is decFloat's general form, which its machine-word path must
// equal bit for bit.
func refDecFloat(d money.Dec) float64 {
	whole := d.QuoFloor(money.NewDec(1))
	frac, err := d.Sub(money.NewDec(whole))
	if err != nil {
		return float64(whole)
	}
	return float64(whole) + float64(frac.QuoFloor(money.NewDecFromAtto(1)))*1e-18
}

func FuzzDecFloat(f *testing.F) {
	for _, c := range [][2]uint64{{0, 0}, {1, 0}, {attoPerUnit - 1, 0}, {^uint64(0), attoPerUnit - 1}, {0, attoPerUnit}, {5, ^uint64(0)}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, lo, hi uint64) {
		d := money.DecFromUint128(lo, hi)
		if got, want := decFloat(d), refDecFloat(d); got != want {
			t.Fatalf("decFloat(%s) = %v, want %v", d, got, want)
		}
	})
}

// TestDistDrawIsDraw: a distDraw draws Dist.Draw's values bit for bit, with
// the same draws of its stream (the next draw after each agrees too).
func TestDistDrawIsDraw(t *testing.T) {
	inf := math.Inf(1)
	for _, d := range []Dist{
		{}, {Kind: "none"}, {Kind: "const", Value: 3.5}, {Kind: "const", Value: -1},
		{Kind: "uniform", Min: 1, Max: 12}, {Kind: "uniform", Min: -2, Max: 1}, {Kind: "uniform", Min: 0.5, Max: 0.9},
		{Kind: "exponential", Mean: 3}, {Kind: "exponential"},
		{Kind: "lognormal", Mean: 1.5, Std: 0.4}, {Kind: "lognormal", Mean: 14400, Std: 21600}, {Kind: "lognormal", Mean: 16, Std: 8},
		{Kind: "lognormal", Mean: 1e-300, Std: 1e300}, {Kind: "lognormal", Mean: 2}, {Kind: "lognormal", Std: 2},
		{Kind: "lognormal", Mean: 2, Std: inf}, {Kind: "gaussian", Value: 7},
	} {
		x := newDistDraw(d)
		r1, r2 := rand.New(rand.NewPCG(7, 11)), rand.New(rand.NewPCG(7, 11))
		for i := range 100_000 {
			want := func() (v float64, panicked bool) {
				defer func() { panicked = recover() != nil }()
				return d.Draw(r1), false
			}
			w, wp := want()
			got := func() (v float64, panicked bool) {
				defer func() { panicked = recover() != nil }()
				return x.draw(r2), false
			}
			g, gp := got()
			if math.Float64bits(g) != math.Float64bits(w) || gp != wp {
				t.Fatalf("%+v draw %d: distDraw %v (panicked %v), Dist.Draw %v (panicked %v)", d, i, g, gp, w, wp)
			}
			if wp {
				break
			}
			if r1.Uint64() != r2.Uint64() {
				t.Fatalf("%+v draw %d: the streams differ after it", d, i)
			}
		}
	}
}

func BenchmarkDistDraw(b *testing.B) {
	d := Dist{Kind: "lognormal", Mean: 14400, Std: 21600}
	r := rand.New(rand.NewPCG(1, 2))
	b.Run("Dist.Draw", func(b *testing.B) {
		for b.Loop() {
			d.Draw(r)
		}
	})
	x := newDistDraw(d)
	b.Run("distDraw", func(b *testing.B) {
		for b.Loop() {
			x.draw(r)
		}
	})
}
