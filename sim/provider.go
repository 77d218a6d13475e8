package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
	"github.com/akash-market/akash/sim/rng"
)

// providerClass is a scenario ProviderClass with what the world derives from it.
type providerClass struct {
	idx       int
	spec      *ProviderClass
	strategy  StrategyParams      // builds each provider's Strategy
	agent     ProviderAgentParams // builds each provider's ProviderAgent
	regions   weighted
	attrs     manifest.Attributes // class attributes without region, sorted
	capacity  manifest.Totals
	stake     money.Dec
	created   int      // providers created so far (initial and joined): the next index
	addrs     []string // the initial providers' addresses (packAddrs)
	leaseRoom int      // the most leases one of its providers can hold (World.leaseRoom)
	joinR     *rand.Rand
	w         *World
}

// Provider is one supplier: capacity, cost, a pricing strategy, stake and a
// fulfilment history. Its random draws come from its own streams, named by
// its address, so other providers joining or leaving change none of them.
type Provider struct {
	// The fields every order notification reads come first, in the
	// struct's first three cache lines (see consider): whether the
	// provider is up, its capacity left, and its latency stream, held in
	// the struct rather than behind two pointers. At 10,000 providers each
	// look is a cache miss per line touched.
	online, left bool
	idx          int32
	capacity     market.Capacity // Committed: leased; Reserved: held by open bids
	class        *providerClass
	latencyR     *rand.Rand // &latency: the same stream, its state in line with the fields above
	latency      rand.Rand
	latencySrc   rand.PCG
	priceSrc     rand.PCG
	price        rand.Rand
	priceR       *rand.Rand // &price
	// Then what a bid's placement reads, in the next two lines.
	wallet  money.Dec
	costPPM uint64            // cost multiplier of the reference prices, parts per million
	rep     market.Reputation // snapshot, see reputationRefresh
	addr    string
	bookRef market.ProviderRef  // addr's handle in w.book, for PlaceBidAs
	attrs   manifest.Attributes // region plus class attributes, sorted
	pending []pendingBid
	pricer  Strategy
	agent   ProviderAgent

	region  int
	costMul float64

	outageR, churnR, saltR *rand.Rand

	pos      [2]int32 // position in the class's candidate lists (all, region)
	leases   []*Deployment
	history  lease.History
	revenue  money.Dec
	faults   int64
	repKey   repKey // the inputs of rep
	repKeyOK bool
	bonded   money.Dec // the StakeBook's bonded stake of p, valid while bondedOK
	bondedOK bool      // cleared by stakeChanged after every stake verb on p
	won      int64
	outages  int64
	joinedAt engine.Time
	leftAt   engine.Time // when it left the market (p.left)

	outage outageEvent
	churn  leaveEvent
	wd     withdrawEvent
}

// pendingBid is capacity a provider reserved for one of its accepted bids.
type pendingBid struct {
	dseq   uint64
	oseq   uint32
	totals manifest.Totals
}

func (p *Provider) Addr() string { return p.addr }

// free is capacity neither leased nor reserved (core/market Capacity).
func (p *Provider) free() manifest.Totals { return p.capacity.Free() }

// utilBPS is the utilisation of the busiest resource, basis points.
func (p *Provider) utilBPS() int64 {
	u := int64(0)
	f := func(used, c uint64) {
		if c > 0 {
			u = max(u, int64(used*10000/c))
		}
	}
	t, c := p.capacity.Used(), &p.capacity.Total
	f(t.CPUMillis, c.CPUMillis)
	f(t.MemoryBytes/(1<<20), c.MemoryBytes/(1<<20))
	f(t.StorageBytes/(1<<20), c.StorageBytes/(1<<20))
	f(t.GPUUnits, c.GPUUnits)
	f(t.BandwidthBps, c.BandwidthBps)
	return u
}

// reputation is the provider's score now, from core/lease's formula, as
// the chain's provider module computes it on every bid: its stake share of
// the total bonded now and its history now. The score is remembered with its
// inputs (the share's numerator and denominator, the history): while none of
// them moved, the remembered score is the score, so a bid costs a compare;
// when one did (its own stake or history, or anyone's stake moving the total),
// repMemo has the score of most inputs already.
func (w *World) reputation(p *Provider) market.Reputation {
	if !p.bondedOK {
		p.bonded, p.bondedOK = w.settle.stake.Weight(p.addr).Num, true
	}
	k := repKey{share: lease.Fraction{Num: p.bonded, Den: w.settle.stake.Total}, h: p.history}
	if !p.repKeyOK || k != p.repKey { // else the inputs, hence the score, are as last time
		p.rep = w.settle.repMemo.get(k)
		p.repKey, p.repKeyOK = k, true
	}
	return p.rep
}

