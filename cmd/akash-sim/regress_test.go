package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim"
)

// Issue 16, item 7: defects found when trying akash-sim, one test each.

func TestConfigFileUnknownKeysAndBadValuesAreRefused(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ cfg, want string }{
		{"seed: abc\n", `key seed: "abc" is not a valid uint64 for --seed`},
		{"sedd: 4\n", `key sedd: unknown setting; did you mean "seed"?`},
		{"until: [1, 2]\n", "key until: is a list, but --until takes one string"},
	} {
		path := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(path, []byte(c.cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := run(t, "run", "--config", path, "--until", "1h", "--out", filepath.Join(dir, "out"), "--quiet")
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, %s; want exit %d and %q", c.cfg, code, errOut, exitUsage, c.want)
		}
	}
	// A key of another command's flag is fine (one file serves run and sweep).
	path := filepath.Join(dir, "shared.yaml")
	if err := os.WriteFile(path, []byte("jobs: 2\nseed: 4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, "run", "--config", path, "--until", "30m", "--out", filepath.Join(dir, "ok"), "--quiet", "--reproducible"); code != 0 {
		t.Errorf("shared config: exit %d: %s", code, errOut)
	}
}

func TestEnvironmentUnknownVariablesAndBadValuesAreRefused(t *testing.T) {
	t.Setenv("AKASH_SIM_SEED", "abc")
	_, errOut, code := run(t, "run", "--until", "1h", "--quiet")
	if code != exitUsage || !strings.Contains(errOut, `environment variable AKASH_SIM_SEED: "abc" is not a valid uint64 for --seed`) {
		t.Errorf("AKASH_SIM_SEED=abc: exit %d, %s", code, errOut)
	}
	t.Setenv("AKASH_SIM_SEED", "4")
	t.Setenv("AKASH_SIM_SEDD", "4")
	_, errOut, code = run(t, "run", "--until", "1h", "--quiet")
	if code != exitUsage || !strings.Contains(errOut, `environment variable AKASH_SIM_SEDD: unknown setting; did you mean "seed"?`) {
		t.Errorf("AKASH_SIM_SEDD: exit %d, %s", code, errOut)
	}
}

// --out is checked before the run: a mistyped --out costs nothing.
func TestOutIsCheckedBeforeTheRun(t *testing.T) {
	file := filepath.Join(t.TempDir(), "taken")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "run", "large", "--out", file, "--quiet")
	if code != exitUsage || !strings.Contains(errOut, "--out "+file+":") || !strings.Contains(errOut, "is a file") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// Exit codes: 1 invalid input, 2 usage, never 2 for a crash.
func TestExitCodes(t *testing.T) {
	if _, _, code := run(t, "run", "--no-such-flag"); code != exitUsage {
		t.Errorf("unknown flag: exit %d", code)
	}
	if _, _, code := run(t, "run", "a", "b"); code != exitUsage {
		t.Errorf("two scenarios: exit %d", code)
	}
	if _, _, code := run(t, "no-such-command"); code != exitUsage {
		t.Errorf("unknown command: exit %d", code)
	}
	if _, _, code := run(t, "run", "--set", "market.take_rate_bps=20000", "--until", "1h", "--quiet"); code != exitInvalid {
		t.Errorf("invalid scenario: exit %d", code)
	}
	var stderr bytes.Buffer
	if code := execute(panicky{}, &stderr); code != exitInternal || !strings.Contains(stderr.String(), "internal error") {
		t.Errorf("a panic: exit %d, %s", code, stderr.String())
	}
	if code := execute(failing{errors.New("disk full")}, &stderr); code != exitInvalid {
		t.Errorf("a plain failure: exit %d", code)
	}
}

type panicky struct{}

func (panicky) Execute() error { panic("boom") }

type failing struct{ err error }

func (f failing) Execute() error { return f.err }

// scenario validate applies run's checks: shipped names, trace files,
// memory, path-like names.
func TestValidateAgreesWithRun(t *testing.T) {
	if _, errOut, code := run(t, "scenario", "validate", "large", "churn"); code != 0 {
		t.Errorf("shipped names: exit %d: %s", code, errOut)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "trace.yaml")
	src := "tenants:\n  - arrival: {process: trace, trace_file: missing.txt}\n    demand: [{name: s, cpu: 1, memory: 1Gi}]\n"
	if err := os.WriteFile(bad, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "scenario", "validate", bad)
	if code != exitInvalid || !strings.Contains(errOut, "trace.yaml:2:") || !strings.Contains(errOut, "trace_file: cannot be read") {
		t.Errorf("missing trace file: exit %d: %s", code, errOut)
	}
	_, runErr, runCode := run(t, "run", bad, "--out", filepath.Join(dir, "o"), "--quiet")
	if runCode != code || !strings.Contains(runErr, "trace_file: cannot be read") {
		t.Errorf("run of the same file: exit %d: %s", runCode, runErr)
	}
	for _, set := range []string{"providers[0].count=1000000000000", "tenants[0].arrival.rate_per_hour=1e9", "name=../../x"} {
		_, vErr, vCode := run(t, "scenario", "validate", "default", "--set", set)
		_, rErr, rCode := run(t, "run", "--set", set, "--quiet", "--out", filepath.Join(dir, "huge"))
		if vCode != exitInvalid || rCode != exitInvalid || !strings.Contains(vErr, "--set "+set) || !strings.Contains(rErr, "--set "+set) {
			t.Errorf("--set %s: validate exit %d (%s), run exit %d (%s)", set, vCode, vErr, rCode, rErr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("a name of ../../x wrote outside out/")
	}
}

// An unservable demand mix is a warning on stderr, and the run goes on.
func TestUnservableDemandWarns(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "cpu.yaml")
	if err := os.WriteFile(file, []byte("providers:\n  - name: cpu\n    count: 20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "scenario", "validate", file)
	if code != 0 || !strings.Contains(errOut, "warning: "+file+":") || !strings.Contains(errOut, "gpu-train") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// panickyStrategy is a pricing strategy with a bug: it panics on its first
// quote. Registered for TestASweepRunThatPanicsIsAnInternalError.
type panickyStrategy struct{}

func (*panickyStrategy) Check(*sim.Checker)                           {}
func (p *panickyStrategy) NewStrategy(*sim.ProviderInfo) sim.Strategy { return p }
func (*panickyStrategy) Price(*sim.Quote) money.Dec                   { panic("strategy bug") }
func (*panickyStrategy) Outcome(*sim.Outcome)                         {}

func init() {
	sim.RegisterStrategy(sim.StrategyKind{Name: "test-panics", Doc: "panics on its first quote (exit code tests)",
		Params: func() sim.StrategyParams { return &panickyStrategy{} }})
}

// A sweep's runs execute on worker goroutines, out of reach of main's
// recover: a panic there used to end the process with the Go runtime's exit
// code 2 (a usage error) and lose the runs in flight. It is an internal
// error, exit 3, naming the run and the panic; the other runs finish.
func TestASweepRunThatPanicsIsAnInternalError(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "panics.yaml")
	src := "name: panics\nscenario: default\nuntil: 10m\ngrid:\n  providers[0].pricing.strategy: [cost-plus, test-panics]\nreplicates: 1\nseed: 3\n"
	if err := os.WriteFile(spec, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "sweep", spec, "--out", filepath.Join(dir, "out"), "-j", "2", "--quiet")
	if code != exitInternal || !strings.Contains(errOut, "internal error") || !strings.Contains(errOut, "strategy bug") || !strings.Contains(errOut, "p001/00") {
		t.Fatalf("exit %d (want %d), stderr:\n%s", code, exitInternal, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "runs", "p000", "00", "summary.json")); err != nil {
		t.Errorf("the run that did not panic was not kept: %v", err)
	}
}
