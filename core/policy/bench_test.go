package policy_test

import (
	"testing"

	"github.com/akash-market/akash/core/policy"
)

// BenchmarkDecide50Regions: one delivery decision over 50 regions and 40
// groups, users moving to a far region (adds and removes both run). The
// manager's budget is 10 ms a step.
func BenchmarkDecide50Regions(b *testing.B) {
	const n = 50
	s := policy.DeliveryState{Users: make([]int64, n), LatencyUS: make([][]int64, n), TargetUS: 50_000,
		GroupCapacity: 1000 * policy.UserScale, MinGroups: 1, MaxGroups: 48}
	for i := range n {
		s.LatencyUS[i] = make([]int64, n)
		for j := range n {
			d := i - j
			if d < 0 {
				d = -d
			}
			s.LatencyUS[i][j] = int64(2+20*d) * 1000
		}
		if i >= 40 {
			s.Users[i] = 3000 * policy.UserScale
		}
	}
	for i := range 40 {
		s.Groups = append(s.Groups, policy.GroupView{Region: i % 20, Leased: true})
	}
	b.ReportAllocs()
	for b.Loop() {
		d := policy.Decide(s)
		if len(d.Add)+len(d.Remove) == 0 {
			b.Fatal("no decision")
		}
	}
}
