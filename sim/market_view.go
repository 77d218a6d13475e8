package sim

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"time"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// What an extension may know. A strategy or agent sees its own state
// (Quote, Self, ProviderInfo, TenantInfo) and the market's public
// information (Market): what a participant reads from the chain. It never
// sees another provider's costs, capacity, utilisation or streams.

// Market is the market's public information at the current block: the
// parameters, the open orders, recent clearing prices per resource shape and
// the recent winning prices (who won what at which price; sealed prices
// once revealed). Methods read the world when called: a strategy pays only
// for what it asks.
type MarketView struct{ w *World }

// Height is the block in force.
func (m MarketView) Height() int64 { return m.w.height }

// Time is the simulated time since the start of the run.
func (m MarketView) Time() time.Duration { return time.Duration(m.w.now()) }

// TakeRateBPS is the share of provider earnings that goes to the community
// pool, basis points: a provider keeps price × (10000 − take)/10000.
func (m MarketView) TakeRateBPS() uint32 { return m.w.rules.takeRateBPS }

// Denom is the market's denomination (uakt).
func (m MarketView) Denom() string { return m.w.denom }

// Regions are the scenario's regions, sorted; a region index is a position.
func (m MarketView) Regions() []string { return m.w.regions }

// Reference is the scenario's reference price per block of one unit of
// each resource (market.reference).
func (m MarketView) Reference() ResourcePrices { return m.w.sc.Market.Reference }

// ReferenceCost is Σ resource × reference price per block for t
// (market.Rates.ResourceCost: each term rounded up to the atto-unit). A
// cost too large for money stops the run with the error and reads as 0.
func (m MarketView) ReferenceCost(t manifest.Totals) money.Dec {
	return m.w.viewCost(m.w.rules.reference.cost(t))
}

// LastClearing is the last clearing price per block of an order for
// exactly the resources t (a like order), and whether there was one.
func (m MarketView) LastClearing(t manifest.Totals) (money.Dec, bool) {
	if r := m.w.public.clear[t]; r != nil {
		return r.last(), true
	}
	return money.Dec{}, false
}

// RecentClearing is up to the last ClearingKept clearing prices of like
// orders (resources t), oldest first.
func (m MarketView) RecentClearing(t manifest.Totals) []money.Dec {
	r := m.w.public.clear[t]
	if r == nil {
		return nil
	}
	n := min(r.n, ClearingKept)
	out := make([]money.Dec, 0, n)
	for i := r.n - n; i < r.n; i++ {
		out = append(out, r.p[i%ClearingKept])
	}
	return out
}

// RecentWins yields up to the last WinsKept leases opened in the market,
// newest first: the winner, the resources and the winning price.
func (m MarketView) RecentWins() iter.Seq[Win] {
	pub := &m.w.public
	return func(yield func(Win) bool) {
		for i := pub.winsN - 1; i >= 0 && i >= pub.winsN-WinsKept; i-- {
			if !yield(pub.wins[i%WinsKept]) {
				return
			}
		}
	}
}

// OpenOrders yields the orders open for bids (or reveals) now, in an order
// that is the same in every run of the scenario and seed.
func (m MarketView) OpenOrders() iter.Seq[OrderInfo] {
	w := m.w
	return func(yield func(OrderInfo) bool) {
		for _, d := range w.public.open {
			if !yield(w.orderInfo(d)) {
				return
			}
		}
	}
}

// OpenOrderCount is the number of orders OpenOrders yields.
func (m MarketView) OpenOrderCount() int { return len(m.w.public.open) }

// ClearingKept is how many clearing prices per resource shape the market
// remembers; WinsKept how many recent wins.
const (
	ClearingKept = 16
	WinsKept     = 256
)

// Win is a lease opened: public once the order closed.
type Win struct {
	Order     market.OrderID
	Provider  string
	Resources manifest.Totals
	Price     money.Dec // per block, the whole group
	Height    int64
}

// OrderInfo is an order as the book shows it.
type OrderInfo struct {
	ID            market.OrderID
	Resources     manifest.Totals // the whole group
	MaxPrice      money.Dec       // per block, the whole group
	Region        string          // required region; "" for any
	Sealed        bool
	OpenHeight    int64
	CloseHeight   int64 // first height at which no bid is taken
	MinReputation market.Reputation
	Bids          int // bids placed so far (commitments, for a sealed order)
}

