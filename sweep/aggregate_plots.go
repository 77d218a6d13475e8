package sweep

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/akash-market/akash/reports"
	"github.com/akash-market/akash/reports/stats"
	"github.com/akash-market/akash/sim"
)

// maxSeries is the most lines one plot gets; more combinations of the other
// parameters are split over several plots (facets), so a legend stays short
// and the palette's seven colours are not reused with dashes.
const maxSeries = 6

// axis is how one parameter is drawn on an x axis.
type axis struct {
	x     []float64 // per point; NaN where the point leaves the key unset
	unit  string    // "" or " (s)"
	cats  []string  // categories in order of appearance, for text values
	short string    // the key's last segment, for legends
}

// axisOf maps a parameter's values onto numbers: numbers as they are,
// durations in seconds, anything else as the categories' order of first
// appearance (named in the caption).
func (a *Aggregated) axisOf(j int) axis {
	p := a.Plan
	ax := axis{x: make([]float64, len(p.Points)), short: shortKey(p.Params, j)}
	vals := make([]string, len(p.Points))
	numeric, durations := true, true
	for i, pt := range p.Points {
		vals[i] = displayValue(pt.Values[j])
		if pt.Values[j] == "" {
			continue
		}
		if _, err := strconv.ParseFloat(vals[i], 64); err != nil {
			numeric = false
		}
		if _, err := time.ParseDuration(vals[i]); err != nil {
			durations = false
		}
	}
	for i, v := range vals {
		switch {
		case p.Points[i].Values[j] == "":
			ax.x[i] = math.NaN()
		case numeric:
			ax.x[i], _ = strconv.ParseFloat(v, 64)
		case durations:
			d, _ := time.ParseDuration(v)
			ax.x[i], ax.unit = d.Seconds(), " (s)"
		default:
			k := slices.Index(ax.cats, v)
			if k < 0 {
				k = len(ax.cats)
				ax.cats = append(ax.cats, v)
			}
			ax.x[i] = float64(k)
		}
	}
	return ax
}

// shortKey is a parameter's last key (take_rate_bps), or its whole path
// when another parameter ends the same way.
func shortKey(params []string, j int) string {
	last := func(s string) string { return s[strings.LastIndexByte(s, '.')+1:] }
	for k, other := range params {
		if k != j && last(other) == last(params[j]) {
			return params[j]
		}
	}
	return last(params[j])
}

// plots draws each metric against each parameter. The other parameters'
// value combinations each get a line (in order of first appearance), at
// most maxSeries per plot.
func (a *Aggregated) plots() ([]reports.SweepFigure, error) {
	p := a.Plan
	var figs []reports.SweepFigure
	for j, param := range p.Params {
		ax := a.axisOf(j)
		axes := make([]axis, len(p.Params))
		for k := range p.Params {
			if k != j {
				axes[k] = axis{short: shortKey(p.Params, k)}
			}
		}
		// Group the points by the values of the other parameters.
		var keys []string
		groups := map[string][]int{}
		names := map[string]string{}
		for i, pt := range p.Points {
			if math.IsNaN(ax.x[i]) {
				continue
			}
			var parts []string
			for k, v := range pt.Values {
				if k != j {
					if v == "" {
						v = "(base)"
					}
					parts = append(parts, axes[k].short+"="+displayValue(v))
				}
			}
			key := strings.Join(parts, ", ")
			if _, ok := groups[key]; !ok {
				keys = append(keys, key)
				names[key] = key
			}
			groups[key] = append(groups[key], i)
		}
		if len(keys) == 0 {
			continue
		}
		facets := (len(keys) + maxSeries - 1) / maxSeries
		for m, metric := range p.Metrics {
			for f := 0; f < facets; f++ {
				part := keys[f*maxSeries : min(len(keys), (f+1)*maxSeries)]
				var series []reports.Series
				for _, key := range part {
					idx := slices.Clone(groups[key])
					slices.SortStableFunc(idx, func(x, y int) int {
						switch {
						case ax.x[x] < ax.x[y]:
							return -1
						case ax.x[x] > ax.x[y]:
							return 1
						}
						return 0
					})
					xs := make([]float64, len(idx))
					ss := make([]stats.Summary, len(idx))
					for n, i := range idx {
						xs[n], ss[n] = ax.x[i], a.Stats[i][m]
					}
					name := names[key]
					if name == "" {
						name = "mean, 95% CI"
					}
					series = append(series, reports.CISeries(name, xs, ss))
				}
				file := "plots/" + fileName(metric) + "-vs-" + fileName(param)
				if facets > 1 {
					file += fmt.Sprintf("-%d", f+1)
				}
				file += ".svg"
				title := metric + " vs " + ax.short
				if facets > 1 {
					title += fmt.Sprintf(" (%d of %d)", f+1, facets)
				}
				ylabel := metric + " (mean, 95% CI)"
				if unit := sim.SummaryUnit(metric, a.denom); unit != "" {
					ylabel = metric + " (" + unit + "; mean, 95% CI)"
				}
				plot := reports.Plot{File: file[len("plots/"):], Title: title, XLabel: param + ax.unit,
					YLabel: ylabel, Series: series}
				svg, err := reports.RenderSVG(plot)
				if err != nil {
					return nil, fmt.Errorf("sweep: plot %s: %w", file, err)
				}
				figs = append(figs, reports.SweepFigure{File: file, Caption: a.caption(ax), SVG: svg})
			}
		}
	}
	return figs, nil
}

