package stats

import "math"

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
