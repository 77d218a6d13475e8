package sweep

import (
	"fmt"

	"github.com/akash-market/akash/reports"
	"github.com/akash-market/akash/sim"
)

// ReportOf converts a run's result into the report writer's generic shape:
// the summary, the time series and leases tables (and the tiers' tables),
// and the run's plots.
// `akash-sim run` and every sweep run write their directories through it,
// so a sweep's run folder is the same as a single run's.
func ReportOf(res *sim.Result) reports.Run {
	title := fmt.Sprintf("akash-sim: %s (seed %d)", res.Summary.Scenario, res.Summary.Seed)
	denom := res.Summary.Money.Denom
	run := reports.Run{Title: title, Summary: &res.Summary, Units: func(key string) string { return sim.SummaryUnit(key, denom) }}
	for _, t := range append([]sim.Table{res.TimeSeries, res.Leases, res.Orders, res.Providers}, res.Tables...) {
		if t.File == "" {
			continue // left out by the scenario's outputs key
		}
		run.Tables = append(run.Tables, reports.Table{File: t.File, Header: t.Header, Rows: t.Rows})
	}
	for _, p := range res.Plots {
		rp := reports.Plot{File: p.File, Title: p.Title, XLabel: p.XLabel, YLabel: p.YLabel, YFromZero: p.YFromZero, UnitSquare: p.UnitSquare}
		for _, s := range p.Series {
			rp.Series = append(rp.Series, reports.Series{Name: s.Name, X: s.X, Y: s.Y, Reference: s.Reference})
		}
		run.Plots = append(run.Plots, rp)
	}
	return run
}