// stakeChanged marks p's cached bonded stake stale; every StakeBook verb on p
// calls it. (The book's Weight is a map look-up by address, which the
// snapshot refresh of thousands of providers would otherwise pay each time.)
func (p *Provider) stakeChanged() { p.bondedOK = false }

// repMemo remembers ComputeReputation's results. The formula is a pure
// function of (stake share, history), and a market has few distinct inputs
// (most providers bond the same stake; histories are small counts), while
// the exact stake-share arithmetic costs a microsecond: at scale, snapshot
// refreshes recomputed the same values millions of times. The map is only
// looked up, never iterated, and is emptied when it reaches its limit
// (memoMax, or what World.presize sized it for: emptying keeps its room).
type repMemo struct {
	params lease.ReputationParams // fixed for the run
	m      map[repKey]market.Reputation
	limit  int
}

type repKey struct {
	share lease.Fraction
	h     lease.History
}

const memoMax = 1 << 16

func (r *repMemo) get(k repKey) market.Reputation {
	if v, ok := r.m[k]; ok {
		return v
	}
	if r.m == nil {
		r.m, r.limit = make(map[repKey]market.Reputation, 256), memoMax
	} else if len(r.m) >= r.limit {
		clear(r.m)
	}
	v := lease.ComputeReputation(k.share, k.h, r.params)
	r.m[k] = v
	return v
}

// newProvider creates provider number i of class c and brings it online:
// wallet funded from outside with its stake plus working capital for bid
// deposits, stake bonded, first outage and departure scheduled.
func (w *World) newProvider(c *providerClass, i int) error {
	addr := c.addr(i)
	stream := func(purpose string) *rand.Rand { return w.seed.StreamFor(addr, purpose) }
	p := &Provider{
		idx: int32(len(w.providers)), addr: addr, class: c, capacity: market.Capacity{Total: c.capacity},
		outageR: stream("outage"), churnR: stream("churn"), saltR: stream("salt"), online: true, joinedAt: w.now(),
		// Room for as many leases as its capacity can hold, and for the
		// open bids of a busy provider: neither grows in steady state.
		leases: make([]*Deployment, 0, c.leaseRoom), pending: make([]pendingBid, 0, 16),
	}
	// The two streams drawn per bid live inside the provider: the same
	// generators (rng.PCGFor is what StreamFor wraps), copied in by value.
	p.latencySrc, p.priceSrc = *rng.PCGFor(uint64(w.seed), addr, "latency"), *rng.PCGFor(uint64(w.seed), addr, "price")
	p.latency, p.price = *rand.New(&p.latencySrc), *rand.New(&p.priceSrc)
	p.latencyR, p.priceR = &p.latency, &p.price
	p.region = c.regions.pick(stream("region"))
	p.costMul = c.spec.Cost.Draw(stream("cost"))
	p.costPPM = uint64(math.Round(p.costMul * 1e6))
	p.attrs = slices.Clone(c.attrs)
	if p.region >= 0 {
		p.attrs = append(p.attrs, manifest.Attribute{Key: "region", Value: w.regions[p.region]})
		slices.SortFunc(p.attrs, func(a, b manifest.Attribute) int {
			if a.Key != b.Key {
				if a.Key < b.Key {
					return -1
				}
				return 1
			}
			if a.Value < b.Value {
				return -1
			} else if a.Value > b.Value {
				return 1
			}
			return 0
		})
	}
	info := ProviderInfo{Address: addr, Class: c.spec.Name, Capacity: p.capacity.Total, CostMultiplier: p.costMul, w: w}
	if p.region >= 0 {
		info.Region = w.regions[p.region]
	}
	p.bookRef = w.book.Provider(addr)
	p.pricer = c.strategy.NewStrategy(&info)
	p.agent = c.agent.NewProviderAgent(&info)
	p.outage.p, p.churn.p, p.wd.p = p, p, p
	p.outage.w, p.churn.w, p.wd.w = w, w, w
	w.providers = append(w.providers, p)
	w.provAddr[addr] = p
	w.candAdd(p)
	w.metrics.addCapacity(p, +1)

	// Fund: stake plus working capital for 10,000 bid deposits.
	fund := c.stake
	if dep, err := w.rules.bidDeposit.Amount.MulInt(10_000); err == nil {
		_ = fund.AddAssign(&dep)
	}
	if err := moveFor(&w.settle.ledger.Outside, &w.settle.ledger.Providers, fund, "fund provider", addr); err != nil {
		return err
	}
	p.wallet = fund
	if w.trace != nil {
		w.traceProvider(p, fund)
	}
	if !c.stake.IsZero() {
		p.stakeChanged()
		if err := w.settle.stake.Bond(addr, money.Coin{Denom: w.denom, Amount: c.stake}, &w.settle.effects); err != nil {
			return fmt.Errorf("provider %s: bond %s: %w", addr, c.stake.ShortString(), err)
		}
		w.applyEffects()
	}
	if !c.spec.MTBF.IsZero() {
		w.eng.After(engine.Seconds(max(c.spec.MTBF.Draw(p.outageR), 1)), &p.outage)
	}
	if !c.spec.Lifetime.IsZero() {
		w.eng.After(engine.Seconds(max(c.spec.Lifetime.Draw(p.churnR), 1)), &p.churn)
	}
	if w.sc.Market.WithdrawEvery > 0 {
		w.eng.After(w.sc.Market.WithdrawEvery.Sim(), &p.wd)
	}
	return nil
}

