package money

import (
	"errors"
	"testing"
)

func TestParseDec(t *testing.T) {
	cases := []struct {
		in, want string
		err      error
	}{
		{"0", "0.000000000000000000", nil},
		{"1", "1.000000000000000000", nil},
		{"0.5", "0.500000000000000000", nil},
		{".5", "0.500000000000000000", nil},
		{"5.", "5.000000000000000000", nil},
		{"100000.000000000000000000", "100000.000000000000000000", nil},
		{"0.000000000000000001", "0.000000000000000001", nil},
		{"0.0000000000000000001", "", ErrPrecision},
		{"", "", ErrSyntax},
		{".", "", ErrSyntax},
		{"-1", "", ErrSyntax},
		{"1e3", "", ErrSyntax},
		{" 1", "", ErrSyntax},
		{"1,000", "", ErrSyntax},
		{"1" + string(make([]byte, 0)) + "0000000000000000000000000000000000000000000000000000000000000000000000000000000", "", ErrOverflow},
	}
	for _, c := range cases {
		got, err := ParseDec(c.in)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("ParseDec(%q) err = %v, want %v", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got.String() != c.want {
			t.Errorf("ParseDec(%q) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
}

func TestArithmetic(t *testing.T) {
	a, b := MustParseDec("1.25"), MustParseDec("0.75")
	if s, _ := a.Add(b); s.ShortString() != "2" {
		t.Errorf("1.25+0.75 = %s", s.ShortString())
	}
	if _, err := b.Sub(a); !errors.Is(err, ErrNegative) {
		t.Errorf("0.75-1.25 err = %v, want ErrNegative", err)
	}
	if m, _ := a.MulInt(4); m.ShortString() != "5" {
		t.Errorf("1.25*4 = %s", m.ShortString())
	}
	q, r := MustParseDec("1").QuoInt(3)
	if q.String() != "0.333333333333333333" || r.Atto() != "1" {
		t.Errorf("1/3 = %s rem %s", q, r.Atto())
	}
	if f, _ := NewDec(1000).MulFrac(250, 10000); f.ShortString() != "25" {
		t.Errorf("1000*2.5%% = %s", f.ShortString())
	}
	if n := MustParseDec("10").QuoFloor(MustParseDec("3")); n != 3 {
		t.Errorf("10 // 3 = %d", n)
	}
	max := MustParseDec("115792089237316195423570985008687907853269984665640564039457.584007913129639935")
	if _, err := max.Add(NewDecFromAtto(1)); !errors.Is(err, ErrOverflow) {
		t.Errorf("max+1 err = %v", err)
	}
	if _, err := max.MulInt(2); !errors.Is(err, ErrOverflow) {
		t.Errorf("max*2 err = %v", err)
	}
}

func TestCoin(t *testing.T) {
	if _, err := NewCoin("uakt", NewDec(1)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "u", "1akt", "ua kt"} {
		if _, err := NewCoin(bad, NewDec(1)); err == nil {
			t.Errorf("denom %q accepted", bad)
		}
	}
	if ValidDenom("ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1") != true {
		t.Error("ibc denom rejected")
	}
}

func FuzzParseDec(f *testing.F) {
	for _, s := range []string{"0", "1.5", ".5", "100000.000000000000000000", "-1", "1e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDec(s)
		if err != nil {
			return
		}
		back, err := ParseDec(d.String())
		if err != nil || !back.Equal(d) {
			t.Fatalf("round trip %q -> %s -> %v %v", s, d, back, err)
		}
	})
}

func BenchmarkCmp(b *testing.B) {
	x, y := MustParseDec("12.5"), MustParseDec("12.25")
	n := 0
	for b.Loop() {
		n += x.Cmp(y)
	}
	_ = n
}
