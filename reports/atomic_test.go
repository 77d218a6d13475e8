package reports

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var errDiskFull = errors.New("injected: no space left on device")

func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	return readDir(t, dir)
}

func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func siblings(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// A failure at any step of a write leaves the previous report exactly as it
// was (or no directory at all), and no temporary directory behind.
func TestWriteFailureLeavesTargetUntouched(t *testing.T) {
	steps := []string{"file:summary.json", "file:timeseries.csv", "file:price.svg", "file:report.html", "staged", "aside"}
	for _, step := range steps {
		for _, existing := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/existing=%v", step, existing), func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "run")
				var before map[string][]byte
				if existing {
					old := sampleRun()
					old.Title = "previous"
					if err := Write(dir, old); err != nil {
						t.Fatal(err)
					}
					before = snapshot(t, dir)
				}
				fired := false
				testHook = func(s string) error {
					if s == step {
						fired = true
						return errDiskFull
					}
					return nil
				}
				defer func() { testHook = nil }()
				err := Write(dir, sampleRun())
				if step == "aside" && !existing {
					if err != nil || fired {
						t.Fatalf("no previous report: nothing to move aside, err = %v", err)
					}
					return
				}
				if !errors.Is(err, errDiskFull) || !fired {
					t.Fatalf("err = %v, want the injected failure at %s", err, step)
				}
				if existing {
					if after := snapshot(t, dir); !sameFiles(before, after) {
						t.Fatalf("the previous report changed after a failed write")
					}
				} else if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("a failed first write left %s behind (stat err %v)", dir, err)
				}
				want := 0
				if existing {
					want = 1
				}
				if s := siblings(t, dir); len(s) != want {
					t.Fatalf("leftovers beside the output: %v", s)
				}
			})
		}
	}
}

// crashEnv asks the child process (this test binary) to write a report and
// die at the named step, without running any deferred cleanup, as a killed
// process would.
const crashEnv = "REPORTS_TEST_CRASH_AT"

func TestCrashHelperProcess(t *testing.T) {
	step := os.Getenv(crashEnv)
	if step == "" {
		t.Skip("only runs as the child of TestWriteCrash")
	}
	testHook = func(s string) error {
		if s == step {
			os.Exit(3)
		}
		return nil
	}
	run := sampleRun()
	run.Title = "new"
	_ = Write(os.Getenv("REPORTS_TEST_DIR"), run)
	os.Exit(0) // the step never came
}

// A process killed at any point of a write leaves at dir either the previous
// complete report or nothing (only in the window between the two renames of
// a replacement), never a mixture; the next Write succeeds and sweeps up.
func TestWriteCrash(t *testing.T) {
	for _, step := range []string{"file:summary.json", "file:timeseries.csv", "file:revenue-lorenz.svg", "staged", "aside"} {
		t.Run(step, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			old := sampleRun()
			old.Title = "previous"
			if err := Write(dir, old); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelperProcess$")
			cmd.Env = append(os.Environ(), crashEnv+"="+step, "REPORTS_TEST_DIR="+dir)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 3 {
				t.Fatalf("child did not crash at %s: %v\n%s", step, err, out)
			}
			_, statErr := os.Stat(dir)
			switch {
			case step == "aside":
				if !errors.Is(statErr, os.ErrNotExist) {
					t.Fatalf("crash between the renames: dir should be absent, stat err %v", statErr)
				}
				// The previous report survives, complete, beside it.
				var found bool
				for _, s := range siblings(t, dir) {
					if strings.HasPrefix(s, ".run.old-") && sameFiles(before, snapshot(t, filepath.Join(filepath.Dir(dir), s))) {
						found = true
					}
				}
				if !found {
					t.Fatalf("the previous report is not intact beside dir: %v", siblings(t, dir))
				}
			default:
				if after := snapshot(t, dir); !sameFiles(before, after) {
					t.Fatalf("a crash at %s changed the previous report", step)
				}
			}
			if len(siblings(t, dir)) < 2 {
				t.Fatalf("a crash should leave its temporary directory (no cleanup ran): %v", siblings(t, dir))
			}
			next := sampleRun()
			if err := Write(dir, next); err != nil {
				t.Fatalf("writing after a crash: %v", err)
			}
			if s := siblings(t, dir); len(s) != 1 {
				t.Fatalf("leftovers not swept up after the next write: %v", s)
			}
			fresh := filepath.Join(t.TempDir(), "fresh")
			if err := Write(fresh, next); err != nil {
				t.Fatal(err)
			}
			if !sameFiles(snapshot(t, dir), snapshot(t, fresh)) {
				t.Fatalf("the report written after a crash differs from a clean one")
			}
		})
	}
}
