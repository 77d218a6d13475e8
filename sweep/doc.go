// Package sweep runs parameter sweeps of the market simulator: a grid (or a
// list) of scenario overrides, each point run with N replicates, and an
// aggregate with Student-t confidence intervals per point.
//
// The pieces, in the order a sweep uses them:
//
//   - LoadSpec reads a sweep spec (YAML, strict, errors at file:line:col) and
//     resolves it into a Plan: the base scenario, the points with their
//     overrides, the replicate seeds and the metrics. Every point's scenario is
//     loaded once up front, so a bad value fails before any run starts.
//   - A Plan's runs are ordered by (point, replicate); run k belongs to shard
//     k mod n (Shard), a stable partition whatever the machine.
//   - Execute runs the runs of one shard that are not done yet on a pool of
//     workers. Each run's full report is written atomically by reports.Write
//     under DIR/runs/<point>/<replicate>/; a run is done iff that directory
//     holds a complete summary.json, so a killed sweep resumes where it stopped
//     and nothing finished is redone.
//   - Aggregate reads every run's summary.json in plan order and writes
//     sweep.csv, sweep.html and plots/*.svg; the bytes depend on the spec
//     only, never on -j, completion order or the number of shards.
//   - Merge combines shard directories into one and aggregates them,
//     refusing runs that are missing or present twice.
//
// Replicate r of every point runs with the same seed (common random numbers):
// differences between points are then differences of the parameters, not of
// the draws. ReplicateSeed documents the derivation.
package sweep
