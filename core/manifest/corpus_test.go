package manifest

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/akash-market/akash/internal/sdlcorpus"
)

// corpusDir is where the fuzz seeds and the benchmark look for real
// manifests (both fall back to built-in inputs when it is absent).
const corpusDir = "../../../shared/sdl-corpus"

// toReference renders a compiled group in the reference's shape, so both
// sides go through the same exact-number rendering (sdlcorpus.Lines).
func toReference(g Group) sdlcorpus.Group {
	num := func(v uint64) json.Number { return json.Number(strconv.FormatUint(v, 10)) }
	ref := sdlcorpus.Group{Name: g.Name, Services: g.Services}
	for _, u := range g.Units {
		r := sdlcorpus.Resource{Count: num(uint64(u.Count)), CPUMillis: num(u.Resources.CPUMillis),
			MemoryBytes: num(u.Resources.MemoryBytes), GPUUnits: num(u.Resources.GPU.Units),
			PriceAmount: json.Number(u.Price.Amount.String()), PriceDenom: u.Price.Denom}
		for _, v := range u.Resources.Storage {
			r.Storage = append(r.Storage, struct {
				Name  string      `json:"name"`
				Bytes json.Number `json:"bytes"`
			}{v.Name, num(v.Bytes)})
		}
		ref.Resources = append(ref.Resources, r)
	}
	for _, e := range g.Exposes {
		ref.Exposes = append(ref.Exposes, sdlcorpus.Expose{Service: e.Service, Port: e.Port, ExternalPort: e.ExternalPort,
			Proto: e.Proto, Global: e.Global, ToService: e.ToService, Hosts: e.Hosts, IP: e.IP})
	}
	return ref
}

func TestCorpus(t *testing.T) {
	dir, files := sdlcorpus.Load(t)
	if len(files) != 239 {
		t.Fatalf("expected.jsonl has %d files, want 239", len(files))
	}
	var accepted, rejected int
	for _, want := range files {
		t.Run(want.File, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, want.File))
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(want.File, data)
			if !want.OK {
				rejected++
				if err == nil {
					t.Fatalf("accepted; Akash rejects it: %s", want.Error)
				}
				var el ErrorList
				if !errors.As(err, &el) || len(el) == 0 {
					t.Fatalf("error is %T, want a non-empty ErrorList", err)
				}
				return
			}
			accepted++
			if err != nil {
				t.Fatalf("rejected; Akash accepts it:\n%v", err)
			}
			groups := m.Groups()
			if len(groups) != len(want.Groups) {
				t.Fatalf("%d groups, want %d", len(groups), len(want.Groups))
			}
			for i, wg := range want.Groups {
				g := groups[i]
				if g.Name != wg.Name {
					t.Fatalf("group %d is %q, want %q (groups sorted by placement name)", i, g.Name, wg.Name)
				}
				w, got := sdlcorpus.Lines(t, wg), sdlcorpus.Lines(t, toReference(g))
				if !slices.Equal(w, got) {
					t.Errorf("group %s differs (- want, + got):\n%s", g.Name, sdlcorpus.Diff(w, got))
				}
			}
			// the canonical form of every real file parses to the same version
			m2, err := Parse("canonical", m.Canonical())
			if err != nil {
				t.Fatalf("canonical form does not parse: %v\n%s", err, m.Canonical())
			}
			if m2.Version() != m.Version() {
				t.Fatalf("canonical round trip changed the version\n%s\n%s", m.Canonical(), m2.Canonical())
			}
		})
	}
	t.Logf("corpus: %d accepted, %d rejected", accepted, rejected)
	if rejected != 17 {
		t.Errorf("%d files are rejected by the reference, want 17", rejected)
	}
}

// TestCorpusVersions: the version of every file Akash accepts is Akash's own.
func TestCorpusVersions(t *testing.T) {
	dir, files := sdlcorpus.Load(t)
	var matched int
	for _, want := range files {
		if !want.OK {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, want.File))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(want.File, data)
		if err != nil {
			t.Errorf("%s: %v", want.File, err)
			continue
		}
		v := m.Version()
		if got := hex.EncodeToString(v[:]); got != want.Version {
			t.Errorf("%s: version %s, Akash's is %s\n%s", want.File, got, want.Version, m.AkashManifest())
			continue
		}
		matched++
	}
	if matched != 222 {
		t.Errorf("%d versions equal Akash's, want 222", matched)
	}
}
