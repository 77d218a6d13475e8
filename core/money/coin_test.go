package money

import (
	"regexp"
	"strings"
	"testing"
)

// denomRE is the Cosmos SDK's denomination rule as a regular expression:
// the definition ValidDenom's loop must agree with.
var denomRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$`)

func TestValidDenomIsTheRegexp(t *testing.T) {
	cases := []string{
		"", "u", "ua", "uak", "uakt", "UAKT", "a12", "1ak", "_ak", "ak", "ibc/27394F", "a/:._-",
		"a" + strings.Repeat("b", 126), "a" + strings.Repeat("b", 127), "a" + strings.Repeat("b", 128),
		"uakt ", " uakt", "ua\x00t", "uäkt", "äkt", "u@kt", "u[kt", "u`kt", "u{kt", "@kt", "[kt", "`kt", "{kt",
		"ua\xffkt", "\xc3\xa4kt", "a\u212a", // K (Kelvin sign): a letter to Unicode, not to the rule
	}
	for c := 0; c < 256; c++ { // every byte in every position
		b := byte(c)
		cases = append(cases, string([]byte{b, 'a', 'b'}), string([]byte{'a', b, 'b'}), string([]byte{'a', 'b', b}))
	}
	for _, s := range cases {
		if got, want := ValidDenom(s), denomRE.MatchString(s); got != want {
			t.Errorf("ValidDenom(%q) = %v, the regexp says %v", s, got, want)
		}
	}
}

func FuzzValidDenom(f *testing.F) {
	for _, s := range []string{"uakt", "ibc/27394F", "a", "1ak", "a\u212a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidDenom(s), denomRE.MatchString(s); got != want {
			t.Fatalf("ValidDenom(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}

func BenchmarkValidDenom(b *testing.B) {
	for b.Loop() {
		if !ValidDenom("uakt") {
			b.Fatal("uakt is a denomination")
		}
	}
}
