package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
	"github.com/akash-market/akash/sim/rng"
)

// TenantAgent decides for one tenant class what each arriving tenant asks
// for and offers (its demand and its bid: the max price, deposit, sealing),
// and what a tenant does when its order closes without a lease. The class's
// arrival process (arrival.*) decides when tenants arrive.
type TenantAgent interface {
	// Order is what the tenant arriving now posts; false posts nothing.
	Order(a *Arriving) (Request, bool)
	// Unmatched is called when a tenant's order closed without a lease:
	// return a max price and true to post the order again at it, or false
	// to close the deployment (its escrow is refunded).
	Unmatched(u *Unmatched) (money.Dec, bool)
}

// Request is one tenant's deployment: one group of the class's shape Shape.
type Request struct {
	Shape         int           // index of the class's demand shape (TenantInfo.Shape)
	Region        int           // index of the required region in Market.Regions; −1 for any
	MaxPrice      money.Dec     // per block, the whole group
	DepositBlocks int64         // the escrow deposit covers this many blocks at MaxPrice (≥ 1)
	Length        time.Duration // lease length wanted; 0 keeps it until the run ends
	Sealed        bool          // sealed bids (commit, then reveal)
	MinReputation uint32        // basis points 0..10000
}

// Unmatched is a tenant's order that closed without a lease.
type Unmatched struct {
	Order  OrderInfo
	Result *market.Result // every bid's price and fate (why none matched)
	// Orders is how many orders the deployment has posted, this one included.
	Orders int
	Market MarketView
}

// ShapeInfo is a demand shape with its group's resources and reference costs.
type ShapeInfo struct {
	Shape       Shape
	Replicas    uint64
	Resources   manifest.Totals // the whole group
	ReplicaCost money.Dec       // reference cost per block of one replica
	GroupCost   money.Dec       // of the whole group
}

// TenantInfo is what building a tenant class's agent knows.
type TenantInfo struct {
	c *tenantClass
}

// Class is the class's keys (read only).
func (t *TenantInfo) Class() *TenantClass { return t.c.spec }

// Owner is the address the class's deployments are owned by.
func (t *TenantInfo) Owner() string { return t.c.owner }

// Shapes is the number of demand shapes (the built-in mix when the class
// gives none); Shape the i-th.
func (t *TenantInfo) Shapes() int           { return len(t.c.shapes) }
func (t *TenantInfo) Shape(i int) ShapeInfo { return t.c.shapeInfo(i) }

// Stream is the class's own random stream for a purpose, derived from
// (seed, class, purpose). The world draws "arrivals" and "top-up"; the
// default agent "shape", "region", "valuation", "deposit", "lease-length"
// and "sealed".
func (t *TenantInfo) Stream(purpose string) *rand.Rand {
	return t.c.w.seed.StreamFor(t.c.owner, purpose)
}

// Market is the public market information.
func (t *TenantInfo) Market() MarketView { return MarketView{w: t.c.w} }

// Arriving is a tenant arriving: TenantInfo plus the moment.
type Arriving struct {
	TenantInfo
}

// Height and Time of the arrival.
func (a *Arriving) Height() int64       { return a.c.w.height }
func (a *Arriving) Time() time.Duration { return time.Duration(a.c.w.now()) }

// N is how many tenants of the class arrived before this one.
func (a *Arriving) N() int64 { return a.c.n - 1 }

func (c *tenantClass) shapeInfo(i int) ShapeInfo {
	sc := &c.shapeCosts[i]
	return ShapeInfo{Shape: c.shapes[i], Replicas: sc.count, Resources: sc.total, ReplicaCost: sc.replica, GroupCost: sc.totalCost}
}

// DrawFromClass is the built-in tenant agent "default": each arrival draws,
// once each from its own stream, a shape (by weight), a region (by the
// class's regions), a valuation (max price = valuation × the reference cost
// of a replica, rounded down to micro-units, × replicas), the deposit, the
// lease length and whether it is sealed, from the class's keys. It gives up
// on an unmatched order. It takes no keys of its own.
type DrawFromClass struct{}

func (*DrawFromClass) Check(*Checker) {}

