package lease

import (
	"errors"
	"testing"

	"github.com/akash-market/akash/core/money"
)

func TestMinDeposit(t *testing.T) {
	d := money.MustParseDec
	for _, c := range []struct {
		want, min, opening string
		refused            bool
	}{
		{"9558.936", "500000", "500000", true},
		{"500000", "500000", "500000", false},
		{"1817317.5", "500000", "1817317.5", false},
		{"0.000000000000000001", "0", "0.000000000000000001", false},
		{"499999.999999999999999999", "500000", "500000", true},
	} {
		if got := OpeningDeposit(d(c.want), d(c.min)); !got.Equal(d(c.opening)) {
			t.Errorf("OpeningDeposit(%s, %s) = %s, want %s", c.want, c.min, got, c.opening)
		}
		err := CheckOpeningDeposit(d(c.want), d(c.min))
		if (err != nil) != c.refused || (err != nil && !errors.Is(err, ErrBelowMinDeposit)) {
			t.Errorf("CheckOpeningDeposit(%s, %s) = %v, refused want %v", c.want, c.min, err, c.refused)
		}
	}
	if !DefaultMinDeposit.Equal(d("500000")) {
		t.Errorf("DefaultMinDeposit %s: the docs (escrow.md, scenarios.md, chain.md) say 500000", DefaultMinDeposit)
	}
}
