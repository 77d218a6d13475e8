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

// attrsIn returns the attributes of the class's providers in region r (-1:
// none): the class's plus the region, sorted by key then value. Every
// provider of a class and region gets the same slice, read-only, so the
// book's verdict cache shares one profile among them.
func (c *providerClass) attrsIn(r int) manifest.Attributes {
	if c.regionAttrs == nil {
		c.regionAttrs = make([]classAttrs, len(c.w.regions)+1)
	}
	if ca := c.regionAttrs[r+1]; ca.built {
		return ca.attrs
	}
	a := slices.Clone(c.attrs)
	if r >= 0 {
		a = append(a, manifest.Attribute{Key: "region", Value: c.w.regions[r]})
		slices.SortFunc(a, manifest.CompareAttributes)
	}
	c.regionAttrs[r+1] = classAttrs{attrs: a, built: true}
	return a
}

// classAttrs is one entry of providerClass.regionAttrs.
type classAttrs struct {
	attrs manifest.Attributes
	built bool
}

// providerClass is a scenario ProviderClass with what the world derives from it.
type providerClass struct {
	idx      int
	spec     *ProviderClass
	strategy StrategyParams      // builds each provider's Strategy
	agent    ProviderAgentParams // builds each provider's ProviderAgent
	regions  weighted
	attrs    manifest.Attributes // class attributes without region, sorted
	// regionAttrs[r+1] is the attribute set of the class's providers in
	// region r (r = -1: none), built once (attrsIn) and shared by them.
	regionAttrs []classAttrs
	capacity    manifest.Totals
	stake       money.Dec
	created     int      // providers created so far (initial and joined): the next index
	addrs       []string // the initial providers' addresses (packAddrs)
	leaseRoom   int      // the most leases one of its providers can hold (World.leaseRoom)
	joinR       *rand.Rand
	w           *World

	// latency draws a provider's bid latency from its own stream: latencyOf
	// points it at the provider's PCG state, which lives in the provider's
	// hot lines (a rand.Rand per provider would take 16 more bytes there).
	latency   *rand.Rand
	latencyOf pcgRef

	// What the class's providers are made of, sized from the scenario
	// (reserveRecords): the records of its initial providers and of its
	// joins up to a bound, and the joiners' lease and open-bid arrays.
	// Past the bound a join allocates, as before.
	records  []Provider
	leaseArr []*Deployment
	pendArr  []pendingBid
	// drawSrc and draw are a scratch generator for the streams a new
	// provider draws once (region, cost).
	drawSrc rand.PCG
	draw    rand.Rand
}

// pendRoom is the open bids a provider's pendMore array holds.
const pendRoom = 16

// record returns room for the class's next provider: the next record of
// the slab, or a new one past it.
func (c *providerClass) record() *Provider {
	if n := len(c.records); n < cap(c.records) {
		c.records = c.records[:n+1]
		return &c.records[n]
	}
	return new(Provider)
}

// lists returns a new provider's lease list and open-bid array (empty, with
// room for c.leaseRoom and pendRoom): cut from the class's arrays while they
// last, allocated past them.
func (c *providerClass) lists() ([]*Deployment, []pendingBid) {
	var leases []*Deployment
	if len(c.leaseArr) >= c.leaseRoom {
		leases, c.leaseArr = c.leaseArr[:0:c.leaseRoom], c.leaseArr[c.leaseRoom:]
	} else {
		leases = make([]*Deployment, 0, c.leaseRoom)
	}
	var pend []pendingBid
	if len(c.pendArr) >= pendRoom {
		pend, c.pendArr = c.pendArr[:0:pendRoom], c.pendArr[pendRoom:]
	} else {
		pend = make([]pendingBid, 0, pendRoom)
	}
	return leases, pend
}

// pcgRef is a rand.Source that draws from the PCG it points at: the same
// numbers, in the same order, as a rand.Rand made on that PCG.
type pcgRef struct{ pcg *rand.PCG }

func (r *pcgRef) Uint64() uint64 { return r.pcg.Uint64() }

// latencyRand is a rand.Rand drawing from p's latency stream, valid until the
// next call for a provider of p's class.
func (p *Provider) latencyRand() *rand.Rand {
	c := p.class
	if c.latency == nil {
		c.latency = rand.New(&c.latencyOf)
	}
	c.latencyOf.pcg = &p.latencySrc
	return c.latency
}

