// Package tiers is the whitepaper's management tiers (section 5) on the
// simulated market: 5.1, a latency-optimised delivery network that adds
// groups near its users and removes them as they sleep, compared with one
// static datacenter; 5.2, an ML batch tier that leases workers for the jobs
// it has and releases them after, compared with static workers leased for
// the whole run.
//
// A tier is a tenant like any other: it uses only sim.World's public API
// (PostGroup, CloseDeployment, GroupStatus, Engine), so every order, bid,
// lease and payment goes through core/market and core/lease. The tier and
// its baseline run in the same world, so both meet the same market.
//
// Wiring: sim cannot import this package (it imports sim), so sim.Run takes
// the tiers as an option: Run(sc, opt) here sets opt.Tiers = Attach and
// calls sim.Run. sim.Run refuses a scenario with a tier on and no Tiers.
package tiers

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/policy"
	"github.com/akash-market/akash/sim"
)

// Run runs the scenario with its management tiers attached: sim.Run with
// opt.Tiers = Attach.
func Run(sc *sim.Scenario, opt sim.Options) (*sim.Result, error) {
	opt.Tiers = Attach
	return sim.Run(sc, opt)
}

// Attach starts the scenario's tiers in a world at time 0 (before it runs)
// and returns the function that, after the run, puts their results into
// the Result: Summary.Tiers (a *Summary), Tables (tiers_*.csv) and Plots
// (tiers_*.svg).
func Attach(w *sim.World) (func(*sim.Result) error, error) { return attach(w, nil) }

// DeliveryCheck is one decision of the delivery tier as the simulator made
// it: what core/policy.Decide saw and what it decided, with the region names
// its indices refer to. AttachObserved hands each one to a test that drives
// the chain's manager with the same load (provider/manage).
type DeliveryCheck struct {
	Height   int64
	Regions  []string
	State    policy.DeliveryState
	Decision policy.Decision
}

// AttachObserved is Attach with onDelivery called at every delivery check.
func AttachObserved(onDelivery func(DeliveryCheck)) func(*sim.World) (func(*sim.Result) error, error) {
	return func(w *sim.World) (func(*sim.Result) error, error) { return attach(w, onDelivery) }
}

func attach(w *sim.World, onDelivery func(DeliveryCheck)) (func(*sim.Result) error, error) {
	sc := w.Scenario()
	var dn *delivery
	var ml *mlBatch
	if cfg := sc.Tiers.DeliveryNetwork; cfg != nil {
		var err error
		if dn, err = startDelivery(w, cfg); err != nil {
			return nil, err
		}
		dn.observe = onDelivery
	}
	if cfg := sc.Tiers.MLBatch; cfg != nil {
		ml = startMLBatch(w, cfg)
	}
	return func(res *sim.Result) error {
		var s Summary
		if dn != nil {
			if err := errors.Join(dn.tier.err, dn.static.err); err != nil {
				return fmt.Errorf("tiers.delivery_network: %w", err)
			}
			s.DeliveryNetwork = dn.finish(res)
		}
		if ml != nil {
			if err := errors.Join(ml.elastic.pool.err, ml.static.pool.err); err != nil {
				return fmt.Errorf("tiers.ml_batch: %w", err)
			}
			s.MLBatch = ml.finish(res)
		}
		res.Summary.Tiers = &s
		return nil
	}, nil
}

