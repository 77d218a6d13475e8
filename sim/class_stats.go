package sim

import (
	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
)

// tenantCounts are one tenant class's order counters, kept as the run goes
// (the lease-level figures are computed from the lease table at the end).
type tenantCounts struct {
	deployments, topUps                        int64
	posted, closed, matched, unmatched, noBids int64
	bidsOnClosed                               int64
	surplus                                    float64
}

// providerCounts are one provider class's counters.
type providerCounts struct {
	bids, bidsAccepted, outages, slashes int64
	utilSum                              float64 // Σ over samples of the class's cpu leased ÷ capacity
}

// classCounts returns the counters of d's tenant class (nil for a tier's
// deployment, which belongs to no class).
func (w *World) classCounts(d *Deployment) *tenantCounts {
	if d.class == nil {
		return nil
	}
	return &w.metrics.tc[d.class.idx]
}

// TenantClassStats are the market's figures for one tenant class, the same
// as the pooled ones of Summary where the names agree.
type TenantClassStats struct {
	Deployments int64            `json:"deployments"`
	TopUps      int64            `json:"top_ups"`
	Orders      ClassOrderStats  `json:"orders"`
	TimeToLease Quantiles        `json:"time_to_lease_seconds"`
	Price       ClassPriceStats  `json:"price"`
	Leases      ClassLeaseStats  `json:"leases"`
	Paid        float64          `json:"paid"`       // settled to the class's leases, in money.denom
	PaidExact   string           `json:"paid_exact"` // the same, exact
	Surplus     float64          `json:"surplus"`    // Σ valuation × blocks served − paid, closed leases
	ByShape     map[string]int64 `json:"deployments_by_shape"`
}

// ClassOrderStats count one class's orders.
type ClassOrderStats struct {
	Posted          int64   `json:"posted"`
	Closed          int64   `json:"closed"`
	Matched         int64   `json:"matched"`
	Unmatched       int64   `json:"unmatched"`
	UnmatchedNoBids int64   `json:"unmatched_no_bids"`
	FillRate        float64 `json:"fill_rate"`      // matched ÷ closed
	BidsPerOrder    float64 `json:"bids_per_order"` // bids received by closed orders ÷ closed orders
}

// ClassPriceStats are PriceStats over one class's leases.
type ClassPriceStats struct {
	MeanClearingPerCPU float64 `json:"mean_clearing_per_cpu"`
	MeanCostPerCPU     float64 `json:"mean_winner_cost_per_cpu"`
	Markup             float64 `json:"markup"`
}

// ClassLeaseStats count one class's leases.
type ClassLeaseStats struct {
	Opened         int64            `json:"opened"`
	OpenAtEnd      int64            `json:"open_at_end"`
	ClosedByReason map[string]int64 `json:"closed_by_reason"`
}

// ProviderClassStats are the market's figures for one provider class.
type ProviderClassStats struct {
	Strategy     string          `json:"strategy"`
	Initial      int64           `json:"initial"`
	Joined       int64           `json:"joined"`
	Left         int64           `json:"left"`
	Outages      int64           `json:"outages"`
	Slashes      int64           `json:"slashes"`
	Faults       int64           `json:"faults"` // leases closed by provider fault
	BidsPlaced   int64           `json:"bids_placed"`
	BidsAccepted int64           `json:"bids_accepted"`
	LeasesWon    int64           `json:"leases_won"`
	WinRate      float64         `json:"win_rate"`    // leases won ÷ bids accepted
	Utilisation  float64         `json:"utilisation"` // time-average of cpu leased ÷ cpu capacity
	Price        ClassPriceStats `json:"price"`       // over the leases the class won
	Revenue      float64         `json:"revenue"`     // withdrawn to the class's providers, in money.denom
	RevenueExact string          `json:"revenue_exact"`
	RevenueGini  float64         `json:"revenue_gini"` // among the class's providers
}

// leaseFigures accumulates price and lease figures over a set of leases.
type leaseFigures struct {
	n, open           int64
	priceSum, costSum float64
	priced            int64
	paid              money.Dec
	closedBy          [16]int64
	ttl               []float32
}

// add counts l. ref is the reference CPU price as a float.
//
// perCPU is the lease's price per reference CPU (its price over its shape's
// eq), and ok whether it has one: a tier's lease has no reference shape.
func (f *leaseFigures) add(l *leaseRec, withTTL bool, ref, perCPU float64, ok bool) {
	f.n++
	if l.reason == lease.ReasonNone {
		f.open++
	} else {
		f.closedBy[l.reason]++
	}
	_ = f.paid.AddAssign(&l.paid)
	if withTTL {
		f.ttl = append(f.ttl, l.ttl)
	}
	if ok {
		f.priceSum += perCPU
		f.costSum += float64(l.costMul) * ref
		f.priced++
	}
}

// perCPU is l's price per reference CPU, if it has a reference shape.
func perCPU(l *leaseRec, ref float64, eq [][]float64) (float64, bool) {
	if l.class < 0 || l.shape < 0 {
		return 0, false // a tier's lease: no reference shape
	}
	if eq := eq[l.class][l.shape]; ref > 0 && eq > 0 {
		return decFloat(l.price) / eq, true
	}
	return 0, false
}

