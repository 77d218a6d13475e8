package stats

import (
	"fmt"
	"math/big"
	"slices"
)

// Gini returns the Gini coefficient of non-negative amounts xs, in [0, 1-1/n]:
// 0 when everyone has the same, 1-1/n when one holder has everything. It is the
// population form (no n/(n-1) correction; see the package doc), computed from
// the sorted values as G = 2·Σ i·x(i) / (n·Σx) - (n+1)/n with i = 1..n.
// All-zero amounts are perfectly equal: G = 0.
func Gini(xs []float64) (float64, error) {
	if len(xs) == 0 {
		return 0, ErrEmpty
	}
	s, err := sortedNonNegative(xs)
	if err != nil {
		return 0, err
	}
	var total, weighted float64
	for i, x := range s {
		total += x
		weighted += float64(i+1) * x
	}
	if total == 0 {
		return 0, nil
	}
	n := float64(len(s))
	g := 2*weighted/(n*total) - (n+1)/n
	// Rounding can push a perfectly equal distribution a hair below zero.
	return max(g, 0), nil
}

// GiniExact is Gini over integer amounts (money in its smallest unit, e.g.
// atto-units of a money.Dec), as an exact rational: no rounding anywhere, so
// two runs that paid the same amounts print the same Gini on every machine.
func GiniExact(xs []*big.Int) (*big.Rat, error) {
	if len(xs) == 0 {
		return nil, ErrEmpty
	}
	s := make([]*big.Int, len(xs))
	for i, x := range xs {
		if x == nil || x.Sign() < 0 {
			return nil, fmt.Errorf("%w: value %d is %v; Gini needs amounts ≥ 0", ErrNegative, i, x)
		}
		s[i] = x
	}
	slices.SortStableFunc(s, func(a, b *big.Int) int { return a.Cmp(b) })
	total, weighted, term := new(big.Int), new(big.Int), new(big.Int)
	for i, x := range s {
		total.Add(total, x)
		term.Mul(big.NewInt(int64(i+1)), x)
		weighted.Add(weighted, term)
	}
	if total.Sign() == 0 {
		return new(big.Rat), nil
	}
	n := big.NewInt(int64(len(s)))
	// G = (2·weighted - (n+1)·total) / (n·total)
	num := new(big.Int).Lsh(weighted, 1)
	num.Sub(num, new(big.Int).Mul(new(big.Int).Add(n, big.NewInt(1)), total))
	den := new(big.Int).Mul(n, total)
	return new(big.Rat).SetFrac(num, den), nil
}

func sortedNonNegative(xs []float64) ([]float64, error) {
	s, err := sortedFinite(xs)
	if err != nil {
		return nil, err
	}
	if s[0] < 0 {
		for i, x := range xs {
			if x < 0 {
				return nil, fmt.Errorf("%w: value %d is %v; Gini and Lorenz need amounts ≥ 0", ErrNegative, i, x)
			}
		}
	}
	return s, nil
}
