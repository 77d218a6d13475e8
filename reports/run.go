package reports

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
)

// Run is everything one report directory holds. It is plain data, built by
// the caller (cmd/akash-sim converts a sim.Result into it).
type Run struct {
	// Title heads report.html ("Baseline market, seed 7").
	Title string
	// Summary is marshalled with encoding/json into summary.json, indented,
	// keys in struct field order (maps come out sorted), and flattened into
	// the key figures table of report.html. Give it json tags.
	Summary any
	// Tables become CSV files, in this order.
	Tables []Table
	// Plots become SVG files and figures in report.html, in this order.
	Plots []Plot
	// Units, when set, gives the unit of a key figure by its dotted path in
	// the summary ("price.mean_clearing_per_cpu" → "uakt/block/cpu"); the
	// key figures table of report.html shows it beside the value.
	Units func(key string) string
	// BeforeSummary, when set, is called once the tables and plots are
	// written and before summary.json is: a caller that reports the run's
	// own resource use in the summary measures it there (through a pointer
	// in Summary), so that the writing is included.
	BeforeSummary func()
}

// Table is one CSV file: a header row, then the rows as given. Every row must
// have as many cells as the header. Cells are written verbatim (quoted by
// encoding/csv where needed), so money goes in as exact decimal strings.
type Table struct {
	// File is a plain file name; ".csv" is appended when it has no extension.
	File   string
	Header []string
	Rows   [][]string
	// Caption is an optional one-line description shown in report.html.
	Caption string
}

// Plot is one SVG line plot.
type Plot struct {
	// File is a plain file name; ".svg" is appended when it has no extension.
	File  string
	Title string
	// XLabel and YLabel name the axes with their units, e.g. "time (h)",
	// "price (uakt/block)". The package never guesses units.
	XLabel, YLabel string
	Series         []Series
	// Caption is an optional sentence shown under the figure in report.html.
	Caption string
	// YFromZero extends the y axis down (or up) to 0, for counts and rates
	// whose size matters more than their wiggle.
	YFromZero bool
	// UnitSquare fixes both axes to [0, 1] (Lorenz curves, shares).
	UnitSquare bool
}

// Series is one line. X and Y have equal length; NaN or infinite points
// leave a gap in the line. Lo and Hi, when given, have the same length and
// draw a translucent band (a confidence interval) behind the line; a point
// whose Lo or Hi is NaN leaves a gap in the band only.
type Series struct {
	// Name labels the line in the legend; an empty name keeps it out.
	Name   string
	X, Y   []float64
	Lo, Hi []float64
	// Points marks every point with a glyph (sweeps, where x takes a few
	// parameter values and a line alone would hide them).
	Points bool
	// Reference draws a thin grey dashed line that is not data: the line of
	// equality on a Lorenz plot, a provider's cost under a price series.
	Reference bool
}

const (
	summaryFile = "summary.json"
	reportFile  = "report.html"
)

// normalized returns a copy of the run with file names completed, after
// checking everything that would otherwise fail half way through a write.
func (r Run) normalized() (Run, error) {
	seen := map[string]string{summaryFile: "the summary", reportFile: "the HTML report"}
	out := r
	out.Tables = make([]Table, len(r.Tables))
	for i, t := range r.Tables {
		where := fmt.Sprintf("Tables[%d] (%q)", i, t.File)
		name, err := fileName(t.File, ".csv", where, seen)
		if err != nil {
			return Run{}, err
		}
		t.File = name
		if len(t.Header) == 0 {
			return Run{}, fmt.Errorf("%w: %s: empty Header; every CSV starts with a header row", ErrInvalidRun, where)
		}
		for j, row := range t.Rows {
			if len(row) != len(t.Header) {
				return Run{}, fmt.Errorf("%w: %s: row %d has %d cells, the header has %d; pad or trim the row", ErrInvalidRun, where, j, len(row), len(t.Header))
			}
		}
		out.Tables[i] = t
	}
	out.Plots = make([]Plot, len(r.Plots))
	for i, p := range r.Plots {
		where := fmt.Sprintf("Plots[%d] (%q)", i, p.File)
		name, err := fileName(p.File, ".svg", where, seen)
		if err != nil {
			return Run{}, err
		}
		p.File = name
		if err := p.check(where); err != nil {
			return Run{}, err
		}
		out.Plots[i] = p
	}
	return out, nil
}

// fileName checks that name is a plain, unused file name with extension ext
// (added when missing) and records it in seen.
func fileName(name, ext, where string, seen map[string]string) (string, error) {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || filepath.Base(name) != name || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("%w: %s: File must be a plain file name such as \"prices%s\" (no directories, not hidden)", ErrInvalidRun, where, ext)
	}
	switch filepath.Ext(name) {
	case "":
		name += ext
	case ext:
	default:
		return "", fmt.Errorf("%w: %s: File must end in %s (or have no extension)", ErrInvalidRun, where, ext)
	}
	if other, dup := seen[strings.ToLower(name)]; dup {
		return "", fmt.Errorf("%w: %s: File %q is already used by %s; names must be unique (ignoring case)", ErrInvalidRun, where, name, other)
	}
	seen[strings.ToLower(name)] = where
	return name, nil
}

func (p Plot) check(where string) error {
	for j, s := range p.Series {
		at := fmt.Sprintf("%s.Series[%d] (%q)", where, j, s.Name)
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("%w: %s: len(X) = %d but len(Y) = %d; they must match", ErrInvalidRun, at, len(s.X), len(s.Y))
		}
		if (s.Lo == nil) != (s.Hi == nil) {
			return fmt.Errorf("%w: %s: a band needs both Lo and Hi (or neither)", ErrInvalidRun, at)
		}
		if s.Lo != nil && (len(s.Lo) != len(s.X) || len(s.Hi) != len(s.X)) {
			return fmt.Errorf("%w: %s: len(Lo) = %d, len(Hi) = %d, len(X) = %d; they must match", ErrInvalidRun, at, len(s.Lo), len(s.Hi), len(s.X))
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
