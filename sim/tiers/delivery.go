package tiers

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/akash-market/akash/core/policy"
	"github.com/akash-market/akash/sim"
	"github.com/akash-market/akash/sim/engine"
)

// DeliveryOwner and DeliveryStaticOwner are the tenant addresses of the
// delivery tier's groups and of its static baseline (lease rows carry them).
const (
	DeliveryOwner       = "tier/delivery-network"
	DeliveryStaticOwner = "tier/delivery-static"
)

// delivery is the whitepaper's 5.1 tier and its baseline, in one world: the
// tier follows the users with groups near them; the baseline is one
// datacenter (home_region) provisioned for the day's peak of all users. Both
// bid in the same market, so both pay that market's prices.
type delivery struct {
	w        *sim.World
	cfg      *sim.DeliveryNetwork
	users    []sim.DiurnalLoad // by region index; zero where no users
	lat      [][]int64         // µs, what core/policy decides on
	latMS    [][]float64       // the same in ms, for the metrics
	groupCap float64
	home     int
	staticN  int
	every    engine.Duration
	endAt    engine.Time

	tier, static *pool
	tierAcc      servedAcc
	staticAcc    servedAcc
	tierGroups   groupStats
	staticGroups groupStats
	rows         [][]string
	ts           deliverySeries
	observe      func(DeliveryCheck) // nil: nobody watches
}

// deliverySeries are the plots' lines, one point per check.
type deliverySeries struct {
	hours, demand, tierLat, staticLat, tierCost, staticCost, tierGroups, staticGroups []float64
}

// servedAcc accumulates served users over the run's checks, by the latency
// they were served at (one weight per region pair).
type servedAcc struct {
	demand, served, within float64
	weight                 [][]float64 // [users' region][replicas' region] user-checks
}

type groupStats struct {
	sum float64
	n   int
	min int
	max int
}

func (g *groupStats) add(k int) {
	if g.n == 0 || k < g.min {
		g.min = k
	}
	g.max = max(g.max, k)
	g.sum += float64(k)
	g.n++
}

func startDelivery(w *sim.World, cfg *sim.DeliveryNetwork) (*delivery, error) {
	names := w.Regions()
	d := &delivery{w: w, cfg: cfg, users: make([]sim.DiurnalLoad, len(names)), home: -1,
		lat: LatencyMatrix(w.Scenario().Regions, names), every: cfg.CheckEvery.Sim()}
	d.latMS = millis(d.lat)
	for i, n := range names {
		d.users[i] = cfg.Users[n]
		if n == cfg.HomeRegion {
			d.home = i
		}
	}
	if d.home < 0 {
		return nil, fmt.Errorf("tiers.delivery_network.home_region: %q is not among the regions %v", cfg.HomeRegion, names)
	}
	d.groupCap = cfg.UsersPerReplica * float64(max(cfg.Shape.Count, 1))
	d.staticN = int(math.Ceil(d.peakTotal()/d.groupCap - unmetEps))
	d.staticN = max(d.staticN, 1)
	if d.every <= 0 {
		d.every = engine.Duration(5 * time.Minute)
	}
	d.endAt = engine.Time(engine.Duration(w.EndHeight()) * w.BlockTime())
	spec := sim.GroupSpec{Shape: cfg.Shape, MaxPrice: cfg.MaxPrice}
	d.tier = newPool(w, DeliveryOwner, spec)
	d.static = newPool(w, DeliveryStaticOwner, spec)
	d.tierAcc.init(len(names))
	d.staticAcc.init(len(names))
	w.Engine().After(0, engine.HandlerFunc(d.check))
	return d, nil
}

func (a *servedAcc) init(n int) {
	a.weight = make([][]float64, n)
	for i := range a.weight {
		a.weight[i] = make([]float64, n)
	}
}

// peakTotal is the day's peak of all regions' users together, sampled every
// minute: what one datacenter must hold to serve everyone at every hour.
func (d *delivery) peakTotal() float64 {
	peak := 0.0
	for m := range 24 * 60 {
		peak = max(peak, sum(d.demand(time.Duration(m)*time.Minute)))
	}
	return peak
}

func (d *delivery) demand(t time.Duration) []float64 {
	u := make([]float64, len(d.users))
	for i, l := range d.users {
		u[i] = Load(l, t)
	}
	return u
}

