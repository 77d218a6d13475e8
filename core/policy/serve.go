package policy

import (
	"cmp"
	"slices"
)

// Assignment is how users of each region are served by the replicas in each
// region: Flow[u][s] users of region u are served from region s.
type Assignment struct {
	Flow     [][]int64
	Unserved []int64 // users of each region no replica had room for
}

// Serve assigns users (by region) to capacity (users the replicas in each
// region can take, in the same unit), nearest first: every (users' region,
// replicas' region) pair in increasing latency order (ties by region index)
// takes as much as both sides have left. Pairs slower than maxLatency (the
// matrix's unit) are not used; pass math.MaxInt64 for no limit. Greedy, not
// an optimal transport, but deterministic and exact (integers), and optimal
// for the usual matrix where every region is closest to itself.
func Serve(users, capacity []int64, lat [][]int64, maxLatency int64) Assignment {
	n := len(users)
	a := Assignment{Flow: make([][]int64, n), Unserved: slices.Clone(users)}
	left := slices.Clone(capacity)
	for u := range n {
		a.Flow[u] = make([]int64, n)
	}
	for _, p := range ServeOrder(lat, maxLatency) {
		f := min(a.Unserved[p.U], left[p.S])
		if f <= 0 {
			continue
		}
		a.Flow[p.U][p.S] += f
		a.Unserved[p.U] -= f
		left[p.S] -= f
	}
	return a
}

// Pair is one (users' region U, replicas' region S) pair.
type Pair struct{ U, S int }

// ServeOrder is the order in which Serve fills the pairs: those within
// maxLatency, fastest first, ties by region index (U, then S). It depends
// only on the latency matrix, so Decide computes it once for its many
// fills; the simulator walks it to measure how its continuous users are
// served.
func ServeOrder(lat [][]int64, maxLatency int64) []Pair {
	n := len(lat)
	pairs := make([]Pair, 0, n*n)
	for u := range n {
		for s := range n {
			if lat[u][s] <= maxLatency {
				pairs = append(pairs, Pair{u, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y Pair) int { return cmp.Compare(lat[x.U][x.S], lat[y.U][y.S]) })
	return pairs
}

// unserved fills un with Serve's Unserved and returns its sum, without the
// flow matrix (Decide's inner loop asks only how many users are left).
// left is scratch; un and left have len(users).
func unserved(users, capacity, un, left []int64, pairs []Pair) int64 {
	copy(un, users)
	copy(left, capacity)
	for _, p := range pairs {
		f := min(un[p.U], left[p.S])
		if f <= 0 {
			continue
		}
		un[p.U] -= f
		left[p.S] -= f
	}
	var t int64
	for _, x := range un {
		t += x
	}
	return t
}
