package sweep

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/akash-market/akash/reports"
	"github.com/akash-market/akash/reports/stats"
)

// The tidy files of a sweep directory (docs/reports.md): one row per
// observation, every numeric column a number, so that one pandas read_csv
// gives the right dtypes.
const (
	runsFile       = "runs.csv"       // run, point, replicate, seed, parameters, metric, value
	timeseriesFile = "timeseries.csv" // point, parameters, time_s, series, mean, ci95_lo, ci95_hi, n
)

// flatten appends every number of a decoded summary.json under prefix, keys
// sorted, as (dotted path, value). The scenario echo (inputs), the run's
// resource use (run, empty in a sweep) and exact strings are left out.
func flatten(prefix string, v any, out *[]metricValuePair) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if prefix == "" && (k == "inputs" || k == "run" || k == "seed") {
				continue
			}
			flatten(join(prefix, k), x[k], out)
		}
	case []any:
		for i, item := range x {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), item, out)
		}
	case json.Number:
		if f, err := strconv.ParseFloat(string(x), 64); err == nil {
			*out = append(*out, metricValuePair{prefix, f})
		}
	}
}

type metricValuePair struct {
	metric string
	value  float64
}

// paramColumns are the swept parameters as runs.csv and timeseries.csv
// columns: numbers as they are, durations in seconds (the column named
// <key>_s), anything else as text.
func (a *Aggregated) paramColumns() (names []string, values [][]string) {
	p := a.Plan
	values = make([][]string, len(p.Points))
	for j, param := range p.Params {
		durations, numeric := true, true
		for _, pt := range p.Points {
			v := displayValue(pt.Values[j])
			if v == "" {
				continue
			}
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				numeric = false
			}
			if _, err := time.ParseDuration(v); err != nil {
				durations = false
			}
		}
		name := param
		if durations && !numeric {
			name += "_s"
		}
		names = append(names, name)
		for i, pt := range p.Points {
			v := displayValue(pt.Values[j])
			if durations && !numeric && v != "" {
				d, _ := time.ParseDuration(v)
				v = num(d.Seconds())
			}
			values[i] = append(values[i], v)
		}
	}
	return names, values
}

