package sim

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
	"github.com/akash-market/akash/sim/rng"
)

// NewWorld assembles the world for a scenario at time 0, part by part: the
// market's rules in blocks and coins, the settlement (ledger, stake,
// reputation), the regions, the metrics, the tenant classes, the order
// book, the provider classes with their providers (bonded), the registered
// metrics, and last the first arrivals and the block producer. Tiers attach
// to it (PostGroup, Engine) before RunToEnd.
//
// NewWorld assembles; it does not validate. The scenario is one
// scenarios.Validate accepts (every loaded one is); what NewWorld still
// refuses is what cannot be built at all.
func NewWorld(sc *Scenario, opt Options) (*World, error) {
	if sc == nil {
		return nil, fmt.Errorf("sim.Run: nil scenario")
	}
	bt := sc.BlockTime.Sim()
	if bt <= 0 {
		bt = engine.DefaultBlockTime
	}
	until := cmp.Or(opt.Until, sc.Duration)
	w := &World{sc: sc, opt: opt, seed: rng.Seed(cmp.Or(opt.Seed, sc.Seed)), eng: engine.New(),
		clock: engine.BlockClock{Interval: bt}, denom: sc.Market.Denom, provAddr: map[string]*Provider{}}
	w.end = int64(w.clock.HeightAt(engine.Time(until.Sim())))
	// The world's events are seconds apart (bids 1–12 s after an order,
	// blocks, hourly withdrawals, lease ends hours away): queue windows of
	// a sixteenth of a block (268 ms at 6 s) file and cascade each event a
	// level or two instead of four to six (sim/engine BenchmarkSimulatorMix:
	// about half the queue's time per event).
	w.eng.SetResolution(bt / 16)

	var err error
	if w.rules, err = newMarketRules(&sc.Market, bt); err != nil {
		return nil, err
	}
	if w.settle, err = newSettlement(w.denom, ceilBlocks(sc.Market.UnbondingPeriod.Sim(), bt)); err != nil {
		return nil, err
	}
	w.regions, w.regionOf = indexRegions(sc.Regions)
	w.metrics = newMetrics(sc, len(w.regions), bt)
	w.records.outputs = sc.outputSetFor(until)
	w.attention = w.seed.StreamFor("market", "attention")
	if w.trace = opt.Trace; w.trace != nil {
		w.traceHeader()
	}
	// Without a trace nobody reads the text of a run-dry closure: the
	// escrow leaves it unformatted (amounts and heights are the same).
	// Settlements move nothing between ledger buckets (applyTransfer): the
	// escrow leaves their transfers out. Both hold for the whole run, and
	// Effects.Reset keeps them.
	w.settle.effects.Terse = w.trace == nil
	w.settle.effects.NoSettle = true
	if err := w.addTenantClasses(); err != nil {
		return nil, err
	}
	w.reserveLeaseRows(until)
	w.book = market.NewOrderBook(bookConfig(sc))
	if err := w.addProviderClasses(); err != nil {
		return nil, err
	}
	if err := w.addMetrics(); err != nil {
		return nil, err
	}
	w.presize(until)

	for _, c := range w.tclasses {
		c.scheduleNext()
	}
	w.blocks = w.eng.StartBlocks(bt, w.onBlock)
	return w, nil
}

// newMarketRules is the market's parameters as the run uses them: windows
// in blocks of bt (at least one), the bid deposit as a coin.
func newMarketRules(m *Market, bt engine.Duration) (marketRules, error) {
	mode, err := market.ParseMatching(m.Matching)
	if err != nil {
		return marketRules{}, fmt.Errorf("market.matching: %w", err)
	}
	return marketRules{
		reference:    newResourceRef(m.Reference),
		bidWindow:    max(ceilBlocks(m.BiddingWindow.Sim(), bt), 1),
		revealWindow: max(ceilBlocks(m.RevealWindow.Sim(), bt), 1),
		matching:     mode,
		pickTimeout:  max(ceilBlocks(m.BidTimeout.Sim(), bt), 1),
		bidDeposit:   money.Coin{Denom: m.Denom, Amount: m.BidDeposit},
		minDeposit:   m.MinDeposit,
		takeRateBPS:  m.TakeRateBPS,
		slashBPS:     m.SlashFaultBPS,
	}, nil
}

// newSettlement is the settlement at the start: every token outside the
// market, an empty stake book whose unbonding lasts unbondBlocks, and the
// default reputation formula.
func newSettlement(denom string, unbondBlocks int64) (settlement, error) {
	stake, err := lease.NewStakeBook(denom, unbondBlocks)
	if err != nil {
		return settlement{}, fmt.Errorf("market.unbonding_period: %w", err)
	}
	s := settlement{stake: stake, ledger: newLedger(supply), reputation: lease.DefaultReputationParams()}
	s.repMemo.params = s.reputation
	return s, nil
}

