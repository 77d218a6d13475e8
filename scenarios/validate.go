package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"

	"github.com/akash-market/akash/sim"
)

// ArrivalProcesses are the tenant arrival processes.
var ArrivalProcesses = []string{"poisson", "diurnal", "trace"}

// DistKinds are the kinds of Dist ("" is "not set").
var DistKinds = []string{"const", "uniform", "exponential", "lognormal"}

const bpsMax = 10_000

// Validate checks a filled scenario (Defaults, or a file decoded on them) and
// returns every problem at once as sim.ValidationErrors, or nil. sim.Run
// takes the scenario as it is: Load and Check call Validate, and a
// scenario built in Go should pass it before it runs. It checks each
// key on its own (ranges, kinds, names) and the keys against each other
// (regions that are referenced exist, a sample interval that is a multiple of
// the block time, shapes some provider can hold).
func Validate(sc *sim.Scenario) error {
	v := &validator{sc: sc, regions: map[string]bool{}}
	v.name()
	v.top()
	v.market()
	v.regionList()
	for i := range sc.Tenants {
		v.tenant(fmt.Sprintf("tenants[%d]", i), &sc.Tenants[i])
	}
	v.uniqueNames()
	for i := range sc.Providers {
		v.provider(fmt.Sprintf("providers[%d]", i), &sc.Providers[i])
	}
	v.supply()
	if t := sc.Tiers.DeliveryNetwork; t != nil {
		v.deliveryNetwork("tiers.delivery_network", t)
	}
	if t := sc.Tiers.MLBatch; t != nil {
		v.mlBatch("tiers.ml_batch", t)
	}
	v.metrics()
	v.outputs()
	v.footprint()
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

type validator struct {
	sc      *sim.Scenario
	regions map[string]bool
	errs    sim.ValidationErrors
}

func (v *validator) add(path, problem, hint string) {
	v.errs = append(v.errs, sim.FieldError{Path: path, Problem: problem, Hint: hint})
}

// extension adds the problems an extension key's own validation found
// (sim.Extension.Validate: a registered kind, then its Check).
func (v *validator) extension(errs sim.ValidationErrors) { v.errs = append(v.errs, errs...) }

func (v *validator) top() {
	sc := v.sc
	if sc.BlockTime <= 0 {
		v.add("block_time", fmt.Sprintf("is %s; blocks need a positive interval", fmtDur(sc.BlockTime)), "use e.g. 6s (Akash's block time)")
	}
	if sc.Duration <= 0 {
		v.add("duration", fmt.Sprintf("is %s; nothing would run", fmtDur(sc.Duration)), "use e.g. 24h")
	} else if sc.BlockTime > 0 && sc.Duration < sc.BlockTime {
		v.add("duration", fmt.Sprintf("%s is shorter than one block (%s)", fmtDur(sc.Duration), fmtDur(sc.BlockTime)), "make it at least block_time")
	}
	switch {
	case sc.SampleEvery <= 0:
		v.add("sample_every", fmt.Sprintf("is %s; the time series needs a positive interval", fmtDur(sc.SampleEvery)), "use a multiple of block_time, e.g. 10m")
	case sc.BlockTime > 0 && sc.SampleEvery%sc.BlockTime != 0:
		v.add("sample_every", fmt.Sprintf("%s is not a multiple of block_time %s", fmtDur(sc.SampleEvery), fmtDur(sc.BlockTime)),
			fmt.Sprintf("samples are taken on blocks; use %s or %s", fmtDur(sc.SampleEvery/sc.BlockTime*sc.BlockTime), fmtDur((sc.SampleEvery/sc.BlockTime+1)*sc.BlockTime)))
	}
}

func (v *validator) market() {
	m := &v.sc.Market
	if !money.ValidDenom(m.Denom) {
		v.add("market.denom", fmt.Sprintf("%q is not a denomination", m.Denom), "use 3 to 128 characters starting with a letter, e.g. uakt")
	}
	if m.BiddingWindow <= 0 {
		v.add("market.bidding_window", fmt.Sprintf("is %s; orders would close before any bid", fmtDur(m.BiddingWindow)), "use a few blocks, e.g. 30s")
	} else if m.BiddingWindow < v.sc.BlockTime {
		v.add("market.bidding_window", fmt.Sprintf("%s is shorter than one block (%s)", fmtDur(m.BiddingWindow), fmtDur(v.sc.BlockTime)), "orders close on blocks; use at least block_time")
	}
	if m.WithdrawEvery > 0 && m.WithdrawEvery < v.sc.BlockTime {
		v.add("market.withdraw_every", fmt.Sprintf("%s is shorter than one block (%s)", fmtDur(m.WithdrawEvery), fmtDur(v.sc.BlockTime)),
			"use 0s (withdraw only when a lease closes) or at least block_time, e.g. 1h")
	}
	if m.TakeRateBPS > bpsMax {
		v.add("market.take_rate_bps", fmt.Sprintf("%d is more than 100%%", m.TakeRateBPS), "use basis points 0..10000 (200 = 2%)")
	}
	if m.SlashFaultBPS > bpsMax {
		v.add("market.slash_fault_bps", fmt.Sprintf("%d is more than 100%%", m.SlashFaultBPS), "use basis points 0..10000 (100 = 1%)")
	}
	if m.Reference.CPU.IsZero() {
		v.add("market.reference.cpu", "is 0; every shape asks for cpu, so valuations and costs would be 0", "use a price per core per block, e.g. 1")
	}
	if m.Reference.Memory.IsZero() {
		v.add("market.reference.memory", "is 0; every shape asks for memory, so its valuation would be 0", "use a price per GiB per block, e.g. 0.5")
	}
	if mode, err := market.ParseMatching(m.Matching); err != nil {
		v.add("market.matching", fmt.Sprintf("is %q", m.Matching), "use auto (lowest eligible price wins at the close) or tenant (each tenant picks a bid by its class's choice)")
	} else if mode == market.MatchingTenant && m.BidTimeout < v.sc.BlockTime {
		v.add("market.bid_timeout", fmt.Sprintf("%s is shorter than one block (%s)", fmtDur(m.BidTimeout), fmtDur(v.sc.BlockTime)), "tenants need at least one block to pick; use e.g. 5m")
	}
	sealed := false
	for _, t := range v.sc.Tenants {
		sealed = sealed || t.SealedShare > 0
	}
	if sealed && m.RevealWindow <= 0 {
		v.add("market.reveal_window", "is 0 but some tenants ask for sealed bids, which need time to reveal", "use a few blocks, e.g. 30s")
	}
	if v.gpuAsked() && m.Reference.GPU.IsZero() {
		v.add("market.reference.gpu", "is 0 but some shapes ask for GPUs", "use a price per GPU per block, e.g. 60")
	}
}

func (v *validator) gpuAsked() bool {
	for _, t := range v.sc.Tenants {
		for _, s := range t.Demand {
			if s.GPU > 0 {
				return true
			}
		}
	}
	if t := v.sc.Tiers.MLBatch; t != nil && t.Worker.GPU > 0 {
		return true
	}
	return v.sc.Tiers.DeliveryNetwork != nil && v.sc.Tiers.DeliveryNetwork.Shape.GPU > 0
}

func (v *validator) regionList() {
	if len(v.sc.Regions) == 0 {
		v.add("regions", "is empty; providers need a place to be", "list at least one region, e.g. - name: us-east")
	}
	for i, r := range v.sc.Regions {
		path := fmt.Sprintf("regions[%d].name", i)
		switch {
		case r.Name == "":
			v.add(path, "is empty", "name the region, e.g. us-east")
		case !validRegionName(r.Name):
			v.add(path, fmt.Sprintf("%q has characters a placement attribute cannot carry", r.Name), "use letters, digits, '-' and '_'")
		case v.regions[r.Name]:
			v.add(path, fmt.Sprintf("%q is listed twice", r.Name), "give each region one entry")
		}
		v.regions[r.Name] = true
	}
	for i, r := range v.sc.Regions {
		for _, to := range sortedKeys(r.Latency) {
			if !v.regions[to] {
				v.add(fmt.Sprintf("regions[%d].latency.%s", i, to), fmt.Sprintf("%q is not a region", to), v.regionHint())
			}
		}
	}
}

func validRegionName(s string) bool {
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}

func (v *validator) regionHint() string {
	names := make([]string, 0, len(v.sc.Regions))
	for _, r := range v.sc.Regions {
		names = append(names, r.Name)
	}
	if len(names) == 0 {
		return "add the region under regions"
	}
	return "use one of " + strings.Join(names, ", ") + " or add it under regions"
}

func (v *validator) tenant(path string, t *sim.TenantClass) {
	a := &t.Arrival
	if !slices.Contains(ArrivalProcesses, a.Process) {
		v.add(path+".arrival.process", fmt.Sprintf("%q is not an arrival process", a.Process), "use one of "+strings.Join(ArrivalProcesses, ", "))
	}
	v.nonNegative(path+".arrival.rate_per_hour", a.RatePerHour, "tenants per hour")
	if a.Process != "trace" && a.RatePerHour == 0 {
		v.add(path+".arrival.rate_per_hour", "is 0; no tenant of this class would arrive", "use tenants per hour, e.g. 300, or remove the class")
	}
	v.probability(path+".arrival.amplitude", a.Amplitude)
	if a.PeakAt >= sim.Duration(24*time.Hour) {
		v.add(path+".arrival.peak_at", fmt.Sprintf("%s is not a time of day", fmtDur(a.PeakAt)), "use 0s..23h59m, e.g. 15h")
	}
	switch {
	case a.Process == "trace" && a.TraceFile == "":
		v.add(path+".arrival.trace_file", "is empty but process is trace", "name a file with one arrival time (seconds from start) per line")
	case a.Process != "trace" && a.TraceFile != "":
		v.add(path+".arrival.trace_file", fmt.Sprintf("is only read by process trace, and process is %q", a.Process), "set process: trace or remove trace_file")
	}
	if len(t.Demand) > 0 {
		total := 0.0
		for j := range t.Demand {
			sp := fmt.Sprintf("%s.demand[%d]", path, j)
			v.shape(sp, &t.Demand[j])
			v.nonNegative(sp+".weight", t.Demand[j].Weight, "a relative weight")
			if w := t.Demand[j].Weight; w > 0 && !math.IsInf(w, 0) {
				total += w
			}
		}
		if total == 0 {
			v.add(path+".demand", "every shape has weight 0; none could be drawn", "give at least one shape a positive weight")
		}
	}
	v.weights(path+".regions", t.Regions)
	v.dist(path+".valuation", t.Valuation, true, "a multiple of the reference cost, e.g. {kind: lognormal, mean: 1.5, std: 0.4}")
	v.dist(path+".deposit_blocks", t.DepositBlocks, true, "blocks of the max price, e.g. {kind: const, value: 3600}")
	if t.TopUp.BelowBlocks < 0 {
		v.add(path+".top_up.below_blocks", fmt.Sprintf("is %d", t.TopUp.BelowBlocks), "use a number of blocks ≥ 0")
	}
	v.probability(path+".top_up.probability", t.TopUp.Probability)
	v.dist(path+".lease_length", t.LeaseLength, true, "seconds, e.g. {kind: lognormal, mean: 14400, std: 21600}")
	v.probability(path+".sealed_share", t.SealedShare)
	v.choice(path+".choice", &t.Choice)
	if t.MinReputation > bpsMax {
		v.add(path+".min_reputation", fmt.Sprintf("%d is above the top reputation", t.MinReputation), "use basis points 0..10000")
	}
	v.extension(t.Agent.Validate(path+".agent", v.sc))
}

func (v *validator) uniqueNames() {
	seen := map[string]bool{}
	for i, t := range v.sc.Tenants {
		if t.Name != "" && seen[t.Name] {
			v.add(fmt.Sprintf("tenants[%d].name", i), fmt.Sprintf("%q names two tenant classes", t.Name), "give each class its own name; outputs are keyed by it")
		}
		seen[t.Name] = true
	}
}

func (v *validator) provider(path string, p *sim.ProviderClass) {
	for i, q := range v.sc.Providers {
		if &v.sc.Providers[i] == p {
			break
		}
		if q.Name == p.Name && p.Name != "" {
			v.add(path+".name", fmt.Sprintf("%q names two provider classes", p.Name), "give each class its own name; outputs are keyed by it")
			break
		}
	}
	if p.Count < 0 {
		v.add(path+".count", fmt.Sprintf("is %d", p.Count), "use a number of providers ≥ 0")
	}
	v.weights(path+".regions", p.Regions)
	for _, k := range sortedKeys(p.Attributes) {
		switch k {
		case "":
			v.add(path+".attributes", "has an empty key", "name every attribute")
		case "region":
			v.add(path+".attributes.region", "is set by regions, not by attributes", "move it to regions: {"+p.Attributes[k]+": 1}")
		}
	}
	c := &p.Capacity
	if c.CPU == 0 {
		v.add(path+".capacity.cpu", "is 0; the provider could hold nothing", "use cores, e.g. 32")
	}
	if c.Memory == 0 {
		v.add(path+".capacity.memory", "is 0; the provider could hold nothing", "use a size, e.g. 128Gi")
	}
	v.dist(path+".cost", p.Cost, true, "a multiple of the reference prices, e.g. {kind: uniform, min: 0.5, max: 0.9}")
	v.extension(p.Pricing.Validate(path+".pricing", v.sc))
	v.extension(p.Agent.Validate(path+".agent", v.sc))
	v.dist(path+".bid_latency", p.BidLatency, true, "seconds, e.g. {kind: uniform, min: 1, max: 12}")
	if w := v.sc.Market.BiddingWindow; w > 0 && lowest(p.BidLatency) >= time.Duration(w).Seconds() {
		v.add(path+".bid_latency", fmt.Sprintf("is never under the bidding window (%s): every bid would come too late", fmtDur(w)),
			"make it shorter than market.bidding_window")
	}
	v.probability(path+".bid_probability", p.BidProbability)
	v.dist(path+".mtbf", p.MTBF, false, "seconds between failures, e.g. {kind: exponential, mean: 604800}")
	v.dist(path+".mttr", p.MTTR, false, "seconds to repair, e.g. {kind: exponential, mean: 3600}")
	switch {
	case p.MTBF.Kind != "" && p.MTTR.Kind == "":
		v.add(path+".mttr", "is not set but mtbf is: a failed provider would never come back", "give a repair time, e.g. {kind: exponential, mean: 3600}")
	case p.MTBF.Kind == "" && p.MTTR.Kind != "":
		v.add(path+".mttr", "is set but mtbf is not, so the provider never fails", "set mtbf too, or remove mttr")
	}
	v.dist(path+".lifetime", p.Lifetime, false, "seconds a provider stays, e.g. {kind: exponential, mean: 1209600}")
	v.nonNegative(path+".join_per_day", p.JoinPerDay, "providers per day")
}

// metrics checks the scenario's metrics: registered kinds, each once.
func (v *validator) metrics() {
	seen := map[string]bool{}
	for i, m := range v.sc.Metrics {
		path := fmt.Sprintf("metrics[%d]", i)
		if seen[m.Kind] {
			v.add(path+".kind", fmt.Sprintf("%q is listed twice", m.Kind), "list each metric once; summary.json keys its figures by kind")
			continue
		}
		seen[m.Kind] = true
		v.extension(m.Validate(path, v.sc))
	}
}

// supply checks what the classes give together: some provider to bid, and
// room somewhere for every shape asked for.
func (v *validator) supply() {
	some := false
	for _, p := range v.sc.Providers {
		some = some || p.Count > 0 || p.JoinPerDay > 0
	}
	if !some {
		v.add("providers", "has no provider (every count and join_per_day is 0); no order could be filled", "give a class a count, e.g. count: 100")
	}
	if len(v.sc.Tenants) == 0 && v.sc.Tiers.DeliveryNetwork == nil && v.sc.Tiers.MLBatch == nil {
		v.add("tenants", "is empty and no tier is on; nothing would post an order", "list a tenant class or leave tenants out for the default one")
	}
	for i, t := range v.sc.Tenants {
		for j := range t.Demand {
			v.fits(fmt.Sprintf("tenants[%d].demand[%d]", i, j), &t.Demand[j])
		}
	}
}

// fits reports a shape (all its replicas: a group goes to one provider) that
// no provider class has the capacity for, which is almost always a typo in
// a size.
func (v *validator) fits(path string, s *sim.Shape) {
	if len(v.sc.Providers) == 0 || s.Count == 0 {
		return
	}
	need, err := s.Totals()
	if err != nil {
		v.add(path, err.Error(), "a group's totals must fit 64 bits; shrink the shape or its count")
		return
	}
	for i := range v.sc.Providers {
		if have := v.sc.Providers[i].Capacity.Totals(); need.FitsIn(&have) {
			return
		}
	}
	v.add(path, fmt.Sprintf("no provider class can hold it (%d × cpu %s, memory %s, storage %s, gpu %d, bandwidth %s)",
		s.Count, fmtCPU(s.CPU), fmtSize(s.Memory), fmtSize(s.Storage), s.GPU, fmtSize(s.Bandwidth)),
		"a group is placed on one provider; shrink the shape or its count, or raise a provider class's capacity")
}

func (v *validator) shape(path string, s *sim.Shape) {
	if s.CPU == 0 {
		v.add(path+".cpu", "is 0", "use cores (\"1\", \"0.5\") or millicores (\"250m\")")
	}
	if s.Memory == 0 {
		v.add(path+".memory", "is 0", "use a size, e.g. 512Mi")
	}
	if s.Count == 0 {
		v.add(path+".count", "is 0", "use a number of replicas ≥ 1")
	}
}

func (v *validator) deliveryNetwork(path string, t *sim.DeliveryNetwork) {
	if len(t.Users) == 0 {
		v.add(path+".users", "is empty; the network would serve no one", "give users by region, e.g. us-east: {peak: 5000, amplitude: 0.6, peak_at: 20h}")
	}
	for _, r := range sortedKeys(t.Users) {
		u, up := t.Users[r], path+".users."+r
		if !v.regions[r] {
			v.add(up, fmt.Sprintf("%q is not a region", r), v.regionHint())
		}
		v.nonNegative(up+".peak", u.Peak, "concurrent users at the peak")
		v.probability(up+".amplitude", u.Amplitude)
		if u.PeakAt >= sim.Duration(24*time.Hour) {
			v.add(up+".peak_at", fmt.Sprintf("%s is not a time of day", fmtDur(u.PeakAt)), "use 0s..23h59m, e.g. 20h")
		}
	}
	if !(t.UsersPerReplica > 0) || math.IsInf(t.UsersPerReplica, 0) {
		v.add(path+".users_per_replica", fmt.Sprintf("is %v", t.UsersPerReplica), "use the users one replica serves, e.g. 500")
	}
	v.shape(path+".shape", &t.Shape)
	v.fits(path+".shape", &t.Shape)
	if t.MaxPrice.IsZero() {
		v.add(path+".max_price", "is 0; no provider would take the lease", "use a price per block per group, e.g. 5")
	}
	if t.MinGroups < 0 {
		v.add(path+".min_groups", fmt.Sprintf("is %d", t.MinGroups), "use a number of groups ≥ 0")
	}
	if t.MaxGroups < 1 || t.MaxGroups < t.MinGroups {
		v.add(path+".max_groups", fmt.Sprintf("is %d (min_groups %d)", t.MaxGroups, t.MinGroups), "use at least 1 and at least min_groups")
	}
	if !v.regions[t.HomeRegion] {
		v.add(path+".home_region", fmt.Sprintf("%q is not a region", t.HomeRegion), v.regionHint())
	}
	if t.CheckEvery < v.sc.BlockTime || t.CheckEvery <= 0 {
		v.add(path+".check_every", fmt.Sprintf("%s is shorter than a block", fmtDur(t.CheckEvery)), "use at least block_time, e.g. 5m")
	}
	if t.LatencyTarget <= 0 {
		v.add(path+".latency_target", "is 0; no replica would serve any user within it", "use a round trip, e.g. 50ms")
	}
}

func (v *validator) mlBatch(path string, t *sim.MLBatch) {
	if !(t.JobsPerHour > 0) || math.IsInf(t.JobsPerHour, 0) {
		v.add(path+".jobs_per_hour", fmt.Sprintf("is %v", t.JobsPerHour), "use jobs per hour, e.g. 4")
	}
	v.dist(path+".job_work", t.JobWork, true, "worker-hours per job, e.g. {kind: lognormal, mean: 16, std: 8}")
	if t.MaxWorkers < 1 {
		v.add(path+".max_workers", fmt.Sprintf("is %d", t.MaxWorkers), "use at least 1")
	}
	if t.StaticWorkers < 1 {
		v.add(path+".static_workers", fmt.Sprintf("is %d; the static baseline would never finish a job", t.StaticWorkers), "use at least 1")
	}
	v.shape(path+".worker", &t.Worker)
	v.fits(path+".worker", &t.Worker)
	if t.MaxPrice.IsZero() {
		v.add(path+".max_price", "is 0; no provider would take a worker", "use a price per block per worker, e.g. 120")
	}
	if t.WorkersPerJob < 1 {
		v.add(path+".workers_per_job", fmt.Sprintf("is %d; no job could run", t.WorkersPerJob), "use at least 1, e.g. 4")
	}
}

// dist checks a distribution: a known kind, finite non-negative parameters
// that the kind uses, and none that it ignores (a "mean" on a uniform is a
// mistake that would otherwise pass in silence).
func (v *validator) dist(path string, d sim.Dist, required bool, example string) {
	if d.Kind == "" {
		if required {
			v.add(path, "is not set", "give a distribution in "+example)
		} else if d != (sim.Dist{}) {
			v.add(path+".kind", "is empty but parameters are set", "use one of "+strings.Join(DistKinds, ", "))
		}
		return
	}
	used, ok := distParams[d.Kind]
	if !ok {
		v.add(path+".kind", fmt.Sprintf("%q is not a distribution", d.Kind), "use one of "+strings.Join(DistKinds, ", "))
		return
	}
	params := []struct {
		name string
		val  float64
	}{{"value", d.Value}, {"min", d.Min}, {"max", d.Max}, {"mean", d.Mean}, {"std", d.Std}}
	for _, p := range params {
		if !slices.Contains(used, p.name) {
			if p.val != 0 {
				v.add(path+"."+p.name, fmt.Sprintf("is not used by kind %s", d.Kind), d.Kind+" takes "+strings.Join(used, ", "))
			}
			continue
		}
		if math.IsNaN(p.val) || math.IsInf(p.val, 0) || p.val < 0 {
			v.add(path+"."+p.name, fmt.Sprintf("is %v", p.val), "use a finite number ≥ 0")
		}
	}
	switch d.Kind {
	case "uniform":
		if d.Min > d.Max {
			v.add(path+".max", fmt.Sprintf("%v is below min %v", d.Max, d.Min), "make max ≥ min")
		}
	case "exponential", "lognormal":
		if d.Mean == 0 {
			v.add(path+".mean", "is 0", "use a positive mean")
		}
	}
}

var distParams = map[string][]string{
	"const":       {"value"},
	"uniform":     {"min", "max"},
	"exponential": {"mean"},
	"lognormal":   {"mean", "std"},
}

// lowest is the smallest value d can draw (0 when it can draw near 0).
func lowest(d sim.Dist) float64 {
	switch d.Kind {
	case "const":
		return d.Value
	case "uniform":
		return d.Min
	}
	return 0
}

func (v *validator) probability(path string, p float64) {
	if !(p >= 0 && p <= 1) {
		v.add(path, fmt.Sprintf("is %v", p), "use a probability from 0 to 1")
	}
}

func (v *validator) nonNegative(path string, x float64, unit string) {
	if !(x >= 0) || math.IsInf(x, 0) {
		v.add(path, fmt.Sprintf("is %v", x), "use a finite number ≥ 0 ("+unit+")")
	}
}

// weights checks a region → weight map: regions that exist, finite weights
// ≥ 0, not all zero. Empty is fine (the key's own default applies).
func (v *validator) weights(path string, w map[string]float64) {
	if len(w) == 0 {
		return
	}
	total := 0.0
	for _, r := range sortedKeys(w) {
		if !v.regions[r] {
			v.add(path+"."+r, fmt.Sprintf("%q is not a region", r), v.regionHint())
		}
		if x := w[r]; !(x >= 0) || math.IsInf(x, 0) {
			v.add(path+"."+r, fmt.Sprintf("weight is %v", x), "use a finite weight ≥ 0")
		} else {
			total += x
		}
	}
	if total == 0 {
		v.add(path, "every weight is 0", "give at least one region a positive weight")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func fmtDur(d sim.Duration) string { return time.Duration(d).String() }

func fmtCPU(c sim.CPU) string {
	if c%1000 == 0 {
		return fmt.Sprintf("%d", c/1000)
	}
	return fmt.Sprintf("%dm", c)
}

func fmtSize(s sim.Size) string {
	switch {
	case s == 0:
		return "0"
	case s%(1<<40) == 0:
		return fmt.Sprintf("%dTi", s>>40)
	case s%(1<<30) == 0:
		return fmt.Sprintf("%dGi", s>>30)
	case s%(1<<20) == 0:
		return fmt.Sprintf("%dMi", s>>20)
	}
	return fmt.Sprintf("%d", uint64(s))
}

func (v *validator) choice(path string, c *sim.Choice) {
	if !sim.IsChoicePolicy(c.Policy) && c.Policy != "" {
		v.add(path+".policy", fmt.Sprintf("is %q", c.Policy), "use cheapest, min-reputation, price-per-reputation or random-k")
	}
	if c.MinReputation > bpsMax {
		v.add(path+".min_reputation", fmt.Sprintf("%d is above the top reputation", c.MinReputation), "use basis points 0..10000")
	}
	if c.K < 0 || c.K > 1000 {
		v.add(path+".k", fmt.Sprintf("is %d", c.K), "use 1..1000 (random-k picks among this many of the cheapest bids; 0: the default, 3)")
	}
	if c.Delay < 0 {
		v.add(path+".delay", fmt.Sprintf("is %s", fmtDur(c.Delay)), "use 0s (pick in the block after the close) or a positive duration")
	}
}

func (v *validator) outputs() {
	seen := map[string]bool{}
	for i, name := range v.sc.Outputs {
		path := fmt.Sprintf("outputs[%d]", i)
		switch {
		case !slices.Contains(sim.OutputNames, name):
			v.add(path, fmt.Sprintf("%q is not an output", name), "use any of "+strings.Join(sim.OutputNames, ", ")+" (summary.json and report.html are always written)")
		case seen[name]:
			v.add(path, fmt.Sprintf("%q is listed twice", name), "list each output once")
		}
		seen[name] = true
	}
}
