package sim

import (
	"fmt"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
)

// GroupSpec is what a management tier (whitepaper section 5) asks for when it
// adds a group: a shape, where, at most what price, how much escrow, and for
// how long. Each group is its own deployment with its own escrow account, so
// a tier can add and remove groups independently.
type GroupSpec struct {
	Owner    string    // the tier's tenant address, e.g. "tier/delivery-network"
	Shape    Shape     // resources per replica and Count replicas
	Region   string    // required region ("" = any)
	MaxPrice money.Dec // per block for the whole group
	// DepositBlocks of MaxPrice are deposited into the escrow up front.
	DepositBlocks int64
	// Length after which the tier's lease ends served to term; 0 = until
	// CloseDeployment.
	Length        Duration
	MinReputation uint32
	Sealed        bool
}

// GroupHooks are the tier's callbacks on its deployment's events. Any may be nil.
type GroupHooks struct {
	// OnLease: the group's order matched and a lease opened with provider
	// (at the provider's region index into Regions()).
	OnLease func(id market.DeploymentID, provider string, region int)
	// OnClose: the lease closed, with its reason (funds, fault, term, ...).
	OnClose func(id market.DeploymentID, reason lease.CloseReason)
	// OnFinish: the deployment is over (its escrow closed and refunded);
	// no more callbacks follow.
	OnFinish func(id market.DeploymentID)
	w        *World
}

// PostGroup opens a deployment for one group on behalf of a tier and posts
// its order now. The returned ID names it in the callbacks and in
// CloseDeployment.
func (w *World) PostGroup(g GroupSpec, hooks GroupHooks) (market.DeploymentID, error) {
	region := -1
	if g.Region != "" {
		r, ok := w.regionOf[g.Region]
		if !ok {
			return market.DeploymentID{}, fmt.Errorf("post group for %s: region %q is not among the scenario's regions %v", g.Owner, g.Region, w.regions)
		}
		region = r
	}
	t, err := g.Shape.Totals()
	if err != nil {
		return market.DeploymentID{}, fmt.Errorf("post group for %s: %w", g.Owner, err)
	}
	var reqs manifest.Attributes
	if region >= 0 {
		reqs = manifest.Attributes{{Key: "region", Value: w.regions[region]}}
	}
	refCost, err := w.rules.reference.cost(t)
	if err != nil {
		return market.DeploymentID{}, fmt.Errorf("post group for %s: %w", g.Owner, err)
	}
	hooks.w = w
	d := w.newDeployment()
	d.region, d.totals, d.reqs, d.minRep = region, t, reqs, market.Reputation(min(g.MinReputation, 10000))
	d.sealed, d.maxPrice, d.refCost, d.depositB = g.Sealed, roundMicro(g.MaxPrice), refCost, max(g.DepositBlocks, 1)
	d.length, d.arrived, d.shape = g.Length.Sim(), w.now(), -1
	d.hookBuf = hooks
	d.hooks = &d.hookBuf
	w.metrics.deployments++
	if err := w.openDeployment(d, g.Owner); err != nil {
		return market.DeploymentID{}, err
	}
	return d.id, nil
}

// CloseDeployment ends a tier's deployment now: its order is cancelled or its
// lease closed (tenant closed), and the escrow refunds what is left.
func (w *World) CloseDeployment(id market.DeploymentID) error {
	d := w.dep(id.DSeq)
	if d == nil || d.id != id {
		return fmt.Errorf("close deployment %s: not open (it finished or never existed)", id)
	}
	w.closeDeployment(d, "closed by its management tier")
	return w.err
}

// Regions lists the scenario's regions in the order region indices use.
func (w *World) Regions() []string { return w.regions }

// Engine is the world's event engine, for tiers that schedule their own work
// (checks every CheckEvery, job arrivals).
func (w *World) Engine() *engine.Sim { return w.eng }

// Height is the block height in force.
func (w *World) Height() int64 { return w.height }

// Seed is the run's seed, for tiers deriving their own streams (rng.StreamFor).
func (w *World) Seed() uint64 { return uint64(w.seed) }

// Denom is the market's denomination.
func (w *World) Denom() string { return w.denom }
