package tiers

import (
	"fmt"
	"strconv"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim"
)

// pool is the set of groups one side of a comparison keeps — the tier's, or
// its static baseline's — each its own deployment in the world. It follows
// their leases through the world's callbacks and accounts what they cost.
type pool struct {
	w     *sim.World
	owner string
	spec  sim.GroupSpec // template: Region is set per group
	// groups alive (ordering or leased), in posting order.
	groups []*group
	byID   map[market.DeploymentID]*group // lookups only, never iterated

	paidFinished money.Dec // exact: Σ what finished groups' escrows paid
	posted       int       // orders' deployments opened
	leases       int       // leases opened
	lost         int       // leases closed by anything but the tier itself
	unmatched    int       // deployments that finished without a lease
	// priceOver counts leases whose price exceeded the spec's max price
	// (the core's matching forbids it; the tier checks, not trusts).
	priceOver int
	maxGroups int // most groups alive at once
	err       error
}

// group is one deployment of the pool.
type group struct {
	id         market.DeploymentID
	region     int // required region index, −1: any
	leased     bool
	provReg    int
	price      money.Dec
	priceF     float64
	leasedAt   int64   // height
	accrued    float64 // price × blocks of its closed leases (for the time series)
	closing    bool    // the tier closed it; the callbacks that follow are expected
	everLeased bool
}

func newPool(w *sim.World, owner string, spec sim.GroupSpec) *pool {
	spec.Owner = owner
	return &pool{w: w, owner: owner, spec: spec, byID: map[market.DeploymentID]*group{}}
}

// add posts one more group in region (index into Regions(), −1: any).
func (p *pool) add(region int) {
	g := p.spec
	if region >= 0 {
		g.Region = p.w.Regions()[region]
	}
	// The escrow covers the rest of the run at the max price, so a group
	// never closes for lack of funds (tiers do not top up).
	g.DepositBlocks = max(p.w.EndHeight()-p.w.Height()+2, 1)
	gr := &group{region: region, provReg: -1}
	id, err := p.w.PostGroup(g, sim.GroupHooks{OnLease: p.onLease, OnClose: p.onClose, OnFinish: p.onFinish})
	if err != nil {
		p.fail(err)
		return
	}
	p.posted++
	// PostGroup may already have finished it (it cannot at the moment: the
	// order needs a block to match), so register unless it is gone.
	if _, ok := p.w.GroupStatus(id); ok {
		gr.id = id
		p.groups = append(p.groups, gr)
		p.byID[id] = gr
		p.maxGroups = max(p.maxGroups, len(p.groups))
	}
}

// remove closes group g (the tier's decision).
func (p *pool) remove(g *group) {
	g.closing = true
	if err := p.w.CloseDeployment(g.id); err != nil {
		p.fail(err)
	}
}

func (p *pool) onLease(id market.DeploymentID, provider string, region int) {
	g := p.byID[id]
	if g == nil {
		return
	}
	st, ok := p.w.GroupStatus(id)
	if !ok {
		p.fail(fmt.Errorf("tier %s: leased group %s is not readable", p.owner, id))
		return
	}
	if p.spec.MaxPrice.Less(st.Price) {
		p.priceOver++
	}
	g.everLeased = true
	g.leased, g.provReg, g.price, g.priceF, g.leasedAt = true, region, st.Price, decFloat(st.Price), p.w.Height()
	p.leases++
}

func (p *pool) onClose(id market.DeploymentID, r lease.CloseReason) {
	g := p.byID[id]
	if g == nil {
		return
	}
	if g.leased {
		g.accrued += g.priceF * float64(p.w.Height()-g.leasedAt)
	}
	g.leased = false
	if !g.closing {
		p.lost++
	}
}

func (p *pool) onFinish(id market.DeploymentID) {
	g := p.byID[id]
	if g == nil {
		return
	}
	if st, ok := p.w.GroupStatus(id); ok {
		_ = p.paidFinished.AddAssign(&st.Paid)
	}
	if !g.everLeased && !g.closing {
		p.unmatched++
	}
	delete(p.byID, id)
	for i, x := range p.groups {
		if x == g {
			p.groups = append(p.groups[:i], p.groups[i+1:]...)
			break
		}
	}
}

// leasedCount is the number of groups with an open lease.
func (p *pool) leasedCount() int {
	n := 0
	for _, g := range p.groups {
		if g.leased {
			n++
		}
	}
	return n
}

// costSoFar is what the pool has paid up to height h: exact for finished
// groups, price × blocks for the live ones (their escrow settles only now
// and then, so its own figure lags).
func (p *pool) costSoFar(h int64) float64 {
	c := decFloat(p.paidFinished)
	for _, g := range p.groups {
		c += g.accrued
		if g.leased {
			c += g.priceF * float64(h-g.leasedAt)
		}
	}
	return c
}

// paidExact is what every group of the pool has paid, from the escrows
// (call after the run: open accounts are settled to the end).
func (p *pool) paidExact() money.Dec {
	t := p.paidFinished
	for _, g := range p.groups {
		if st, ok := p.w.GroupStatus(g.id); ok {
			_ = t.AddAssign(&st.Paid)
		}
	}
	return t
}

func (p *pool) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// decFloat converts an amount for statistics (never for a decision).
func decFloat(d money.Dec) float64 {
	f, err := strconv.ParseFloat(d.String(), 64)
	if err != nil {
		return 0
	}
	return f
}
