package manifest

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/akash-market/akash/core/money"
)

func addSeeds(f *testing.F) {
	f.Add([]byte(baseSDL))
	f.Add(exampleYAML)
	f.Add([]byte(""))
	f.Add([]byte("version: \"2.0\"\nservices: &a [*a]\n"))
	f.Add([]byte("a: &a [*a, *a]\nb: &b [*a, *a]\nc: [*b, *b]\n"))
	f.Add([]byte("{\"version\": \"2.1\", \"services\": {\"x\": {\"image\": \"\\u0001\"}}}"))
	f.Add(utf16File(baseSDL, binary.LittleEndian))
	f.Add([]byte(strings.Replace(baseSDL, "    image: postgres:16\n", "    image: postgres:16\n    params: {tee: cpu, permissions: {read: [logs]}}\n    command: []\n", 1)))
	f.Add([]byte(strings.Replace(baseSDL, "          size: 1Gi\n", "          - size: 1Gi\n          - {name: a, size: 1Gi, attributes: {persistent: yes}}\n          - {name: b, size: 1Gi, attributes: {class: beta2, persistent: no}}\n          - {name: c, size: 1Gi}\n", 1)))
	for _, name := range []string{"ray__deploy.yaml", "Chatterbox__deploy.yaml", "gogs__deploy_postgres.yaml", "cjdns-pkt__deploy.yaml"} {
		if b, err := os.ReadFile(filepath.Join(corpusDir, name)); err == nil {
			f.Add(b)
		}
	}
}

// FuzzParse: any input either parses or yields an ErrorList whose entries
// all have a place (line ≥ 0) and a problem; never a panic.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("f.yaml", data)
		if err != nil {
			var el ErrorList
			if !errors.As(err, &el) || len(el) == 0 {
				t.Fatalf("error %v is not a non-empty ErrorList", err)
			}
			for _, e := range el {
				if e.Line < 0 || e.Column < 0 || e.Problem == "" {
					t.Fatalf("bad FieldError %#v", e)
				}
			}
			return
		}
		if m == nil || len(m.Groups()) == 0 || len(m.Canonical()) == 0 {
			t.Fatal("accepted manifest without groups or canonical form")
		}
	})
}

// FuzzCanonicalRoundTrip: parse → canonical → parse gives the same version.
func FuzzCanonicalRoundTrip(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("f.yaml", data)
		if err != nil {
			return
		}
		m2, err := Parse("canonical", m.Canonical())
		if err != nil {
			t.Fatalf("canonical form rejected: %v\n%s", err, m.Canonical())
		}
		if m2.Version() != m.Version() {
			t.Fatalf("version changed\n%s\n%s", m.Canonical(), m2.Canonical())
		}
	})
}

var decimalRE = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// FuzzAkashFloat: for every decimal literal, akashFloat gives what Akash's
// Go code computes with hardware floats, uint64(ParseFloat(s) * mult).
func FuzzAkashFloat(f *testing.F) {
	for _, s := range []string{"0.5", "1.001", "2.01", "4.35", ".5", "5.", "1e3", "1.5e-3", "-0", "-1", "123456789.123456789", "9007199254740993", "1e21", "1e-400"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(5))
	}
	mults := []uint64{1, 1000, 1 << 10, 1 << 20, 1 << 30, 1 << 40, 1 << 50, 1 << 60, 1e3, 1e6, 1e9, 1e12, 1e15, 1e18}
	f.Fuzz(func(t *testing.T, s string, k uint8) {
		mult := mults[int(k)%len(mults)]
		got, err := akashFloat(s, mult)
		if !decimalRE.MatchString(s) || len(s) > 300 {
			if err == nil && !decimalRE.MatchString(s) {
				t.Fatalf("%q accepted: %d", s, got)
			}
			return
		}
		v, perr := strconv.ParseFloat(s, 64)
		if perr != nil { // beyond float64's range: Akash refuses it too
			if err == nil && got != 0 {
				t.Fatalf("%q: ParseFloat refuses it (%v), akashFloat gives %d", s, perr, got)
			}
			return
		}
		want := v * float64(mult)
		switch {
		case want < 0:
			if !errors.Is(err, errNegative) {
				t.Fatalf("%q × %d = %g: got %d, %v; want errNegative", s, mult, want, got, err)
			}
		case want >= 1<<63:
			if err == nil && got < 1<<63 {
				t.Fatalf("%q × %d = %g: got %d", s, mult, want, got)
			}
		default:
			if err != nil || got != uint64(want) {
				t.Fatalf("%q × %d: got %d, %v; want %d", s, mult, got, err, uint64(want))
			}
		}
	})
}