// cpuEquivalents is every tenant class's shapes' total reference cost over
// ref, by class and shape.
func (w *World) cpuEquivalents(ref float64) [][]float64 {
	eq := make([][]float64, len(w.tclasses))
	for i, c := range w.tclasses {
		eq[i] = make([]float64, len(c.shapeCosts))
		for j := range c.shapeCosts {
			eq[i][j] = decFloat(c.shapeCosts[j].totalCost) / ref
		}
	}
	return eq
}

func (f *leaseFigures) price() ClassPriceStats {
	var p ClassPriceStats
	if f.priced > 0 {
		p.MeanClearingPerCPU = f.priceSum / float64(f.priced)
		p.MeanCostPerCPU = f.costSum / float64(f.priced)
		if p.MeanCostPerCPU > 0 {
			p.Markup = p.MeanClearingPerCPU/p.MeanCostPerCPU - 1
		}
	}
	return p
}

func closedMap(counts []int64) map[string]int64 {
	out := map[string]int64{}
	for r, n := range counts {
		if n > 0 {
			out[lease.CloseReason(r).String()] = n
		}
	}
	return out
}

// classSummaries computes the per-class figures of the summary.
func (w *World) classSummaries() (map[string]TenantClassStats, map[string]ProviderClassStats) {
	tf := make([]leaseFigures, len(w.tclasses))
	pf := make([]leaseFigures, len(w.pclasses))
	ref := decFloat(w.sc.Market.Reference.CPU)
	eq := w.cpuEquivalents(ref)
	leases := w.records.leases
	for i := range leases {
		if c := leases[i].class; c >= 0 {
			tf[c].n++
		}
	}
	for i := range tf {
		tf[i].ttl, tf[i].n = make([]float32, 0, tf[i].n), 0
	}
	// Each provider's class, read from one small table instead of from the
	// provider's record (a cache miss per lease at a million leases).
	pclass := make([]int32, len(w.providers))
	for i, p := range w.providers {
		pclass[i] = int32(p.class.idx)
	}
	for i := range leases {
		l := &leases[i]
		// The reference CPU price and each shape's cost over it are
		// converted once (cpuEquivalents), the lease's price once for both
		// its classes.
		pc, ok := perCPU(l, ref, eq)
		if l.class >= 0 {
			tf[l.class].add(l, true, ref, pc, ok)
		}
		pf[pclass[l.provider]].add(l, false, ref, pc, ok)
	}
	tenants := make(map[string]TenantClassStats, len(w.tclasses))
	for i, c := range w.tclasses {
		k := &w.metrics.tc[i]
		f := &tf[i]
		s := TenantClassStats{Deployments: k.deployments, TopUps: k.topUps, TimeToLease: quantilesInPlace(f.ttl), Price: f.price(),
			Paid: decFloat(f.paid), PaidExact: f.paid.ShortString(), Surplus: k.surplus, ByShape: map[string]int64{},
			Orders: ClassOrderStats{Posted: k.posted, Closed: k.closed, Matched: k.matched, Unmatched: k.unmatched, UnmatchedNoBids: k.noBids},
			Leases: ClassLeaseStats{Opened: f.n, OpenAtEnd: f.open, ClosedByReason: closedMap(f.closedBy[:])}}
		if k.closed > 0 {
			s.Orders.FillRate = float64(k.matched) / float64(k.closed)
			s.Orders.BidsPerOrder = float64(k.bidsOnClosed) / float64(k.closed)
		}
		for j, n := range w.metrics.shapeOrders[i] {
			if n > 0 {
				s.ByShape[c.shapes[j].Name] = n
			}
		}
		tenants[c.spec.Name] = s
	}
	providers := make(map[string]ProviderClassStats, len(w.pclasses))
	rev := make([][]float64, len(w.pclasses))
	totals := make([]money.Dec, len(w.pclasses))
	stats := make([]ProviderClassStats, len(w.pclasses))
	for _, p := range w.providers {
		ci := p.class.idx
		s := &stats[ci]
		if p.joinedAt > 0 {
			s.Joined++
		} else {
			s.Initial++
		}
		if p.left {
			s.Left++
		}
		s.Faults += p.faults
		s.LeasesWon += p.won
		rev[ci] = append(rev[ci], decFloat(p.revenue))
		_ = totals[ci].AddAssign(&p.revenue)
	}
	for i, c := range w.pclasses {
		s := stats[i]
		k := &w.metrics.pc[i]
		s.Strategy = c.spec.Pricing.Kind
		s.Outages, s.Slashes, s.BidsPlaced, s.BidsAccepted = k.outages, k.slashes, k.bids, k.bidsAccepted
		if s.BidsAccepted > 0 {
			s.WinRate = float64(s.LeasesWon) / float64(s.BidsAccepted)
		}
		if n := len(w.metrics.samples); n > 0 {
			s.Utilisation = k.utilSum / float64(n)
		}
		s.Price = pf[i].price()
		s.Revenue, s.RevenueExact, s.RevenueGini = decFloat(totals[i]), totals[i].ShortString(), gini(rev[i])
		providers[c.spec.Name] = s
	}
	return tenants, providers
}
