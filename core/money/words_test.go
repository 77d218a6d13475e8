package money

import "testing"

func TestUint128RoundTrip(t *testing.T) {
	big := MustParseDec("340282366920938463463.374607431768211455") // 2^128 - 1 atto
	over, err := big.Add(NewDecFromAtto(1))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		d    Dec
		fits bool
	}{
		{Zero(), true},
		{NewDecFromAtto(1), true},
		{NewDec(50), true}, // 5 × 10^19 atto: more than 64 bits
		{MustParseDec("123456789.000000000000000001"), true},
		{big, true},
		{over, false},
	} {
		lo, hi, ok := tt.d.Uint128()
		if ok != tt.fits {
			t.Fatalf("%s: fits %v, want %v", tt.d, ok, tt.fits)
		}
		if ok && DecFromUint128(lo, hi) != tt.d {
			t.Fatalf("%s: round trip gave %s", tt.d, DecFromUint128(lo, hi))
		}
	}
}

func TestAppendShortIsShortString(t *testing.T) {
	huge, err := NewDec(1 << 63).MulInt(1 << 20) // whole part beyond 64 bits
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []Dec{Zero(), NewDecFromAtto(1), NewDec(1), NewDec(100), MustParseDec("0.5"), MustParseDec("12.000000000000000010"),
		MustParseDec("18446744073709551615.999999999999999999"), MustParseDec("18446744073709551616.25"), huge} {
		if got, want := string(d.AppendShort([]byte("x"))), "x"+d.ShortString(); got != want {
			t.Fatalf("AppendShort %q, ShortString %q", got, want)
		}
	}
	d := MustParseDec("1234.5678")
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = d.AppendShort(buf[:0]) }); n != 0 {
		t.Fatalf("AppendShort allocates %v times", n)
	}
}

func FuzzAppendShort(f *testing.F) {
	f.Add(uint64(0), uint64(0))
	f.Add(uint64(5), uint64(1))
	f.Fuzz(func(t *testing.T, lo, hi uint64) {
		d := DecFromUint128(lo, hi)
		if got, want := string(d.AppendShort(nil)), d.ShortString(); got != want {
			t.Fatalf("AppendShort %q, ShortString %q", got, want)
		}
	})
}
