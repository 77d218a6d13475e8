package sim

import (
	"math"
	"slices"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/internal/yamlfile"
)

var nan = math.NaN()

// Summary is the run's headline numbers (summary.json). Everything but Run
// is deterministic; maps are encoded by encoding/json with sorted keys.
type Summary struct {
	Version  string `json:"version"`
	Scenario string `json:"scenario"`
	Seed     uint64 `json:"seed"`
	// Inputs echo the scenario with its YAML key names.
	Inputs           any     `json:"inputs"`
	SimulatedSeconds float64 `json:"simulated_seconds"`
	Blocks           int64   `json:"blocks"`
	Events           uint64  `json:"events"`

	Orders       OrderStats       `json:"orders"`
	TimeToLease  Quantiles        `json:"time_to_lease_seconds"`
	Price        PriceStats       `json:"price"`
	Bids         BidStats         `json:"bids"`
	Utilisation  UtilisationStats `json:"utilisation"`
	Providers    ProviderStats    `json:"providers"`
	Tenants      TenantStats      `json:"tenants"`
	Leases       LeaseStats       `json:"leases"`
	Money        MoneyStats       `json:"money"`
	Conservation string           `json:"conservation"` // "ok": checked at the end of the run
	// Outputs are the tables and plots the run wrote besides summary.json
	// and report.html (the scenario's outputs key, resolved).
	Outputs []string `json:"outputs"`
	// ByTenantClass and ByProviderClass give the figures above per class,
	// keyed by the classes' names.
	ByTenantClass   map[string]TenantClassStats   `json:"by_tenant_class"`
	ByProviderClass map[string]ProviderClassStats `json:"by_provider_class"`
	// Tiers holds the management tiers' results (package sim/tiers fills
	// it with a *tiers.Summary); absent when no tier is on.
	Tiers any `json:"tiers,omitempty"`
	// Extensions holds the figures of the scenario's registered metrics,
	// by kind (Scenario.Metrics); {} when it names none.
	Extensions map[string]map[string]float64 `json:"extensions"`

	// Run is wall-clock, speed and memory: not deterministic, kept apart so
	// the rest of the summary can be compared byte for byte.
	Run RunStats `json:"run"`
}

type OrderStats struct {
	Posted    int64   `json:"posted"`
	Closed    int64   `json:"closed"`
	Matched   int64   `json:"matched"`
	Unmatched int64   `json:"unmatched"`
	FillRate  float64 `json:"fill_rate"` // matched ÷ closed
	Reorders  int64   `json:"reorders"`
	// UnmatchedNoBids: unmatched orders that received no bid at all.
	UnmatchedNoBids int64 `json:"unmatched_no_bids"`
	// UnmatchedBidReasons: the reasons (core/market Reason names) the bids on
	// unmatched orders were ineligible.
	UnmatchedBidReasons map[string]int64 `json:"unmatched_bid_reasons"`
	// Picks: under tenant matching, what the tenants did with the orders
	// that closed with eligible bids; absent under auto matching.
	Picks *PickStats `json:"picks,omitempty"`
}

// PickStats count tenant matching's waits (sim/pick.go).
type PickStats struct {
	Awaited     int64 `json:"awaited"`      // orders that closed with eligible bids and waited for a pick
	PickedOther int64 `json:"picked_other"` // picks of a bid other than the one auto matching would pick
	PickedNone  int64 `json:"picked_none"`  // tenants that looked and picked nothing
	Expired     int64 `json:"expired"`      // orders that reached the bid timeout unpicked
}

type Quantiles struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
}

// PriceStats compare clearing prices with the winners' costs, per
// cpu-equivalent unit (an order's reference cost over the reference price of
// one core), so orders of every shape are on one scale.
type PriceStats struct {
	MeanClearingPerCPU float64 `json:"mean_clearing_per_cpu"`
	MeanCostPerCPU     float64 `json:"mean_winner_cost_per_cpu"`
	ReferencePerCPU    float64 `json:"reference_per_cpu"`
	Markup             float64 `json:"markup"` // clearing ÷ cost − 1
}

type BidStats struct {
	Placed           int64            `json:"placed"`
	Accepted         int64            `json:"accepted"`
	PerOrder         float64          `json:"per_order"` // bids on closed orders ÷ closed orders
	Late             int64            `json:"late"`      // latency past the bidding window
	NoRoom           int64            `json:"no_room"`   // looked but lacked free capacity
	NoDepositFunds   int64            `json:"no_deposit_funds"`
	RejectedByReason map[string]int64 `json:"rejected_by_reason"` // refused at placement, by core/market Reason
}

type UtilisationStats struct {
	Overall  float64            `json:"overall"`   // time-average of cpu leased ÷ cpu capacity
	ByRegion map[string]float64 `json:"by_region"` // same, per region
}