func (*DrawFromClass) NewTenantAgent(t *TenantInfo) TenantAgent { return newClassDraws(t) }

// classDraws is DrawFromClass for one class: its streams and tables.
type classDraws struct {
	spec                                                *TenantClass
	shapeW                                              []float64 // cumulative
	regions                                             weighted
	shapeR, regionR, valueR, depositR, lengthR, sealedR *rand.Rand
	shapes                                              []ShapeInfo
	valuation, deposit, length                          distDraw // the spec's, made ready (Dist.Draw's values)
}

func newClassDraws(t *TenantInfo) *classDraws {
	a := &classDraws{spec: t.Class(), shapeR: t.Stream("shape"), regionR: t.Stream("region"), valueR: t.Stream("valuation"),
		depositR: t.Stream("deposit"), lengthR: t.Stream("lease-length"), sealedR: t.Stream("sealed")}
	a.valuation, a.deposit, a.length = newDistDraw(a.spec.Valuation), newDistDraw(a.spec.DepositBlocks), newDistDraw(a.spec.LeaseLength)
	tot := 0.0
	for i := range t.Shapes() {
		s := t.Shape(i)
		a.shapes = append(a.shapes, s)
		tot += max(s.Shape.Weight, 0)
		a.shapeW = append(a.shapeW, tot)
	}
	index := map[string]int{}
	for i, r := range t.Market().Regions() {
		index[r] = i
	}
	a.regions, _ = newWeighted(a.spec.Regions, index) // the scenario's validation checked the names
	return a
}

func (a *classDraws) Order(*Arriving) (Request, bool) {
	u := a.shapeR.Float64() * a.shapeW[len(a.shapeW)-1]
	si, _ := slices.BinarySearch(a.shapeW, u)
	si = min(si, len(a.shapes)-1)
	region := a.regions.pick(a.regionR)
	val := a.valuation.draw(a.valueR)
	depB := int64(math.Ceil(a.deposit.draw(a.depositR)))
	length := time.Duration(engine.Seconds(a.length.draw(a.lengthR)))
	sealed := rng.Bernoulli(a.sealedR, min(max(a.spec.SealedShare, 0), 1))
	s := &a.shapes[si]
	// A finite valuation of a validated shape cannot overflow 256 bits;
	// were it to, the tenant would ask nothing (max price 0, never matched).
	maxPrice, _ := scaleMicro(s.ReplicaCost, val).MulInt(s.Replicas)
	return Request{Shape: si, Region: region, MaxPrice: maxPrice, DepositBlocks: max(depB, 1), Length: length,
		Sealed: sealed, MinReputation: a.spec.MinReputation}, true
}

func (*classDraws) Unmatched(*Unmatched) (money.Dec, bool) { return money.Dec{}, false }

// RaiseOnMiss is the built-in tenant agent "raise-on-miss": the default
// agent's tenant, which after an unmatched order posts it again up to
// Retries times, each time at a max price RaiseBPS higher.
type RaiseOnMiss struct {
	Retries  int   `yaml:"retries"`
	RaiseBPS int64 `yaml:"raise_bps"`
}

func (r *RaiseOnMiss) Check(c *Checker) {
	if r.Retries < 0 || r.Retries > 100 {
		c.Add("retries", fmt.Sprintf("is %d", r.Retries), "use 0..100 re-posts of an unmatched order")
	}
	if r.RaiseBPS < 0 || r.RaiseBPS > 100*bpsMax {
		c.Add("raise_bps", fmt.Sprintf("is %d", r.RaiseBPS), "use basis points 0..1000000 (2000 = 20% higher each time)")
	}
}

func (r *RaiseOnMiss) NewTenantAgent(t *TenantInfo) TenantAgent {
	return &raiseOnMiss{classDraws: newClassDraws(t), p: *r}
}

type raiseOnMiss struct {
	*classDraws
	p RaiseOnMiss
}

func (r *raiseOnMiss) Unmatched(u *Unmatched) (money.Dec, bool) {
	if u.Orders > r.p.Retries {
		return money.Dec{}, false
	}
	return withMargin(u.Order.MaxPrice, r.p.RaiseBPS), true
}
