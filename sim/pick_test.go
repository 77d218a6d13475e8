package sim

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

func TestChoicePolicies(t *testing.T) {
	c := func(p string, price string, rep market.Reputation) Candidate {
		return Candidate{Bid: market.BidID{Provider: p}, Price: money.MustParseDec(price), Reputation: rep}
	}
	// In placement order: a and d tie at the lowest price, a placed first.
	bids := []Candidate{c("a", "10", 3000), c("b", "12", 9000), c("c", "30", 9500), c("d", "10", 6000), c("e", "50", 0)}
	tests := []struct {
		name   string
		choice Choice
		want   string // provider picked; "" for none
	}{
		{name: "cheapest: earliest of the tied lowest", choice: Choice{Policy: "cheapest"}, want: "a"},
		{name: "min-reputation 6000: the cheapest at or above", choice: Choice{Policy: "min-reputation", MinReputation: 6000}, want: "d"},
		{name: "min-reputation 9200", choice: Choice{Policy: "min-reputation", MinReputation: 9200}, want: "c"},
		{name: "min-reputation nobody has: no pick", choice: Choice{Policy: "min-reputation", MinReputation: 9900}, want: ""},
		{name: "price per reputation: 12/9000 beats 10/6000", choice: Choice{Policy: "price-per-reputation"}, want: "b"},
		{name: "random among 1 cheapest is the cheapest", choice: Choice{Policy: "random-k", K: 1}, want: "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := &Choosing{Bids: bids, Rand: rand.New(rand.NewPCG(1, 2))}
			i, ok := classChooser{c: &tt.choice, policy: choicePolicies[tt.choice.Policy]}.Choose(cs)
			got := ""
			if ok {
				got = bids[i].Bid.Provider
			}
			if got != tt.want {
				t.Fatalf("picked %q; want %q", got, tt.want)
			}
		})
	}
	// random-k 3 draws only among a, d (10) and b (12), and all three come up.
	seen := map[string]int{}
	r := rand.New(rand.NewPCG(7, 7))
	for range 300 {
		i, _ := randomK(&Choice{K: 3}, &Choosing{Bids: bids, Rand: r})
		seen[bids[i].Bid.Provider]++
	}
	if len(seen) != 3 || seen["a"] == 0 || seen["b"] == 0 || seen["d"] == 0 {
		t.Fatalf("random-k 3 picked %v; want a, b and d only", seen)
	}
	// Every eligible reputation 0: price-per-reputation falls back to the cheapest.
	zero := []Candidate{c("x", "20", 0), c("y", "15", 0)}
	if i, ok := pricePerReputation(nil, &Choosing{Bids: zero}); !ok || zero[i].Bid.Provider != "y" {
		t.Fatalf("all at reputation 0: picked %d %v; want y", i, ok)
	}
}

// tenantScenario is the small market under tenant matching.
func tenantScenario(policy string, delay time.Duration) *Scenario {
	sc := smallScenario()
	sc.Market.Matching, sc.Market.BidTimeout = "tenant", Duration(2*time.Minute)
	for i := range sc.Tenants {
		sc.Tenants[i].Choice = Choice{Policy: policy, K: 3, MinReputation: 6000, Delay: Duration(delay)}
	}
	return sc
}

