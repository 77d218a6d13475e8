package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// readTree returns every file under dir by relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// A short run of the embedded default keeps this test in seconds.
var shortRun = []string{"run", "--until", "2h", "--seed", "3", "--reproducible", "--quiet"}

func TestRunIsByteIdenticalForSameSeed(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if _, errOut, code := run(t, append(shortRun, "--out", a)...); code != 0 {
		t.Fatalf("run a: exit %d: %s", code, errOut)
	}
	prev := runtime.GOMAXPROCS(1)
	_, errOut, code := run(t, append(shortRun, "--out", b)...)
	runtime.GOMAXPROCS(prev)
	if code != 0 {
		t.Fatalf("run b: exit %d: %s", code, errOut)
	}
	fa, fb := readTree(t, a), readTree(t, b)
	for _, want := range []string{"summary.json", "timeseries.csv", "leases.csv", "report.html"} {
		if len(fa[want]) == 0 {
			t.Errorf("run wrote no %s", want)
		}
	}
	if len(fa) != len(fb) {
		t.Fatalf("file sets differ: %d vs %d", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two runs of the same seed", name)
		}
	}
	// A different seed must give a different market.
	c := filepath.Join(t.TempDir(), "c")
	if _, _, code := run(t, "run", "--until", "2h", "--seed", "4", "--reproducible", "--quiet", "--out", c); code != 0 {
		t.Fatal("run c failed")
	}
	if bytes.Equal(fa["leases.csv"], readTree(t, c)["leases.csv"]) {
		t.Error("seed 3 and seed 4 produced the same leases")
	}
}

func TestRunJSONAndOverrides(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r")
	stdout, errOut, code := run(t, append(shortRun, "--out", out, "--output", "json", "--set", "market.take_rate_bps=1000")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s struct {
		Seed         uint64         `json:"seed"`
		Conservation string         `json:"conservation"`
		Inputs       map[string]any `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("--output json is not JSON: %v\n%s", err, stdout)
	}
	if s.Seed != 3 || s.Conservation != "ok" {
		t.Errorf("summary seed=%d conservation=%q", s.Seed, s.Conservation)
	}
	market, _ := s.Inputs["market"].(map[string]any)
	if market["take_rate_bps"] != float64(1000) {
		t.Errorf("--set market.take_rate_bps=1000 not applied: inputs.market = %v", market)
	}
}

func TestRunRejectsBadScenarioWithLineAndKey(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(file, []byte("duration: 1h\nmarket:\n  take_rate_bsp: 100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "run", file, "--quiet", "--out", filepath.Join(t.TempDir(), "o"))
	if code != exitInvalid {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitInvalid, errOut)
	}
	for _, want := range []string{"bad.yaml:3:3", "take_rate_bsp", "take_rate_bps"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("error lacks %q:\n%s", want, errOut)
		}
	}
	if _, errOut, code := run(t, "run", "no-such-scenario", "--quiet"); code != exitUsage || !strings.Contains(errOut, "shipped") {
		t.Errorf("unknown scenario: exit %d: %s", code, errOut)
	}
}

func TestScenarioInitWritesATemplateThatRuns(t *testing.T) {
	file := filepath.Join(t.TempDir(), "mine.yaml")
	if _, errOut, code := run(t, "scenario", "init", file); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errOut)
	}
	if _, _, code := run(t, "scenario", "init", file); code != exitUsage {
		t.Errorf("init over an existing file: exit %d, want %d", code, exitUsage)
	}
	if _, errOut, code := run(t, "scenario", "validate", file); code != 0 {
		t.Fatalf("validate template: exit %d: %s", code, errOut)
	}
	list, _, code := run(t, "scenario", "list")
	if code != 0 || !strings.Contains(list, "baseline") {
		t.Errorf("scenario list: exit %d\n%s", code, list)
	}
}

// TestRunShippedTierScenarios: the whitepaper section 5 scenarios run from the
// command line with their management tiers attached and report both sides.
func TestRunShippedTierScenarios(t *testing.T) {
	for name, want := range map[string]string{"delivery-network": "5.1 delivery", "ml-batch": "5.2 ML batch"} {
		out, errOut, code := run(t, "run", name, "--until", "6h", "--quiet", "--out", filepath.Join(t.TempDir(), name))
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		if !strings.Contains(out, want) || !strings.Contains(out, "static") {
			t.Errorf("%s: summary lacks the tier comparison:\n%s", name, out)
		}
	}
}

// TestRunReplaysAnArrivalTrace: a tenant class can replay recorded arrival
// times; the trace file is found relative to the scenario file.
func TestRunReplaysAnArrivalTrace(t *testing.T) {
	dir := t.TempDir()
	trace := "# seconds from the start\n10\n70\n70.5\n3000\n9000\n"
	if err := os.WriteFile(filepath.Join(dir, "arrivals.txt"), []byte(trace), 0o644); err != nil {
		t.Fatal(err)
	}
	scenario := "duration: 1h\ntenants:\n  - name: replayed\n    arrival: {process: trace, trace_file: arrivals.txt}\n"
	file := filepath.Join(dir, "trace.yaml")
	if err := os.WriteFile(file, []byte(scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "run", file, "--quiet", "--output", "json", "--out", filepath.Join(dir, "out"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s struct {
		Tenants struct {
			Deployments int `json:"deployments"`
		} `json:"tenants"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.Tenants.Deployments != 4 { // 9000 s is past the 1 h run
		t.Errorf("deployments = %d, want the 4 trace arrivals within the hour", s.Tenants.Deployments)
	}
}
