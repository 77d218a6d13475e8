package policy

import (
	"cmp"
	"slices"
)

// Assignment is how users of each region are served by the replicas in each
// region: Flow[u][s] users of region u are served from region s.
type Assignment struct {
	Flow     [][]float64
	Unserved []float64 // users of each region no replica had room for
}

// Serve assigns users (by region) to capacity (users the replicas in each
// region can take), nearest first: every (users' region, replicas' region)
// pair in increasing latency order (ties by region index) takes as much as
// both sides have left. Pairs slower than maxLatency are not used (pass
// +Inf for no limit). Greedy, not an optimal transport, but deterministic,
// and exact for the usual matrix where every region is closest to itself.
func Serve(users, capacity []float64, lat [][]float64, maxLatency float64) Assignment {
	n := len(users)
	a := Assignment{Flow: make([][]float64, n), Unserved: slices.Clone(users)}
	left := slices.Clone(capacity)
	type pair struct{ u, s int }
	pairs := make([]pair, 0, n*n)
	for u := range n {
		a.Flow[u] = make([]float64, n)
		for s := range n {
			if lat[u][s] <= maxLatency {
				pairs = append(pairs, pair{u, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int { return cmp.Compare(lat[x.u][x.s], lat[y.u][y.s]) })
	for _, p := range pairs {
		f := min(a.Unserved[p.u], left[p.s])
		if f <= 0 {
			continue
		}
		a.Flow[p.u][p.s] += f
		a.Unserved[p.u] -= f
		left[p.s] -= f
	}
	return a
}

// Sum adds xs in order (the order fixes the float result).
func Sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}
