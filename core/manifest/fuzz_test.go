package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func addSeeds(f *testing.F) {
	f.Add([]byte(baseSDL))
	f.Add(exampleYAML)
	f.Add([]byte(""))
	f.Add([]byte("version: \"2.0\"\nservices: &a [*a]\n"))
	f.Add([]byte("a: &a [*a, *a]\nb: &b [*a, *a]\nc: [*b, *b]\n"))
	f.Add([]byte("{\"version\": \"2.1\", \"services\": {\"x\": {\"image\": \"\\u0001\"}}}"))
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
