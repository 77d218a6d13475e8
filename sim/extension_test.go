package sim

import (
	"fmt"
	"slices"
	"testing"

	"github.com/akash-market/akash/core/money"
)

// probe is a strategy registered by this test, as a researcher's package
// would: it prices cost-plus and checks, on every bid, what the API shows
// it against what the world holds.
type probe struct {
	NoFeedback `yaml:"-"`
	MarginBPS  int64 `yaml:"margin_bps"`
}

func (p *probe) Check(c *Checker) {
	if p.MarginBPS < 0 {
		c.Add("margin_bps", "is negative", "use ≥ 0")
	}
}

func (p *probe) NewStrategy(info *ProviderInfo) Strategy {
	return &probeState{p: *p, region: info.Region, addr: info.Address}
}

// probeState is one provider's: what it saw, and the first inconsistency.
type probeState struct {
	p            probe
	region, addr string
	bids, wins   int
	sawOpen      int
	sawClearing  int
	err          error
}

func (s *probeState) fail(format string, args ...any) {
	if s.err == nil {
		s.err = fmt.Errorf(format, args...)
	}
}

func (s *probeState) Price(q *Quote) money.Dec {
	s.bids++
	self, m := q.Self(), q.Market()
	if self.Address() != s.addr || self.Region() != s.region {
		s.fail("self is %s in %q, built as %s in %q", self.Address(), self.Region(), s.addr, s.region)
	}
	if q.TakeRateBPS() != 200 || m.TakeRateBPS() != 200 {
		s.fail("take rate %d / %d, want 200", q.TakeRateBPS(), m.TakeRateBPS())
	}
	ref, err := q.w.rules.reference.cost(q.Resources())
	want, err2 := providerCost(q.p, ref)
	if err != nil || err2 != nil || !q.Cost().Equal(want) || !self.CostOf(q.Resources()).Equal(want) {
		s.fail("cost %s, CostOf %s, want %s", q.Cost().ShortString(), self.CostOf(q.Resources()).ShortString(), want.ShortString())
	}
	if q.Height() != m.Height() || q.Height() != q.w.height {
		s.fail("heights %d %d, world %d", q.Height(), m.Height(), q.w.height)
	}
	o := q.Order()
	if o.Resources != q.Resources() || !o.MaxPrice.Equal(q.MaxPrice()) || o.CloseHeight <= q.Height() {
		s.fail("order %+v at height %d", o, q.Height())
	}
	// Its own order is open, so the open orders include it.
	found := false
	for oo := range m.OpenOrders() {
		found = found || oo.ID == o.ID
	}
	if !found || m.OpenOrderCount() < 1 {
		s.fail("order %s not among the %d open orders", o.ID, m.OpenOrderCount())
	}
	s.sawOpen++
	if last, ok := q.LastClearing(); ok {
		recent := m.RecentClearing(q.Resources())
		if len(recent) == 0 || len(recent) > ClearingKept || !recent[len(recent)-1].Equal(last) {
			s.fail("last clearing %s but recent %v", last.ShortString(), recent)
		}
		s.sawClearing++
	}
	prev := int64(1 << 62)
	n := 0
	for win := range m.RecentWins() {
		if win.Height > prev || win.Height > q.Height() {
			s.fail("wins not newest first: %d after %d (now %d)", win.Height, prev, q.Height())
		}
		prev = win.Height
		n++
	}
	if n > WinsKept {
		s.fail("%d recent wins, keeps %d", n, WinsKept)
	}
	if u := self.UtilisationBPS(); u < 0 || u > 10000 || self.Capacity() != q.p.capacity.Total {
		s.fail("utilisation %d, capacity %+v", u, self.Capacity())
	}
	return KeepMargin(q.Cost(), s.p.MarginBPS, q.TakeRateBPS())
}

func (s *probeState) Outcome(o *Outcome) {
	if o.Bid().Provider != s.addr {
		s.fail("outcome of %s's bid told to %s", o.Bid().Provider, s.addr)
	}
	if o.Won() {
		s.wins++
		if !o.Result.Matched || o.Result.Winner.Provider != s.addr {
			s.fail("won but the result's winner is %s", o.Result.Winner.Provider)
		}
	}
}

func init() {
	RegisterStrategy(StrategyKind{Name: "test-probe", Doc: "tests the Quote", Params: func() StrategyParams { return &probe{MarginBPS: 1000} }})
}

