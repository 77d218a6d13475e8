package sim

import (
	"testing"
	"time"

	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
)

// smallScenario is a fully specified small market: two regions, two tenant
// classes, three provider classes with different strategies, outages and
// churn. Tests change fields of it rather than relying on defaults.
func smallScenario() *Scenario {
	return &Scenario{
		Name:        "small",
		Seed:        7,
		Duration:    Duration(12 * time.Hour),
		BlockTime:   Duration(6 * time.Second),
		SampleEvery: Duration(10 * time.Minute),
		Market: Market{
			Denom: "uakt", BiddingWindow: Duration(60 * time.Second), RevealWindow: Duration(30 * time.Second),
			TakeRateBPS: 200, BidDeposit: money.MustParseDec("5"), UnbondingPeriod: Duration(time.Hour),
			SlashFaultBPS: 100, ReorderOnFault: true, WithdrawEvery: Duration(time.Hour),
			Reference: ResourcePrices{CPU: money.MustParseDec("1"), Memory: money.MustParseDec("0.5"),
				Storage: money.MustParseDec("0.01"), GPU: money.MustParseDec("20"), Bandwidth: money.MustParseDec("0.001")},
		},
		Regions: []Region{{Name: "us-west"}, {Name: "eu-central"}},
		Tenants: []TenantClass{
			{Name: "web", Arrival: Arrival{Process: "poisson", RatePerHour: 60},
				Regions:       map[string]float64{"us-west": 2, "eu-central": 1},
				Valuation:     Dist{Kind: "uniform", Min: 1.0, Max: 2.0},
				DepositBlocks: Dist{Kind: "const", Value: 300},
				TopUp:         TopUp{BelowBlocks: 50, Probability: 0.5},
				LeaseLength:   Dist{Kind: "exponential", Mean: 3600},
				SealedShare:   0.2},
			{Name: "batch", Arrival: Arrival{Process: "diurnal", RatePerHour: 20, Amplitude: 0.5, PeakAt: Duration(14 * time.Hour)},
				Demand:        []Shape{{Name: "job", Weight: 1, CPU: 2000, Memory: 4 * Gi, Storage: 10 * Gi, Count: 2}},
				Valuation:     Dist{Kind: "lognormal", Mean: 1.5, Std: 0.3},
				DepositBlocks: Dist{Kind: "uniform", Min: 100, Max: 2000},
				LeaseLength:   Dist{Kind: "const", Value: 7200},
				MinReputation: 3000},
		},
		Providers: []ProviderClass{
			{Name: "dc", Count: 6, Regions: map[string]float64{"us-west": 1, "eu-central": 1},
				Capacity:   Capacity{CPU: 64000, Memory: 256 * Gi, Storage: 4000 * Gi, GPU: 8, Bandwidth: 1000 * Mi},
				Cost:       Dist{Kind: "uniform", Min: 0.5, Max: 0.9},
				Pricing:    Pricing{Kind: "cost-plus", Params: &CostPlus{MarginBPS: 2000}},
				Stake:      money.MustParseDec("1000"),
				BidLatency: Dist{Kind: "exponential", Mean: 10}, BidProbability: 0.9,
				MTBF: Dist{Kind: "exponential", Mean: 6 * 3600}, MTTR: Dist{Kind: "const", Value: 600}},
			{Name: "cheap", Count: 4, Regions: map[string]float64{"us-west": 1},
				Capacity:   Capacity{CPU: 16000, Memory: 64 * Gi, Storage: 1000 * Gi, GPU: 1, Bandwidth: 100 * Mi},
				Cost:       Dist{Kind: "const", Value: 0.6},
				Pricing:    Pricing{Kind: "undercut", Params: &Undercut{UndercutBPS: 300, MinMarginBPS: 500, MarginBPS: 1500}},
				Stake:      money.MustParseDec("100"),
				BidLatency: Dist{Kind: "uniform", Min: 1, Max: 20}, BidProbability: 0.7,
				Lifetime: Dist{Kind: "exponential", Mean: 8 * 3600}, JoinPerDay: 4},
			{Name: "edge", Count: 4, Regions: map[string]float64{"eu-central": 1},
				Capacity:   Capacity{CPU: 8000, Memory: 32 * Gi, Storage: 500 * Gi, Bandwidth: 100 * Mi},
				Cost:       Dist{Kind: "lognormal", Mean: 0.8, Std: 0.1},
				Pricing:    Pricing{Kind: "utilisation", Params: &Utilisation{MinMarginBPS: 500, MaxMarginBPS: 5000}},
				Stake:      money.MustParseDec("10"),
				BidLatency: Dist{Kind: "const", Value: 5}, BidProbability: 1},
			{Name: "band", Count: 3, Regions: map[string]float64{"us-west": 1, "eu-central": 1},
				Capacity:   Capacity{CPU: 32000, Memory: 128 * Gi, Storage: 2000 * Gi, GPU: 2, Bandwidth: 500 * Mi},
				Cost:       Dist{Kind: "const", Value: 0.7},
				Pricing:    Pricing{Kind: "random-band", Params: &RandomBand{MinMarginBPS: 0, MaxMarginBPS: 4000}},
				Stake:      money.MustParseDec("500"),
				BidLatency: Dist{Kind: "exponential", Mean: 8}, BidProbability: 0.8},
		},
	}
}

// deploymentAfterHour runs the small scenario's first simulated hour and
// returns the world with its first deployment that has the wanted state
// (what names it in the failure message).
func deploymentAfterHour(t *testing.T, what string, ok func(*Deployment) bool) (*World, *Deployment) {
	t.Helper()
	w, err := NewWorld(smallScenario(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.eng.RunUntil(engine.Time(engine.Hour))
	for _, d := range w.deps {
		if d != nil && ok(d) {
			return w, d
		}
	}
	t.Fatalf("no deployment %s after an hour", what)
	return nil, nil
}