func (w *World) orderInfo(d *Deployment) OrderInfo {
	o := OrderInfo{ID: d.orderID(), Resources: d.totals, MaxPrice: d.maxPrice, Sealed: d.sealed,
		OpenHeight: d.closeH - w.rules.bidWindow, CloseHeight: d.closeH, MinReputation: d.minRep, Bids: int(d.bids)}
	if d.region >= 0 {
		o.Region = w.regions[d.region]
	}
	return o
}

// publicInfo is what the world keeps for Market beyond the book: clearing
// prices per shape, recent wins, the open orders.
type publicInfo struct {
	clear map[manifest.Totals]*clearRing
	wins  [WinsKept]Win
	winsN int
	open  []*Deployment // orders open now; Deployment.openAt is the position
}

type clearRing struct {
	p [ClearingKept]money.Dec
	n int
}

func (r *clearRing) last() money.Dec { return r.p[(r.n-1)%ClearingKept] }

// leaseOpened records a winning price (order d, provider p).
func (pub *publicInfo) leaseOpened(d *Deployment, p *Provider, price money.Dec, h int64) {
	var sc *shapeCost // a class's shape keeps its totals' ring: no map look-up per lease
	if d.class != nil && d.shape >= 0 {
		sc = &d.class.shapeCosts[d.shape]
	}
	var r *clearRing
	if sc != nil {
		r = sc.clear
	}
	if r == nil {
		r = pub.clearOf(d.totals)
		if sc != nil {
			sc.clear = r
		}
	}
	r.p[r.n%ClearingKept] = price
	r.n++
	pub.wins[pub.winsN%WinsKept] = Win{Order: d.orderID(), Provider: p.addr, Resources: d.totals, Price: price, Height: h}
	pub.winsN++
}

// clearOf is the ring of clearing prices of orders for t, made on first use.
func (pub *publicInfo) clearOf(t manifest.Totals) *clearRing {
	r := pub.clear[t]
	if r == nil {
		if pub.clear == nil {
			pub.clear = map[manifest.Totals]*clearRing{}
		}
		r = &clearRing{}
		pub.clear[t] = r
	}
	return r
}

// orderOpened and orderClosed keep the open list (swap-remove: O(1)).
func (pub *publicInfo) orderOpened(d *Deployment) {
	d.openAt = int32(len(pub.open))
	pub.open = append(pub.open, d)
}

func (pub *publicInfo) orderClosed(d *Deployment) {
	i := d.openAt
	if i < 0 || int(i) >= len(pub.open) || pub.open[i] != d {
		return
	}
	last := len(pub.open) - 1
	pub.open[i] = pub.open[last]
	pub.open[i].openAt = i
	pub.open[last] = nil
	pub.open = pub.open[:last]
	d.openAt = -1
}

// Quote is what a provider knows when it prices (and decides on) a bid:
// the order, its cost of serving it, its own state and the public market.
// It is valid only during the call it is passed to.
type Quote struct {
	w    *World
	p    *Provider
	d    *Deployment
	cost money.Dec
}

// Order is the order being priced.
func (q *Quote) Order() OrderInfo { return q.w.orderInfo(q.d) }

// Resources are the order's resources (the whole group), without building
// the rest of OrderInfo.
func (q *Quote) Resources() manifest.Totals { return q.d.totals }

// MaxPrice is the order's max price per block (the whole group).
func (q *Quote) MaxPrice() money.Dec { return q.d.maxPrice }

// Cost is the provider's cost per block of the order's resources.
func (q *Quote) Cost() money.Dec { return q.cost }

// TakeRateBPS is the market's take rate (Market.TakeRateBPS).
func (q *Quote) TakeRateBPS() uint32 { return q.w.rules.takeRateBPS }

// Height is the block in force.
func (q *Quote) Height() int64 { return q.w.height }

// Time is the simulated time since the start of the run.
func (q *Quote) Time() time.Duration { return time.Duration(q.w.now()) }

// LastClearing is the last clearing price of a like order (same resources).
func (q *Quote) LastClearing() (money.Dec, bool) { return q.Market().LastClearing(q.d.totals) }

// Self is the provider's own state.
func (q *Quote) Self() Self { return Self{w: q.w, p: q.p} }

// Market is the public market information.
func (q *Quote) Market() MarketView { return MarketView{w: q.w} }

// Rand is the provider's own "price" stream, drawn only by its pricing: the
// same draws whatever other providers do.
func (q *Quote) Rand() *rand.Rand { return &q.p.price }

// Self is one provider's view of itself.
type Self struct {
	w *World
	p *Provider
}

func (s Self) Address() string { return s.p.addr }

// Class is the provider class's name.
func (s Self) Class() string { return s.p.class.spec.Name }

