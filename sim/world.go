package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
	"github.com/akash-market/akash/sim/rng"
	"github.com/akash-market/akash/sim/trace"
)

// World is the simulated market: one order book, one escrow account per
// deployment, one stake book, the agents, and the token ledger. Every market
// rule it applies comes from core/market and core/lease; the world only
// decides who acts when (the agents' behaviour) and applies the decisions the
// core returns (transfers, closed leases, match results).
//
// A World is single-threaded and driven by its engine.Sim. Management tiers
// drive it through PostGroup and CloseDeployment (tier_api.go).
type World struct {
	sc    *Scenario
	opt   Options
	seed  rng.Seed
	eng   *engine.Sim
	bp    *engine.BlockProducer
	clock engine.BlockClock
	h     int64 // height in force
	end   int64 // last height of the run
	denom string
	err   error         // first fatal error; the run stops at once
	tr    *trace.Writer // nil: no trace (every hook checks)

	book    *market.OrderBook
	closing market.Closing
	stake   *lease.StakeBook
	rep     lease.ReputationParams
	repMemo repMemo
	eff     lease.Effects
	tDone   int // transfers of eff already applied
	cDone   int // closed leases of eff already handled
	ledger  Ledger
	stakeFl lease.StakeFlows // stake transfers applied, the independent evidence for CheckStake

	ref        resourceRef
	windowBlk  int64
	revealBlk  int64
	matching   market.Matching // auto or tenant (pick.go)
	timeoutBlk int64           // tenant matching: blocks after the close a tenant may pick
	awaiting   []*awaiting     // tenant matching: orders waiting for their tenant's pick, in close order
	bidDeposit money.Coin
	minDeposit money.Dec
	takeRate   uint32
	slashBPS   uint32

	regions  []string // sorted; a region's index is its position
	regionOf map[string]int

	pclasses  []*providerClass
	providers []*Provider
	provAddr  map[string]*Provider
	cand      [][][]int32 // [provider class][region+1] → live providers; index 0 lists every region
	attention *rand.Rand  // which providers look at an order (skip sampling)

	tclasses []*tenantClass
	deps     []*Deployment // by DSeq−1; nil once finished
	dry      dryIndex

	public      publicInfo // what Market shows extensions (market_view.go)
	ext         extScratch // the extension calls' reused arguments
	extMetrics  metricSet  // the scenario's registered metrics (metric_ext.go)
	freeBids    []*bidEvent
	freeBidders [][]*Provider // bidder lists of finished deployments, for reuse
	lastProv    *Provider     // the provider providerByAddr found last
	scratch     []*Deployment
	picked      []pick // notify's scratch

	m       metrics
	outputs OutputSet  // what the run's Result holds
	orders  []orderRec // one per closed order, when outputs.Orders
	leases  []leaseRec
	owners  []string         // tenants' addresses, indexed by leaseRec.owner
	ownerOf map[string]int32 // owners' indexes

	// test hooks (package-internal): see independence_test.go.
	onArrival func(d *Deployment)
	onLatency func(p *Provider, d engine.Duration)
}

// resourceRef holds the market's reference prices per block of one unit of
// each resource (per core, per GiB, ...), as core/market Rates.
type resourceRef struct {
	rates market.Rates
}

func newResourceRef(p ResourcePrices) resourceRef {
	return resourceRef{rates: market.Rates{CPU: p.CPU, Memory: p.Memory, Storage: p.Storage, GPU: p.GPU, Bandwidth: p.Bandwidth}}
}

// cost is what totals t cost per block at the reference prices
// (market.Rates.ResourceCost: rounded up, an overflow is an error).
func (r *resourceRef) cost(t manifest.Totals) (money.Dec, error) { return r.rates.ResourceCost(t) }

// height of the block in force at the engine's current time.
func (w *World) now() engine.Time { return w.eng.Now() }

// fail records the first fatal error and stops the engine.
func (w *World) fail(err error) {
	if w.err == nil && err != nil {
		w.err = err
		w.eng.Stop()
	}
}

// hintProvider makes d's provider the one providerByAddr checks first,
// before a verb on d's account whose effects pay it.
func (w *World) hintProvider(d *Deployment) {
	if d.leaseOpen && d.provider != nil {
		w.lastProv = d.provider
	}
}

// providerByAddr finds a provider by address. The effects of one verb
// usually name one provider several times (payment, withdrawal, deposit),
// by the very string the world gave core/lease, so the last one found (or
// hinted) is checked first: a compare that usually ends at the pointers.
func (w *World) providerByAddr(addr string) *Provider {
	if p := w.lastProv; p != nil && p.addr == addr {
		return p
	}
	p := w.provAddr[addr]
	if p != nil {
		w.lastProv = p
	}
	return p
}

func (w *World) dep(dseq uint64) *Deployment {
	if dseq == 0 || dseq > uint64(len(w.deps)) {
		return nil
	}
	return w.deps[dseq-1]
}

// weighted is a cumulative-weight table over names sorted for determinism.
type weighted struct {
	idx []int
	cum []float64
}

func newWeighted(weights map[string]float64, index map[string]int) (weighted, error) {
	names := make([]string, 0, len(weights))
	for n := range weights {
		names = append(names, n)
	}
	slices.Sort(names)
	var wt weighted
	total := 0.0
	for _, n := range names {
		i, ok := index[n]
		if !ok {
			return wt, fmt.Errorf("region %q is not among the scenario's regions", n)
		}
		if weights[n] <= 0 {
			continue
		}
		total += weights[n]
		wt.idx = append(wt.idx, i)
		wt.cum = append(wt.cum, total)
	}
	return wt, nil
}

// pick draws an index (−1 when the table is empty) with one draw from r.
func (wt *weighted) pick(r *rand.Rand) int {
	u := r.Float64()
	if len(wt.cum) == 0 {
		return -1
	}
	x := u * wt.cum[len(wt.cum)-1]
	i, _ := slices.BinarySearch(wt.cum, x)
	if i >= len(wt.idx) {
		i = len(wt.idx) - 1
	}
	return wt.idx[i]
}
