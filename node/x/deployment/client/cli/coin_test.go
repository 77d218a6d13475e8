package cli

import (
	"strings"
	"testing"
)

func TestParseWholeCoin(t *testing.T) {
	for _, c := range []struct {
		in, want, err string
	}{
		{"5000000uakt", "5000000uakt", ""},
		{"0uakt", "0uakt", ""},
		{"12ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", "12ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", ""},
		{"5000000.5uakt", "", "5000000.5 has a fraction"},
		{".5uakt", "", "has a fraction"},
		{"1e40uakt", "", "exponents are not accepted"},
		{"1E6uakt", "", "exponents are not accepted"},
		{"2.5e3uakt", "", "exponents are not accepted"},
		{"uakt", "", "want a whole amount"},
		{"5000000", "", "want a whole amount"},
		{"-5uakt", "", "want a whole amount"},
		{"5 uakt", "", "want a whole amount"},
		{"1" + strings.Repeat("0", 80) + "uakt", "", "at most 256 bits"},
	} {
		got, err := ParseWholeCoin("--deposit", c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want one saying %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got.String() != c.want {
			t.Errorf("%q: %v %v, want %s", c.in, got, err, c.want)
		}
	}
}

func FuzzParseWholeCoin(f *testing.F) {
	for _, s := range []string{"5000000uakt", "5000000.5uakt", "1e40uakt", "0x10uakt"} {
		f.Add(s)
	}
	// Whatever is accepted is exactly digits then the denom, read without
	// loss: the amount is those digits' value.
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseWholeCoin("amount", s)
		if err != nil {
			return
		}
		digits, ok := strings.CutSuffix(s, c.Denom)
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
			t.Fatalf("%q accepted as %s: not digits then the denom", s, c)
		}
		if want := strings.TrimLeft(digits, "0"); c.Amount.String() != want && !(want == "" && c.Amount.IsZero()) {
			t.Fatalf("%q read as amount %s, want %s", s, c.Amount, want)
		}
	})
}
