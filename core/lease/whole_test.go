package lease

import (
	"testing"

	"github.com/akash-market/akash/core/money"
)

func TestWholeUnits(t *testing.T) {
	d := func(s string) money.Dec {
		v, err := money.ParseDec(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range []struct{ amt, deposit, whole, frac string }{
		{"0", "0", "0", "0"},
		{"1", "1", "1", "0"},
		{"9558.936", "9559", "9558", "0.936"},
		{"0.000000000000000001", "1", "0", "0.000000000000000001"},
		{"41.999999999999999999", "42", "41", "0.999999999999999999"},
		{"123456789012345678901234567890.5", "123456789012345678901234567891", "123456789012345678901234567890", "0.5"}, // beyond 2^64 units
	} {
		if got := WholeDeposit(d(tt.amt)); !got.Equal(d(tt.deposit)) {
			t.Errorf("WholeDeposit(%s) = %s, want %s", tt.amt, got, tt.deposit)
		}
		w, f := SplitWhole(d(tt.amt))
		if !w.Equal(d(tt.whole)) || !f.Equal(d(tt.frac)) {
			t.Errorf("SplitWhole(%s) = %s + %s, want %s + %s", tt.amt, w, f, tt.whole, tt.frac)
		}
	}
	for _, tt := range []struct{ prev, next, step string }{
		{"0", "0.5", "0"},
		{"0.5", "1.2", "1"},
		{"1.2", "3.9", "2"},
		{"3.9", "3.9", "0"},
	} {
		if got := WholeStep(d(tt.prev), d(tt.next)); !got.Equal(d(tt.step)) {
			t.Errorf("WholeStep(%s, %s) = %s, want %s", tt.prev, tt.next, got, tt.step)
		}
	}
}
