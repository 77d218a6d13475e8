package sim

import (
	"fmt"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
	"github.com/akash-market/akash/sim/rng"
)

// supply is what the run's outside world holds at the start: far more than
// any scenario spends, so it never runs out (it is a bucket, not a budget).
var supply = money.MustParseDec("1000000000000000000000000000000")

// Run simulates the scenario and returns its results. It is a pure function
// of (scenario, seed) except Summary.Run. It fails if the scenario cannot be
// built, a core rule reports an impossible state, or tokens are not conserved.
func Run(sc *Scenario, opt Options) (*Result, error) {
	start := time.Now()
	w, err := NewWorld(sc, opt)
	if err != nil {
		return nil, err
	}
	var finish func(*Result) error
	if sc.Tiers.DeliveryNetwork != nil || sc.Tiers.MLBatch != nil {
		if opt.Tiers == nil {
			return nil, fmt.Errorf("scenario %q turns on a management tier (tiers.delivery_network or tiers.ml_batch) but sim.Options.Tiers is nil; run it with tiers.Run (package github.com/akash-market/akash/sim/tiers) or set Options.Tiers = tiers.Attach", sc.Name)
		}
		if finish, err = opt.Tiers(w); err != nil {
			return nil, err
		}
	}
	if err := w.RunToEnd(); err != nil {
		return nil, err
	}
	res := w.Result(time.Since(start))
	if finish != nil {
		if err := finish(res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// NewWorld builds the world for a scenario at time 0: regions, providers
// (bonded), tenant arrival processes and the block producer. Tiers attach
// to it (PostGroup, Engine) before RunToEnd.
func NewWorld(sc *Scenario, opt Options) (*World, error) {
	if sc == nil {
		return nil, fmt.Errorf("sim.Run: nil scenario")
	}
	seed := opt.Seed
	if seed == 0 {
		seed = sc.Seed
	}
	bt := sc.BlockTime.Sim()
	if bt <= 0 {
		bt = engine.DefaultBlockTime
	}
	w := &World{sc: sc, opt: opt, seed: rng.Seed(seed), eng: engine.New(), clock: engine.BlockClock{Interval: bt},
		denom: sc.Market.Denom, provAddr: map[string]*Provider{}, regionOf: map[string]int{},
		settle: settlement{ledger: newLedger(supply), reputation: lease.DefaultReputationParams()},
		rules:  marketRules{reference: newResourceRef(sc.Market.Reference), takeRateBPS: sc.Market.TakeRateBPS, slashBPS: sc.Market.SlashFaultBPS}}
	w.settle.repMemo.params = w.settle.reputation
	if w.denom == "" {
		w.denom = "uakt"
	}
	if !money.ValidDenom(w.denom) {
		return nil, fmt.Errorf("market.denom %q: not a valid denomination (e.g. uakt)", w.denom)
	}
	until := opt.Until
	if until == 0 {
		until = sc.Duration
	}
	w.end = int64(w.clock.HeightAt(engine.Time(until.Sim())))
	w.records.outputs = sc.outputSetFor(until)
	w.rules.bidWindow = max(ceilBlocks(sc.Market.BiddingWindow.Sim(), bt), 1)
	w.rules.revealWindow = max(ceilBlocks(sc.Market.RevealWindow.Sim(), bt), 1)
	mode, merr := market.ParseMatching(sc.Market.Matching)
	if merr != nil {
		return nil, fmt.Errorf("market.matching: %w", merr)
	}
	w.rules.matching = mode
	w.rules.pickTimeout = max(ceilBlocks(sc.Market.BidTimeout.Sim(), bt), 1)
	w.rules.bidDeposit = money.Coin{Denom: w.denom, Amount: sc.Market.BidDeposit}
	w.rules.minDeposit = sc.Market.MinDeposit
	w.metrics.sampleBlocks = max(ceilBlocks(sc.SampleEvery.Sim(), bt), 1)
	w.attention = w.seed.StreamFor("market", "attention")

	for _, r := range sc.Regions {
		if _, dup := w.regionOf[r.Name]; dup {
			return nil, fmt.Errorf("regions: %q listed twice; region names must be unique", r.Name)
		}
		w.regions = append(w.regions, r.Name)
		w.regionOf[r.Name] = 0
	}
	slices.Sort(w.regions)
	for i, r := range w.regions {
		w.regionOf[r] = i
	}
	w.metrics.regionCap = make([]uint64, len(w.regions)+1)
	w.metrics.regionUsed = make([]uint64, len(w.regions)+1)
	w.metrics.classCap = make([]uint64, len(sc.Providers))
	w.metrics.classUsed = make([]uint64, len(sc.Providers))
	w.metrics.pc = make([]providerCounts, len(sc.Providers))
	w.metrics.tc = make([]tenantCounts, len(sc.Tenants))

	var err error
	unbond := ceilBlocks(sc.Market.UnbondingPeriod.Sim(), bt)
	if w.settle.stake, err = lease.NewStakeBook(w.denom, unbond); err != nil {
		return nil, fmt.Errorf("market.unbonding_period: %w", err)
	}
	if w.trace = opt.Trace; w.trace != nil {
		w.traceHeader()
	}
	expOrders := 0
	for i := range sc.Tenants {
		c, err := newTenantClass(w, i, &sc.Tenants[i])
		if err != nil {
			return nil, err
		}
		w.tclasses = append(w.tclasses, c)
		w.metrics.shapeOrders = append(w.metrics.shapeOrders, make([]int64, len(c.shapes)))
		expOrders += int(sc.Tenants[i].Arrival.RatePerHour * sc.Market.BiddingWindow.Sim().Seconds() / 3600 * 2)
	}
	// The lease table grows to about one row per arrival: sized once, it
	// is never copied while it grows (at a million rows, each doubling
	// copied the table and left the old one to the collector).
	arrivals := 0.0
	for _, c := range w.tclasses {
		if c.trace != nil {
			arrivals += float64(len(c.trace))
		} else {
			arrivals += c.spec.Arrival.RatePerHour * until.Sim().Seconds() / 3600
		}
	}
	if n := int(min(arrivals, 1<<22)); n > 0 {
		w.records.leases = make([]leaseRec, 0, n)
		w.metrics.ttl = make([]float32, 0, n)
	}
	nprov := 0
	for i := range sc.Providers {
		nprov += sc.Providers[i].Count
	}
	w.book = market.NewOrderBook(market.BookConfig{Orders: expOrders + 16, Providers: nprov + 16, BidsPerOrder: 16})
	w.providers = make([]*Provider, 0, nprov)
	w.candidates = make([][][]int32, len(sc.Providers))
	for i := range sc.Providers {
		spec := &sc.Providers[i]
		strat, _ := spec.Pricing.params() // Validate checked both are registered
		agent, _ := spec.Agent.params()
		c := &providerClass{idx: i, spec: spec, strategy: strat, agent: agent, stake: spec.Stake, w: w,
			capacity: spec.Capacity.Totals(), joinR: w.seed.StreamFor("providers/"+spec.Name, "join")}
		if c.regions, err = newWeighted(spec.Regions, w.regionOf); err != nil {
			return nil, fmt.Errorf("providers[%d] (%s).regions: %w", i, spec.Name, err)
		}
		keys := make([]string, 0, len(spec.Attributes))
		for k := range spec.Attributes {
			if k != "region" {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			c.attrs = append(c.attrs, manifest.Attribute{Key: k, Value: spec.Attributes[k]})
		}
		w.candidates[i] = make([][]int32, len(w.regions)+1)
		w.pclasses = append(w.pclasses, c)
	}
	for _, c := range w.pclasses {
		c.packAddrs(c.spec.Count)
		for j := 0; j < c.spec.Count; j++ {
			if err := w.newProvider(c, j); err != nil {
				return nil, err
			}
		}
		c.created = c.spec.Count
		c.scheduleJoin()
	}
	if w.err != nil {
		return nil, w.err
	}
	for _, m := range sc.Metrics {
		p, _ := m.params()
		w.extMetrics.kinds = append(w.extMetrics.kinds, m.Kind)
		w.extMetrics.m = append(w.extMetrics.m, p.NewMetric(&MetricInfo{w: w}))
	}
	for _, c := range w.tclasses {
		c.scheduleNext()
	}
	w.blocks = w.eng.StartBlocks(bt, w.onBlock)
	return w, nil
}

func ceilBlocks(d, bt engine.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + bt - 1) / bt)
}

// RunToEnd runs the world to its end height, reporting progress, then
// settles every open account to the end and checks conservation.
func (w *World) RunToEnd() error {
	step := max(w.end/200, 1)
	for h := int64(0); h < w.end && w.err == nil; {
		h = min(h+step, w.end)
		w.eng.RunUntil(w.clock.TimeOf(engine.Height(h)))
		if w.opt.Progress != nil {
			w.opt.Progress(h, w.end)
		}
	}
	if w.err != nil {
		return fmt.Errorf("sim: run stopped at height %d (seed %d): %w", w.height, uint64(w.seed), w.err)
	}
	// Settle the open accounts so every lease row shows what it was paid.
	for _, d := range w.deps {
		if d != nil && !d.finished && d.leaseOpen {
			if err := d.acct.Settle(w.height, &w.settle.effects); err != nil {
				return fmt.Errorf("sim: final settlement of %s: %w", d.id, err)
			}
			w.applyEffects()
		}
	}
	for i := range w.records.leases {
		l := &w.records.leases[i]
		if l.reason == lease.ReasonNone {
			if d := w.dep(l.dseq); d != nil && d.leaseOpen && d.leaseRow == int32(i) {
				if pay, ok := d.acct.Payment(d.leaseID()); ok {
					l.paid = pay.Settled()
				}
			}
		}
	}
	if err := w.checkAll(); err != nil {
		return fmt.Errorf("sim: at the end of the run (seed %d): %w", uint64(w.seed), err)
	}
	if w.trace != nil {
		w.traceEnd()
		if err := w.trace.Err(); err != nil {
			return fmt.Errorf("sim: %w", err)
		}
	}
	return w.err
}

// checkAll checks the ledger, every live escrow account (core/lease's own
// invariant) and the stake book; and that the escrow bucket equals what the
// live accounts hold.
func (w *World) checkAll() error {
	if err := w.settle.ledger.Check(); err != nil {
		return err
	}
	var held money.Dec
	for _, d := range w.deps {
		if d == nil {
			continue
		}
		if err := lease.CheckConservation(d.acct, d.acct.Flows); err != nil {
			return fmt.Errorf("deployment %s: %w", d.id, err)
		}
		h := d.acct.Held()
		_ = held.AddAssign(&h)
		_ = held.AddAssign(&d.payout.carried) // fractions of paid amounts, held back until the account closes
	}
	if !held.Equal(w.settle.ledger.Escrow) {
		return fmt.Errorf("%w: live escrow accounts hold %s (with their carried dust), the ledger's escrow bucket %s", ErrConservation, held.ShortString(), w.settle.ledger.Escrow.ShortString())
	}
	var locked money.Dec
	for _, d := range w.deps {
		if d != nil {
			_ = locked.AddAssign(&d.keepDep)
		}
	}
	// Locked bid deposits are those of bids still pending plus those kept with leases.
	for _, p := range w.providers {
		if n := uint64(len(p.pending)); n > 0 {
			v, _ := w.rules.bidDeposit.Amount.MulInt(n)
			_ = locked.AddAssign(&v)
		}
	}
	if !locked.Equal(w.settle.ledger.BidLocked) {
		return fmt.Errorf("%w: pending bids and leases account for %s of bid deposits, the ledger holds %s", ErrConservation, locked.ShortString(), w.settle.ledger.BidLocked.ShortString())
	}
	if err := lease.CheckStake(w.settle.stake, w.settle.stakeFlows); err != nil {
		return err
	}
	return nil
}

// Result collects the run's outputs: the summary and the tables and plots
// the scenario's outputs key asks for. Summary.Run is measured after they
// are built; a caller that writes them can measure again (MeasureRun) so
// that the peak memory includes the writing.
func (w *World) Result(wall time.Duration) *Result {
	res := &Result{Summary: w.summary()}
	res.Summary.Extensions = w.metricValues()
	o := w.records.outputs
	if o.TimeSeries {
		res.TimeSeries = w.timeSeries()
	}
	if o.Leases {
		res.Leases = w.leaseTable()
	}
	if o.Orders {
		res.Orders = w.ordersTable()
	}
	if o.Providers {
		res.Providers = w.providersTable()
	}
	if o.Plots {
		res.Plots = w.plots()
	}
	res.Summary.Run = MeasureRun(res.Summary.Events, wall)
	return res
}

// MeasureRun reads the process's resource use so far: peak resident set,
// CPU time, heap, and the event rate over wall.
func MeasureRun(events uint64, wall time.Duration) RunStats {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss, cpu := usage()
	s := RunStats{WallSeconds: wall.Seconds(), CPUSeconds: cpu, HeapSysBytes: ms.HeapSys, MaxRSSBytes: rss, GoMaxProcs: runtime.GOMAXPROCS(0)}
	if wall > 0 {
		s.EventsPerSec = float64(events) / wall.Seconds()
	}
	return s
}

// usage returns the process's peak resident set (bytes) and its CPU time
// (user + system seconds) so far.
func usage() (uint64, float64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	cpu := float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
	return uint64(ru.Maxrss) * 1024, cpu // Linux reports KiB
}
