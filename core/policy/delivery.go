package policy

import (
	"cmp"
	"slices"
)

// UserScale is the number of user units in one user: both modes count
// users in thousandths, so a load that is an average (the simulator's
// diurnal curve, a gauge of a moving mean) is kept to 0.001 user, exactly.
// A caller converts a user count x by rounding x × UserScale to the nearest
// integer (half away from zero).
const UserScale = 1000

// ScaleDownUtilisationBP is the hysteresis of the delivery tier, in basis
// points: a group is removed only if the groups left, at 80 % of their
// capacity, would still serve every user they serve now within the target
// (20 % headroom), so a region hovering at a group boundary does not flap.
// The check is exact: users × 10000 against capacity × 8000.
const ScaleDownUtilisationBP = 8000

// DeliveryState is what the delivery tier sees at a check. Users and
// GroupCapacity are in one unit (1/UserScale of a user); latencies in
// microseconds. Everything is an integer: the same state gives the same
// decision on every machine. Users summed over the regions, times 10000,
// must fit an int64 (up to 9.2e11 users at UserScale).
type DeliveryState struct {
	Users     []int64     // concurrent users by region, in 1/UserScale of a user
	Groups    []GroupView // the tier's groups alive now (leased or still ordering)
	LatencyUS [][]int64   // round trip in µs, by region × region
	// TargetUS is the latency target in µs: only replicas within it count
	// as serving a region's users when deciding.
	TargetUS int64
	// GroupCapacity is the users one group serves (users_per_replica ×
	// count), in Users' unit.
	GroupCapacity int64
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
//     would serve, with 20 % headroom (ScaleDownUtilisationBP), as many
//     users within the target as all of them serve now. Candidates are
//     tried still-ordering groups first, then those in the regions with the
//     fewest users, newest first.
//  2. Add: while users are unserved within the target and fewer than
//     MaxGroups remain, add a group in the region nearest to the region with
//     the most unserved users (its own region when it is closest; ties to
//     the lowest index), never in a region a group was just removed from,
//     and only while adding serves at least one more unit.
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
	capacity, un, left := make([]int64, n), make([]int64, n), make([]int64, n)
	// capOf fills capacity with the alive groups' and extra's, each group
	// mul × GroupCapacity.
	capOf := func(extra []int, mul int64) []int64 {
		clear(capacity)
		for i, g := range s.Groups {
			if alive[i] {
				capacity[g.Region] += s.GroupCapacity * mul
			}
		}
		for _, r := range extra {
			capacity[r] += s.GroupCapacity * mul
		}
		return capacity
	}
	pairs := ServeOrder(s.LatencyUS, s.TargetUS)
	base := unserved(s.Users, capOf(nil, 1), un, left, pairs)

	// 1. Remove: users × 10000 against capacity × ScaleDownUtilisationBP
	// is users against 80 % of the capacity, with no rounding.
	const bp = 10000
	usersBP := make([]int64, n)
	for r, u := range s.Users {
		usersBP[r] = u * bp
	}
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
			if unserved(usersBP, capOf(nil, ScaleDownUtilisationBP), un, left, pairs) <= base*bp {
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
		total := unserved(s.Users, capOf(d.Add, 1), un, left, pairs)
		if total == 0 {
			break
		}
		worst := 0
		for r := range un {
			if un[r] > un[worst] {
				worst = r
			}
		}
		best := -1
		for r := range n {
			if !removedIn[r] && (best < 0 || s.LatencyUS[worst][r] < s.LatencyUS[worst][best]) {
				best = r
			}
		}
		if best < 0 {
			break
		}
		if unserved(s.Users, capOf(append(slices.Clone(d.Add), best), 1), un, left, pairs) >= total {
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
