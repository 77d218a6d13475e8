package money

import (
	"regexp"
	"strings"
	"testing"
)

// denomRE is the Cosmos SDK's denomination rule as its regular expression:
// the reference ValidDenom's byte loop is held to.
var denomRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$`)

func TestValidDenom(t *testing.T) {
	cases := []struct {
		denom string
		want  bool
	}{
		{"uakt", true},
		{"ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", true},
		{"a:b.c_d-e/f", true},
		{"Zz9", true},
		{"abc", true},
		{"ab", false},                          // too short: a letter and at least 2 more
		{"", false},                            // empty
		{"1akt", false},                        // starts with a digit
		{"/akt", false},                        // starts with a separator
		{"ua kt", false},                       // space
		{"uakt!", false},                       // not an allowed character
		{"uäkt", false},                        // non-ASCII
		{"u" + strings.Repeat("a", 127), true}, // 128 characters: the longest
		{"u" + strings.Repeat("a", 128), false},
		{"@akt", false}, // '@' | 0x20 is '`': just below 'a'
		{"[akt", false}, // '[' | 0x20 is '{': just above 'z'
		{"a@b", false},
		{"a`b", false},
	}
	for _, c := range cases {
		if got := ValidDenom(c.denom); got != c.want {
			t.Errorf("ValidDenom(%q) = %v, want %v", c.denom, got, c.want)
		}
		if ref := denomRE.MatchString(c.denom); ref != c.want {
			t.Errorf("reference regexp on %q = %v, want %v (the table is wrong)", c.denom, ref, c.want)
		}
	}
}

// FuzzValidDenom holds the byte loop equal to the SDK's regular expression.
func FuzzValidDenom(f *testing.F) {
	for _, s := range []string{"uakt", "ibc/ABC", "ab", "1x", "a@b", "[ak", "u\xffk"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidDenom(s), denomRE.MatchString(s); got != want {
			t.Fatalf("ValidDenom(%q) = %v, the SDK's rule says %v", s, got, want)
		}
	})
}

func BenchmarkValidDenom(b *testing.B) {
	for b.Loop() {
		if !ValidDenom("uakt") {
			b.Fatal("uakt rejected")
		}
	}
}

func BenchmarkValidDenomRegexp(b *testing.B) {
	for b.Loop() {
		if !denomRE.MatchString("uakt") {
			b.Fatal("uakt rejected")
		}
	}
}