// addr is the address of provider number i of the class. The initial
// providers' addresses are slices of one string (see packAddrs).
func (c *providerClass) addr(i int) string {
	if i < len(c.addrs) {
		return c.addrs[i]
	}
	return c.spec.Name + "-" + strconv.Itoa(i)
}

// packAddrs builds the addresses of the class's first n providers as slices
// of one string. Every bid hashes or compares its provider's address (in
// the book's interner, in the world's look-ups); with the addresses in one
// block of memory (about 100 KB for 10,000 providers) those reads hit the
// cache instead of each missing on a separately allocated string.
func (c *providerClass) packAddrs(n int) {
	var b strings.Builder
	ends := make([]int, n)
	for i := range n {
		b.WriteString(c.spec.Name)
		b.WriteByte('-')
		b.WriteString(strconv.Itoa(i))
		ends[i] = b.Len()
	}
	all := b.String()
	c.addrs = make([]string, n)
	start := 0
	for i, e := range ends {
		c.addrs[i] = all[start:e]
		start = e
	}
}

// candAdd puts p on its class's candidate lists (every region, and its own).
func (w *World) candAdd(p *Provider) {
	lists := w.candidates[p.class.idx]
	p.pos[0] = int32(len(lists[0]))
	lists[0] = append(lists[0], p.idx)
	if p.region >= 0 {
		p.pos[1] = int32(len(lists[p.region+1]))
		lists[p.region+1] = append(lists[p.region+1], p.idx)
	}
}

// candRemove takes p off its lists (swap with the last: O(1)).
func (w *World) candRemove(p *Provider) {
	lists := w.candidates[p.class.idx]
	rm := func(li int, pos int32) {
		l := lists[li]
		last := l[len(l)-1]
		l[pos] = last
		q := w.providers[last]
		if li == 0 {
			q.pos[0] = pos
		} else {
			q.pos[1] = pos
		}
		lists[li] = l[:len(l)-1]
	}
	rm(0, p.pos[0])
	if p.region >= 0 {
		rm(p.region+1, p.pos[1])
	}
}

// joinEvent: a new provider of the class joins (Poisson at JoinPerDay).
func (c *providerClass) Fire(s *engine.Sim) {
	w := c.w
	if err := w.newProvider(c, c.created); err != nil {
		w.fail(err)
		return
	}
	c.created++
	w.metrics.joined++
	c.scheduleJoin()
}

func (c *providerClass) scheduleJoin() {
	if c.spec.JoinPerDay > 0 {
		c.w.eng.After(rng.InterArrival(c.joinR, c.spec.JoinPerDay/86400), c)
	}
}

// releaseBid gives back the reservation of p's bid on order (dseq, oseq):
// the bid lost or was withdrawn. A provider that held none is no error (it
// may have bid nothing, or its bid was refused at placement).
func (w *World) releaseBid(p *Provider, dseq uint64, oseq uint32) {
	t, ok := p.dropPending(dseq, oseq)
	if !ok {
		return
	}
	if err := p.capacity.Unreserve(t); err != nil {
		w.fail(fmt.Errorf("provider %s: bid on %d/%d: %w", p.addr, dseq, oseq, err))
	}
}

// dropPending forgets p's bid on order (dseq, oseq) and returns what it
// reserved.
func (p *Provider) dropPending(dseq uint64, oseq uint32) (manifest.Totals, bool) {
	for i := range p.pending {
		if pb := p.pending[i]; pb.dseq == dseq && pb.oseq == oseq {
			last := len(p.pending) - 1
			p.pending[i] = p.pending[last]
			p.pending = p.pending[:last]
			return pb.totals, true
		}
	}
	return manifest.Totals{}, false
}

func (p *Provider) dropLease(d *Deployment) {
	if i := slices.Index(p.leases, d); i >= 0 {
		last := len(p.leases) - 1
		p.leases[i] = p.leases[last]
		p.leases[last] = nil
		p.leases = p.leases[:last]
	}
}