// Provider is one supplier: capacity, cost, a pricing strategy, stake and a
// fulfilment history. Its random draws come from its own streams, named by
// its address, so other providers joining or leaving change none of them.
type Provider struct {
	// The fields a notification, a bid's placement and its order's close
	// read come first, in the struct's first seven cache lines: whether
	// the provider is up and its capacity (lines 0–1: notify's room
	// check), its class and latency stream (line 2: consider), what a
	// bid's placement and the close read, with room for two open bids
	// (lines 2–4), and the inputs of its reputation and its attributes
	// (lines 5–6: placement only). At 10,000 providers each look is a
	// cache miss per line touched; the streams and the first open bids
	// live in the struct, not behind pointers, for the same reason.
	online, left bool
	repOK        bool // stakeS is the stake score of (bonded, the total at repEpoch); rep its score with the history at repLeases
	bondedOK     bool // bonded is valid; cleared by stakeChanged after every stake verb on p
	idx          int32
	capacity     market.Capacity // Committed: leased; Reserved: held by open bids
	class        *providerClass
	latencySrc   rand.PCG           // the "latency" stream's state (drawn through class.latency)
	costPPM      uint64             // cost multiplier of the reference prices, parts per million
	rep          market.Reputation  // score, see reputation
	bookRef      market.ProviderRef // addr's handle in w.book, for PlaceBidAs
	addr         string
	pricer       Strategy
	agent        ProviderAgent
	pending      []pendingBid // open bids holding a reservation: pendBuf, or pendMore while more than fit it
	wallet       money.Dec
	pendBuf      [2]pendingBid
	repEpoch     uint32 // repMemo.epoch when stakeS was computed
	stakeS       uint32 // lease.StakeScore of p's share at repEpoch
	history      lease.History
	repLeases    uint64              // history's count of leases when rep was computed
	attrs        manifest.Attributes // region plus class attributes, sorted

	// Then what pricing strategies and rarer events read.
	priceSrc rand.PCG
	price    rand.Rand // the "price" stream (Quote.Rand), drawn from priceSrc
	region   int
	costMul  float64

	outageR, churnR, saltR *rand.Rand // &outageRnd, &churnRnd, &saltRnd

	// The streams' generators and the strategy's view of the provider live
	// in the record (one slab per class, providerClass.records): a provider
	// joining allocates nothing.
	outageSrc, churnSrc, saltSrc rand.PCG
	outageRnd, churnRnd, saltRnd rand.Rand
	info                         ProviderInfo

	pendMore []pendingBid // a heap array for more open bids than pendBuf holds, kept for reuse
	pos      [2]int32     // position in the class's candidate lists (all, region)
	leases   []*Deployment
	revenue  money.Dec
	faults   int64
	bonded   money.Dec // the StakeBook's bonded stake of p, valid while bondedOK
	won      int64
	outages  int64
	joinedAt engine.Time
	leftAt   engine.Time // when it left the market (p.left)

	outage outageEvent
	churn  leaveEvent
	wd     withdrawEvent
}

// pendingBid is one of a provider's accepted bids, which reserved its
// order's totals (d.totals: fixed for the deployment's life, which outlasts
// its orders' bids).
type pendingBid struct {
	d    *Deployment
	dseq uint64
	oseq uint32
}

