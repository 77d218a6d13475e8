package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 16, item 7: defects found when trying the simulator.

// Labels on a narrow range must stay distinct (they read 0.199999 four times).
func TestTickLabelsOnANarrowRangeAreDistinct(t *testing.T) {
	ticks := niceTicks{n: 5}.Ticks(0.19999905, 0.19999945)
	seen := map[string]bool{}
	majors := 0
	for _, tk := range ticks {
		if tk.Label == "" {
			continue
		}
		majors++
		if seen[tk.Label] {
			t.Fatalf("label %q appears twice: %v", tk.Label, ticks)
		}
		seen[tk.Label] = true
	}
	if majors < 2 {
		t.Fatalf("%d labelled ticks", majors)
	}
}

// A writer must not delete another writer's staging folder: two processes
// running the same shard both write reports beside each other.
func TestLeftoversOfALiveWriterAreKept(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "run")
	live := filepath.Join(parent, ".run.tmp-live")
	dead := filepath.Join(parent, ".run.tmp-dead")
	for _, d := range []string{live, dead} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	unlock, err := lockDir(live) // another writer, still at work
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if err := Write(dir, sampleRun()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the live writer's staging folder was removed: %v", err)
	}
	if _, err := os.Stat(dead); err == nil {
		t.Error("a crashed writer's staging folder was left behind")
	}
}

// --out is checked before any work: a file, a foreign folder, or a parent
// that cannot be written fail at once.
func TestCheckOut(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "f")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(parent, "notes")
	if err := os.Mkdir(foreign, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(foreign, "todo.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dir, want string }{
		{file, "is a file"},
		{foreign, "is not empty"},
		{filepath.Join(file, "sub"), "not a directory"},
	} {
		if err := CheckOut(c.dir); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("CheckOut(%s) = %v, want %q", c.dir, err, c.want)
		}
	}
	if err := CheckOut(filepath.Join(parent, "new", "run")); err != nil {
		t.Errorf("a new folder: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(parent, "new")); len(entries) != 0 {
		t.Errorf("CheckOut left %v behind", entries)
	}
}

// Units, when given, appear beside the key figures; BeforeSummary runs
// after the tables are written and its changes reach summary.json.
func TestUnitsAndBeforeSummary(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	run := sampleRun()
	s := struct {
		Seconds float64 `json:"wall_seconds"`
	}{}
	run.Summary = &s
	run.Units = func(key string) string {
		if key == "wall_seconds" {
			return "s"
		}
		return ""
	}
	run.BeforeSummary = func() {
		staged, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".run.tmp-*", run.Tables[0].File+"*"))
		if len(staged) != 1 {
			t.Errorf("BeforeSummary called before the tables were written (found %v)", staged)
		}
		s.Seconds = 42
	}
	if err := Write(dir, run); err != nil {
		t.Fatal(err)
	}
	js, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if !strings.Contains(string(js), `"wall_seconds": 42`) {
		t.Errorf("summary.json misses BeforeSummary's value: %s", js)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	if !strings.Contains(string(page), `<td class="unit">s</td>`) {
		t.Error("report.html shows no unit")
	}
}
