package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// pandasPython finds a python3 that imports pandas: the one on PATH, or
// Debian's /usr/bin/python3 (python3-pandas). With CI=true a missing pandas
// fails the test (.ci/run installs it); elsewhere the test skips.
func pandasPython(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import pandas").Run() == nil {
			return py
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no python3 with pandas; install it: apt-get install -y python3-pandas")
	}
	t.Skip("no python3 with pandas (apt-get install -y python3-pandas)")
	return ""
}

// dtypeCheck reads every CSV of a run and a sweep with one read_csv call
// each and fails on a column that should be a number but is not.
const dtypeCheck = `
import glob, os, sys
import pandas as pd
text = {"lease_id", "tenant", "tenant_class", "provider", "provider_class", "provider_region", "shape",
        "close_reason", "order_id", "region", "outcome", "class", "strategy", "run", "point", "metric", "series"}
bad = []
files = [f for d in (RUN, SWEEP) for f in glob.glob(os.path.join(d, "*.csv"))]
assert len(files) >= 7, files
for f in files:
    df = pd.read_csv(f)
    assert len(df) > 0, f
    for c in df.columns:
        if c in text:
            continue
        if f.endswith("sweep.csv") and c == "point":
            continue
        if df[c].dtype.kind not in "iufb":
            bad.append(f"{os.path.basename(f)}: {c} is {df[c].dtype}: {df[c].head(3).tolist()}")
if bad:
    sys.exit("columns that are not numbers:\n" + "\n".join(bad))
print("dtypes ok:", len(files), "tables")
`

// TestPandasRecipes runs every python block of docs/reports.md's pandas
// section on a real run and sweep, and checks every table's dtypes.
func TestPandasRecipes(t *testing.T) {
	py := pandasPython(t)
	dir := t.TempDir()
	runDir := filepath.Join(dir, "run")
	if _, errOut, code := run(t, "run", "--until", "3h", "--out", runDir, "--quiet", "--reproducible"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	spec := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(spec, []byte("scenario: default\nuntil: 1h\ngrid:\n  market.take_rate_bps: [0, 1000]\nreplicates: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sweepDir := filepath.Join(dir, "sweep")
	if _, errOut, code := run(t, "sweep", spec, "--out", sweepDir, "--quiet"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errOut)
	}
	doc, err := os.ReadFile("../../docs/reports.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(doc)
	start := strings.Index(section, "\n## pandas")
	if start < 0 {
		t.Fatal("docs/reports.md has no pandas section")
	}
	section = section[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	blocks := regexp.MustCompile("(?s)```python\n(.*?)```").FindAllStringSubmatch(section, -1)
	if len(blocks) < 6 {
		t.Fatalf("%d python blocks in the pandas section", len(blocks))
	}
	// Each block's last line is an expression: print it, so an empty
	// answer (a typo in a column name filters everything away) shows.
	var script bytes.Buffer
	script.WriteString("import pandas as pd\nRUN = " + pyString(runDir) + "\nSWEEP = " + pyString(sweepDir) + "\n")
	for i, b := range blocks {
		lines := strings.Split(strings.TrimRight(b[1], "\n"), "\n")
		last := lines[len(lines)-1]
		if i := strings.Index(last, "  # "); i >= 0 {
			last = last[:i]
		}
		script.WriteString(strings.Join(lines[:len(lines)-1], "\n") + "\n")
		script.WriteString("_r = " + last + "\nassert len(_r) > 0, 'block " + itoa(i) + " gives an empty answer'\nprint(_r)\n")
	}
	script.WriteString(dtypeCheck)
	cmd := exec.Command(py, "-")
	cmd.Stdin = &script
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pandas recipes failed: %v\n%s\nscript:\n%s", err, out, script.String())
	}
	if !strings.Contains(string(out), "dtypes ok") {
		t.Fatalf("no dtype report:\n%s", out)
	}
}

func pyString(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}
