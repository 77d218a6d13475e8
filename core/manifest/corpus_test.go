package manifest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/money"
)

// corpusDir holds real Akash manifests and what Akash's own parser said of
// each (expected.jsonl; SOURCE.md there describes the fields).
const corpusDir = "../../../shared/sdl-corpus"

type expectedFile struct {
	File   string          `json:"file"`
	OK     bool            `json:"ok"`
	Error  string          `json:"error"`
	Groups []expectedGroup `json:"groups"`
}

type expectedGroup struct {
	Name      string   `json:"name"`
	Services  []string `json:"services"`
	Resources []struct {
		Count       json.Number `json:"count"`
		CPUMillis   json.Number `json:"cpu_millis"`
		MemoryBytes json.Number `json:"memory_bytes"`
		Storage     []struct {
			Name  string      `json:"name"`
			Bytes json.Number `json:"bytes"`
		} `json:"storage"`
		GPUUnits    json.Number `json:"gpu_units"`
		PriceAmount string      `json:"price_amount"`
		PriceDenom  string      `json:"price_denom"`
	} `json:"resources"`
	Exposes []struct {
		Service      string   `json:"service"`
		Port         uint32   `json:"port"`
		ExternalPort uint32   `json:"external_port"`
		Proto        string   `json:"proto"`
		Global       bool     `json:"global"`
		ToService    string   `json:"to_service"`
		Hosts        []string `json:"hosts"`
		IP           string   `json:"ip"`
	} `json:"exposes"`
}

func loadCorpus(t testing.TB) []expectedFile {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "expected.jsonl"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("SDL corpus missing at %s: %v", corpusDir, err)
		}
		t.Skipf("SDL corpus not found at %s (%v); it ships in ../shared/sdl-corpus", corpusDir, err)
	}
	defer f.Close()
	var out []expectedFile
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e expectedFile
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.UseNumber()
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("expected.jsonl: %v", err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// normNum turns an exact decimal string into its canonical form so that
// "10000" equals "10000.000000000000000000".
func normNum(t *testing.T, s string) string {
	d, err := money.ParseDec(s)
	if err != nil {
		t.Fatalf("expected.jsonl number %q: %v", s, err)
	}
	return d.String()
}

// describeExpected and describeGot render a group as sorted lines, so a
// mismatch prints as a line diff and lists compare as multisets.
func describeExpected(t *testing.T, g expectedGroup) []string {
	lines := []string{"services " + strings.Join(sorted(g.Services), ",")}
	for _, r := range g.Resources {
		var st []string
		for _, v := range r.Storage {
			st = append(st, v.Name+"="+normNum(t, v.Bytes.String()))
		}
		lines = append(lines, fmt.Sprintf("unit count=%s cpu=%s mem=%s gpu=%s storage=[%s] price=%s%s",
			normNum(t, r.Count.String()), normNum(t, r.CPUMillis.String()), normNum(t, r.MemoryBytes.String()), normNum(t, r.GPUUnits.String()),
			strings.Join(sorted(st), " "), normNum(t, r.PriceAmount), r.PriceDenom))
	}
	for _, e := range g.Exposes {
		lines = append(lines, fmt.Sprintf("expose %s:%d as=%d %s global=%v to=%q hosts=%v ip=%q",
			e.Service, e.Port, e.ExternalPort, e.Proto, e.Global, e.ToService, sorted(e.Hosts), e.IP))
	}
	slices.Sort(lines)
	return lines
}

func describeGot(g Group) []string {
	lines := []string{"services " + strings.Join(sorted(g.Services), ",")}
	num := func(v uint64) string { return money.NewDec(v).String() }
	for _, u := range g.Units {
		var st []string
		for _, v := range u.Resources.Storage {
			st = append(st, v.Name+"="+num(v.Bytes))
		}
		lines = append(lines, fmt.Sprintf("unit count=%s cpu=%s mem=%s gpu=%s storage=[%s] price=%s%s",
			num(uint64(u.Count)), num(u.Resources.CPUMillis), num(u.Resources.MemoryBytes), num(u.Resources.GPU.Units),
			strings.Join(sorted(st), " "), u.Price.Amount.String(), u.Price.Denom))
	}
	for _, e := range g.Exposes {
		lines = append(lines, fmt.Sprintf("expose %s:%d as=%d %s global=%v to=%q hosts=%v ip=%q",
			e.Service, e.Port, e.ExternalPort, e.Proto, e.Global, e.ToService, sorted(e.Hosts), e.IP))
	}
	slices.Sort(lines)
	return lines
}

func sorted(l []string) []string {
	c := append([]string{}, l...)
	slices.Sort(c)
	return c
}

func lineDiff(want, got []string) string {
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

func TestCorpus(t *testing.T) {
	files := loadCorpus(t)
	if len(files) != 239 {
		t.Fatalf("expected.jsonl has %d files, want 239", len(files))
	}
	var accepted, rejected int
	for _, want := range files {
		t.Run(want.File, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpusDir, want.File))
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
				w, got := describeExpected(t, wg), describeGot(g)
				if !slices.Equal(w, got) {
					t.Errorf("group %s differs (- want, + got):\n%s", g.Name, lineDiff(w, got))
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

var _ = strconv.Itoa