// TestAStrategySeesItsOwnStateAndThePublicMarket runs a scenario whose
// providers price with a strategy registered here, and checks on every bid
// that what the API shows agrees with the world, and that outcomes reach
// the strategy that bid.
func TestAStrategySeesItsOwnStateAndThePublicMarket(t *testing.T) {
	sc := smallScenario()
	for i := range sc.Providers {
		sc.Providers[i].Pricing = Pricing{Kind: "test-probe"}
	}
	w, err := NewWorld(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.RunToEnd(); err != nil {
		t.Fatal(err)
	}
	bids, wins, clearing := 0, 0, 0
	for _, p := range w.providers {
		s := p.pricer.(*probeState)
		if s.err != nil {
			t.Fatalf("provider %s: %v", p.addr, s.err)
		}
		bids, wins, clearing = bids+s.bids, wins+s.wins, clearing+s.sawClearing
		if int64(s.wins) != p.won {
			t.Errorf("provider %s: strategy counted %d wins, the world %d", p.addr, s.wins, p.won)
		}
	}
	if bids == 0 || wins == 0 || clearing == 0 {
		t.Fatalf("bids %d, wins %d, bids that saw a clearing price %d: the run exercised nothing", bids, wins, clearing)
	}
}

// TestAgentsDecide: the provider agent's max_utilisation_bps 0 stops every
// bid; the tenant agent raise-on-miss posts unmatched orders again, at a
// higher max price.
func TestAgentsDecide(t *testing.T) {
	sc := smallScenario()
	for i := range sc.Providers {
		sc.Providers[i].Agent = ProviderAgentSpec{Kind: "default", Params: &BidWhenRoom{MaxUtilisationBPS: 0}}
	}
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Bids.Placed != 0 || res.Summary.Orders.Matched != 0 {
		t.Fatalf("providers that never bid: %d bids, %d matched", res.Summary.Bids.Placed, res.Summary.Orders.Matched)
	}

	base := smallScenario()
	for i := range base.Tenants {
		base.Tenants[i].Valuation = Dist{Kind: "const", Value: 0.6} // under most costs: many orders go unmatched
	}
	plain, err := Run(base, Options{})
	if err != nil {
		t.Fatal(err)
	}
	raise := smallScenario()
	raise.Tenants = slices.Clone(base.Tenants)
	for i := range raise.Tenants {
		raise.Tenants[i].Agent = TenantAgentSpec{Kind: "raise-on-miss", Params: &RaiseOnMiss{Retries: 3, RaiseBPS: 3000}}
	}
	got, err := Run(raise, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, g := plain.Summary, got.Summary
	if p.Orders.Unmatched == 0 {
		t.Fatal("no order went unmatched at valuation 0.6; the test needs some")
	}
	if g.Tenants.Deployments != p.Tenants.Deployments {
		t.Fatalf("deployments %d vs %d: the agent changed arrivals", g.Tenants.Deployments, p.Tenants.Deployments)
	}
	if !(g.Orders.Posted > p.Orders.Posted && g.Orders.Matched > p.Orders.Matched) {
		t.Fatalf("raise-on-miss posted %d and matched %d orders; the default %d and %d: want more of both",
			g.Orders.Posted, g.Orders.Matched, p.Orders.Posted, p.Orders.Matched)
	}
	t.Logf("default: %d posted, %d matched; raise-on-miss: %d posted, %d matched", p.Orders.Posted, p.Orders.Matched, g.Orders.Posted, g.Orders.Matched)
}

// TestMetricsReportIntoTheSummary: a registered metric's figures appear
// under extensions.<kind>; price-index counts every matched order.
func TestMetricsReportIntoTheSummary(t *testing.T) {
	sc := smallScenario()
	sc.Metrics = []MetricSpec{{Kind: "price-index", Params: &PriceIndex{Above: 0.5}}}
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pi, ok := res.Summary.Extensions["price-index"]
	if !ok || pi["orders"] != float64(res.Summary.Orders.Matched) || !(pi["mean"] > 0) || !(pi["share_above"] > 0) {
		t.Fatalf("extensions = %v; want price-index over %d matched orders", res.Summary.Extensions, res.Summary.Orders.Matched)
	}
	none, err := Run(smallScenario(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if none.Summary.Extensions == nil || len(none.Summary.Extensions) != 0 {
		t.Fatalf("no metrics: extensions = %v, want {}", none.Summary.Extensions)
	}
}
