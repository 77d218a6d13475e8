package sim

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/akash-market/akash/core/money"
)

// largeScenario is the large market: 10,000 providers in four
// regions, about 1,000,000 orders in a simulated day, about 10 bids each.
func largeScenario() *Scenario {
	regions := map[string]float64{"us-east": 1, "us-west": 1, "eu-central": 1, "ap-south": 1}
	return &Scenario{
		Name: "large", Seed: 1, Duration: Duration(24 * time.Hour), BlockTime: Duration(6 * time.Second),
		SampleEvery: Duration(10 * time.Minute),
		Market: Market{Denom: "uakt", BiddingWindow: Duration(60 * time.Second), RevealWindow: Duration(30 * time.Second),
			TakeRateBPS: 200, BidDeposit: money.MustParseDec("5"), UnbondingPeriod: Duration(24 * time.Hour),
			SlashFaultBPS: 100, ReorderOnFault: true, WithdrawEvery: Duration(6 * time.Hour),
			Reference: ResourcePrices{CPU: money.MustParseDec("1"), Memory: money.MustParseDec("0.5"),
				Storage: money.MustParseDec("0.01"), GPU: money.MustParseDec("20"), Bandwidth: money.MustParseDec("0.001")}},
		Regions: []Region{{Name: "us-east"}, {Name: "us-west"}, {Name: "eu-central"}, {Name: "ap-south"}},
		Tenants: []TenantClass{{Name: "mix", Arrival: Arrival{Process: "poisson", RatePerHour: 1_000_000.0 / 24},
			Regions: regions, Valuation: Dist{Kind: "uniform", Min: 0.9, Max: 2},
			DepositBlocks: Dist{Kind: "uniform", Min: 200, Max: 1200}, TopUp: TopUp{BelowBlocks: 50, Probability: 0.5},
			LeaseLength: Dist{Kind: "exponential", Mean: 3600}, SealedShare: 0.1}},
		Providers: []ProviderClass{{Name: "p", Count: 10_000, Regions: regions,
			Capacity:   Capacity{CPU: 64000, Memory: 256 * Gi, Storage: 8000 * Gi, GPU: 8, Bandwidth: 1000 * Mi},
			Cost:       Dist{Kind: "uniform", Min: 0.5, Max: 0.95},
			Pricing:    Pricing{Strategy: "cost-plus", MarginBPS: 1500},
			Stake:      money.MustParseDec("1000"),
			BidLatency: Dist{Kind: "exponential", Mean: 10}, BidProbability: 10.0 / 2500,
			MTBF: Dist{Kind: "exponential", Mean: 7 * 86400}, MTTR: Dist{Kind: "const", Value: 1800}}},
	}
}

// TestLargeScenario runs the large market when AKASH_SIM_LARGE is set and
// prints the summary (wall time, events/s, memory). Profile it with
//
//	AKASH_SIM_LARGE=1 go test ./sim -run TestLargeScenario -cpuprofile cpu.out
func TestLargeScenario(t *testing.T) {
	if os.Getenv("AKASH_SIM_LARGE") == "" {
		t.Skip("set AKASH_SIM_LARGE=1 to run the 10,000-provider, 1,000,000-order scenario")
	}
	start := time.Now()
	res, err := Run(largeScenario(), Options{Progress: func(done, total int64) {
		if done%(total/10+1) < total/200+1 {
			t.Logf("block %d/%d after %v", done, total, time.Since(start).Round(time.Millisecond))
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	s.Inputs = nil
	b, _ := json.MarshalIndent(s, "", "  ")
	t.Logf("%s", b)
	if s.Run.WallSeconds > 60 {
		t.Errorf("large run took %.1f s; the target is under 60 s", s.Run.WallSeconds)
	}
	if s.Run.MaxRSSBytes > 4<<30 {
		t.Errorf("large run peaked at %d bytes; the target is under 4 GiB", s.Run.MaxRSSBytes)
	}
}
