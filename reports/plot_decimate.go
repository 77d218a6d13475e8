package reports

// maxDrawnPoints bounds the points drawn per series. A day of 6-second blocks
// is 14,400 samples, far more than the ~500 points of width a plot has; drawing
// them all only makes the SVG (and the HTML that inlines it) heavy.
const maxDrawnPoints = 2000

// decimate returns the indices of the points of s to draw, in order. Short
// series keep every point. Long ones are cut into buckets of consecutive
// points, and each bucket keeps its first and last point, the points where Y
// is lowest and highest, and its first non-finite point (so gaps survive):
// the drawn line has the same envelope as the full one, spikes included.
// Bands use the same indices, which keeps them aligned with their line.
func decimate(s Series) []int {
	n := len(s.X)
	if n <= maxDrawnPoints {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	buckets := maxDrawnPoints / 5
	idx := make([]int, 0, maxDrawnPoints)
	for b := range buckets {
		lo, hi := b*n/buckets, (b+1)*n/buckets
		if lo >= hi {
			continue
		}
		imin, imax, igap := -1, -1, -1
		for i := lo; i < hi; i++ {
			y := s.Y[i]
			if !finite(y) || !finite(s.X[i]) {
				if igap < 0 {
					igap = i
				}
				continue
			}
			if imin < 0 || y < s.Y[imin] {
				imin = i
			}
			if imax < 0 || y > s.Y[imax] {
				imax = i
			}
		}
		keep := []int{lo, imin, imax, igap, hi - 1}
		sortSmall(keep)
		last := -1
		if len(idx) > 0 {
			last = idx[len(idx)-1]
		}
		for _, i := range keep {
			if i > last {
				idx = append(idx, i)
				last = i
			}
		}
	}
	return idx
}

// sortSmall sorts five ints in place (insertion sort; -1 entries sort first
// and are skipped by the caller).
func sortSmall(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
