package money

import (
	"errors"
	"testing"
)

func TestMulFracCeil(t *testing.T) {
	for _, c := range []struct {
		d        string
		num, den uint64
		want     string
	}{
		{"1", 1, 3, "0.333333333333333334"},
		{"3", 1, 3, "1"},
		{"0.000000000000000001", 1, 2, "0.000000000000000001"},
		{"0", 5, 7, "0"},
		{"2", 1, 1 << 30, "0.000000001862645150"}, // 1.862645149230957031…e-9
		{"10", 1500, 1000, "15"},
		// d × num overflows 256 bits, the quotient does not: the remainder is still exact.
		{"100000000000000000000000000000000000000000000000000000000", 1<<63 + 1, 1<<63 + 3, "99999999999999999978315956550289911326903910087534890817.002741871302742789"},
	} {
		got, err := MustParseDec(c.d).MulFracCeil(c.num, c.den)
		if err != nil || !got.Equal(MustParseDec(c.want)) {
			t.Errorf("MulFracCeil(%s, %d, %d) = %s, %v; want %s", c.d, c.num, c.den, got, err, c.want)
		}
		floor, _ := MustParseDec(c.d).MulFrac(c.num, c.den)
		if got.Less(floor) {
			t.Errorf("MulFracCeil(%s, %d, %d) = %s is below MulFrac %s", c.d, c.num, c.den, got, floor)
		}
	}
	max := Dec{}
	max.atto.SetAllOne()
	if _, err := max.MulFracCeil(3, 2); !errors.Is(err, ErrOverflow) {
		t.Errorf("MulFracCeil(max, 3, 2): %v, want ErrOverflow", err)
	}
}

func TestCeilFloorTo(t *testing.T) {
	const micro = 1_000_000_000_000
	for _, c := range []struct {
		d, ceil, floor string
	}{
		{"0", "0", "0"},
		{"1.5", "1.5", "1.5"},
		{"0.0000001", "0.000001", "0"},
		{"0.333333333333333334", "0.333334", "0.333333"},
		{"7.000001000000000001", "7.000002", "7.000001"},
	} {
		d := MustParseDec(c.d)
		up, err := d.CeilTo(micro)
		if err != nil || !up.Equal(MustParseDec(c.ceil)) {
			t.Errorf("CeilTo(%s) = %s, %v; want %s", c.d, up, err, c.ceil)
		}
		if down := d.FloorTo(micro); !down.Equal(MustParseDec(c.floor)) {
			t.Errorf("FloorTo(%s) = %s; want %s", c.d, down, c.floor)
		}
	}
}