func (a *Aggregated) caption(ax axis) string {
	c := fmt.Sprintf("Mean of %d replicates per point with its 95%% Student-t interval; replicate r has the same seed at every point.", a.Plan.Replicates)
	if len(ax.cats) > 0 {
		var m []string
		for k, v := range ax.cats {
			m = append(m, fmt.Sprintf("%d = %s", k, v))
		}
		c += " x: " + strings.Join(m, ", ") + "."
	}
	return c
}

// fileName keeps letters, digits, '.', '_' and '-' of a key; the rest
// becomes '_' (providers[0].count → providers_0_.count).
func fileName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	return string(b)
}

// page lays out sweep.html.
func (a *Aggregated) page(figs []reports.SweepFigure) reports.SweepPage {
	p := a.Plan
	until := p.Until
	if until == "" {
		until = "the scenario's duration"
	}
	seeds := make([]string, len(p.Seeds))
	for r, s := range p.Seeds {
		seeds[r] = strconv.FormatUint(s, 10)
	}
	page := reports.SweepPage{
		Title:       "Sweep " + p.Name,
		Description: p.Description,
		Facts: []reports.SweepFact{
			{Key: "base scenario", Value: p.Scenario},
			{Key: "simulated time per run", Value: until},
			{Key: "points × replicates", Value: fmt.Sprintf("%d × %d = %d runs", len(p.Points), p.Replicates, len(p.Points)*p.Replicates)},
			{Key: "base seed", Value: strconv.FormatUint(p.Seed, 10)},
			{Key: "replicate seeds (same at every point)", Value: listSome(seeds)},
			{Key: "plan", Value: p.Hash},
		},
		Files: []reports.SweepFact{
			{Key: csvFile, Value: "one row per point: parameters, then per metric mean, sd, ci95_lo, ci95_hi, n"},
			{Key: runsFile, Value: "long form, one row per run and metric: run, point, replicate, seed, parameters, metric, value (every number of every summary.json)"},
			{Key: timeseriesFile, Value: "long form: point, parameters, time_s, series, mean, ci95_lo, ci95_hi, n (each run's timeseries.csv across replicates)"},
			{Key: planFile, Value: "the resolved spec: points, seeds, metrics"},
			{Key: scenarioFile, Value: "the base scenario's text"},
			{Key: runsDir + "/", Value: "one full run report per point and replicate (summary.json, CSVs, plots, report.html)"},
		},
	}
	if len(p.Set) > 0 {
		page.Facts = slices.Insert(page.Facts, 1, reports.SweepFact{Key: "set at every point", Value: strings.Join(p.Set, "  ")})
	}
	page.Header = append([]string{"point"}, p.Params...)
	for _, m := range p.Metrics {
		if unit := sim.SummaryUnit(m, a.denom); unit != "" {
			m += " (" + unit + ")"
		}
		page.Header = append(page.Header, m)
	}
	for i, pt := range p.Points {
		row := []reports.SweepCell{{Text: pt.ID, Link: runsDir + "/" + pt.ID + "/"}}
		for _, v := range pt.Values {
			if v == "" {
				row = append(row, reports.SweepCell{Text: "(base)"})
			} else {
				row = append(row, reports.SweepCell{Text: displayValue(v)})
			}
		}
		for _, s := range a.Stats[i] {
			text := short(s.Mean)
			if !math.IsNaN(s.Lo) {
				text += " [" + short(s.Lo) + ", " + short(s.Hi) + "]"
			}
			row = append(row, reports.SweepCell{Text: text, Title: fmt.Sprintf("mean %s, sd %s, n %d", num(s.Mean), num(s.StdDev), s.N)})
		}
		page.Rows = append(page.Rows, row)
	}
	page.Figures = figs
	return page
}

// short rounds for reading (4 significant digits); the CSV keeps every digit.
func short(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