// indexRegions is the regions' names sorted, and each name's index in them.
func indexRegions(regions []Region) ([]string, map[string]int) {
	names := make([]string, 0, len(regions))
	for _, r := range regions {
		names = append(names, r.Name)
	}
	slices.Sort(names)
	index := make(map[string]int, len(names))
	for i, r := range names {
		index[r] = i
	}
	return names, index
}

// newMetrics is the metrics at the start: the sample interval in blocks,
// and a counter slot per region (index 0: no region) and per class.
func newMetrics(sc *Scenario, regions int, bt engine.Duration) metrics {
	return metrics{
		sampleBlocks: max(ceilBlocks(sc.SampleEvery.Sim(), bt), 1),
		refCPU:       decFloat(sc.Market.Reference.CPU),
		regionCap:    make([]uint64, regions+1),
		regionUsed:   make([]uint64, regions+1),
		classCap:     make([]uint64, len(sc.Providers)),
		classUsed:    make([]uint64, len(sc.Providers)),
		pc:           make([]providerCounts, len(sc.Providers)),
		tc:           make([]tenantCounts, len(sc.Tenants)),
	}
}

// addTenantClasses builds the tenant classes in the scenario's order.
func (w *World) addTenantClasses() error {
	for i := range w.sc.Tenants {
		c, err := newTenantClass(w, i, &w.sc.Tenants[i])
		if err != nil {
			return err
		}
		w.tclasses = append(w.tclasses, c)
		w.metrics.shapeOrders = append(w.metrics.shapeOrders, make([]int64, len(c.shapes)))
	}
	return nil
}

// reserveLeaseRows sizes the lease table (and the time-to-lease figures)
// once, at about one row per arrival until the run's end, so that it is
// never copied while it grows (at a million rows, each doubling copied the
// table and left the old one to the collector).
func (w *World) reserveLeaseRows(until Duration) {
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
}

// bookConfig sizes the order book: about twice the orders open in one
// bidding window, and the providers that start the run.
func bookConfig(sc *Scenario) market.BookConfig {
	orders := 0
	for i := range sc.Tenants {
		orders += int(sc.Tenants[i].Arrival.RatePerHour * sc.Market.BiddingWindow.Sim().Seconds() / 3600 * 2)
	}
	return market.BookConfig{Orders: orders + 16, Providers: providersAtStart(sc) + 16, BidsPerOrder: 16}
}

// providersAtStart is the number of providers every class starts with.
func providersAtStart(sc *Scenario) int {
	n := 0
	for i := range sc.Providers {
		n += sc.Providers[i].Count
	}
	return n
}

// addProviderClasses builds the provider classes in the scenario's order,
// then each class's providers (bonded, in the book) and its first join.
func (w *World) addProviderClasses() error {
	total := 0
	joins := make([]int, len(w.sc.Providers))
	for i := range w.sc.Providers {
		joins[i] = w.joinRoom(&w.sc.Providers[i])
		total += w.sc.Providers[i].Count + joins[i]
	}
	w.providers = make([]*Provider, 0, total)
	// Stake records for every provider, with room for two unbonding
	// entries (a departure's unbond, one more in flight).
	w.settle.stake.Reserve(total, 2)
	w.provAddr = make(map[string]*Provider, total)
	w.candidates = make([][][]*Provider, len(w.sc.Providers))
	for i := range w.sc.Providers {
		c, err := w.newProviderClass(i)
		if err != nil {
			return err
		}
		c.reserveRecords(joins[i])
		w.candidates[i] = make([][]*Provider, len(w.regions)+1)
		for r := range w.candidates[i] {
			w.candidates[i][r] = make([]*Provider, 0, c.spec.Count+joins[i])
		}
		w.pclasses = append(w.pclasses, c)
	}
	for i, c := range w.pclasses {
		c.packAddrs(c.spec.Count + joins[i])
		for j := 0; j < c.spec.Count; j++ {
			if err := w.newProvider(c, j); err != nil {
				return err
			}
		}
		c.created = c.spec.Count
		c.scheduleJoin()
	}
	return w.err
}

// joinRoom bounds the providers of class pc that join over the run: the
// Poisson mean of its joins plus six standard deviations (and 4), so that
// the records and lists sized for them are outgrown about once in 10^9 runs.
func (w *World) joinRoom(pc *ProviderClass) int {
	if pc.JoinPerDay <= 0 {
		return 0
	}
	run := w.clock.TimeOf(engine.Height(w.end)).Seconds()
	mean := pc.JoinPerDay * run / 86400
	return int(min(mean+6*math.Sqrt(mean)+4, 1<<20))
}

