// Package sdlcorpus reads the shared corpus of real Akash manifests
// (../shared/sdl-corpus) and what Akash's own parser said of each file
// (expected.jsonl; SOURCE.md there describes the fields), for the tests that
// hold our manifest parser to it: core/manifest's (on Groups) and
// akash-sim's (on `manifest inspect --output json`).
package sdlcorpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/money"
)

// Entry is one line of expected.jsonl.
type Entry struct {
	File   string  `json:"file"`
	OK     bool    `json:"ok"`
	Error  string  `json:"error"`
	Groups []Group `json:"groups"`
	// Version is Akash's manifest version of an accepted file, lowercase hex.
	Version string `json:"version"`
}

// Group is a group in the reference's shape. `manifest inspect --output json`
// prints groups in this shape too (with extra keys, which decoding ignores).
type Group struct {
	Name      string     `json:"name"`
	Services  []string   `json:"services"`
	Resources []Resource `json:"resources"`
	Exposes   []Expose   `json:"exposes"`
}

// Resource is one resource unit; numbers are exact decimal strings.
type Resource struct {
	Count       json.Number `json:"count"`
	CPUMillis   json.Number `json:"cpu_millis"`
	MemoryBytes json.Number `json:"memory_bytes"`
	Storage     []struct {
		Name  string      `json:"name"`
		Bytes json.Number `json:"bytes"`
	} `json:"storage"`
	GPUUnits    json.Number `json:"gpu_units"`
	PriceAmount json.Number `json:"price_amount"`
	PriceDenom  string      `json:"price_denom"`
}

// Expose is one exposed port and target.
type Expose struct {
	Service      string   `json:"service"`
	Port         uint32   `json:"port"`
	ExternalPort uint32   `json:"external_port"`
	Proto        string   `json:"proto"`
	Global       bool     `json:"global"`
	ToService    string   `json:"to_service"`
	Hosts        []string `json:"hosts"`
	IP           string   `json:"ip"`
}

// Dir finds the corpus: ../shared/sdl-corpus beside the repository's root
// (the folder holding go.mod). When it is missing the test fails under CI
// (CI=true, where ../shared is always laid beside the clone) and is skipped
// elsewhere.
func Dir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			dir := filepath.Join(d, "..", "shared", "sdl-corpus")
			if _, err := os.Stat(filepath.Join(dir, "expected.jsonl")); err != nil {
				if os.Getenv("CI") != "" {
					t.Fatalf("SDL corpus missing at %s (CI lays ../shared beside the clone): %v", dir, err)
				}
				t.Skipf("SDL corpus not found at %s; skipping", dir)
			}
			return dir
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}

// Load reads every entry of expected.jsonl, numbers kept exact.
func Load(t testing.TB) (dir string, entries []Entry) {
	t.Helper()
	dir = Dir(t)
	f, err := os.Open(filepath.Join(dir, "expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e Entry
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.UseNumber()
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("expected.jsonl: %v", err)
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return dir, entries
}

// Lines renders a group as sorted lines with every number in one exact form
// ("10000" and "10000.000000000000000000" alike), so two groups compare as
// multisets and a mismatch prints as a line diff.
func Lines(t testing.TB, g Group) []string {
	t.Helper()
	exact := func(n json.Number) string {
		d, err := money.ParseDec(n.String())
		if err != nil {
			t.Fatalf("not an exact decimal: %q: %v", n, err)
		}
		return d.String()
	}
	lines := []string{"name " + g.Name, "services " + strings.Join(sorted(g.Services), ",")}
	for _, r := range g.Resources {
		var st []string
		for _, v := range r.Storage {
			st = append(st, v.Name+"="+exact(v.Bytes))
		}
		lines = append(lines, fmt.Sprintf("unit count=%s cpu=%s mem=%s gpu=%s storage=[%s] price=%s%s",
			exact(r.Count), exact(r.CPUMillis), exact(r.MemoryBytes), exact(r.GPUUnits),
			strings.Join(sorted(st), " "), exact(r.PriceAmount), r.PriceDenom))
	}
	for _, e := range g.Exposes {
		lines = append(lines, fmt.Sprintf("expose %s:%d as=%d %s global=%v to=%q hosts=%v ip=%q",
			e.Service, e.Port, e.ExternalPort, e.Proto, e.Global, e.ToService, sorted(e.Hosts), e.IP))
	}
	slices.Sort(lines)
	return lines
}

// Diff lists the lines only in want (-) and only in got (+).
func Diff(want, got []string) string {
	var b strings.Builder
	for _, l := range want {
		if !slices.Contains(got, l) {
			b.WriteString("  - " + l + "\n")
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			b.WriteString("  + " + l + "\n")
		}
	}
	if b.Len() == 0 {
		b.WriteString("  (same lines, different multiplicity)\n")
	}
	return b.String()
}

func sorted(l []string) []string {
	c := slices.Clone(l)
	slices.Sort(c)
	return c
}
