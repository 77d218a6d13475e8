package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/loadtest"
)

// smallLoad keeps the command tests in a second or two.
var smallLoad = []string{"loadtest", "--orders", "10000", "--bids-per-order", "8", "--cpu", "1"}

func TestLoadtestJSONHasEveryPhase(t *testing.T) {
	save := filepath.Join(t.TempDir(), "result.json")
	out, errOut, code := run(t, append(smallLoad, "--output", "json", "--save", save)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep loadtest.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not the JSON document: %v\n%s", err, out)
	}
	if rep.Schema != loadtest.Schema || rep.Config.Orders != 10000 || rep.Machine.GoVersion == "" || rep.Machine.GOMAXPROCS != 1 {
		t.Fatalf("schema/config/machine wrong: %+v %+v", rep.Config, rep.Machine)
	}
	if len(rep.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(rep.Runs))
	}
	r := rep.Runs[0]
	for _, name := range loadtest.PhaseNames() {
		p, ok := r.Phase(name)
		if !ok || p.Ops == 0 || p.OpsPerSec <= 0 || p.Latency.P50 <= 0 || p.Latency.P99 < p.Latency.P50 || p.Latency.Max < p.Latency.P999 {
			t.Errorf("phase %s missing or empty: %+v", name, p)
		}
	}
	k := r.Counts
	if k.Bids != 80000 || k.Accepted+k.Rejected != k.Bids || k.Rejected == 0 || k.Matched+k.Unmatched != 10000 || k.LeasesOpen != k.Matched {
		t.Errorf("counts do not add up: %+v", k)
	}
	saved, err := os.ReadFile(save)
	if err != nil || !strings.Contains(string(saved), `"outcome_digest": "`+r.Digest+`"`) {
		t.Errorf("--save wrote %d bytes (%v) without this run's digest", len(saved), err)
	}
	// The text table names every phase too.
	text, _, code := run(t, smallLoad...)
	if code != 0 || !strings.Contains(text, "place") || !strings.Contains(text, "lease") || !strings.Contains(text, "p99.9") {
		t.Errorf("text output (exit %d):\n%s", code, text)
	}
}

func TestLoadtestImpossibleThresholdFails(t *testing.T) {
	_, errOut, code := run(t, append(smallLoad, "--min-throughput", "place=1e12", "--max-p99", "close=1ns")...)
	if code != exitInvalid {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitInvalid, errOut)
	}
	for _, want := range []string{"place throughput ", " ops/s is below --min-throughput place=1e12", "close p99 ", " is above --max-p99 close=1ns"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("message lacks %q:\n%s", want, errOut)
		}
	}
	// A limit it meets passes.
	if _, errOut, code := run(t, append(smallLoad, "--min-throughput", "place=1", "--max-p99", "place=10s")...); code != 0 {
		t.Errorf("easy limits failed: exit %d: %s", code, errOut)
	}
}

func TestLoadtestBaselineRegressionFails(t *testing.T) {
	dir := t.TempDir()
	cur := filepath.Join(dir, "cur.json")
	if _, errOut, code := run(t, append(smallLoad, "--save", cur)...); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rep, err := loadtest.Load(cur)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rep.Runs[0].Phases { // a baseline ten times better
		p := &rep.Runs[0].Phases[i]
		p.OpsPerSec *= 10
		p.Latency.P99 /= 10
	}
	better := filepath.Join(dir, "better.json")
	if err := loadtest.Save(better, rep); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, append(smallLoad, "--baseline", better, "--max-regression", "20")...)
	if code != exitInvalid || !strings.Contains(errOut, "place throughput") || !strings.Contains(errOut, "below the baseline's") ||
		!strings.Contains(errOut, "--max-regression 20%") {
		t.Fatalf("exit %d, want %d with a named regression:\n%s", code, exitInvalid, errOut)
	}
	// A baseline far worse than any machine (1 op/s, a p99 of an hour) is
	// no regression, however loaded the machine running this test is.
	for i := range rep.Runs[0].Phases {
		p := &rep.Runs[0].Phases[i]
		p.OpsPerSec = 1
		p.Latency.P99 = int64(time.Hour)
	}
	if err := loadtest.Save(better, rep); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, append(smallLoad, "--baseline", better, "--max-regression", "20")...); code != 0 {
		t.Fatalf("worse baseline: exit %d: %s", code, errOut)
	}
}

func TestLoadtestBadFlagsAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--min-throughput", "place"},
		{"--min-throughput", "nosuch=5M"},
		{"--max-p99", "place=fast"},
		{"--mix", "nosuch"},
		{"--sealed", "1.5"},
		{"--scale", "1e3,abc"},
		{"--baseline", "/nonexistent/base.json"},
		{"--max-p99", "reveal=1ms", "--sealed", "0"},
		{"--max-regression", "-1"},
	} {
		_, errOut, code := run(t, append([]string{"loadtest", "--orders", "10"}, args...)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, code, exitUsage, errOut)
		}
	}
}

func TestLoadtestScaleRunsEverySize(t *testing.T) {
	out, errOut, code := run(t, "loadtest", "--scale", "1e3,4e3", "--bids-per-order", "4", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep loadtest.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Runs) != 2 || rep.Runs[0].OpenOrders != 1000 || rep.Runs[1].OpenOrders != 4000 {
		t.Fatalf("runs: %+v", rep.Runs)
	}
}

// The shipped CI workflow must run the load test with flags the command
// really accepts.
func TestLoadtestWorkflowCommandLinesParse(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "loadtest.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On   map[string]any `yaml:"on"`
		Jobs map[string]struct {
			Steps []struct {
				Name string         `yaml:"name"`
				Uses string         `yaml:"uses"`
				Run  string         `yaml:"run"`
				With map[string]any `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("loadtest.yml: %v", err)
	}
	if _, ok := wf.On["push"]; !ok {
		t.Error("the workflow does not run on push")
	}
	var lines, caches int
	for _, job := range wf.Jobs {
		for _, st := range job.Steps {
			if strings.HasPrefix(st.Uses, "actions/cache") {
				caches++
			}
			for _, line := range strings.Split(strings.ReplaceAll(st.Run, "\\\n", " "), "\n") {
				fields := strings.Fields(line)
				i := indexOf(fields, "loadtest")
				if i < 1 || !strings.HasSuffix(fields[i-1], "akash-sim") {
					continue
				}
				lines++
				args := fields[i+1:]
				cmd := newLoadtestCommand(viper.New())
				if err := cmd.ParseFlags(args); err != nil {
					t.Errorf("step %q: %v", st.Name, err)
					continue
				}
				v := viper.New()
				if err := v.BindPFlags(cmd.Flags()); err != nil {
					t.Fatal(err)
				}
				v.Set("baseline", "") // the file exists only on the runner
				if _, err := loadtestOptionsFrom(v); err != nil {
					t.Errorf("step %q: %v", st.Name, err)
				}
				if !strings.Contains(line, "--save") {
					t.Errorf("step %q does not --save the result for the next baseline", st.Name)
				}
			}
		}
	}
	if lines < 2 || caches < 2 {
		t.Errorf("found %d loadtest command lines and %d cache steps; want the run with and without a baseline, a restore and a save", lines, caches)
	}
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}
