// Package stats holds the summary statistics that the simulator's reports and
// the sweeps' aggregates print: mean, sample standard deviation, Student-t
// confidence intervals, percentiles, the Gini coefficient and the Lorenz curve.
//
// Conventions, chosen once so that every report agrees:
//
//   - Functions that describe a sample return NaN when the sample is too small
//     for the figure to exist (Mean of nothing, StdDev of one value), the way
//     gonum/stat does; functions that can be called wrongly (a percentile of
//     150, a negative income in a Gini) return an error saying so.
//   - StdDev and Variance are the sample (n-1) forms: sweeps estimate a
//     population from replicates.
//   - Percentile interpolates linearly between closest ranks (Hyndman & Fan
//     type 7, the default of R and NumPy): exact, no sketches, no randomness.
//   - Gini is the population form G = Σ|xi-xj| / (2 n² mean), without the
//     n/(n-1) small-sample correction, so that it equals 1 - 2·(area under the
//     Lorenz curve) drawn from the same values: {1,1,1,1} → 0, {0,0,0,1} → 0.75.
//     GiniExact computes the same figure over big integers (money in atto-units)
//     as an exact rational.
//
// Everything is a pure function of its inputs: the same values give the same
// bits (on one architecture; Go may fuse multiply-adds differently on others).
package stats
