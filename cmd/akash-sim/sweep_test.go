package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killSpec: 3 points × 4 replicates of two simulated hours (≈ 0.15 s each),
// long enough at -j 1 to kill the sweep part way.
const killSpec = `
scenario: default
until: 2h
grid:
  market.take_rate_bps: [0, 300, 900]
replicates: 4
seed: 5
metrics: [orders.fill_rate, price.markup, providers.revenue_gini]
`

// buildBinary compiles akash-sim into a temporary folder (the process under
// test must be a real one, so that it can be killed with SIGKILL).
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "akash-sim")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type fileID struct {
	ino   uint64
	mtime int64
}

func summaries(t *testing.T, dir string) map[string]fileID {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "runs", "*", "*", "summary.json"))
	out := map[string]fileID{}
	for _, p := range paths {
		if strings.HasPrefix(filepath.Base(filepath.Dir(p)), ".") {
			continue // a run being written (reports.Write's staging folder)
		}
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		st := fi.Sys().(*syscall.Stat_t)
		out[p] = fileID{st.Ino, fi.ModTime().UnixNano()}
	}
	return out
}

func aggregateBytes(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join(dir, "plots", "*.svg"))
	files = append(files, filepath.Join(dir, "sweep.csv"), filepath.Join(dir, "sweep.html"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		out[rel] = b
	}
	return out
}

func TestSweepKilledPartWayResumesWithoutRedoingRuns(t *testing.T) {
	bin := buildBinary(t)
	spec := filepath.Join(t.TempDir(), "kill.yaml")
	if err := os.WriteFile(spec, []byte(killSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "sweep")

	cmd := exec.Command(bin, "sweep", spec, "--out", dir, "-j", "1", "--quiet")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for len(summaries(t, dir)) < 3 {
		select {
		case err := <-exited:
			t.Fatalf("the sweep ended (%v) before it could be killed with 3 runs done; stderr: %s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no 3 runs done in 60 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the sweep was not killed part way: %v", err)
	}
	before := summaries(t, dir)
	if len(before) >= 12 {
		t.Fatalf("all 12 runs were done before the kill landed")
	}
	t.Logf("killed with %d of 12 runs done", len(before))

	out, err := exec.Command(bin, "sweep", spec, "--out", dir, "-j", "2", "--quiet").CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "12 runs, "+itoa(len(before))+" done before, "+itoa(12-len(before))+" run now") {
		t.Errorf("resume said:\n%s", out)
	}
	after := summaries(t, dir)
	if len(after) != 12 {
		t.Fatalf("%d runs after the resume, want 12", len(after))
	}
	for p, id := range before {
		if after[p] != id {
			t.Errorf("%s was redone (inode/mtime changed)", p)
		}
	}

	// The aggregate equals an uninterrupted sweep's, byte for byte.
	clean := filepath.Join(t.TempDir(), "clean")
	if _, errOut, code := run(t, "sweep", spec, "--out", clean, "-j", "2", "--quiet"); code != 0 {
		t.Fatalf("clean sweep: exit %d: %s", code, errOut)
	}
	want, got := aggregateBytes(t, clean), aggregateBytes(t, dir)
	if len(want) != len(got) || len(want) < 5 {
		t.Fatalf("aggregate files: %d vs %d", len(got), len(want))
	}
	for f, b := range want {
		if !bytes.Equal(got[f], b) {
			t.Errorf("%s differs from the uninterrupted sweep's", f)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSweepAndMergeCommands(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(spec, []byte(strings.Replace(killSpec, "until: 2h", "until: 20m", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	var dirs []string
	for _, sh := range []string{"0/2", "1/2"} {
		d := filepath.Join(root, "shard-"+sh[:1])
		stdout, errOut, code := run(t, "sweep", spec, "--out", d, "--shard", sh, "--quiet")
		if code != 0 || !strings.Contains(stdout, "akash-sim merge") {
			t.Fatalf("shard %s: exit %d: %s%s", sh, code, stdout, errOut)
		}
		if _, err := os.Stat(filepath.Join(d, "sweep.csv")); err == nil {
			t.Errorf("shard %s wrote an aggregate", sh)
		}
		dirs = append(dirs, d)
	}
	if _, errOut, code := run(t, append([]string{"merge"}, dirs...)...); code != exitUsage || !strings.Contains(errOut, "needs --out") {
		t.Errorf("merge of two without --out: exit %d: %s", code, errOut)
	}
	if _, errOut, code := run(t, "merge", dirs[0]); code != exitInvalid || !strings.Contains(errOut, "6 of 12 runs are in none") {
		t.Errorf("merge of one shard: exit %d: %s", code, errOut)
	}
	merged := filepath.Join(root, "all")
	if stdout, errOut, code := run(t, append([]string{"merge", "--out", merged}, dirs...)...); code != 0 || !strings.Contains(stdout, "Merged 12 runs (12 brought in)") {
		t.Fatalf("merge: exit %d: %s%s", code, stdout, errOut)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sweep", spec, "--shard", "2/2", "--out", filepath.Join(root, "x")}, exitUsage, "0 ≤ i < n"},
		{[]string{"sweep", "no-such-sweep"}, exitUsage, "shipped: pricing, take-rate, tenant-pick, tiny"},
		{[]string{"sweep", spec, "--out", merged, "--jobs", "0"}, exitUsage, "--jobs 0"},
	} {
		if _, errOut, code := run(t, c.args...); code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %s; want exit %d with %q", c.args, code, errOut, c.code, c.want)
		}
	}
	// A changed spec in an old directory is refused with the way out.
	if err := os.WriteFile(spec, []byte(strings.Replace(killSpec, "seed: 5", "seed: 6", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := run(t, "sweep", spec, "--out", merged, "--quiet"); code != exitUsage || !strings.Contains(errOut, "was started by another spec") {
		t.Errorf("changed spec: exit %d: %s", code, errOut)
	}
}
