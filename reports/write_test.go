package reports

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var sampleOut = flag.String("reports.sample", "", "also write the sample report to this directory (to look at it)")

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func TestWriteFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "run1")
	if err := Write(dir, sampleRun()); err != nil {
		t.Fatal(err)
	}
	if *sampleOut != "" {
		if err := Write(*sampleOut, sampleRun()); err != nil {
			t.Fatal(err)
		}
	}
	files := readDir(t, dir)
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{"fill-rate.svg", "leases.csv", "price.svg", "report.html", "revenue-lorenz.svg", "summary.json", "sweep-fill-vs-take.svg", "timeseries.csv"}
	if !slices.Equal(names, want) {
		t.Fatalf("files = %v, want %v", names, want)
	}
	leases := string(files["leases.csv"])
	wantCSV := "lease_id,price,note\n1/1/1/p1,12.500000000000000000,plain\n1/1/2/p2,0.000000000000000001,\"comma, and \"\"quote\"\"\"\n"
	if leases != wantCSV {
		t.Errorf("leases.csv =\n%s\nwant\n%s", leases, wantCSV)
	}
	if lines := bytes.Count(files["timeseries.csv"], []byte("\n")); lines != 3001 {
		t.Errorf("timeseries.csv has %d lines, want header + 3000", lines)
	}
	sum := string(files["summary.json"])
	for _, s := range []string{"{\n  \"version\": \"v0.0.0-test\",\n  \"seed\": 7,", `"note": "quotes \" and <tags> survive"`, `"ap-south": 0.5,` + "\n"} {
		if !strings.Contains(sum, s) {
			t.Errorf("summary.json lacks %q:\n%s", s, sum[:min(len(sum), 600)])
		}
	}
	if !strings.HasSuffix(sum, "}\n") {
		t.Errorf("summary.json does not end with a newline")
	}
	for _, n := range []string{"price.svg", "fill-rate.svg"} {
		svg := string(files[n])
		if !strings.HasPrefix(svg, "<?xml") || !strings.Contains(svg, "</svg>") {
			t.Errorf("%s is not an SVG document", n)
		}
		if !strings.Contains(svg, "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;") {
			t.Errorf("%s lacks the font fallback list", n)
		}
	}
	if !strings.Contains(string(files["price.svg"]), ">clearing price</text>") {
		t.Errorf("price.svg has no legend entry for its series")
	}
	// No stray temporary directories beside the output.
	left, _ := os.ReadDir(filepath.Dir(dir))
	if len(left) != 1 {
		t.Errorf("parent holds %d entries, want only run1: %v", len(left), left)
	}
}

// The same Run gives the same bytes, file by file, also when the run is
// rebuilt from scratch (no state kept between calls).
func TestWriteDeterministic(t *testing.T) {
	a := filepath.Join(t.TempDir(), "a")
	b := filepath.Join(t.TempDir(), "b")
	if err := Write(a, sampleRun()); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, sampleRun()); err != nil {
		t.Fatal(err)
	}
	fa, fb := readDir(t, a), readDir(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("%d files vs %d", len(fa), len(fb))
	}
	for name, da := range fa {
		if !bytes.Equal(da, fb[name]) {
			t.Errorf("%s differs between two writes of the same run", name)
		}
	}
	// RenderSVG gives exactly the bytes Write stored.
	p := sampleRun().Plots[0]
	p.File = "price.svg"
	svg, err := RenderSVG(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(svg, fa["price.svg"]) {
		t.Errorf("RenderSVG and Write disagree on price.svg")
	}
	for name, data := range fa {
		for _, bad := range []string{"Date", "date=", "id=\"", "Created", "2026"} {
			if strings.HasSuffix(name, ".svg") && strings.Contains(string(data), bad) {
				t.Errorf("%s contains %q: a timestamp or generated id would break determinism", name, bad)
			}
		}
	}
}

func TestWriteRejectsInvalidRuns(t *testing.T) {
	good := func() Run { return sampleRun() }
	for _, tc := range []struct {
		name   string
		mutate func(*Run)
		want   string
	}{
		{"dir in table name", func(r *Run) { r.Tables[0].File = "../x.csv" }, "plain file name"},
		{"hidden file", func(r *Run) { r.Tables[0].File = ".x.csv" }, "plain file name"},
		{"wrong extension", func(r *Run) { r.Plots[0].File = "price.png" }, "must end in .svg"},
		{"duplicate", func(r *Run) { r.Plots[1].File = "PRICE.svg" }, "already used"},
		{"reserved name", func(r *Run) { r.Tables[0].File = "summary.json" }, "must end in .csv"},
		{"reserved html", func(r *Run) { r.Plots[0].File = "report.html" }, "must end in .svg"},
		{"ragged row", func(r *Run) { r.Tables[1].Rows[1] = []string{"a"} }, "row 1 has 1 cells"},
		{"no header", func(r *Run) { r.Tables[1].Header = nil }, "empty Header"},
		{"xy mismatch", func(r *Run) { r.Plots[0].Series[0].Y = r.Plots[0].Series[0].Y[:5] }, "len(Y) = 5"},
		{"lo without hi", func(r *Run) { r.Plots[2].Series[0].Hi = nil }, "both Lo and Hi"},
		{"nan in summary", func(r *Run) { r.Summary = map[string]float64{"x": nanValue()} }, "NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			r := good()
			tc.mutate(&r)
			err := Write(dir, r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if !errors.Is(err, ErrInvalidRun) && !errors.Is(err, ErrSummary) {
				t.Errorf("err = %v is neither ErrInvalidRun nor ErrSummary", err)
			}
			if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 0 {
				t.Errorf("an invalid run left %v behind", entries)
			}
		})
	}
}

func TestWriteRefusesForeignDirectory(t *testing.T) {
	dir := t.TempDir()
	precious := filepath.Join(dir, "thesis.tex")
	if err := os.WriteFile(precious, []byte("years of work"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(dir, sampleRun())
	if !errors.Is(err, ErrNotReportDir) {
		t.Fatalf("err = %v, want ErrNotReportDir", err)
	}
	if b, err := os.ReadFile(precious); err != nil || string(b) != "years of work" {
		t.Fatalf("the foreign file was touched: %q, %v", b, err)
	}
	file := filepath.Join(t.TempDir(), "afile")
	_ = os.WriteFile(file, nil, 0o644)
	if err := Write(file, sampleRun()); !errors.Is(err, ErrNotReportDir) {
		t.Errorf("writing over a file: err = %v, want ErrNotReportDir", err)
	}
	empty := t.TempDir()
	if err := Write(empty, sampleRun()); err != nil {
		t.Errorf("an existing empty directory should be usable: %v", err)
	}
}

func TestWriteReplacesPreviousReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	first := sampleRun()
	if err := Write(dir, first); err != nil {
		t.Fatal(err)
	}
	second := sampleRun()
	second.Title = "second"
	second.Tables = second.Tables[1:] // timeseries.csv must disappear
	if err := Write(dir, second); err != nil {
		t.Fatal(err)
	}
	files := readDir(t, dir)
	if _, ok := files["timeseries.csv"]; ok {
		t.Errorf("a file of the previous report survived the replacement")
	}
	if !strings.Contains(string(files["report.html"]), "<h1>second</h1>") {
		t.Errorf("report.html is not the new one")
	}
	if left, _ := os.ReadDir(filepath.Dir(dir)); len(left) != 1 {
		t.Errorf("leftovers beside the report: %v", left)
	}
}