// addPending records an accepted bid. The first two open bids live in the
// provider (pendBuf, in a line the bid and the close read anyway); a third
// moves them to pendMore, a heap array made with the provider (room for 16
// open bids, as the list had before) that stays for the next time.
func (p *Provider) addPending(d *Deployment) {
	if len(p.pending) == cap(p.pending) && cap(p.pendMore) > len(p.pending) {
		p.pending = append(p.pendMore[:0], p.pending...)
	}
	p.pending = append(p.pending, pendingBid{d: d, dseq: d.id.DSeq, oseq: d.oseq})
	if cap(p.pending) > len(p.pendBuf) {
		p.pendMore = p.pending[:0:cap(p.pending)]
	}
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
// the total bonded now and its history now. The score's stake component S
// (StakeScore: the exact share and its square root, the costly part) is
// remembered in p with its inputs: while they did not move (its bonded
// stake, reloaded only after a stake verb on p; the total bonded, whose
// changes repMemo counts as epochs), S is the stake score, and when only the
// history grew (a lease closed), the score is lease.ReputationFrom(S,
// history): one division, no memo look-up. When the stake inputs moved,
// repMemo has S for most of them already (most providers bond the same).
func (w *World) reputation(p *Provider) market.Reputation {
	m := &w.settle.repMemo
	if !p.bondedOK {
		p.bonded, p.bondedOK, p.repOK = w.settle.stake.Weight(p.addr).Num, true, false
	}
	if total := &w.settle.stake.Total; !total.Equal(m.total) {
		m.total = *total
		m.epoch++
	}
	if !p.repOK || p.repEpoch != m.epoch {
		p.stakeS = m.get(stakeKey{bonded: p.bonded, total: m.total})
		p.repOK, p.repEpoch = true, m.epoch
		p.repLeases = ^uint64(0) // recompute below
	}
	// History only counts up, one lease per Record: it is unchanged while
	// its count of leases is.
	if n := p.history.Served + p.history.Faults + p.history.Neutral; p.repLeases != n {
		p.rep = lease.ReputationFrom(p.stakeS, p.history, m.params)
		p.repLeases = n
	}
	return p.rep
}

// stakeChanged marks p's cached bonded stake stale; every StakeBook verb on p
// calls it. (The book's Weight is a map look-up by address, which the
// snapshot refresh of thousands of providers would otherwise pay each time.)
func (p *Provider) stakeChanged() { p.bondedOK = false }

// repMemo remembers StakeScore's results. The score is a pure function of
// the stake share (bonded ÷ total bonded), and a market has few distinct
// shares (most providers bond the same stake), while the exact stake-share
// arithmetic costs a microsecond: at scale, snapshot refreshes recomputed
// the same values millions of times. The map is only looked up, never
// iterated, and is emptied when it reaches its limit (memoMax, or what
// World.presize sized it for: emptying keeps its room).
type repMemo struct {
	params lease.ReputationParams // fixed for the run
	m      map[stakeKey]uint32
	limit  int
	total  money.Dec // the total bonded the last time a score was asked for
	epoch  uint32    // bumped whenever total moved: scores of earlier epochs are stale
}

// stakeKey is a stake share: a provider's bonded stake and the total bonded.
type stakeKey struct {
	bonded, total money.Dec
}

const memoMax = 1 << 16

func (r *repMemo) get(k stakeKey) uint32 {
	if v, ok := r.m[k]; ok {
		return v
	}
	if r.m == nil {
		r.m, r.limit = make(map[stakeKey]uint32, 256), memoMax
	} else if len(r.m) >= r.limit {
		clear(r.m)
	}
	v := lease.StakeScore(lease.Fraction{Num: k.bonded, Den: k.total}, r.params)
	r.m[k] = v
	return v
}

// newProvider creates provider number i of class c and brings it online:
// wallet funded from outside with its stake plus working capital for bid
// deposits, stake bonded, first outage and departure scheduled.
func (w *World) newProvider(c *providerClass, i int) error {
	addr := c.addr(i)
	seed := uint64(w.seed)
	p := c.record()
	*p = Provider{
		idx: int32(len(w.providers)), addr: addr, class: c, capacity: market.Capacity{Total: c.capacity},
		online: true, joinedAt: w.now(),
	}
	// Every stream is StreamFor(seed, addr, purpose): the same generators,
	// seeded in place (rng.DeriveFor) instead of allocated.
	for _, s := range [...]struct {
		src     *rand.PCG
		rnd     *rand.Rand
		ptr     **rand.Rand
		purpose string
	}{
		{&p.outageSrc, &p.outageRnd, &p.outageR, "outage"},
		{&p.churnSrc, &p.churnRnd, &p.churnR, "churn"},
		{&p.saltSrc, &p.saltRnd, &p.saltR, "salt"},
	} {
		s.src.Seed(rng.DeriveFor(seed, addr, s.purpose))
		*s.rnd = *rand.New(s.src)
		*s.ptr = s.rnd
	}
	// Room for as many leases as its capacity can hold, and for the open
	// bids of a busy provider: neither grows in steady state.
	p.leases, p.pendMore = c.lists()
	p.pending = p.pendBuf[:0:len(p.pendBuf)]
	// The two streams drawn per bid live inside the provider (their hot
	// lines).
	p.latencySrc.Seed(rng.DeriveFor(seed, addr, "latency"))
	p.priceSrc.Seed(rng.DeriveFor(seed, addr, "price"))
	p.price = *rand.New(&p.priceSrc)
	// The region and cost streams are drawn once: the class's scratch
	// generator, seeded for each.
	c.drawSrc.Seed(rng.DeriveFor(seed, addr, "region"))
	p.region = c.regions.pick(&c.draw)
	c.drawSrc.Seed(rng.DeriveFor(seed, addr, "cost"))
	p.costMul = c.spec.Cost.Draw(&c.draw)
	p.costPPM = uint64(math.Round(p.costMul * 1e6))
	p.attrs = c.attrsIn(p.region)
	info := &p.info
	*info = ProviderInfo{Address: addr, Class: c.spec.Name, Capacity: p.capacity.Total, CostMultiplier: p.costMul, w: w}
	if p.region >= 0 {
		info.Region = w.regions[p.region]
	}
	// Registered with its class-and-region attribute slice, shared by every
	// provider of that class and region: they share one profile in the
	// book's verdict cache, so a placement looks its attribute verdict up.
	p.bookRef = w.book.RegisterProvider(addr, market.ProviderProfile{Attributes: p.attrs})
	p.pricer = c.strategy.NewStrategy(info)
	p.agent = c.agent.NewProviderAgent(info)
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
// The lists hold the providers themselves: notify's picks, random positions
// in a list of thousands, then miss once on the list and once on the
// provider, not also on w.providers.
func (w *World) candAdd(p *Provider) {
	lists := w.candidates[p.class.idx]
	p.pos[0] = int32(len(lists[0]))
	lists[0] = append(lists[0], p)
	if p.region >= 0 {
		p.pos[1] = int32(len(lists[p.region+1]))
		lists[p.region+1] = append(lists[p.region+1], p)
	}
}

// candRemove takes p off its lists (swap with the last: O(1)).
func (w *World) candRemove(p *Provider) {
	lists := w.candidates[p.class.idx]
	rm := func(li int, pos int32) {
		l := lists[li]
		q := l[len(l)-1]
		l[pos] = q
		l[len(l)-1] = nil
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
			p.pending[last] = pendingBid{}
			p.pending = p.pending[:last]
			if last == 0 && cap(p.pending) > len(p.pendBuf) { // back in the provider
				p.pending = p.pendBuf[:0:len(p.pendBuf)]
			}
			return pb.d.totals, true
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
