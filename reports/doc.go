// Package reports writes what a simulator run (or a sweep) leaves behind for a
// person to read: summary.json, one CSV per table, one SVG per plot
// (gonum.org/v1/plot), and a self-contained report.html that shows the
// summary figures and the plots together and links the CSVs.
//
// The package knows nothing of the simulator (it must not import sim): the
// caller converts its results into a Run, plain data. Two promises hold for
// every output directory Write produces:
//
//   - Deterministic: the same Run gives byte-identical files. Nothing reads a
//     clock, a map in random order, or a random source; gonum/plot's SVG
//     backend formats numbers with a fixed precision and writes no ids or dates.
//   - Atomic: the directory appears complete or not at all, even if the
//     process dies part way (see Write).
//
// Plots are line plots with optional translucent confidence bands (Series.Lo,
// Series.Hi), markers, reference lines and a legend beside the data. CISeries
// turns a sweep's per-point summaries into a band series in one call, and
// LorenzPlot draws Lorenz curves with the line of equality.
//
// Summary statistics (mean, t-intervals, percentiles, Gini, Lorenz) live in
// the subpackage reports/stats.
package reports
