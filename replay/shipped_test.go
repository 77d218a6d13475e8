package replay_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/akash-market/akash/replay"
	"github.com/akash-market/akash/scenarios"
)

// Chain size for the shipped scenarios (docs/trace.md, "Chain size"): every
// provider class keeps its share of at most chainProviders providers (at
// least one each), and the tenant classes together post at most
// chainArrivalsPerHour deployments an hour, each class in its share. The
// rest of the scenario (prices, shapes, regions, outages, churn, sealing,
// minimum reputations, the tiers' own deployments) is kept, and so are the
// bids per order of a class that bids on few orders (bid_probability). A run of
// chainRun simulated time at seed 4 is traced and replayed.
const (
	chainProviders       = 12
	chainArrivalsPerHour = 30.0
	chainRun             = 90 * time.Minute
)

// chainSize returns the --set overrides that scale the shipped scenario
// name to chain size, as a user would pass them to akash-sim run.
func chainSize(t *testing.T, name string) []string {
	t.Helper()
	sc, err := scenarios.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	var set []string
	total := 0
	for _, p := range sc.Providers {
		total += p.Count
	}
	for i, p := range sc.Providers {
		n := max(1, int(math.Round(float64(p.Count)*chainProviders/float64(max(total, chainProviders)))))
		set = append(set, fmt.Sprintf("providers[%d].count=%d", i, n))
		// A class that looks at few orders (large: 0.004 of 8,000
		// providers, about 10 bids per order) keeps its bids per order:
		// its attention rises as its count falls (at most 1). Scaled
		// without it, large's replay held one bid and one lease.
		if p.BidProbability < 1 && n < p.Count {
			bp := min(1, p.BidProbability*float64(p.Count)/float64(n))
			set = append(set, fmt.Sprintf("providers[%d].bid_probability=%s", i, strconv.FormatFloat(bp, 'f', -1, 64)))
		}
	}
	rate := 0.0
	for _, c := range sc.Tenants {
		rate += c.Arrival.RatePerHour
	}
	if rate > chainArrivalsPerHour {
		for i, c := range sc.Tenants {
			set = append(set, fmt.Sprintf("tenants[%d].arrival.rate_per_hour=%s", i, strconv.FormatFloat(c.Arrival.RatePerHour*chainArrivalsPerHour/rate, 'f', 3, 64)))
		}
	}
	return set
}

// TestShippedScenariosReplay is issue 13's proof on every shipped scenario:
// scaled to chain size (chainSize), each one's simulated run replays through
// the real chain with no difference at all: every transaction the simulator
// accepted is accepted, the same leases at the same prices and heights with
// the same close reasons, the same re-orders, stakes and wallets.
func TestShippedScenariosReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("replays every shipped scenario (about a minute of CPU)")
	}
	for _, name := range scenarios.Shipped() {
		t.Run(name, func(t *testing.T) {
			set := chainSize(t, name)
			plan, res, seen, took := replayScenario(t, name, set, 4, chainRun)
			t.Logf("akash-sim run %s --seed 4 --until %s --set %s: %d blocks, %d txs, %d leases in %s; %v",
				name, chainRun, strings.Join(set, " --set "), res.Blocks, res.Txs, len(plan.Want.Leases), took.Round(time.Millisecond), seen)
			if len(plan.Want.Leases) < 10 {
				t.Fatalf("the scaled run opened %d leases; the case would prove little (scale it so that it leases)", len(plan.Want.Leases))
			}
			requireAgreement(t, res)
		})
	}
}

// TestRandomMarketsAgree draws markets from seeds, each one a chain-sized
// default market with provider classes, pricing strategies, outages,
// churn, sealing, deposits, lease lengths, minimum reputations, re-orders
// and take rate all drawn from the seed, and requires the simulator and the
// chain to agree on every one. It replays AKASH_REPLAY_RANDOM markets (3 by
// default; seeds 1..N, or from AKASH_REPLAY_SEED to reproduce one). A
// failure names its seed and the --set list that reproduces it with
// akash-sim run and akash-node replay.
func TestRandomMarketsAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("replays random markets")
	}
	n, first := 3, uint64(1)
	if v := os.Getenv("AKASH_REPLAY_RANDOM"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("AKASH_REPLAY_RANDOM=%q: want a count >= 1", v)
		}
	}
	if v := os.Getenv("AKASH_REPLAY_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("AKASH_REPLAY_SEED=%q: want a seed", v)
		}
		n, first = 1, s
	}
	for seed := first; seed < first+uint64(n); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			set := randomMarket(seed)
			_, res, seen, took := replayScenario(t, "default", set, seed, 75*time.Minute)
			t.Logf("%d blocks, %d txs in %s; %v", res.Blocks, res.Txs, took.Round(time.Millisecond), seen)
			if len(res.Failed) > 0 || len(res.Diffs) > 0 {
				t.Logf("reproduce: AKASH_REPLAY_SEED=%d go test ./replay -run TestRandomMarketsAgree, or\n  akash-sim run default --seed %d --until 75m --set %s --trace t.jsonl && akash-node replay t.jsonl",
					seed, seed, strings.Join(set, " --set "))
			}
			requireAgreement(t, res)
		})
	}
}

