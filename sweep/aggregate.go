package sweep

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/reports"
	"github.com/akash-market/akash/reports/stats"
)

// Aggregated is a sweep's figures: per point and metric, the replicates'
// summary (n, mean, sample sd, 95% Student-t interval).
type Aggregated struct {
	Plan *Plan
	// Stats[point][metric], parallel to Plan.Points and Plan.Metrics.
	Stats [][]stats.Summary
	// runs[k] is every number of run k's summary (k in Plan.Runs order).
	runs [][]metricValuePair
	// denom is the runs' money denomination, for units.
	denom string
}

// Collect reads every run's summary.json in dir, in plan order, and
// summarises each metric per point. A run that is not done is an error
// (ErrIncomplete) naming the missing runs.
func Collect(dir string) (*Aggregated, error) {
	p, err := ReadPlan(dir)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, id := range p.Runs() {
		if !p.Done(dir, id) {
			missing = append(missing, p.RunName(id))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %d of %d runs in %s are not done: %s; run the sweep (or the missing shards) again to finish them",
			ErrIncomplete, len(missing), len(p.Runs()), dir, listSome(missing))
	}
	a := &Aggregated{Plan: p, Stats: make([][]stats.Summary, len(p.Points))}
	vals := make([][]float64, len(p.Metrics))
	for i := range p.Points {
		for m := range vals {
			vals[m] = vals[m][:0]
		}
		for r := 0; r < p.Replicates; r++ {
			id := RunID{i, r}
			path := filepath.Join(p.RunDir(dir, id), "summary.json")
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("sweep: %w", err)
			}
			s, err := decodeSummary(data)
			if err != nil {
				return nil, fmt.Errorf("sweep: %s: %v", path, err)
			}
			if m, ok := s["money"].(map[string]any); ok && a.denom == "" {
				a.denom, _ = m["denom"].(string)
			}
			var all []metricValuePair
			flatten("", map[string]any(s), &all)
			a.runs = append(a.runs, all)
			for m, metric := range p.Metrics {
				v, err := metricValue(s, metric)
				if err != nil {
					return nil, fmt.Errorf("run %s (%s): %w", p.RunName(id), path, err)
				}
				vals[m] = append(vals[m], v)
			}
		}
		a.Stats[i] = make([]stats.Summary, len(p.Metrics))
		for m := range p.Metrics {
			a.Stats[i][m] = stats.Summarize(vals[m])
		}
	}
	return a, nil
}

// Aggregate writes dir's aggregate from its runs: sweep.csv, plots/*.svg and
// sweep.html. The bytes depend on the plan and the runs' summaries only, so
// they are the same whatever -j, the order runs finished in, or how the runs
// were split into shards and merged. Each file is replaced atomically.
func Aggregate(dir string) error {
	a, err := Collect(dir)
	if err != nil {
		return err
	}
	figs, err := a.plots()
	if err != nil {
		return err
	}
	ts, err := a.timeSeries(dir)
	if err != nil {
		return err
	}
	tsFigs, err := a.timeSeriesPlots(ts)
	if err != nil {
		return err
	}
	figs = append(figs, tsFigs...)
	if err := os.MkdirAll(filepath.Join(dir, plotsDir), 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	for _, f := range figs {
		if err := writeFileAtomic(filepath.Join(dir, filepath.FromSlash(f.File)), f.SVG); err != nil {
			return err
		}
	}
	csvBytes, err := a.CSV()
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, csvFile), csvBytes); err != nil {
		return err
	}
	runsBytes, err := a.RunsCSV()
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, runsFile), runsBytes); err != nil {
		return err
	}
	tsBytes, err := a.TimeSeriesCSV(ts)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, timeseriesFile), tsBytes); err != nil {
		return err
	}
	var page bytes.Buffer
	if err := reports.WriteSweepHTML(&page, a.page(figs)); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, htmlFile), page.Bytes())
}

// CSVHeader is sweep.csv's header: point, the parameters, then for each
// metric its mean, sd, ci95_lo, ci95_hi and n.
func (a *Aggregated) CSVHeader() []string {
	h := append([]string{"point"}, a.Plan.Params...)
	for _, m := range a.Plan.Metrics {
		h = append(h, m+".mean", m+".sd", m+".ci95_lo", m+".ci95_hi", m+".n")
	}
	return h
}

// CSV is sweep.csv: one row per point. Floats are Go's shortest round-trip
// form; an undefined figure (sd or interval of one replicate) is NaN.
func (a *Aggregated) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(a.CSVHeader()); err != nil {
		return nil, err
	}
	for i, pt := range a.Plan.Points {
		row := []string{pt.ID}
		for _, v := range pt.Values {
			row = append(row, displayValue(v))
		}
		for _, s := range a.Stats[i] {
			row = append(row, num(s.Mean), num(s.StdDev), num(s.Lo), num(s.Hi), strconv.Itoa(s.N))
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// displayValue is a parameter value for people: a scalar without its YAML
// quotes ("2" → 2), anything else as written.
func displayValue(v string) string {
	var n yaml.Node
	if v == "" || yaml.Unmarshal([]byte(v), &n) != nil || len(n.Content) != 1 || n.Content[0].Kind != yaml.ScalarNode {
		return v
	}
	return n.Content[0].Value
}
