package stats

// Lorenz returns the Lorenz curve of non-negative amounts xs: n+1 points
// (X[k], Y[k]) where X[k] = k/n is the poorest k holders' share of the
// population and Y[k] their share of the total, from (0,0) to (1,1). All-zero
// amounts give the line of equality. The area between the diagonal and this
// curve, doubled, is Gini(xs).
func Lorenz(xs []float64) (x, y []float64, err error) {
	if len(xs) == 0 {
		return nil, nil, ErrEmpty
	}
	s, err := sortedNonNegative(xs)
	if err != nil {
		return nil, nil, err
	}
	n := len(s)
	var total float64
	for _, v := range s {
		total += v
	}
	x = make([]float64, n+1)
	y = make([]float64, n+1)
	var cum float64
	for k := 1; k <= n; k++ {
		cum += s[k-1]
		x[k] = float64(k) / float64(n)
		if total == 0 {
			y[k] = x[k]
		} else {
			y[k] = cum / total
		}
	}
	// The last share is 1 by definition; do not let rounding say 0.9999999.
	y[n] = 1
	return x, y, nil
}
