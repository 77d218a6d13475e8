package sim

import (
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