// Region is the provider's region ("" when the scenario gives it none).
func (s Self) Region() string {
	if s.p.region < 0 {
		return ""
	}
	return s.w.regions[s.p.region]
}

// Capacity, Used (leased), Reserved (held by open bids) and Free.
func (s Self) Capacity() manifest.Totals { return s.p.capacity.Total }
func (s Self) Used() manifest.Totals     { return s.p.capacity.Committed }
func (s Self) Reserved() manifest.Totals { return s.p.capacity.Reserved }
func (s Self) Free() manifest.Totals     { return s.p.free() }

// UtilisationBPS is the busiest resource's share in use (leased or
// reserved), basis points.
func (s Self) UtilisationBPS() int64 { return s.p.utilBPS() }

// CostOf is the provider's cost per block of resources t (providerCost of
// their reference cost). A cost too large for money stops the run with the
// error and reads as 0.
func (s Self) CostOf(t manifest.Totals) money.Dec {
	ref, err := s.w.rules.reference.cost(t)
	if err != nil {
		return s.w.viewCost(ref, err)
	}
	return s.w.viewCost(providerCost(s.p, ref))
}

// Leases is the number of leases the provider serves now; Won how many it
// has won; Revenue what it has been paid (after the take).
func (s Self) Leases() int        { return len(s.p.leases) }
func (s Self) Won() int64         { return s.p.won }
func (s Self) Revenue() money.Dec { return s.p.revenue }
func (s Self) Online() bool       { return s.p.online }
func (s Self) Wallet() money.Dec  { return s.p.wallet }
func (s Self) OpenBids() int      { return len(s.p.pending) }
func (s Self) Market() MarketView { return MarketView{w: s.w} }
func (s Self) Faults() int64      { return s.p.faults }

// providerCost is provider p's cost per block of resources whose reference
// cost is ref: core/market ProviderCost, ref × the provider's cost
// multiplier rounded UP to whole micro-units (the rule the provider
// daemon's rate card follows; an overflow is an error). Pricing reads it
// through Quote.Cost and Self.CostOf.
func providerCost(p *Provider, ref money.Dec) (money.Dec, error) {
	c, err := market.ProviderCost(ref, p.costPPM)
	if err != nil {
		return money.Dec{}, fmt.Errorf("provider %s: %w", p.addr, err)
	}
	return c, nil
}

// viewCost is a cost the extension API's read-only views return: on an
// overflow the run stops with the error (the first one is kept) and the
// view reads 0.
func (w *World) viewCost(c money.Dec, err error) money.Dec {
	if err != nil {
		w.fail(err)
		return money.Dec{}
	}
	return c
}

// ProviderInfo is what building a provider's strategy or agent knows: who
// it is, where, its capacity and cost, and its own random streams.
type ProviderInfo struct {
	Address        string
	Class          string
	Region         string // "" when the scenario gives none
	Capacity       manifest.Totals
	CostMultiplier float64 // of the reference prices
	w              *World
}

// Stream is the provider's own random stream for a purpose: derived from
// (seed, address, purpose), so no other agent's draws move it. The purposes
// the world uses (region, cost, latency, price, outage, churn, salt) are
// taken; the "price" stream is Quote.Rand.
func (pi *ProviderInfo) Stream(purpose string) *rand.Rand {
	return pi.w.seed.StreamFor(pi.Address, purpose)
}

// Market is the public market information.
func (pi *ProviderInfo) Market() MarketView { return MarketView{w: pi.w} }

// Outcome is one of a provider's bids at its order's close.
type Outcome struct {
	// Result is the order's whole result: every bid's price and fate, the
	// winner and the clearing price (public once the order closed).
	Result *market.Result
	// Mine is the index of this provider's bid in Result.Bids.
	Mine      int
	Resources manifest.Totals
	Height    int64
}

// Bid is this provider's bid's fate.
func (o *Outcome) Bid() *market.BidOutcome { return &o.Result.Bids[o.Mine] }

// Won says whether this provider's bid won.
func (o *Outcome) Won() bool { return o.Result.Bids[o.Mine].Outcome == market.OutcomeWon }

// extScratch holds the arguments the world passes to extensions on every
// bid, close and arrival, reused so that passing them allocates nothing: a
// pointer to a local passed to an interface method would make the local
// escape to the heap on every call (an order's Result, a closed lease).
type extScratch struct {
	quote      Quote
	outcome    Outcome
	arrival    Arriving
	result     market.Result // a copy of the order's result the extensions see
	unmatched  Unmatched
	choosing   Choosing
	orderClose OrderClose
	leaseClose LeaseClose
	lease      lease.Lease
}
