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
