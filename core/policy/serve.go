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
	return serve(users, capacity, servePairs(lat, maxLatency))
}

// pair is one (users' region, replicas' region) pair.
type pair struct{ u, s int }

// servePairs are the pairs within maxLatency, fastest first (ties by region
// index): the order Serve fills them in. It depends only on the latency
// matrix, so Decide computes it once for its many Serve calls.
func servePairs(lat [][]float64, maxLatency float64) []pair {
	n := len(lat)
	pairs := make([]pair, 0, n*n)
	for u := range n {
		for s := range n {
			if lat[u][s] <= maxLatency {
				pairs = append(pairs, pair{u, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int { return cmp.Compare(lat[x.u][x.s], lat[y.u][y.s]) })
	return pairs
}

func serve(users, capacity []float64, pairs []pair) Assignment {
	n := len(users)
	a := Assignment{Flow: make([][]float64, n), Unserved: slices.Clone(users)}
	left := slices.Clone(capacity)
	for u := range n {
		a.Flow[u] = make([]float64, n)
	}
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

// unserved is serve's Unserved alone, without the flow matrix (Decide's
// inner loop asks only how many users are left).
func unserved(users, capacity []float64, pairs []pair) []float64 {
	un := slices.Clone(users)
	left := slices.Clone(capacity)
	for _, p := range pairs {
		f := min(un[p.u], left[p.s])
		if f <= 0 {
			continue
		}
		un[p.u] -= f
		left[p.s] -= f
	}
	return un
}

// Sum adds xs in order (the order fixes the float result).
func Sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}