func (d *delivery) finish(res *sim.Result) *DeliverySummary {
	hours := float64(d.endAt) / 3.6e12
	side := func(p *pool, a *servedAcc, g *groupStats) DeliverySide {
		s := DeliverySide{PoolStats: p.stats(), GroupsMax: p.maxGroups}
		s.MeanLatencyMS, s.P95LatencyMS = a.quantiles(d.latMS)
		s.WithinTargetShare = ratio(a.within, a.demand)
		s.ServedShare = ratio(a.served, a.demand)
		paid := p.paidExact()
		s.Cost = paid.ShortString()
		s.CostPerHour = ratio(decFloat(paid), hours)
		s.GroupsMean = ratio(g.sum, float64(g.n))
		s.GroupsMin = g.min
		return s
	}
	out := &DeliverySummary{LatencyTargetMS: d.targetMS(), GroupCapacity: d.groupCap, PeakUsers: d.peakTotal(),
		Checks: len(d.rows), Tier: side(d.tier, &d.tierAcc, &d.tierGroups), Static: side(d.static, &d.staticAcc, &d.staticGroups)}
	out.Static.Region = d.cfg.HomeRegion
	out.LatencySavedMS = out.Static.MeanLatencyMS - out.Tier.MeanLatencyMS
	out.CostRatio = ratio(decFloat(d.tier.paidExact()), decFloat(d.static.paidExact()))

	res.Tables = append(res.Tables, sim.Table{File: "tiers_delivery_network.csv",
		Header: []string{"time_h", "height", "users", "tier_groups", "tier_leased", "tier_latency_ms", "tier_cost",
			"static_groups", "static_leased", "static_latency_ms", "static_cost"}, Rows: d.rows})
	x := d.ts.hours
	res.Plots = append(res.Plots,
		sim.Plot{File: "tiers_delivery_latency.svg", Title: "5.1 delivery network: mean latency served", XLabel: "hours", YLabel: "ms",
			Series: []sim.Series{{Name: "tier", X: x, Y: d.ts.tierLat}, {Name: "static " + d.cfg.HomeRegion, X: x, Y: d.ts.staticLat}}},
		sim.Plot{File: "tiers_delivery_cost.svg", Title: "5.1 delivery network: cumulative cost", XLabel: "hours", YLabel: "paid (" + d.w.Denom() + ")",
			Series: []sim.Series{{Name: "tier", X: x, Y: d.ts.tierCost}, {Name: "static", X: x, Y: d.ts.staticCost}}},
		sim.Plot{File: "tiers_delivery_groups.svg", Title: "5.1 delivery network: groups and users", XLabel: "hours", YLabel: "groups; users ÷ group capacity",
			Series: []sim.Series{{Name: "tier groups", X: x, Y: d.ts.tierGroups}, {Name: "static groups", X: x, Y: d.ts.staticGroups},
				{Name: "users ÷ capacity", X: x, Y: scaled(d.ts.demand, 1/d.groupCap)}}})
	return out
}

func (m *mlBatch) finish(res *sim.Result) *MLSummary {
	out := &MLSummary{Jobs: len(m.jobs), WorkersPerJob: m.elastic.perJob,
		Elastic: m.elastic.side(m.jobs), Static: m.static.side(m.jobs)}
	for _, j := range m.jobs {
		out.WorkHours += float64(j.work) / 3.6e12
	}
	out.CostRatio = ratio(decFloat(m.elastic.pool.paidExact()), decFloat(m.static.pool.paidExact()))
	out.IdleHoursSaved = out.Static.IdleWorkerHours - out.Elastic.IdleWorkerHours
	out.CompletionRatio = ratio(out.Elastic.CompletionMeanH, out.Static.CompletionMeanH)

	res.Tables = append(res.Tables, sim.Table{File: "tiers_ml_batch.csv",
		Header: []string{"time_h", "height", "jobs_arrived", "jobs_open_elastic", "elastic_workers", "elastic_leased", "elastic_busy",
			"elastic_done", "elastic_cost", "static_workers", "static_leased", "static_busy", "static_done", "static_cost"}, Rows: m.rows})
	x := m.ts.hours
	res.Plots = append(res.Plots,
		sim.Plot{File: "tiers_ml_workers.svg", Title: "5.2 ML batch: workers leased and busy", XLabel: "hours", YLabel: "workers",
			Series: []sim.Series{{Name: "elastic leased", X: x, Y: m.ts.eLeased}, {Name: "elastic busy", X: x, Y: m.ts.eBusy},
				{Name: "static leased", X: x, Y: m.ts.sLeased}, {Name: "static busy", X: x, Y: m.ts.sBusy}}},
		sim.Plot{File: "tiers_ml_cost.svg", Title: "5.2 ML batch: cumulative cost", XLabel: "hours", YLabel: "paid (" + m.w.Denom() + ")",
			Series: []sim.Series{{Name: "elastic", X: x, Y: m.ts.eCost}, {Name: "static", X: x, Y: m.ts.sCost}}},
		sim.Plot{File: "tiers_ml_jobs.svg", Title: "5.2 ML batch: jobs not yet done (elastic)", XLabel: "hours", YLabel: "jobs",
			Series: []sim.Series{{Name: "open jobs", X: x, Y: m.ts.queue}}})
	return out
}

func scaled(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * k
	}
	return out
}