type ProviderStats struct {
	Initial      int64   `json:"initial"`
	Joined       int64   `json:"joined"`
	Left         int64   `json:"left"`
	Outages      int64   `json:"outages"`
	Slashes      int64   `json:"slashes"`
	Revenue      float64 `json:"revenue"`       // withdrawn to providers, in money.denom
	RevenueExact string  `json:"revenue_exact"` // the same, exact
	RevenueGini  float64 `json:"revenue_gini"`
}

type TenantStats struct {
	Deployments int64   `json:"deployments"`
	TopUps      int64   `json:"top_ups"`
	Surplus     float64 `json:"surplus"` // Σ valuation × blocks served − paid
}

type LeaseStats struct {
	Opened         int64            `json:"opened"`
	OpenAtEnd      int64            `json:"open_at_end"`
	ClosedByReason map[string]int64 `json:"closed_by_reason"` // core/lease CloseReason names
	// The three the issue names, also in ClosedByReason.
	InsufficientFunds int64 `json:"insufficient_funds"`
	ProviderFault     int64 `json:"provider_fault"`
	ServedToTerm      int64 `json:"served_to_term"`
}

// MoneyStats are amounts in Denom: as numbers, and exact in Exact.
type MoneyStats struct {
	Denom             string     `json:"denom"`
	TakeCollected     float64    `json:"take_collected"`
	ForfeitedDeposits float64    `json:"forfeited_deposits"`
	Slashed           float64    `json:"slashed"`
	Escrow            float64    `json:"escrow_at_end"`
	TenantsDeposited  float64    `json:"tenants_wallets_at_end"`
	Exact             MoneyExact `json:"exact"`
}

// MoneyExact are MoneyStats' amounts as exact decimal strings.
type MoneyExact struct {
	TakeCollected     string `json:"take_collected"`
	ForfeitedDeposits string `json:"forfeited_deposits"`
	Slashed           string `json:"slashed"`
	Escrow            string `json:"escrow_at_end"`
	TenantsDeposited  string `json:"tenants_wallets_at_end"`
}

// RunStats are the non-deterministic facts about the run.
type RunStats struct {
	WallSeconds  float64 `json:"wall_seconds"`
	CPUSeconds   float64 `json:"cpu_seconds"` // process user+system time (the whole process, GC included)
	EventsPerSec float64 `json:"events_per_second"`
	HeapSysBytes uint64  `json:"heap_sys_bytes"`
	MaxRSSBytes  uint64  `json:"max_rss_bytes"`
	GoMaxProcs   int     `json:"gomaxprocs"`
}

func quantiles(xs []float32) Quantiles { return quantilesInPlace(slices.Clone(xs)) }

// quantilesInPlace is quantiles, sorting s itself.
func quantilesInPlace(s []float32) Quantiles {
	if len(s) == 0 {
		return Quantiles{}
	}
	sortFloat32s(s)
	sum := 0.0
	for _, x := range s {
		sum += float64(x)
	}
	q := func(p float64) float64 { return float64(s[min(int(p*float64(len(s))), len(s)-1)]) }
	return Quantiles{Mean: sum / float64(len(s)), P50: q(0.5), P90: q(0.9)}
}

// sortFloat32s sorts s ascending, as slices.Sort does: a radix sort on the
// values' bits (three passes of 11, 11 and 10 bits) for long slices, which
// at a million times to lease takes milliseconds instead of a comparison
// sort's tenth of a second. Values that sort by bits differently from
// slices.Sort (NaN, and −0, which it ranks equal to +0 in no fixed place)
// send the slice to slices.Sort.
func sortFloat32s(s []float32) {
	if len(s) < 512 {
		slices.Sort(s)
		return
	}
	keys := make([]uint32, 2*len(s))
	a, b := keys[:len(s)], keys[len(s):]
	for i, x := range s {
		k := math.Float32bits(x)
		if x != x || k == 1<<31 {
			slices.Sort(s)
			return
		}
		if k>>31 != 0 {
			k = ^k // negative: larger magnitudes first
		} else {
			k |= 1 << 31
		}
		a[i] = k
	}
	for _, shift := range [...]uint{0, 11, 22} {
		var count [1 << 11]int
		for _, k := range a {
			count[k>>shift&(1<<11-1)]++
		}
		pos := 0
		for d, n := range count {
			count[d] = pos
			pos += n
		}
		for _, k := range a {
			d := k >> shift & (1<<11 - 1)
			b[count[d]] = k
			count[d]++
		}
		a, b = b, a
	}
	for i, k := range a {
		if k>>31 != 0 {
			k &^= 1 << 31
		} else {
			k = ^k
		}
		s[i] = math.Float32frombits(k)
	}
}

// gini of non-negative values (0: all equal; →1: one has everything).
func gini(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	var sum, wsum float64
	for i, x := range s {
		sum += x
		wsum += float64(i+1) * x
	}
	n := float64(len(s))
	if n == 0 || sum == 0 {
		return 0
	}
	return 2*wsum/(n*sum) - (n+1)/n
}

