package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
	"github.com/akash-market/akash/sim/trace"
)

// writeTrace records a short chain-sized run of the default market to a file.
func writeTrace(t *testing.T, dir string, limit int64) string {
	t.Helper()
	sc, err := scenarios.Open("default", "providers[0].count=3", "providers[1].count=1", "tenants[0].arrival.rate_per_hour=30",
		"tenants[0].sealed_share=0.5", "tenants[0].lease_length.mean=900", "tenants[0].lease_length.std=600")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "run.jsonl")
	w, err := trace.Create(path, limit)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Run(sc, sim.Options{Seed: 2, Until: sim.Duration(30 * time.Minute), Trace: w}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// run runs the binary and returns stdout, stderr and the exit code.
func run(t *testing.T, bin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestReplayCommand runs `akash-node replay` on a real trace: it agrees
// (exit 0, text and JSON), a trace whose recorded outcome was altered differs
// (exit 1, the difference named), and usage errors, a truncated trace and a
// trace beyond a limit exit 2 saying what and how to fix it.
func TestReplayCommand(t *testing.T) {
	bin := akashNodeBinary(t)
	dir := t.TempDir()
	path := writeTrace(t, dir, 0)

	out, errOut, code := run(t, bin, "replay", path)
	if code != 0 || !strings.Contains(out, "The chain agrees with the simulator") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "replay: block ") {
		t.Errorf("no progress on stderr: %q", errOut)
	}
	t.Log(strings.TrimSpace(out))

	out, _, code = run(t, bin, "replay", path, "--output", "json", "--quiet")
	var rep struct {
		Agree  bool  `json:"agree"`
		Blocks int64 `json:"blocks"`
		Txs    int   `json:"txs"`
		Leases int   `json:"leases"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || !rep.Agree || rep.Blocks != 301 || rep.Txs == 0 || rep.Leases == 0 {
		t.Fatalf("json: exit %d, %+v, %v\n%s", code, rep, err, out)
	}

	// The first lease-opened record claims another price: the chain's lease
	// differs from what the trace now says the simulator did.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	price := regexp.MustCompile(`"price":"[0-9.]+"`)
	for i, l := range lines {
		if strings.Contains(l, `"kind":"lease-opened"`) {
			lines[i] = price.ReplaceAllString(l, `"price":"123456.000000000000000000"`)
			break
		}
	}
	altered := filepath.Join(dir, "altered.jsonl")
	if err := os.WriteFile(altered, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = run(t, bin, "replay", altered, "--quiet")
	if code != 1 || !regexp.MustCompile(`price: simulator 123456\.0+, chain `).MatchString(out) || !strings.Contains(errOut, "1 differences") {
		t.Fatalf("altered trace: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}

	truncated := writeTrace(t, t.TempDir(), 50)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"replay"}, "replay takes one trace file, got 0 arguments"},
		{[]string{"replay", filepath.Join(dir, "missing.jsonl")}, "no such file"},
		{[]string{"replay", path, "--output", "yaml"}, `--output "yaml": want text or json`},
		{[]string{"replay", path, "--max-providers", "2"}, "the trace has at least 3 providers; a replay takes at most 2 (simulate fewer, e.g. akash-sim run SCENARIO --set providers[0].count=4"},
		{[]string{"replay", path, "--max-blocks", "100"}, "the trace has 301 blocks; a replay takes at most 100"},
		{[]string{"replay", truncated}, "does not end with its end record"},
	} {
		_, errOut, code := run(t, bin, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
