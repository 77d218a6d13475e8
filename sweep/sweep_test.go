package sweep

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// tinySpec is 3 points × 3 replicates of half a simulated hour: seconds in all.
const tinySpec = `
name: tiny-test
scenario: default
until: 30m
grid:
  market.take_rate_bps: [0, 500, 2000]
replicates: 3
seed: 3
metrics: [orders.fill_rate, price.markup, providers.revenue_gini, providers.revenue]
`

func tinyPlan(t *testing.T) *Plan {
	t.Helper()
	p, err := LoadSpec("tiny-test.yaml", []byte(tinySpec))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func runAll(t *testing.T, p *Plan, dir string, jobs int, sh Shard) Outcome {
	t.Helper()
	o, err := Execute(context.Background(), p, Options{Dir: dir, Jobs: jobs, Shard: sh, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// aggregateFiles reads the aggregate's bytes: sweep.csv, sweep.html, plots.
func aggregateFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range []string{csvFile, htmlFile, planFile, runsFile, timeseriesFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	plots, _ := filepath.Glob(filepath.Join(dir, plotsDir, "*.svg"))
	if len(plots) == 0 {
		t.Fatalf("no plots in %s", dir)
	}
	for _, f := range plots {
		b, _ := os.ReadFile(f)
		out["plots/"+filepath.Base(f)] = b
	}
	return out
}

func sameFiles(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	var ka, kb []string
	for k := range a {
		ka = append(ka, k)
	}
	for k := range b {
		kb = append(kb, k)
	}
	slices.Sort(ka)
	slices.Sort(kb)
	if !slices.Equal(ka, kb) {
		t.Fatalf("%s: files %v vs %v", what, ka, kb)
	}
	for _, k := range ka {
		if !bytes.Equal(a[k], b[k]) {
			t.Errorf("%s: %s differs", what, k)
		}
	}
}

func TestSweepAggregateIndependentOfJobs(t *testing.T) {
	p := tinyPlan(t)
	one, two := t.TempDir(), t.TempDir()
	if o := runAll(t, p, one, 1, All); !o.Complete() || o.Ran != 9 {
		t.Fatalf("outcome %+v", o)
	}
	runAll(t, p, two, 4, All)
	for _, d := range []string{one, two} {
		if err := Aggregate(d); err != nil {
			t.Fatal(err)
		}
	}
	a := aggregateFiles(t, one)
	sameFiles(t, "-j 1 vs -j 4", a, aggregateFiles(t, two))

	csv := string(a[csvFile])
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "point,market.take_rate_bps,orders.fill_rate.mean,orders.fill_rate.sd,orders.fill_rate.ci95_lo,orders.fill_rate.ci95_hi,orders.fill_rate.n,") {
		t.Fatalf("sweep.csv:\n%s", csv)
	}
	if !strings.HasPrefix(lines[3], "p002,2000,") || !strings.HasSuffix(lines[3], ",3") {
		t.Errorf("last row %s", lines[3])
	}
	html := string(a[htmlFile])
	for _, w := range []string{"<svg", "orders.fill_rate vs take_rate_bps", "p002", "replicate seeds"} {
		if !strings.Contains(html, w) {
			t.Errorf("sweep.html lacks %q", w)
		}
	}
	// Every run folder is a full single-run report.
	for _, f := range []string{"summary.json", "report.html", "timeseries.csv", "leases.csv"} {
		if _, err := os.Stat(filepath.Join(p.RunDir(one, RunID{1, 2}), f)); err != nil {
			t.Error(err)
		}
	}
}

func TestShardsMergeToTheSameBytes(t *testing.T) {
	p := tinyPlan(t)
	full := t.TempDir()
	runAll(t, p, full, 2, All)
	if err := Aggregate(full); err != nil {
		t.Fatal(err)
	}
	want := aggregateFiles(t, full)
	for _, n := range []int{1, 2, 3, 7} {
		var dirs []string
		seen := 0
		for i := range n {
			d := filepath.Join(t.TempDir(), "shard")
			o := runAll(t, p, d, 2, Shard{i, n})
			seen += o.Ran
			dirs = append(dirs, d)
		}
		if seen != 9 {
			t.Fatalf("n=%d: shards ran %d runs, want 9", n, seen)
		}
		out := filepath.Join(t.TempDir(), "merged")
		if n == 1 {
			out = dirs[0]
		}
		if _, err := Merge(out, dirs); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		sameFiles(t, "merged shards", want, aggregateFiles(t, out))
		// Merging again (the runs are all in out by now) gives the same.
		if n > 1 {
			if _, err := Merge(out, dirs[:1]); err != nil {
				t.Errorf("n=%d: merging again: %v", n, err)
			}
			sameFiles(t, "merged again", want, aggregateFiles(t, out))
		}
	}
	// Shards sharing one directory (the cluster examples' layout).
	shared := t.TempDir()
	for i := range 3 {
		runAll(t, p, shared, 1, Shard{i, 3})
	}
	if _, err := Merge(shared, []string{shared}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "shared directory", want, aggregateFiles(t, shared))
}

func TestMergeRefusesOverlapAndMissing(t *testing.T) {
	p := tinyPlan(t)
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	runAll(t, p, a, 2, Shard{0, 2})
	runAll(t, p, b, 2, Shard{1, 2})
	runAll(t, p, c, 2, Shard{0, 3})
	// Shard 0/3 overlaps shard 0/2 at runs 0 and 6: p000/00 and p002/00.
	_, err := Merge(filepath.Join(t.TempDir(), "m"), []string{a, b, c})
	if !errors.Is(err, ErrOverlap) || !strings.Contains(err.Error(), "p000/00 (in "+a+" and "+c+")") || !strings.Contains(err.Error(), "p002/00") {
		t.Errorf("overlap: %v", err)
	}
	// Without shard 1/2, runs 1, 3, 5, 7 are missing: named, with their shard.
	_, err = Merge(filepath.Join(t.TempDir(), "m"), []string{a})
	if !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "4 of 9 runs") ||
		!strings.Contains(err.Error(), "p000/01 (shard 1/2 never started (no shards/1-of-2.json in "+a+"))") || !strings.Contains(err.Error(), "p002/01") {
		t.Errorf("missing: %v", err)
	}
	// A shard that started but did not finish is named from its manifest.
	if err := os.RemoveAll(p.RunDir(b, RunID{1, 0})); err != nil {
		t.Fatal(err)
	}
	m := readManifests(b)[0]
	m.State, m.Done = "interrupted", 3
	if err := writeManifest(b, m, Shard{1, 2}); err != nil {
		t.Fatal(err)
	}
	_, err = Merge(filepath.Join(t.TempDir(), "m"), []string{a, b})
	if !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "p001/00 (shard 1/2, interrupted with 3 of 4 done)") {
		t.Errorf("unfinished shard: %v", err)
	}
	// Shards of different specs are refused.
	other, err := LoadSpec("tiny-test.yaml", []byte(strings.Replace(tinySpec, "seed: 3", "seed: 4", 1)))
	if err != nil {
		t.Fatal(err)
	}
	d := t.TempDir()
	runAll(t, other, d, 2, Shard{1, 2})
	if _, err := Merge(filepath.Join(t.TempDir(), "m"), []string{a, d}); !errors.Is(err, ErrSpecChanged) {
		t.Errorf("different specs: %v", err)
	}
}

func TestResumeRunsOnlyWhatIsMissing(t *testing.T) {
	p := tinyPlan(t)
	dir := t.TempDir()
	runAll(t, p, dir, 2, All)
	before := inodes(t, p, dir)
	// A run lost (never published) and a crash's leftovers beside it.
	lost := RunID{2, 1}
	if err := os.RemoveAll(p.RunDir(dir, lost)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "runs", "p002", ".01.tmp-123"), 0o755); err != nil {
		t.Fatal(err)
	}
	o := runAll(t, p, dir, 2, All)
	if o.AlreadyDone != 8 || o.Ran != 1 || !o.Complete() {
		t.Fatalf("resume: %+v", o)
	}
	after := inodes(t, p, dir)
	for k, ino := range before {
		if k != p.RunName(lost) && after[k] != ino {
			t.Errorf("%s was redone", k)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "runs", "p002", ".01.tmp-123")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("crash leftovers not removed: %v", err)
	}
	// Nothing to do a third time.
	if o := runAll(t, p, dir, 2, All); o.Ran != 0 || o.AlreadyDone != 9 {
		t.Errorf("third pass %+v", o)
	}
}