// randomMarket draws a chain-sized default market from seed.
func randomMarket(seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	strategies := []string{"cost-plus", "random-band", "undercut", "utilisation"}
	set := []string{"market.min_deposit=500",
		fmt.Sprintf("market.take_rate_bps=%d", r.IntN(1001)),
		fmt.Sprintf("market.reorder_on_fault=%t", r.IntN(4) != 0),
		fmt.Sprintf("tenants[0].arrival.rate_per_hour=%d", 15+r.IntN(31)),
		fmt.Sprintf("tenants[0].sealed_share=%s", []string{"0", "0.5", "1"}[r.IntN(3)]),
		fmt.Sprintf("tenants[0].min_reputation=%d", []int{0, 0, 5000, 6000}[r.IntN(4)]),
		fmt.Sprintf("tenants[0].lease_length.mean=%d", 600+r.IntN(3000)), fmt.Sprintf("tenants[0].lease_length.std=%d", r.IntN(1500)),
		"tenants[0].deposit_blocks.kind=const", fmt.Sprintf("tenants[0].deposit_blocks.value=%d", 60+r.IntN(400)),
		fmt.Sprintf("tenants[0].top_up.probability=%s", []string{"0", "0.5", "0.9"}[r.IntN(3)]),
	}
	for i := range 2 {
		set = append(set, fmt.Sprintf("providers[%d].count=%d", i, 1+r.IntN(5)),
			fmt.Sprintf("providers[%d].pricing.strategy=%s", i, strategies[r.IntN(len(strategies))]))
		if r.IntN(2) == 0 {
			set = append(set, fmt.Sprintf("providers[%d].mtbf.kind=exponential", i), fmt.Sprintf("providers[%d].mtbf.mean=%d", i, 1200+r.IntN(3600)),
				fmt.Sprintf("providers[%d].mttr.kind=const", i), fmt.Sprintf("providers[%d].mttr.value=%d", i, 120+r.IntN(600)))
		}
		if r.IntN(3) == 0 {
			set = append(set, fmt.Sprintf("providers[%d].lifetime.kind=exponential", i), fmt.Sprintf("providers[%d].lifetime.mean=%d", i, 1800+r.IntN(3600)),
				fmt.Sprintf("providers[%d].join_per_day=%d", i, r.IntN(200)), "market.unbonding_period=10m")
		}
	}
	// Drawn last, so the draws above (and the markets of earlier seeds'
	// other keys) stay what they were: tenant matching in one market of three.
	if r.IntN(3) == 0 {
		set = append(set, "market.matching=tenant", fmt.Sprintf("market.bid_timeout=%ds", 6*(1+r.IntN(20))),
			"tenants[0].choice.policy="+[]string{"cheapest", "min-reputation", "price-per-reputation", "random-k"}[r.IntN(4)],
			fmt.Sprintf("tenants[0].choice.min_reputation=%d", []int{0, 5000, 6000}[r.IntN(3)]),
			fmt.Sprintf("tenants[0].choice.k=%d", 1+r.IntN(4)), fmt.Sprintf("tenants[0].choice.delay=%ds", 6*r.IntN(10)))
	}
	return set
}

// requireAgreement fails on any transaction the chain refused that the
// simulator's market accepted, any outcome that differs, and any amount the
// simulator moved that the chain's bank could not move exactly (both modes
// move whole units: core/lease whole.go).
func requireAgreement(t *testing.T, res *replay.Result) {
	t.Helper()
	const show = 20
	for i, f := range res.Failed {
		if i == show {
			t.Errorf("... and %d more refused", len(res.Failed)-show)
			break
		}
		t.Errorf("refused by the chain, accepted by the simulator: %s", f)
	}
	for i, d := range res.Diffs {
		if i == show {
			t.Errorf("... and %d more differences", len(res.Diffs)-show)
			break
		}
		t.Errorf("differs: %s", d)
	}
	for i, r := range res.Rounded {
		if i == show {
			break
		}
		t.Errorf("not a whole amount: step %d %s %s", r.Step, r.What, r.Exact)
	}
}
