package policy_test

import (
	"math"
	"slices"
	"testing"

	"github.com/akash-market/akash/core/policy"
)

// Three regions: 0 and 1 are 30 ms apart, 2 is 150 ms from both; each is
// 2 ms from itself (in µs). Target 50 ms: region 0's replicas serve region
// 1's users within the target and vice versa; region 2 only serves itself.
var lat3 = [][]int64{{2000, 30000, 150000}, {30000, 2000, 150000}, {150000, 150000, 2000}}

// users converts whole users to the policy's unit.
func users(xs ...int64) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = x * policy.UserScale
	}
	return out
}

func TestDecide(t *testing.T) {
	g := func(r int) policy.GroupView { return policy.GroupView{Region: r, Leased: true} }
	pending := func(r int) policy.GroupView { return policy.GroupView{Region: r} }
	for _, tc := range []struct {
		name        string
		users       []int64
		groups      []policy.GroupView
		min, max    int
		add, remove []int
	}{
		{name: "nothing yet: a group where the users are", users: users(0, 0, 900), min: 0, max: 5, add: []int{2}},
		{name: "demand over capacity: adds in the region with most unmet", users: users(2500, 0, 0), groups: []policy.GroupView{g(0)},
			min: 1, max: 5, add: []int{0, 0}},
		{name: "a neighbour within the target serves: no add", users: users(500, 400, 0), groups: []policy.GroupView{g(0)},
			min: 1, max: 5},
		{name: "far region unserved within target: add there", users: users(500, 0, 300), groups: []policy.GroupView{g(0)},
			min: 1, max: 5, add: []int{2}},
		{name: "max groups caps the adds, most unmet first", users: users(5000, 0, 5000), groups: []policy.GroupView{g(0)},
			min: 1, max: 3, add: []int{2, 0}},
		{name: "at max: nothing added", users: users(5000, 0, 0), groups: []policy.GroupView{g(0), g(0)}, min: 1, max: 2},
		{name: "demand fell: the idle region's group goes", users: users(700, 0, 0), groups: []policy.GroupView{g(0), g(2)},
			min: 1, max: 5, remove: []int{1}},
		{name: "min groups keeps the last one", users: users(0, 0, 0), groups: []policy.GroupView{g(0), g(2)},
			min: 1, max: 5, remove: []int{1}},
		{name: "min 0: all go", users: users(0, 0, 0), groups: []policy.GroupView{g(0), g(2)}, min: 0, max: 5, remove: []int{0, 1}},
		{name: "headroom: 850 users on one group of 1000 keep their second group", users: users(850, 0, 0),
			groups: []policy.GroupView{g(0), g(0)}, min: 1, max: 5},
		{name: "headroom: 750 users need one group with 20 % spare", users: users(750, 0, 0),
			groups: []policy.GroupView{g(0), g(0)}, min: 1, max: 5, remove: []int{1}},
		{name: "a still-ordering group goes before a leased one", users: users(700, 0, 0),
			groups: []policy.GroupView{pending(0), g(0)}, min: 1, max: 5, remove: []int{0}},
		{name: "no group back in a region one just left", users: users(700, 0, 0), groups: []policy.GroupView{g(0), g(0)},
			min: 1, max: 5, remove: []int{1}},
		{name: "min groups filled where users are most", users: users(0, 10, 0), min: 2, max: 5, add: []int{1, 0}},
		{name: "ordering groups count as coming capacity", users: users(1800, 0, 0), groups: []policy.GroupView{g(0), pending(0)},
			min: 1, max: 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := policy.Decide(policy.DeliveryState{Users: tc.users, Groups: tc.groups, LatencyUS: lat3, TargetUS: 50_000,
				GroupCapacity: 1000 * policy.UserScale, MinGroups: tc.min, MaxGroups: tc.max})
			if !slices.Equal(d.Add, tc.add) || !slices.Equal(d.Remove, tc.remove) {
				t.Errorf("add %v remove %v; want add %v remove %v", d.Add, d.Remove, tc.add, tc.remove)
			}
			if left := len(tc.groups) - len(d.Remove) + len(d.Add); left > tc.max || (left < tc.min) {
				t.Errorf("%d groups after the decision; limits %d..%d", left, tc.min, tc.max)
			}
		})
	}
}

// TestDecideExactAtTheBoundary: the headroom and the "adds one more"
// checks are exact integer comparisons, so one thousandth of a user on
// either side of a boundary decides.
func TestDecideExactAtTheBoundary(t *testing.T) {
	g := policy.GroupView{Region: 0, Leased: true}
	for _, tc := range []struct {
		name        string
		users       int64 // thousandths
		groups      int
		add, remove int
	}{
		{"800.000 users on two groups: one goes (exactly 80 % of one)", 800_000, 2, 0, 1},
		{"800.001 users on two groups: both stay", 800_001, 2, 0, 0},
		{"1000.000 users on one group: served, no add", 1_000_000, 1, 0, 0},
		{"1000.001 users on one group: a second one for the thousandth", 1_000_001, 1, 1, 0},
		{"0.001 users and no group: one is added", 1, 0, 1, 0},
	} {
		s := policy.DeliveryState{Users: []int64{tc.users, 0, 0}, LatencyUS: lat3, TargetUS: 50_000,
			GroupCapacity: 1000 * policy.UserScale, MinGroups: 0, MaxGroups: 5}
		for range tc.groups {
			s.Groups = append(s.Groups, g)
		}
		d := policy.Decide(s)
		if len(d.Add) != tc.add || len(d.Remove) != tc.remove {
			t.Errorf("%s: add %v remove %v; want %d added, %d removed", tc.name, d.Add, d.Remove, tc.add, tc.remove)
		}
	}
}

func TestServeNearestFirst(t *testing.T) {
	a := policy.Serve([]int64{1500, 200, 100}, []int64{1000, 0, 500}, lat3, math.MaxInt64)
	// Region 0's users take region 0's capacity first, then 2's (150 ms);
	// region 1's get the rest of 2 after 0 is used up.
	if a.Flow[0][0] != 1000 || a.Flow[2][2] != 100 || a.Flow[0][2]+a.Flow[1][2] != 400 {
		t.Errorf("flows %v", a.Flow)
	}
	if got := a.Unserved[0] + a.Unserved[1] + a.Unserved[2]; got != 300 {
		t.Errorf("unserved %v, want 300 in all", a.Unserved)
	}
	within := policy.Serve([]int64{0, 500, 0}, []int64{1000, 0, 1000}, lat3, 50_000)
	if within.Flow[1][0] != 500 || within.Flow[1][2] != 0 {
		t.Errorf("within 50 ms: %v", within.Flow)
	}
}
