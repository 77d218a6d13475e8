package stats

import "math"

// Why not gonum's stat.Mean and stat.Variance (issue 19 asked for them): they
// run the same corrected two-pass algorithm, but sum through gonum's
// internal/asm, which on amd64 adds in SIMD lanes and elsewhere left to
// right. The bits then depend on the machine: on 200,000 random samples of
// 2-61 values, 107,825 means or variances differed in the last place from
// the left-to-right sum, and sweep.csv prints every digit (FormatFloat 'g',
// -1). A sweep must give byte-identical aggregates on every machine, so the
// sums here stay plain loops.

// Mean returns the arithmetic mean of xs, or NaN when xs is empty.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// Variance returns the sample variance of xs (divisor n-1), or NaN when xs
// has fewer than two values. It sums squared deviations from the mean (two
// passes) rather than Σx²-n·mean², which cancels badly when the spread is
// small next to the mean, as it is for prices.
func Variance(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	m := Mean(xs)
	var ss, comp float64
	for _, x := range xs {
		d := x - m
		ss += d * d
		comp += d
	}
	// comp is Σ(x-m), zero in exact arithmetic; subtracting comp²/n corrects
	// the rounding of m (the "corrected two-pass" algorithm).
	n := float64(len(xs))
	return (ss - comp*comp/n) / (n - 1)
}

// StdDev returns the sample standard deviation of xs (divisor n-1), or NaN
// when xs has fewer than two values.
func StdDev(xs []float64) float64 {
	return math.Sqrt(Variance(xs))
}
