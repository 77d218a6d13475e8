package stats

import "errors"

// Sentinel errors; call sites wrap them with the offending value or index.
var (
	// ErrEmpty: the figure needs at least one value.
	ErrEmpty = errors.New("stats: no values")
	// ErrTooFewSamples: a confidence interval needs at least two samples.
	ErrTooFewSamples = errors.New("stats: too few samples")
	// ErrNaN: a value is NaN or infinite, which has no rank and no share.
	ErrNaN = errors.New("stats: value is NaN or infinite")
	// ErrNegative: Gini and Lorenz are defined for non-negative amounts only.
	ErrNegative = errors.New("stats: negative value")
	// ErrRange: a parameter (percentile, confidence level) is out of its range.
	ErrRange = errors.New("stats: parameter out of range")
)
