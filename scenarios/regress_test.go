package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 16, item 7: defects found when trying the simulator, one test each.

// A shipped scenario must not have demand that no provider can serve: large
// asked for GPUs a third of the time and had no GPU servers.
func TestShippedScenariosHaveNoWarnings(t *testing.T) {
	for _, name := range Shipped() {
		src, err := Source(name)
		if err != nil {
			t.Fatal(err)
		}
		_, warnings, err := Check(name+".yaml", src, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(warnings) > 0 {
			t.Errorf("%s: %v", name, warnings)
		}
	}
}

func TestUnservableDemandIsAWarningAtItsKey(t *testing.T) {
	src := "providers:\n  - name: cpu-only\n    count: 10\n"
	sc, warnings, err := Check("w.yaml", []byte(src), nil)
	if err != nil || sc == nil {
		t.Fatalf("a valid scenario: %v", err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0].Error(), "tenants[0].demand") || !strings.Contains(warnings[0].Error(), "gpu-train") {
		t.Fatalf("want one warning naming the GPU shapes of the built-in mix, got %v", warnings)
	}
	// A region no provider class is in.
	src = "regions: [{name: a}, {name: b}]\ntenants:\n  - regions: {b: 1}\n    demand: [{name: s, cpu: 1, memory: 1Gi}]\nproviders:\n  - regions: {a: 1}\n"
	if _, warnings, err = Check("r.yaml", []byte(src), nil); err != nil || len(warnings) != 1 || !strings.Contains(warnings[0].Error(), "in b") {
		t.Fatalf("want a warning for region b, got %v, %v", warnings, err)
	}
}

// An override's bad value is blamed on the --set, not on the file's line
// of the key it replaced.
func TestSetErrorIsBlamedOnTheSet(t *testing.T) {
	src := "market:\n  take_rate_bps: 100\n"
	_, err := Load("s.yaml", []byte(src), []string{"market.take_rate_bps=20000"})
	if err == nil {
		t.Fatal("take_rate_bps 20000 accepted")
	}
	if got := err.Error(); !strings.HasPrefix(got, "--set market.take_rate_bps=20000: market.take_rate_bps:") {
		t.Fatalf("error not placed on the --set: %s", got)
	}
}

// validate reads the trace_file as run does: a missing or garbage one is an
// error at its key.
func TestTraceFileIsReadWhenLoading(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	src := "tenants:\n  - name: t\n    arrival: {process: trace, trace_file: arrivals.txt}\n    demand: [{name: s, cpu: 1, memory: 1Gi}]\n"
	_, err := Load(file, []byte(src), nil)
	if err == nil || !strings.Contains(err.Error(), "s.yaml:3:") || !strings.Contains(err.Error(), "trace_file: cannot be read") {
		t.Fatalf("missing trace file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "arrivals.txt"), []byte("10\nten\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err = Load(file, []byte(src), nil); err == nil || !strings.Contains(err.Error(), `"ten" is not a non-negative number`) {
		t.Fatalf("garbage trace file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "arrivals.txt"), []byte("10\n20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err = Load(file, []byte(src), nil); err != nil {
		t.Fatalf("good trace file: %v", err)
	}
}

// A huge count or rate is refused with an estimate and the key, instead of
// crashing the Go runtime later.
func TestHugeScenarioIsRefusedWithAnEstimate(t *testing.T) {
	for _, c := range []struct{ set, key string }{
		{"providers[0].count=1000000000000", "providers[0].count"},
		{"tenants[0].arrival.rate_per_hour=1e9", "tenants[0].arrival.rate_per_hour"},
	} {
		_, err := Open("default", c.set)
		if err == nil {
			t.Fatalf("%s accepted", c.set)
		}
		msg := err.Error()
		if !strings.Contains(msg, "--set "+c.set+": "+c.key+": a run would need about") || !strings.Contains(msg, "use ") {
			t.Errorf("%s: want the key, an estimate and a value that fits, got %s", c.set, msg)
		}
	}
}

// A name that is a path would write outside ./out.
func TestNameMustNotBeAPath(t *testing.T) {
	for _, name := range []string{"../../x", "a/b", ".hidden"} {
		if _, err := Open("default", "name="+name); err == nil || !strings.Contains(err.Error(), "is not a plain name") {
			t.Errorf("name %q: %v", name, err)
		}
	}
}