// FuzzGoJSONString: the Akash manifest's strings are escaped exactly as Go's
// encoding/json escapes them.
func FuzzGoJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `"q" \ <a href='x'>&</a>`, "\b\f\n\r\t\x00\x1f\x7f", "\u2028\u2029 é 日本 😀", "\xff\xfe bad utf8 \xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		writeGoJSONString(&b, s)
		if b.String() != string(want) {
			t.Fatalf("%q: got %s, want %s", s, b.String(), want)
		}
	})
}

// FuzzUTF16: a manifest saved as UTF-16 (either byte order, with its
// byte-order mark) parses exactly as its UTF-8 text does.
func FuzzUTF16(f *testing.F) {
	f.Add(baseSDL, true)
	f.Add(string(exampleYAML), false)
	f.Add("version: \"2.0\"\nservices: {日本: {image: 😀}}\n", true)
	f.Fuzz(func(t *testing.T, text string, little bool) {
		if !utf8.ValidString(text) || strings.HasPrefix(text, "\uFEFF") || strings.ContainsRune(text, utf8.RuneError) {
			return
		}
		var order binary.AppendByteOrder = binary.BigEndian
		if little {
			order = binary.LittleEndian
		}
		m1, err1 := Parse("f.yaml", []byte(text))
		m2, err2 := Parse("f.yaml", utf16File(text, order))
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("UTF-8: %v\nUTF-16: %v", err1, err2)
		}
		if err1 == nil && m1.Version() != m2.Version() {
			t.Fatal("versions differ")
		}
	})
}

// akashAmountRE is the grammar of amounts Akash's decimal parser accepts
// (cosmos-sdk LegacyNewDecFromStr), for non-negative values.
var akashAmountRE = regexp.MustCompile(`^(\+?[0-9]+(\.[0-9]{1,18})?|\+\.[0-9]{1,18})$`)

// FuzzParseAmount: parseAmount accepts exactly Akash's grammar, with the
// value money.ParseDec gives.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"100", "0.5", "+5", "+.5", "100.", ".5", "1e3", "1_000", " 1", "-5", "-0", "--5", "+-5", "0.0000000000000000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 60 {
			return
		}
		got, err := parseAmount(s)
		switch {
		case akashAmountRE.MatchString(s):
			want, werr := money.ParseDec(strings.TrimPrefix(s, "+"))
			if werr != nil { // beyond 256 bits: refused either way (the limit is 10,000,000)
				if err == nil {
					t.Fatalf("%q: accepted beyond money's range", s)
				}
				return
			}
			if err != nil || !got.Equal(want) {
				t.Fatalf("%q: got %v, %v; want %v, %v", s, got, err, want, werr)
			}
		case strings.HasPrefix(s, "-") && akashAmountRE.MatchString(s[1:]):
			if v, _ := money.ParseDec(strings.TrimPrefix(s[1:], "+")); err == nil && !v.IsZero() {
				t.Fatalf("%q: negative amount accepted", s)
			}
		default:
			if err == nil && !strings.HasPrefix(s, "-") {
				t.Fatalf("%q accepted as %v", s, got)
			}
		}
	})
}
