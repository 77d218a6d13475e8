package sim

import "github.com/akash-market/akash/sim/trace"

// Options are the run's knobs that are not part of the scenario.
type Options struct {
	// Seed of the run; 0 means the scenario's own seed (Scenario.Seed).
	Seed uint64
	// Until ends the run at this simulated time; 0 means Scenario.Duration.
	Until Duration
	// Progress, when set, is called now and then with the blocks done and the
	// blocks the run will produce (done == total at the end).
	Progress func(done, total int64)
	// Version is echoed in the summary (the caller's build version).
	Version string
	// CheckEveryBlock runs the full conservation check (ledger, every escrow
	// account, the stake book) after every block instead of only at the end.
	// It is slow; tests of small runs use it.
	CheckEveryBlock bool
	// Tiers attaches the scenario's management tiers (whitepaper section 5)
	// to the world before it runs, and returns what adds their results to
	// the Result after it. Package sim/tiers provides it (tiers.Attach;
	// tiers.Run sets it and calls Run). It is an option, not an import,
	// because sim/tiers builds on sim's public World API and so cannot be
	// imported by sim. Run refuses a scenario with a tier on and no Tiers.
	Tiers func(w *World) (finish func(res *Result) error, err error)
	// Trace, when set, receives a record of every action and outcome of the
	// run (package sim/trace, docs/trace.md). The caller creates it and
	// closes it after Run; Run reports its write errors.
	Trace *trace.Writer
}

// Result is everything a run produced. Everything except Summary.Run is a
// pure function of the scenario and the seed.
type Result struct {
	Summary Summary
	// The run's own tables; one the scenario's outputs key leaves out is
	// empty (File "").
	TimeSeries Table  // one row per sample interval
	Leases     Table  // one row per lease
	Orders     Table  // one row per order
	Providers  Table  // one row per provider
	Plots      []Plot // nil when outputs leaves out plots
	// Tables are further tables (the management tiers' time series,
	// tiers_*.csv), in a fixed order.
	Tables []Table
}

// Table is a CSV-shaped table: a header and rows of already formatted cells.
type Table struct {
	File   string
	Header []string
	Rows   [][]string
}

// Plot is a line plot for the report.
type Plot struct {
	File   string
	Title  string
	XLabel string
	YLabel string
	Series []Series
	// YFromZero extends the y axis to 0; UnitSquare fixes both axes to [0, 1].
	YFromZero, UnitSquare bool
}

// Series is one line of a Plot.
type Series struct {
	Name string
	X, Y []float64
	// Reference marks a line that is not data (a reference price, the line
	// of equality): drawn thin, grey and dashed.
	Reference bool
}
