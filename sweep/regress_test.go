package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const sampleSpec = `
name: lhs
scenario: default
until: 20m
sample:
  method: latin-hypercube
  count: 4
  seed: 9
  params:
    market.take_rate_bps: {min: 0, max: 1000, integer: true}
    tenants[0].valuation.mean: {min: 1.2, max: 2.0}
replicates: 2
`

func TestLatinHypercubeIsReproducibleAndStratified(t *testing.T) {
	a, err := LoadSpec("lhs.yaml", []byte(sampleSpec))
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadSpec("lhs.yaml", []byte(sampleSpec))
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash != b.Hash || len(a.Points) != 4 {
		t.Fatalf("two reads of one spec plan differently (%s vs %s) or %d points", a.Hash, b.Hash, len(a.Points))
	}
	// One point in each quarter of each parameter's range.
	for j, bounds := range [][2]float64{{0, 1001}, {1.2, 2.0}} {
		strata := map[int]bool{}
		for _, pt := range a.Points {
			x, err := strconv.ParseFloat(pt.Values[j], 64)
			if err != nil {
				t.Fatal(err)
			}
			if x < bounds[0] || x >= bounds[1] {
				t.Fatalf("%s = %v is outside [%v, %v)", a.Params[j], x, bounds[0], bounds[1])
			}
			strata[int(4*(x-bounds[0])/(bounds[1]-bounds[0]))] = true
		}
		if len(strata) != 4 {
			t.Errorf("%s: the 4 points fill strata %v, want one in each", a.Params[j], strata)
		}
	}
	if _, err := strconv.Atoi(a.Points[0].Values[0]); err != nil {
		t.Errorf("integer parameter drawn as %q", a.Points[0].Values[0])
	}
	other, err := LoadSpec("lhs.yaml", []byte(strings.Replace(sampleSpec, "seed: 9", "seed: 10", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if other.Hash == a.Hash {
		t.Error("another sample seed drew the same points")
	}
}

func TestSampleSpecErrors(t *testing.T) {
	for _, c := range []struct{ spec, want string }{
		{"sample: {method: sobol, count: 3, params: {market.take_rate_bps: {min: 0, max: 10}}}", `sample.method: "sobol" is not a sampling method`},
		{"sample: {count: 3, params: {market.take_rate_bps: {min: 5, max: 1}}}", "max 1 is not above min 5"},
		{"sample: {count: 30, params: {market.take_rate_bps: {min: 0, max: 3, integer: true}}}", "draws the same point twice"},
		{"grid: {seed: [1, 2]}\nsample: {count: 3, params: {market.take_rate_bps: {min: 0, max: 10}}}", "one of grid, points and sample"},
		{"sample: {count: 3, params: {market.take_rate_bps: {min: 0, max: 10.5}}}", "market.take_rate_bps"}, // not a whole number: the scenario says so
	} {
		_, err := LoadSpec("s.yaml", []byte(c.spec))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %q", c.spec, err, c.want)
		}
	}
}

// A sample's shards plan and run the same points; the merge is the same
// sweep as one process running it all.
func TestSampledSweepShardsAndMerges(t *testing.T) {
	p, err := LoadSpec("lhs.yaml", []byte(sampleSpec))
	if err != nil {
		t.Fatal(err)
	}
	whole := t.TempDir()
	runAll(t, p, whole, 2, All)
	if err := Aggregate(whole); err != nil {
		t.Fatal(err)
	}
	a, b := t.TempDir(), t.TempDir()
	runAll(t, p, a, 1, Shard{0, 2})
	q, _ := LoadSpec("lhs.yaml", []byte(sampleSpec)) // another process reads the spec again
	runAll(t, q, b, 1, Shard{1, 2})
	merged := filepath.Join(t.TempDir(), "m")
	if _, err := Merge(merged, []string{a, b}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "sampled sweep", aggregateFiles(t, whole), aggregateFiles(t, merged))
}

// The shard manifest's done count follows every run, not only the end.
func TestManifestCountsEveryRun(t *testing.T) {
	p := tinyPlan(t)
	dir := t.TempDir()
	calls := 0
	_, err := Execute(context.Background(), p, Options{Dir: dir, Jobs: 1, Shard: Shard{0, 3}, Progress: func(ev Event) {
		calls++
		data, err := os.ReadFile(manifestPath(dir, Shard{0, 3}))
		if err != nil {
			t.Error(err)
			return
		}
		var m manifest
		if err := json.Unmarshal(data, &m); err != nil {
			t.Error(err)
			return
		}
		if m.Done != ev.Done || m.State != "running" {
			t.Errorf("after %s the manifest says %s with %d done, want running with %d", ev.Run, m.State, m.Done, ev.Done)
		}
	}})
	if err != nil || calls != 3 {
		t.Fatalf("%d progress calls, err %v", calls, err)
	}
}

// runs.csv is long and typed: one row per run and metric, every value a
// number; timeseries.csv has every series of every point with its band.
func TestTidyFiles(t *testing.T) {
	p := tinyPlan(t)
	dir := t.TempDir()
	runAll(t, p, dir, 2, All)
	if err := Aggregate(dir); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(dir, runsFile))
	want := []string{"run", "point", "replicate", "seed", "market.take_rate_bps", "metric", "value"}
	if strings.Join(rows[0], ",") != strings.Join(want, ",") {
		t.Fatalf("runs.csv header %v, want %v", rows[0], want)
	}
	metrics := map[string]bool{}
	for _, r := range rows[1:] {
		if _, err := strconv.ParseFloat(r[6], 64); err != nil {
			t.Fatalf("runs.csv value %q of %s is not a number", r[6], r[5])
		}
		metrics[r[5]] = true
	}
	for _, m := range []string{"orders.fill_rate", "by_tenant_class.tenant-0.orders.fill_rate", "by_provider_class.gpu.revenue", "money.take_collected"} {
		if !metrics[m] {
			t.Errorf("runs.csv has no metric %s", m)
		}
	}
	ts := readCSV(t, filepath.Join(dir, timeseriesFile))
	if got := strings.Join(ts[0], ","); got != "point,market.take_rate_bps,time_s,series,mean,ci95_lo,ci95_hi,n" {
		t.Fatalf("timeseries.csv header %s", got)
	}
	n := 0
	for _, r := range ts[1:] {
		if r[3] == "fill_rate" && r[0] == "p001" {
			n++
			if r[7] != "3" {
				t.Errorf("fill_rate at %s s over %s replicates, want 3", r[2], r[7])
			}
		}
	}
	if n != 3 { // 30 minutes sampled every 10
		t.Errorf("%d fill_rate rows for p001, want 3", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "plots", "timeseries-fill_rate.svg")); err != nil {
		t.Error(err)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// FuzzLoadSpec: any spec text is either a plan whose points match its
// parameters or an ErrSpec, never a panic; a sample draws count points.
func FuzzLoadSpec(f *testing.F) {
	f.Add([]byte(tinySpec))
	f.Add([]byte(sampleSpec))
	f.Add([]byte("sample: {method: uniform, count: 3, seed: 2, params: {tenants[0].valuation.mean: {min: 1, max: 2}}}\nreplicates: 1\nuntil: 10m\n"))
	f.Add([]byte("points:\n  - {market.take_rate_bps: 0}\n  - {\"providers[0].count\": 5}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := LoadSpec("fuzz.yaml", data)
		if err != nil {
			if !errors.Is(err, ErrSpec) {
				t.Fatalf("error %v is not ErrSpec", err)
			}
			return
		}
		if len(p.Points) == 0 || p.Replicates < 1 || len(p.Seeds) != p.Replicates {
			t.Fatalf("plan with %d points, %d replicates, %d seeds", len(p.Points), p.Replicates, len(p.Seeds))
		}
		for _, pt := range p.Points {
			if len(pt.Values) != len(p.Params) {
				t.Fatalf("point %s has %d values for %d parameters", pt.ID, len(pt.Values), len(p.Params))
			}
		}
	})
}
