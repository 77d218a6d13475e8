package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl
var reportTemplateText string

var reportTemplate = template.Must(template.New("report.html").Parse(reportTemplateText))

type htmlFigure struct {
	ID, File, Caption string
	SVG               template.HTML
}

type htmlTable struct {
	File, Caption, Columns string
	Rows                   int
}

type htmlPage struct {
	Title    string
	Sections []kvSection
	Figures  []htmlFigure
	Tables   []htmlTable
}

// writeHTML renders report.html. svgs holds each plot's SVG bytes, parallel
// to run.Plots; they are inlined (not linked) so the page alone can be mailed
// or attached to an issue and still show every plot.
func writeHTML(w io.Writer, run Run, summaryJSON []byte, svgs [][]byte) error {
	sections, err := flattenSummary(summaryJSON)
	if err != nil {
		return fmt.Errorf("flattening summary.json for report.html: %w", err)
	}
	if run.Units != nil {
		for i := range sections {
			s := &sections[i]
			for j := range s.Rows {
				key := s.Rows[j].Key
				if s.Name != "overview" {
					key = join(s.Name, key)
				}
				s.Rows[j].Unit = run.Units(key)
			}
		}
	}
	page := htmlPage{Title: run.Title, Sections: sections}
	if page.Title == "" {
		page.Title = "Simulation report"
	}
	for i, p := range run.Plots {
		page.Figures = append(page.Figures, htmlFigure{
			ID:      "plot-" + strings.TrimSuffix(p.File, ".svg"),
			File:    p.File,
			Caption: p.Caption,
			// The SVG comes from our own renderer (text escaped by vgsvg),
			// so it is trusted markup.
			SVG: template.HTML(inlineSVG(svgs[i])),
		})
	}
	for _, t := range run.Tables {
		page.Tables = append(page.Tables, htmlTable{
			File: t.File, Caption: t.Caption, Rows: len(t.Rows),
			Columns: strings.Join(t.Header, ", "),
		})
	}
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("rendering report.html: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func join(a, b string) string {
	switch {
	case b == "":
		return a
	case strings.HasPrefix(b, "["):
		return a + b
	}
	return a + "." + b
}

// inlineSVG drops the XML prolog and generator comment, which are not
// allowed inside an HTML body, and keeps the <svg> element.
func inlineSVG(svg []byte) string {
	s := string(svg)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	return strings.TrimSpace(s)
}
