package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed sweep.html.tmpl
var sweepTemplateText string

var sweepTemplate = template.Must(template.New("sweep.html").Parse(sweepTemplateText))

// SweepPage is a sweep's aggregate page (sweep.html): facts about the sweep,
// one table row per point and the metric-vs-parameter plots. The caller
// (package sweep) computes everything; this only lays it out, in the same
// style as report.html, self-contained (SVGs inlined, no scripts).
type SweepPage struct {
	Title       string
	Description string
	// Facts are short key/value lines: base scenario, replicates, seeds.
	Facts []SweepFact
	// Header and Rows are the summary table; each cell may carry a tooltip.
	Header []string
	Rows   [][]SweepCell
	// Figures are the plots, in order, each also stored as its own file.
	Figures []SweepFigure
	// Files lists the data files to link at the bottom (file, what it holds).
	Files []SweepFact
}

// SweepFact is one key/value line.
type SweepFact struct{ Key, Value string }

// SweepCell is one table cell; Link, when set, makes it a link.
type SweepCell struct{ Text, Title, Link string }

// SweepFigure is one plot: File is its path relative to the page, SVG the
// bytes RenderSVG made for it.
type SweepFigure struct {
	File, Caption string
	SVG           []byte
}

type sweepFigure struct {
	ID, File, Caption string
	SVG               template.HTML
}

type sweepView struct {
	SweepPage
	Plots []sweepFigure
}

// WriteSweepHTML renders page. The same page gives the same bytes.
func WriteSweepHTML(w io.Writer, page SweepPage) error {
	v := sweepView{SweepPage: page}
	if v.Title == "" {
		v.Title = "Sweep"
	}
	for _, f := range page.Figures {
		id := "plot-" + strings.TrimSuffix(f.File[strings.LastIndexByte(f.File, '/')+1:], ".svg")
		// The SVG comes from our own renderer (text escaped by vgsvg), so
		// it is trusted markup.
		v.Plots = append(v.Plots, sweepFigure{ID: id, File: f.File, Caption: f.Caption, SVG: template.HTML(inlineSVG(f.SVG))})
	}
	for i, r := range page.Rows {
		if len(r) != len(page.Header) {
			return fmt.Errorf("%w: sweep table row %d has %d cells, the header %d", ErrInvalidRun, i, len(r), len(page.Header))
		}
	}
	var buf bytes.Buffer
	if err := sweepTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("rendering sweep.html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
