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
	sc      *Scenario
	opt     Options
	seed    rng.Seed
	eng     *engine.Sim
	blocks  *engine.BlockProducer
	clock   engine.BlockClock
	height  int64 // height in force
	end     int64 // last height of the run
	denom   string
	err     error         // first fatal error; the run stops at once
	trace   *trace.Writer // nil: no trace (every hook checks)
	rules   marketRules   // the market's parameters, in blocks and coins
	book    *market.OrderBook
	closing market.Closing
	settle  settlement // money and reputation: effects applied, ledger, stake

	regions  []string // sorted; a region's index is its position
	regionOf map[string]int

	pclasses   []*providerClass
	providers  []*Provider
	provAddr   map[string]*Provider
	candidates [][][]*Provider // [provider class][region+1] → live providers; index 0 lists every region
	attention  *rand.Rand      // which providers look at an order (skip sampling)

	tclasses    []*tenantClass
	deps        []*Deployment // by DSeq−1; nil once finished
	dryAccounts dryIndex
	awaiting    []*awaiting // tenant matching: orders waiting for their tenant's pick, in close order

	public     publicInfo // what Market shows extensions (market_view.go)
	ext        extScratch // the extension calls' reused arguments
	extMetrics metricSet  // the scenario's registered metrics (metric_ext.go)
	freeBids   []*bidEvent
	pools      pools     // records and event payloads kept for reuse (deployment_pool.go)
	lastProv   *Provider // the provider providerByAddr found last
	scratch    []*Deployment
	picked     []pick // notify's scratch

	metrics metrics
	records records // the rows the run's Result holds

	// test hooks (package-internal): see independence_test.go.
	onArrival func(d *Deployment)
	onLatency func(p *Provider, d engine.Duration)
}

// marketRules are the scenario's market parameters as the run uses them:
// windows in blocks, deposits in coins.
type marketRules struct {
	reference    resourceRef
	bidWindow    int64           // blocks an order takes bids
	revealWindow int64           // blocks a sealed order takes reveals after its close
	matching     market.Matching // auto or tenant (pick.go)
	pickTimeout  int64           // tenant matching: blocks after the close a tenant may pick
	bidDeposit   money.Coin
	minDeposit   money.Dec
	takeRateBPS  uint32
	slashBPS     uint32
}

// settlement is where money and reputation move: the lease effects core
// returns, how far they are applied, the ledger and the stake.
type settlement struct {
	stake            *lease.StakeBook
	reputation       lease.ReputationParams
	repMemo          repMemo
	effects          lease.Effects
	transfersApplied int // transfers of effects already applied
	closesHandled    int // closed leases of effects already handled
	ledger           Ledger
	stakeFlows       lease.StakeFlows // stake transfers applied, the independent evidence for CheckStake
	warmed           uint64           // what warmWithdrawals and warmClose read, kept so their loads stay
}

// records are the per-order and per-lease rows a run keeps for its Result.
type records struct {
	outputs OutputSet  // what the run's Result holds
	orders  []orderRec // one per closed order, when outputs.Orders
	leases  []leaseRec
	owners  []string         // tenants' addresses, indexed by leaseRec.owner
	ownerOf map[string]int32 // owners' indexes
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
