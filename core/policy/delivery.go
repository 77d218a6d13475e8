package policy

import (
	"cmp"
	"math"
	"slices"
)

// ScaleDownUtilisation is the hysteresis of the delivery tier: a group is
// removed only if the groups left would still serve every user they serve
// now within the target with demand scaled up by 1/ScaleDownUtilisation
// (20 % headroom), so a region hovering at a group boundary does not flap.
const ScaleDownUtilisation = 0.8

// UnmetEps ignores rounding dust in float user counts.
const UnmetEps = 1e-6

// DeliveryState is what the delivery tier sees at a check.
type DeliveryState struct {
	Users   []float64   // concurrent users by region
	Groups  []GroupView // the tier's groups alive now (leased or still ordering)
	Latency [][]float64 // ms, by region × region
	// TargetMS is the latency target: only replicas within it count as
	// serving a region's users when deciding.
	TargetMS float64
	// GroupCapacity is the users one group serves (users_per_replica × count).
	GroupCapacity float64
	MinGroups     int
	MaxGroups     int
}

// GroupView is one group as the decision sees it.
type GroupView struct {
	Region int  // where the group is placed (its required region)
	Leased bool // false: its order is still open (counts as coming capacity)
}

// Decision says which regions get a new group and which groups go.
type Decision struct {
	Add    []int // a region index per new group
	Remove []int // indices into DeliveryState.Groups, ascending
}

// Decide is the delivery tier's scaling rule, a pure function:
//
//  1. Remove: while more than MinGroups remain, remove a group if the rest
//     would serve, with 20 % headroom (ScaleDownUtilisation), as many users
//     within the target as all of them serve now. Candidates are tried
//     still-ordering groups first, then those in the regions with the fewest
//     users, newest first.
//  2. Add: while users are unserved within the target and fewer than
//     MaxGroups remain, add a group in the region nearest to the region with
//     the most unserved users (its own region when it is closest), never in a
//     region a group was just removed from, and only while adding helps.
//  3. Fill up to MinGroups: regions without a group first, then those
//     with the most users.
func Decide(s DeliveryState) Decision {
	var d Decision
	n := len(s.Users)
	alive := make([]bool, len(s.Groups))
	for i := range alive {
		alive[i] = true
	}
	count := len(s.Groups)
	capOf := func(extra []int, scale float64) []float64 {
		c := make([]float64, n)
		for i, g := range s.Groups {
			if alive[i] {
				c[g.Region] += s.GroupCapacity * scale
			}
		}
		for _, r := range extra {
			c[r] += s.GroupCapacity * scale
		}
		return c
	}
	pairs := servePairs(s.Latency, s.TargetMS)
	unmet := func(c []float64) []float64 { return unserved(s.Users, c, pairs) }
	base := Sum(unmet(capOf(nil, 1)))

	// 1. Remove.
	order := make([]int, len(s.Groups))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ga, gb := s.Groups[a], s.Groups[b]
		if ga.Leased != gb.Leased {
			if !ga.Leased {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(s.Users[ga.Region], s.Users[gb.Region]); c != 0 {
			return c
		}
		return cmp.Compare(b, a) // newest first
	})
	removedIn := make([]bool, n)
	for changed := true; changed && count > s.MinGroups; {
		changed = false
		for _, i := range order {
			if !alive[i] || count <= s.MinGroups {
				continue
			}
			alive[i] = false
			if Sum(unmet(capOf(nil, ScaleDownUtilisation))) <= base+UnmetEps {
				count--
				removedIn[s.Groups[i].Region] = true
				d.Remove = append(d.Remove, i)
				changed = true
				break
			}
			alive[i] = true
		}
	}
	slices.Sort(d.Remove)

	// 2. Add near unmet demand.
	for count < s.MaxGroups {
		un := unmet(capOf(d.Add, 1))
		total := Sum(un)
		if total <= UnmetEps {
			break
		}
		worst := 0
		for r := range un {
			if un[r] > un[worst] {
				worst = r
			}
		}
		best, bestLat := -1, math.Inf(1)
		for r := range n {
			if !removedIn[r] && s.Latency[worst][r] < bestLat {
				best, bestLat = r, s.Latency[worst][r]
			}
		}
		if best < 0 {
			break
		}
		if Sum(unmet(capOf(append(slices.Clone(d.Add), best), 1))) >= total-UnmetEps {
			break // a group there would serve no one more within the target
		}
		d.Add = append(d.Add, best)
		count++
	}

	// 3. Keep MinGroups.
	if count < s.MinGroups {
		byUsers := make([]int, n)
		for i := range byUsers {
			byUsers[i] = i
		}
		has := make([]bool, n)
		for i, g := range s.Groups {
			if alive[i] {
				has[g.Region] = true
			}
		}
		for _, r := range d.Add {
			has[r] = true
		}
		// Regions without a group first, then by users, most first.
		slices.SortStableFunc(byUsers, func(a, b int) int {
			if has[a] != has[b] {
				if !has[a] {
					return -1
				}
				return 1
			}
			return cmp.Compare(s.Users[b], s.Users[a])
		})
		for k := 0; count < s.MinGroups && n > 0; k++ {
			d.Add = append(d.Add, byUsers[k%n])
			count++
		}
	}
	return d
}
