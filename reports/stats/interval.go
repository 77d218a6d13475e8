package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Level95 is the confidence level that reports and sweeps use.
const Level95 = 0.95

// Interval is a closed interval [Lo, Hi].
type Interval struct {
	Lo, Hi float64
}

// Contains reports whether v lies in the interval.
func (iv Interval) Contains(v float64) bool { return iv.Lo <= v && v <= iv.Hi }

// TInterval returns the two-sided Student-t confidence interval for the mean
// of the population xs was drawn from: mean ± t(1-(1-level)/2, n-1)·s/√n.
// It assumes independent samples from a roughly normal population (replicates
// of a run with different seeds qualify well enough for means of many events).
func TInterval(xs []float64, level float64) (Interval, error) {
	if !(level > 0 && level < 1) {
		return Interval{}, fmt.Errorf("%w: confidence level %v; must be strictly between 0 and 1 (e.g. 0.95)", ErrRange, level)
	}
	if len(xs) < 2 {
		return Interval{}, fmt.Errorf("%w: %d sample(s); a t-interval needs at least 2", ErrTooFewSamples, len(xs))
	}
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return Interval{}, fmt.Errorf("%w: sample %d is %v", ErrNaN, i, x)
		}
	}
	m := Mean(xs)
	half := TQuantile(level, len(xs)-1) * StdDev(xs) / math.Sqrt(float64(len(xs)))
	return Interval{Lo: m - half, Hi: m + half}, nil
}

// TQuantile returns the critical value t such that a Student-t variable with
// df degrees of freedom lies in [-t, t] with probability level.
func TQuantile(level float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(1 - (1-level)/2)
}

// Summary is what a sweep prints per point: the sample size, mean, sample
// standard deviation and the 95% Student-t interval of the mean. With fewer
// than two samples StdDev, Lo and Hi are NaN (with one sample Lo = Hi = NaN
// says "no interval", not "no uncertainty").
type Summary struct {
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	StdDev float64 `json:"std_dev"`
	Lo     float64 `json:"ci95_lo"`
	Hi     float64 `json:"ci95_hi"`
}

// Summarize computes a Summary of xs. NaN or infinite samples make every
// figure NaN rather than an error, so one failed replicate shows up in the
// aggregate instead of aborting it.
func Summarize(xs []float64) Summary {
	s := Summary{N: len(xs), Mean: Mean(xs), StdDev: StdDev(xs), Lo: math.NaN(), Hi: math.NaN()}
	if iv, err := TInterval(xs, Level95); err == nil {
		s.Lo, s.Hi = iv.Lo, iv.Hi
	}
	return s
}
