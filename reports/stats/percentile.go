package stats

import (
	"fmt"
	"math"
	"slices"
)

// Percentile returns the p-th percentile (0 ≤ p ≤ 100) of xs by linear
// interpolation between closest ranks (Hyndman & Fan type 7, R's and NumPy's
// default): with the values sorted as v[0..n-1] and h = (n-1)·p/100, the
// result is v[⌊h⌋] + (h-⌊h⌋)·(v[⌊h⌋+1]-v[⌊h⌋]). p = 0 is the minimum, p = 100
// the maximum, p = 50 the usual median. xs is not modified.
func Percentile(xs []float64, p float64) (float64, error) {
	if len(xs) == 0 {
		return 0, ErrEmpty
	}
	sorted, err := sortedFinite(xs)
	if err != nil {
		return 0, err
	}
	return PercentileSorted(sorted, p)
}

// PercentileSorted is Percentile over values already sorted ascending, for
// callers that take several percentiles of one sample. It does not check
// the order.
func PercentileSorted(sorted []float64, p float64) (float64, error) {
	if len(sorted) == 0 {
		return 0, ErrEmpty
	}
	if !(p >= 0 && p <= 100) {
		return 0, fmt.Errorf("%w: percentile %v; must be within [0, 100]", ErrRange, p)
	}
	h := float64(len(sorted)-1) * p / 100
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1], nil
	}
	frac := h - float64(lo)
	if frac == 0 {
		return sorted[lo], nil
	}
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo]), nil
}

// sortedFinite returns a sorted copy of xs, refusing NaN and infinities
// (NaN has no rank, and sorting it would make the result depend on input order).
func sortedFinite(xs []float64) ([]float64, error) {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%w: value %d is %v", ErrNaN, i, x)
		}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s, nil
}