// Tenant matching keeps every token accounted for after every block (bid
// deposits locked while a tenant picks, refunded to the not-picked and at
// the timeout), runs the same twice, and with tenants who pick the cheapest
// as soon as they may, leases at auto matching's prices.
func TestTenantMatchingRuns(t *testing.T) {
	for _, tt := range []struct {
		name       string
		policy     string
		delay      time.Duration
		check      func(t *testing.T, p *PickStats, s *Summary)
		sameAsAuto bool
	}{
		{name: "random among the 3 cheapest", policy: "random-k", delay: 30 * time.Second, check: func(t *testing.T, p *PickStats, s *Summary) {
			if p.Awaited == 0 || p.PickedOther == 0 || p.Expired != 0 {
				t.Fatalf("picks %+v: want waits, picks other than the cheapest, no expiry", *p)
			}
		}},
		{name: "tenants look after the timeout", policy: "cheapest", delay: 5 * time.Minute, check: func(t *testing.T, p *PickStats, s *Summary) {
			// (a few orders are still waiting when the run ends)
			if p.Awaited == 0 || p.Expired < p.Awaited-5 || s.Leases.Opened != 0 {
				t.Fatalf("picks %+v, leases %d: want every wait expired and no lease", *p, s.Leases.Opened)
			}
		}},
		{name: "cheapest at once is auto matching a block later", policy: "cheapest", delay: 0, sameAsAuto: true, check: func(t *testing.T, p *PickStats, s *Summary) {
			if p.Awaited == 0 || p.PickedOther != 0 || p.Expired != 0 {
				t.Fatalf("picks %+v: want only the auto winners picked", *p)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(tenantScenario(tt.policy, tt.delay), Options{Seed: 3, CheckEveryBlock: true})
			if err != nil {
				t.Fatal(err)
			}
			s := res.Summary
			if s.Orders.Picks == nil {
				t.Fatal("summary has no orders.picks under tenant matching")
			}
			tt.check(t, s.Orders.Picks, &s)
			again, err := Run(tenantScenario(tt.policy, tt.delay), Options{Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			if *again.Summary.Orders.Picks != *s.Orders.Picks || again.Summary.Leases.Opened != s.Leases.Opened {
				t.Fatalf("second run differs: %+v vs %+v", *again.Summary.Orders.Picks, *s.Orders.Picks)
			}
			if !tt.sameAsAuto {
				return
			}
			auto, err := Run(smallScenario(), Options{Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			if auto.Summary.Orders.Picks != nil {
				t.Fatal("auto matching reports picks")
			}
			if a, b := auto.Summary.Orders.Matched, s.Orders.Matched; a == 0 || float64(b) < 0.9*float64(a) {
				t.Fatalf("matched %d under tenant matching, %d under auto; want about the same", b, a)
			}
			if s.TimeToLease.Mean <= auto.Summary.TimeToLease.Mean {
				t.Fatalf("time to lease %.1f s under tenant matching, %.1f s under auto: a pick comes after the close", s.TimeToLease.Mean, auto.Summary.TimeToLease.Mean)
			}
		})
	}
}

// dearest is a tenant agent that picks the dearest eligible bid itself
// (sim.BidChooser), over its class's choice policy.
type dearest struct{ *classDraws }

func (dearest) Choose(c *Choosing) (int, bool) {
	best := -1
	for i := range c.Bids {
		if best < 0 || c.Bids[best].Price.Less(c.Bids[i].Price) {
			best = i
		}
	}
	return best, best >= 0
}

type dearestParams struct{}

func (*dearestParams) Check(*Checker) {}
func (*dearestParams) NewTenantAgent(t *TenantInfo) TenantAgent {
	return dearest{classDraws: newClassDraws(t)}
}

func TestBidChooserAgent(t *testing.T) {
	RegisterTenantAgent(TenantAgentKind{Name: "test-dearest", Doc: "picks the dearest eligible bid", Params: func() TenantAgentParams { return &dearestParams{} }})
	sc := tenantScenario("cheapest", 30*time.Second)
	for i := range sc.Tenants {
		sc.Tenants[i].Agent = TenantAgentSpec{Kind: "test-dearest"}
	}
	res, err := Run(sc, Options{Seed: 3, CheckEveryBlock: true})
	if err != nil {
		t.Fatal(err)
	}
	cheap, err := Run(tenantScenario("cheapest", 30*time.Second), Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Summary.Orders.Picks
	if p.PickedOther == 0 || cheap.Summary.Orders.Picks.PickedOther != 0 {
		t.Fatalf("the agent's chooser was not used: picked other %d (cheapest policy: %d)", p.PickedOther, cheap.Summary.Orders.Picks.PickedOther)
	}
	if res.Summary.Price.MeanClearingPerCPU <= cheap.Summary.Price.MeanClearingPerCPU {
		t.Fatalf("picking the dearest cleared at %.3f per cpu, the cheapest at %.3f", res.Summary.Price.MeanClearingPerCPU, cheap.Summary.Price.MeanClearingPerCPU)
	}
}