func TestChangedSpecIsRefused(t *testing.T) {
	p := tinyPlan(t)
	dir := t.TempDir()
	runAll(t, p, dir, 2, Shard{0, 5})
	q, err := LoadSpec("tiny-test.yaml", []byte(strings.Replace(tinySpec, "replicates: 3", "replicates: 4", 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Execute(context.Background(), q, Options{Dir: dir, Jobs: 1})
	if !errors.Is(err, ErrSpecChanged) || !strings.Contains(err.Error(), "another --out") {
		t.Errorf("changed spec: %v", err)
	}
	// A folder that is not a sweep's is refused before anything is written.
	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(context.Background(), p, Options{Dir: foreign, Jobs: 1}); !errors.Is(err, ErrNotSweepDir) {
		t.Errorf("foreign dir: %v", err)
	}
	// An incomplete sweep does not aggregate; the message names what is missing.
	if err := Aggregate(dir); !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "p000/01") {
		t.Errorf("aggregate of a partial sweep: %v", err)
	}
}

func TestCancelKeepsFinishedRuns(t *testing.T) {
	p := tinyPlan(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	o, err := Execute(ctx, p, Options{Dir: dir, Jobs: 1, Progress: func(e Event) {
		if n++; n == 2 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !o.Interrupted || o.Ran != 2 {
		t.Fatalf("outcome %+v", o)
	}
	if m := readManifests(dir); len(m) != 1 || m[0].State != "interrupted" || m[0].Done != 2 {
		t.Errorf("manifest %+v", m)
	}
	if o := runAll(t, p, dir, 2, All); o.AlreadyDone != 2 || o.Ran != 7 {
		t.Errorf("after cancel %+v", o)
	}
}

func inodes(t *testing.T, p *Plan, dir string) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	for _, id := range p.Runs() {
		fi, err := os.Stat(filepath.Join(p.RunDir(dir, id), "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		out[p.RunName(id)] = fi.Sys().(*syscall.Stat_t).Ino
	}
	return out
}