func (w *World) summary() Summary {
	m := &w.metrics
	s := Summary{Version: w.opt.Version, Scenario: w.sc.Name, Seed: uint64(w.seed), Inputs: scenarioEcho(w.sc),
		SimulatedSeconds: w.now().Seconds(), Blocks: w.height, Events: w.eng.Stats().Fired, Conservation: "ok"}
	s.Orders = OrderStats{Posted: m.ordersPosted, Closed: m.ordersClosed, Matched: m.ordersMatched, Unmatched: m.ordersUnmatched,
		Reorders: m.reorders, UnmatchedNoBids: m.unmatchedNoBids, UnmatchedBidReasons: reasonMap(m.unmatchedBidReasons[:])}
	if w.rules.matching == market.MatchingTenant {
		s.Orders.Picks = &PickStats{Awaited: m.awaited, PickedOther: m.pickedOther, PickedNone: m.pickedNone, Expired: m.expired}
	}
	if m.ordersClosed > 0 {
		s.Orders.FillRate = float64(m.ordersMatched) / float64(m.ordersClosed)
		s.Bids.PerOrder = float64(m.bidsOnClosed) / float64(m.ordersClosed)
	}
	s.TimeToLease = quantiles(m.ttl)
	s.Price.ReferencePerCPU = decFloat(w.sc.Market.Reference.CPU)
	if m.leasesOpened > 0 {
		s.Price.MeanClearingPerCPU = m.priceCPUSum / float64(m.leasesOpened)
		s.Price.MeanCostPerCPU = m.costCPUSum / float64(m.leasesOpened)
		if s.Price.MeanCostPerCPU > 0 {
			s.Price.Markup = s.Price.MeanClearingPerCPU/s.Price.MeanCostPerCPU - 1
		}
	}
	s.Bids.Placed, s.Bids.Accepted, s.Bids.Late, s.Bids.NoRoom, s.Bids.NoDepositFunds =
		m.bids, m.bidsAccepted, m.lateBids, m.noRoom, m.noDepositFunds
	s.Bids.RejectedByReason = reasonMap(m.rejectedAtPlacement[:])

	s.Utilisation.ByRegion = map[string]float64{}
	if n := len(m.samples); n > 0 {
		for _, x := range m.samples {
			s.Utilisation.Overall += x.util
		}
		s.Utilisation.Overall /= float64(n)
		for r, name := range w.regions {
			sum := 0.0
			for _, x := range m.samples {
				sum += x.utilRegion[r]
			}
			s.Utilisation.ByRegion[name] = sum / float64(n)
		}
	}

	rev := make([]float64, len(w.providers))
	var total money.Dec
	for i, p := range w.providers {
		rev[i] = decFloat(p.revenue)
		_ = total.AddAssign(&p.revenue)
	}
	s.Providers = ProviderStats{Initial: int64(len(w.providers)) - m.joined, Joined: m.joined, Left: m.left, Outages: m.outages,
		Slashes: m.slashes, Revenue: decFloat(total), RevenueExact: total.ShortString(), RevenueGini: gini(rev)}
	s.Tenants = TenantStats{Deployments: m.deployments, TopUps: m.topUps, Surplus: m.surplus}
	s.Leases = LeaseStats{Opened: m.leasesOpened, OpenAtEnd: m.activeLeases, ClosedByReason: closedMap(m.closedBy[:]),
		InsufficientFunds: m.closedBy[lease.ReasonInsufficientFunds], ProviderFault: m.closedBy[lease.ReasonProviderFault],
		ServedToTerm: m.closedBy[lease.ReasonTenantClosed]}
	l := &w.settle.ledger
	s.Money = MoneyStats{Denom: w.denom, TakeCollected: decFloat(l.Take), ForfeitedDeposits: decFloat(l.Forfeited),
		Slashed: decFloat(l.Slashed), Escrow: decFloat(l.Escrow), TenantsDeposited: decFloat(l.Tenants),
		Exact: MoneyExact{TakeCollected: l.Take.ShortString(), ForfeitedDeposits: l.Forfeited.ShortString(),
			Slashed: l.Slashed.ShortString(), Escrow: l.Escrow.ShortString(), TenantsDeposited: l.Tenants.ShortString()}}
	s.ByTenantClass, s.ByProviderClass = w.classSummaries()
	s.Outputs = w.records.outputs.Names()
	return s
}

func reasonMap(counts []int64) map[string]int64 {
	out := map[string]int64{}
	for r, n := range counts {
		if n > 0 {
			out[market.Reason(r).String()] = n
		}
	}
	return out
}

// scenarioEcho turns the scenario into a tree keyed by its YAML names, so
// summary.json echoes the inputs in the words of the scenario file.
func scenarioEcho(sc *Scenario) any {
	tree, err := yamlfile.Tree(sc)
	if err != nil {
		return sc
	}
	return tree
}
