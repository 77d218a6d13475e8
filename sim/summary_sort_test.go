package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sortFloat32s orders exactly as slices.Sort, bit for bit, on times to
// lease (non-negative, many equal) and on mixed signs; NaN and −0 take
// slices.Sort's own path.
func TestSortFloat32sIsSlicesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 100, 511, 512, 5000, 100_000} {
		for kind := range 4 {
			xs := make([]float32, n)
			for i := range xs {
				switch kind {
				case 0: // block multiples, as times to lease are
					xs[i] = float32(6 * (1 + r.IntN(20)))
				case 1:
					xs[i] = float32(r.ExpFloat64() * 30)
				case 2:
					xs[i] = float32(r.NormFloat64() * 1e6)
				case 3:
					xs[i] = math.Float32frombits(r.Uint32())
				}
			}
			want := slices.Clone(xs)
			slices.Sort(want)
			got := slices.Clone(xs)
			sortFloat32s(got)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
					t.Fatalf("n=%d kind=%d: [%d] = %v, slices.Sort has %v", n, kind, i, got[i], want[i])
				}
			}
		}
	}
}
