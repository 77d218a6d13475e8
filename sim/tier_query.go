package sim

import (
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
)

// GroupStatus is what a management tier may read about one of its own
// deployments: whether a lease is open, where, at what price, and what the
// deployment's escrow has paid so far. Tiers need the price (the callbacks
// do not carry it) to account their cost against a baseline.
type GroupStatus struct {
	Leased   bool      // a lease is open now
	Provider string    // of the open (or last) lease; "" before the first
	Region   int       // provider's region index into Regions(); −1 before the first lease
	Price    money.Dec // per block, of the open (or last) lease
	OpenedAt int64     // height the open (or last) lease opened
	// Paid is Σ Settled over every lease the deployment's escrow ever
	// opened: exact, from core/lease, up to the account's last settlement
	// (every withdrawal, every close, and the end of the run).
	Paid money.Dec
}

// GroupStatus reports on a deployment that has not finished yet. Inside
// OnFinish the deployment is still readable (its final Paid), after it not.
func (w *World) GroupStatus(id market.DeploymentID) (GroupStatus, bool) {
	d := w.dep(id.DSeq)
	if d == nil || d.id != id {
		return GroupStatus{}, false
	}
	st := GroupStatus{Leased: d.leaseOpen, Region: -1, Price: d.price}
	if d.provider != nil {
		st.Provider, st.Region = d.provider.addr, d.provider.region
	}
	if d.leaseRow >= 0 && int(d.leaseRow) < len(w.records.leases) {
		st.OpenedAt = w.records.leases[d.leaseRow].openH
	}
	for i := range d.acct.Payments {
		s := d.acct.Payments[i].Settled()
		_ = st.Paid.AddAssign(&s)
	}
	return st, true
}

// Scenario is the scenario the world runs (read-only for tiers).
func (w *World) Scenario() *Scenario { return w.sc }

// EndHeight is the last block height of the run.
func (w *World) EndHeight() int64 { return w.end }

// BlockTime is the interval between blocks.
func (w *World) BlockTime() engine.Duration { return w.clock.Interval }