// reserveRecords makes the class's slab of provider records (its initial
// providers and joins more) and the joiners' lease and open-bid arrays.
func (c *providerClass) reserveRecords(joins int) {
	c.records = make([]Provider, 0, c.spec.Count+joins)
	c.leaseArr = make([]*Deployment, joins*c.leaseRoom)
	c.pendArr = make([]pendingBid, joins*pendRoom)
}

// newProviderClass is providers[i]: its strategy's and agent's parameters,
// capacity, join stream, region weights and attributes (sorted by key;
// region is the regions key's).
func (w *World) newProviderClass(i int) (*providerClass, error) {
	spec := &w.sc.Providers[i]
	strat, ok := spec.Pricing.params()
	if !ok {
		return nil, fmt.Errorf("providers[%d] (%s).pricing: strategy %q is not registered", i, spec.Name, spec.Pricing.Kind)
	}
	agent, ok := spec.Agent.params()
	if !ok {
		return nil, fmt.Errorf("providers[%d] (%s).agent: provider agent %q is not registered", i, spec.Name, spec.Agent.Kind)
	}
	c := &providerClass{idx: i, spec: spec, strategy: strat, agent: agent, stake: spec.Stake, w: w,
		capacity: spec.Capacity.Totals(), joinR: w.seed.StreamFor("providers/"+spec.Name, "join"),
		skipLog: math.Log1p(-spec.BidProbability), bidLatency: newDistDraw(spec.BidLatency)}
	c.leaseRoom = w.leaseRoom(c.capacity)
	c.draw = *rand.New(&c.drawSrc)
	var err error
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
	return c, nil
}

// addMetrics builds the scenario's registered metrics, in its order.
func (w *World) addMetrics() error {
	for i, m := range w.sc.Metrics {
		p, ok := m.params()
		if !ok {
			return fmt.Errorf("metrics[%d]: metric %q is not registered", i, m.Kind)
		}
		w.extMetrics.kinds = append(w.extMetrics.kinds, m.Kind)
		w.extMetrics.m = append(w.extMetrics.m, p.NewMetric(&MetricInfo{w: w}))
	}
	return nil
}

// A run's structures that grow with the number of deployments alive (the
// engine's queue, the deployment records, the bid events in flight, each
// provider's lease list) are sized from the scenario before it starts, so
// that the run reaches its working size without allocating on the way: in
// steady state an event allocates nothing. The estimates are generous
// (Little's law with a margin); a run that outgrows one still works, and
// grows geometrically from there.

// presize sizes the queue, the deployment records, the bid events and the
// time series for a run until the given time.
func (w *World) presize(until Duration) {
	alive := w.expectedAlive(until)
	providers := len(w.providers)
	for _, c := range w.pclasses {
		// Joins over the run, on top of the initial providers.
		providers += int(c.spec.JoinPerDay * until.Sim().Seconds() / 86400)
	}
	// Pending events: a term end (or a window) per deployment, a few per
	// provider (withdrawal, outage, departure), the bids in flight.
	bidders := w.expectedBidders()
	inFlight := int(w.arrivalsPerSecond(until)*float64(bidders)*max(w.sc.Market.BiddingWindow.Sim().Seconds(), 1)) + 64
	w.eng.Grow(alive + 3*providers + inFlight + 1024)

	// The order book: slots and bid lists for the orders open at once
	// (arrivals over a bidding and reveal window, a quarter more and six
	// standard deviations), each with room for its expected bidders.
	open := w.arrivalsPerSecond(until) * (w.sc.Market.BiddingWindow.Sim().Seconds() + w.sc.Market.RevealWindow.Sim().Seconds())
	w.book.Reserve(max(bookConfig(w.sc).Orders, roomFor(open)), min(bidders, 1024))
	sealed := 0.0
	for _, c := range w.tclasses {
		sealed += w.classArrivalsPerSecond(c, until) * min(max(c.spec.SealedShare, 0), 1)
	}
	if sealed > 0 {
		w.book.ReserveCommitments(roomFor(sealed * (w.sc.Market.BiddingWindow.Sim().Seconds() + w.sc.Market.RevealWindow.Sim().Seconds())))
	}

	pool := &w.pools.deps
	pool.biddersCap = max(minBiddersCap, bidders)
	w.growDeployments(alive)
	evs := make([]bidEvent, inFlight)
	w.freeBids = make([]*bidEvent, inFlight, inFlight+inFlight/2)
	for i := range evs {
		evs[i].w = w
		w.freeBids[len(evs)-1-i] = &evs[i] // popped from the end: in memory order
	}
	// Tables by DSeq and the order rows grow with the arrivals of the run.
	arrivals := int(min(w.arrivalsPerSecond(until)*until.Sim().Seconds()*1.1, 1<<22)) + 64
	w.deps = make([]*Deployment, 0, arrivals)
	if w.records.outputs.Orders {
		w.records.orders = make([]orderRec, 0, arrivals)
	}
	pool.retired = make([]retiredDep, 0, alive)
	w.dryAccounts = make(dryIndex, 0, 2*alive)
	most := 16
	for _, c := range w.pclasses {
		most = max(most, c.leaseRoom)
	}
	w.scratch = make([]*Deployment, 0, most)
	closes := make([]closeLeaseLater, 64)
	w.pools.closeLater = make([]*closeLeaseLater, len(closes), 4*len(closes))
	for i := range closes {
		w.pools.closeLater[len(closes)-1-i] = &closes[i]
	}
	memo := min(memoMax, 16*providers+1024)
	w.settle.repMemo.m, w.settle.repMemo.limit = make(map[stakeKey]uint32, memo), memo
	if every := w.metrics.sampleBlocks; every > 0 {
		n := int(w.end/every) + 2
		w.metrics.samples = make([]sample, 0, n)
		w.metrics.regionSlab = make([]float64, 0, n*len(w.regions))
	}
}