// RunsCSV is runs.csv: every number of every run's summary.json in long
// form, one row per (run, metric), runs in plan order and metrics sorted.
func (a *Aggregated) RunsCSV() ([]byte, error) {
	p := a.Plan
	params, pvals := a.paramColumns()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(append(append([]string{"run", "point", "replicate", "seed"}, params...), "metric", "value")); err != nil {
		return nil, err
	}
	for k, id := range p.Runs() {
		head := append([]string{p.RunName(id), p.Points[id.Point].ID, strconv.Itoa(id.Replicate), strconv.FormatUint(p.Seeds[id.Replicate], 10)}, pvals[id.Point]...)
		for _, m := range a.runs[k] {
			if err := w.Write(append(slices.Clone(head), m.metric, num(m.value))); err != nil {
				return nil, err
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// seriesAgg is one time-series column of one point, across replicates.
type seriesAgg struct {
	name  string
	t     []float64
	stats []stats.Summary
}

// timeSeries reads every replicate's timeseries.csv of each point and
// summarises every numeric column per sample time (mean, 95% Student-t
// interval). A point whose runs wrote no timeseries.csv (the scenario's
// outputs key) has none.
func (a *Aggregated) timeSeries(dir string) ([][]seriesAgg, error) {
	p := a.Plan
	out := make([][]seriesAgg, len(p.Points))
	for i := range p.Points {
		var header []string
		var runs [][][]float64 // [replicate][row][column]
		for r := 0; r < p.Replicates; r++ {
			path := filepath.Join(p.RunDir(dir, RunID{i, r}), "timeseries.csv")
			data, err := os.ReadFile(path)
			if errors.Is(err, fs.ErrNotExist) {
				runs = nil
				break
			}
			if err != nil {
				return nil, fmt.Errorf("sweep: %w", err)
			}
			recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil || len(recs) == 0 {
				return nil, fmt.Errorf("sweep: %s: not a CSV table: %v", path, err)
			}
			if header == nil {
				header = recs[0]
			} else if !slices.Equal(header, recs[0]) {
				return nil, fmt.Errorf("sweep: %s: columns differ from replicate 0's", path)
			}
			rows := make([][]float64, 0, len(recs)-1)
			for _, rec := range recs[1:] {
				row := make([]float64, len(rec))
				for c, cell := range rec {
					row[c] = math.NaN()
					if f, err := strconv.ParseFloat(cell, 64); err == nil {
						row[c] = f
					}
				}
				rows = append(rows, row)
			}
			runs = append(runs, rows)
		}
		if len(runs) == 0 {
			continue
		}
		nrows := len(runs[0])
		for _, rows := range runs {
			nrows = min(nrows, len(rows))
		}
		for c, col := range header {
			if c == 0 || col == "height" { // time_s is the key
				continue
			}
			s := seriesAgg{name: col}
			xs := make([]float64, 0, len(runs))
			for row := 0; row < nrows; row++ {
				xs = xs[:0]
				for _, rows := range runs {
					if v := rows[row][c]; !math.IsNaN(v) {
						xs = append(xs, v)
					}
				}
				s.t = append(s.t, runs[0][row][0])
				s.stats = append(s.stats, stats.Summarize(xs))
			}
			out[i] = append(out[i], s)
		}
	}
	return out, nil
}

// TimeSeriesCSV is the sweep's timeseries.csv: per point, sample time and
// series, the replicates' mean and 95% interval (empty where fewer than two
// replicates have a value).
func (a *Aggregated) TimeSeriesCSV(ts [][]seriesAgg) ([]byte, error) {
	params, pvals := a.paramColumns()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(append(append([]string{"point"}, params...), "time_s", "series", "mean", "ci95_lo", "ci95_hi", "n")); err != nil {
		return nil, err
	}
	cell := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return num(v)
	}
	for i, pt := range a.Plan.Points {
		for _, s := range ts[i] {
			for k, t := range s.t {
				st := s.stats[k]
				row := append(append([]string{pt.ID}, pvals[i]...), num(t), s.name, cell(st.Mean), cell(st.Lo), cell(st.Hi), strconv.Itoa(st.N))
				if err := w.Write(row); err != nil {
					return nil, err
				}
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// timeSeriesSeries are the columns plotted over time (by prefix: the price
// columns carry the denomination).
var timeSeriesSeries = []struct{ prefix, title, unit string }{
	{"fill_rate", "Fill rate over time", "share of closed orders"},
	{"clearing_price_", "Clearing price over time", "per block per cpu"},
	{"utilisation", "Utilisation over time", "share of cpu"},
	{"active_leases", "Active leases over time", "count"},
}

// maxTimeSeriesPoints: a sweep with more points gets no time-series plots
// (a line per point would be unreadable); timeseries.csv has them all.
const maxTimeSeriesPoints = 12

// timeSeriesPlots draws the replicates' mean of a few series over time, one
// line per point with its 95% band.
func (a *Aggregated) timeSeriesPlots(ts [][]seriesAgg) ([]reports.SweepFigure, error) {
	p := a.Plan
	if len(p.Points) > maxTimeSeriesPoints {
		return nil, nil
	}
	var figs []reports.SweepFigure
	for _, want := range timeSeriesSeries {
		var series []reports.Series
		col := ""
		for i := range p.Points {
			for _, s := range ts[i] {
				if s.name != want.prefix && !(strings.HasSuffix(want.prefix, "_") && strings.HasPrefix(s.name, want.prefix)) {
					continue
				}
				col = s.name
				hours := make([]float64, len(s.t))
				for k, t := range s.t {
					hours[k] = t / 3600
				}
				cs := reports.CISeries(p.Points[i].ID+" "+p.Label(i), hours, s.stats)
				cs.Points = false
				series = append(series, cs)
			}
		}
		if len(series) == 0 {
			continue
		}
		unit := want.unit
		if strings.HasPrefix(col, "clearing_price_") {
			unit = strings.TrimSuffix(strings.TrimPrefix(col, "clearing_price_"), "_per_block_per_cpu") + " " + unit
		}
		file := "plots/timeseries-" + fileName(strings.TrimSuffix(want.prefix, "_")) + ".svg"
		plot := reports.Plot{File: file[len("plots/"):], Title: want.title + " (mean of replicates, 95% band)",
			XLabel: "time (h)", YLabel: col + " (" + unit + ")", Series: series}
		svg, err := reports.RenderSVG(plot)
		if err != nil {
			return nil, fmt.Errorf("sweep: plot %s: %w", file, err)
		}
		figs = append(figs, reports.SweepFigure{File: file,
			Caption: fmt.Sprintf("Mean over %d replicates at each sample time, with its 95%% Student-t band; one line per point.", p.Replicates), SVG: svg})
	}
	return figs, nil
}
