package reports

import (
	"fmt"

	"github.com/akash-market/akash/reports/stats"
)

// CISeries is a metric against a parameter with its confidence band, the
// building block of sweep plots: Y is each point's mean, Lo and Hi its 95%
// t-interval, and every point is marked (a sweep has few x values). Points
// with fewer than two replicates have no interval and leave a gap in the band.
//
//	reports.Plot{File: "fill_rate-vs-take_rate", Title: "Fill rate",
//		XLabel: "take rate (%)", YLabel: "fill rate (%)",
//		Series: []reports.Series{reports.CISeries("mean, 95% CI", takeRates, summaries)}}
func CISeries(name string, x []float64, s []stats.Summary) Series {
	out := Series{Name: name, X: x, Points: true,
		Y: make([]float64, len(s)), Lo: make([]float64, len(s)), Hi: make([]float64, len(s))}
	for i, v := range s {
		out.Y[i], out.Lo[i], out.Hi[i] = v.Mean, v.Lo, v.Hi
	}
	return out
}

// maxLorenzPoints: a Lorenz curve is convex, so a few hundred evenly spaced
// vertices draw 10,000 providers' curve without a visible difference.
const maxLorenzPoints = 501

// LorenzPlot draws one Lorenz curve per group of non-negative amounts (say,
// provider revenue per pricing strategy) with the line of equality, each
// legend entry carrying its Gini coefficient. names and groups are parallel.
func LorenzPlot(file, title, of string, names []string, groups [][]float64) (Plot, error) {
	if len(names) != len(groups) {
		return Plot{}, fmt.Errorf("%w: LorenzPlot %q: %d names for %d groups", ErrInvalidRun, file, len(names), len(groups))
	}
	p := Plot{
		File: file, Title: title, UnitSquare: true,
		XLabel: "cumulative share of " + of + " (poorest first)",
		YLabel: "cumulative share of the total",
		Series: []Series{{Name: "equality", X: []float64{0, 1}, Y: []float64{0, 1}, Reference: true}},
	}
	for i, g := range groups {
		x, y, err := stats.Lorenz(g)
		if err != nil {
			return Plot{}, fmt.Errorf("LorenzPlot %q group %q: %w", file, names[i], err)
		}
		gini, _ := stats.Gini(g) // same input Lorenz accepted
		x, y = thinEvenly(x, y, maxLorenzPoints)
		p.Series = append(p.Series, Series{Name: fmt.Sprintf("%s (Gini %.3f)", names[i], gini), X: x, Y: y})
	}
	return p, nil
}

// thinEvenly keeps at most n points, evenly spaced by index, always keeping
// the first and the last.
func thinEvenly(x, y []float64, n int) ([]float64, []float64) {
	if len(x) <= n {
		return x, y
	}
	ox, oy := make([]float64, n), make([]float64, n)
	for k := range n {
		i := k * (len(x) - 1) / (n - 1)
		ox[k], oy[k] = x[i], y[i]
	}
	return ox, oy
}
