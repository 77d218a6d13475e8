package reports

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// report.html is well-formed (it parses as strict XML: every element closed,
// attributes quoted, text escaped), has one inline <svg> per plot in order,
// each plot's title, the title escaped, and a link to every data file.
func TestReportHTML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "r")
	run := sampleRun()
	if err := Write(dir, run); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, reportFile))
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	dec.Strict = true
	var stack []string
	var svgTexts []string // text inside each top-level svg, concatenated
	links := map[string]bool{}
	depthSVG := -1
	var h1 string
	inH1 := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("report.html is not well-formed: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tk.Name.Local)
			switch tk.Name.Local {
			case "svg":
				if depthSVG < 0 {
					depthSVG = len(stack)
					svgTexts = append(svgTexts, "")
				}
			case "a":
				for _, a := range tk.Attr {
					if a.Name.Local == "href" {
						links[a.Value] = true
					}
				}
			case "h1":
				inH1 = true
			}
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1] != tk.Name.Local {
				t.Fatalf("</%s> closes <%v>", tk.Name.Local, stack)
			}
			if len(stack) == depthSVG {
				depthSVG = -1
			}
			stack = stack[:len(stack)-1]
			if tk.Name.Local == "h1" {
				inH1 = false
			}
		case xml.CharData:
			if depthSVG >= 0 {
				svgTexts[len(svgTexts)-1] += string(tk)
			}
			if inH1 {
				h1 += string(tk)
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements: %v", stack)
	}
	if h1 != run.Title {
		t.Errorf("<h1> = %q, want %q", h1, run.Title)
	}
	if len(svgTexts) != len(run.Plots) {
		t.Fatalf("%d inline SVGs, want %d", len(svgTexts), len(run.Plots))
	}
	for i, p := range run.Plots {
		if !strings.Contains(svgTexts[i], p.Title) {
			t.Errorf("inline SVG %d lacks its title %q", i, p.Title)
		}
	}
	for _, f := range []string{"summary.json", "timeseries.csv", "leases.csv", "price.svg", "fill-rate.svg", "sweep-fill-vs-take.svg", "revenue-lorenz.svg"} {
		if !links[f] {
			t.Errorf("report.html has no link to %s", f)
		}
	}
	html := string(data)
	for _, s := range []string{"provider_revenue_gini", "0.314159", `title="0.3141592653"`, "123456.789", "Share of orders closed"} {
		if !strings.Contains(html, s) {
			t.Errorf("report.html lacks %q", s)
		}
	}
	// Self-contained and inert: no prolog inside the body, no scripts, no
	// external resources (the SVG namespace URIs are names, not fetches).
	for _, bad := range []string{"<?xml", "<script", `src="`, `href="http`, "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
}