// check is the tier's periodic work: measure how the users are served now,
// rescale the tier, keep the baseline whole, and record a row.
func (d *delivery) check(s *engine.Sim) {
	now := s.Now()
	users := d.demand(time.Duration(now))
	tierLat := d.tierAcc.record(users, d.capacity(d.tier), d.lat, d.latMS, d.targetMS())
	staticLat := d.staticAcc.record(users, d.capacity(d.static), d.lat, d.latMS, d.targetMS())

	// The decision sees the users in core/policy's integer unit; the
	// metrics above measure the continuous curve.
	st := policy.DeliveryState{Users: make([]int64, len(users)), LatencyUS: d.lat, TargetUS: micros(time.Duration(d.cfg.LatencyTarget)),
		GroupCapacity: userUnits(d.groupCap), MinGroups: d.cfg.MinGroups, MaxGroups: d.cfg.MaxGroups}
	for r, u := range users {
		st.Users[r] = userUnits(u)
	}
	for _, g := range d.tier.groups {
		st.Groups = append(st.Groups, policy.GroupView{Region: g.region, Leased: g.leased})
	}
	dec := policy.Decide(st)
	if d.observe != nil {
		d.observe(DeliveryCheck{Height: d.w.Height(), Regions: d.w.Regions(), State: st, Decision: dec})
	}
	gone := make([]*group, 0, len(dec.Remove))
	for _, i := range dec.Remove {
		gone = append(gone, d.tier.groups[i])
	}
	for _, g := range gone {
		d.tier.remove(g)
	}
	for _, r := range dec.Add {
		d.tier.add(r)
	}
	for len(d.static.groups) < d.staticN && d.static.err == nil {
		d.static.add(d.home)
	}
	d.tierGroups.add(len(d.tier.groups))
	d.staticGroups.add(len(d.static.groups))

	h := d.w.Height()
	hours := float64(now) / float64(engine.Hour)
	tc, sc := d.tier.costSoFar(h), d.static.costSoFar(h)
	d.ts.hours = append(d.ts.hours, hours)
	d.ts.demand = append(d.ts.demand, sum(users))
	d.ts.tierLat = append(d.ts.tierLat, tierLat)
	d.ts.staticLat = append(d.ts.staticLat, staticLat)
	d.ts.tierCost = append(d.ts.tierCost, tc)
	d.ts.staticCost = append(d.ts.staticCost, sc)
	d.ts.tierGroups = append(d.ts.tierGroups, float64(len(d.tier.groups)))
	d.ts.staticGroups = append(d.ts.staticGroups, float64(len(d.static.groups)))
	d.rows = append(d.rows, []string{ff(hours, 4), fmt.Sprint(h), ff(sum(users), 1),
		fmt.Sprint(len(d.tier.groups)), fmt.Sprint(d.tier.leasedCount()), ff(tierLat, 2), ff(tc, 6),
		fmt.Sprint(len(d.static.groups)), fmt.Sprint(d.static.leasedCount()), ff(staticLat, 2), ff(sc, 6)})

	if d.tier.err == nil && d.static.err == nil && now.Add(d.every) <= d.endAt {
		s.After(d.every, engine.HandlerFunc(d.check))
	}
}

func (d *delivery) targetMS() float64 {
	return float64(d.cfg.LatencyTarget) / float64(time.Millisecond)
}

// capacity is the users the pool's leased replicas can take, by the region
// their providers are in.
func (d *delivery) capacity(p *pool) []float64 {
	c := make([]float64, len(d.users))
	for _, g := range p.groups {
		if g.leased && g.provReg >= 0 {
			c[g.provReg] += d.groupCap
		}
	}
	return c
}

// record serves users from capacity and adds the result to the
// accumulator; it returns the mean latency of the users served now
// (NaN-free: 0 when no one is served). The pairs are filled in
// core/policy.Serve's order (nearest first, no latency limit), over the
// continuous users of the load curve.
func (a *servedAcc) record(users, capacity []float64, latUS [][]int64, lat [][]float64, targetMS float64) float64 {
	n := len(users)
	flow := make([][]float64, n)
	for u := range flow {
		flow[u] = make([]float64, n)
	}
	un, left := slices.Clone(users), slices.Clone(capacity)
	for _, p := range policy.ServeOrder(latUS, math.MaxInt64) {
		f := min(un[p.U], left[p.S])
		if f <= 0 {
			continue
		}
		flow[p.U][p.S] += f
		un[p.U] -= f
		left[p.S] -= f
	}
	served, latSum := 0.0, 0.0
	for u := range flow {
		a.demand += users[u]
		for s, f := range flow[u] {
			if f <= 0 {
				continue
			}
			a.weight[u][s] += f
			served += f
			latSum += f * lat[u][s]
			if lat[u][s] <= targetMS {
				a.within += f
			}
		}
	}
	a.served += served
	if served == 0 {
		return 0
	}
	return latSum / served
}

// quantiles returns the user-weighted mean and 95th percentile latency of
// the users served over the run.
func (a *servedAcc) quantiles(lat [][]float64) (mean, p95 float64) {
	type wl struct{ lat, w float64 }
	var xs []wl
	total := 0.0
	for u := range a.weight {
		for s, w := range a.weight[u] {
			if w > 0 {
				xs = append(xs, wl{lat[u][s], w})
				total += w
				mean += w * lat[u][s]
			}
		}
	}
	if total == 0 {
		return 0, 0
	}
	slices.SortStableFunc(xs, func(x, y wl) int { return cmp.Compare(x.lat, y.lat) })
	acc := 0.0
	for _, x := range xs {
		acc += x.w
		if acc >= 0.95*total {
			p95 = x.lat
			break
		}
	}
	return mean / total, p95
}