// roomFor is room for a Poisson count of mean m at its peak over a run: a
// quarter more, six standard deviations and 64.
func roomFor(m float64) int {
	return int(min(m*1.25+6*math.Sqrt(m), 1<<22)) + 64
}

// expectedAlive estimates the peak number of deployments alive at once:
// each tenant class's arrivals per second times a deployment's life (its
// bidding and reveal windows and its mean lease length, at most the run),
// with a quarter more as margin.
func (w *World) expectedAlive(until Duration) int {
	run := until.Sim().Seconds()
	windows := w.sc.Market.BiddingWindow.Sim().Seconds() + w.sc.Market.RevealWindow.Sim().Seconds()
	alive := 0.0
	for _, c := range w.tclasses {
		life := run
		if l := c.spec.LeaseLength; !l.IsZero() {
			life = min(run, windows+distMean(l))
		}
		alive += w.classArrivalsPerSecond(c, until) * life
	}
	return int(min(alive*1.25, 1<<22)) + 64
}

// arrivalsPerSecond is every tenant class's arrivals per second together.
func (w *World) arrivalsPerSecond(until Duration) float64 {
	r := 0.0
	for _, c := range w.tclasses {
		r += w.classArrivalsPerSecond(c, until)
	}
	return r
}

func (w *World) classArrivalsPerSecond(c *tenantClass, until Duration) float64 {
	if c.trace != nil {
		return float64(len(c.trace)) / max(until.Sim().Seconds(), 1)
	}
	return c.spec.Arrival.RatePerHour / 3600
}

// expectedBidders is room for the bidders of one order: the providers that
// look at an order of the busiest region (notify) on average, plus six
// standard deviations and a few.
func (w *World) expectedBidders() int {
	anyRegion := false
	for _, c := range w.tclasses {
		anyRegion = anyRegion || len(c.spec.Regions) == 0
	}
	most := 0.0
	for r := 0; r <= len(w.regions); r++ {
		if r == 0 && !anyRegion && len(w.regions) > 0 {
			continue
		}
		m := 0.0
		for ci, c := range w.pclasses {
			m += float64(len(w.candidates[ci][r])) * min(max(c.spec.BidProbability, 0), 1)
		}
		most = max(most, m)
	}
	return int(most+6*math.Sqrt(most)) + 8
}

// leaseRoom is the most leases a provider with capacity total can hold at
// once, at least 16 and at most 1024: in each dimension that every demand
// shape (of every tenant class) uses, its capacity over the smallest such
// demand; the least of those.
func (w *World) leaseRoom(total manifest.Totals) int {
	const none = ^uint64(0)
	least := [3]uint64{none, none, none} // cpu, memory, storage
	for _, c := range w.tclasses {
		for i := range c.shapes {
			t, err := c.shapes[i].Totals()
			if err != nil {
				continue
			}
			for k, v := range [...]uint64{t.CPUMillis, t.MemoryBytes, t.StorageBytes} {
				if v == 0 {
					least[k] = 0 // a shape that uses none of it: no bound from it
				} else if least[k] != 0 {
					least[k] = min(least[k], v)
				}
			}
		}
	}
	room := uint64(1024)
	for k, v := range [...]uint64{total.CPUMillis, total.MemoryBytes, total.StorageBytes} {
		if least[k] != 0 && least[k] != none {
			room = min(room, v/least[k])
		}
	}
	return int(max(room, 16))
}

// distMean is the mean of a duration distribution, in its unit.
func distMean(d Dist) float64 {
	switch d.Kind {
	case "const":
		return max(d.Value, 0)
	case "uniform":
		return max((d.Min+d.Max)/2, 0)
	case "exponential", "lognormal":
		return max(d.Mean, 0)
	}
	return 0
}
