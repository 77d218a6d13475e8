package sim

import (
	"cmp"
	"fmt"
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
	w.providers = make([]*Provider, 0, providersAtStart(w.sc))
	w.candidates = make([][][]*Provider, len(w.sc.Providers))
	for i := range w.sc.Providers {
		c, err := w.newProviderClass(i)
		if err != nil {
			return err
		}
		w.candidates[i] = make([][]*Provider, len(w.regions)+1)
		w.pclasses = append(w.pclasses, c)
	}
	for _, c := range w.pclasses {
		c.packAddrs(c.spec.Count)
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
		capacity: spec.Capacity.Totals(), joinR: w.seed.StreamFor("providers/"+spec.Name, "join")}
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
