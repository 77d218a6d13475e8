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
