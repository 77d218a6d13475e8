package replay_test

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/replay"
	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
	"github.com/akash-market/akash/sim/tiers"
	"github.com/akash-market/akash/sim/trace"
)

// TestSimulatorAndChainAgree is issue 6 item 4: a short run of the shipped
// default market (six providers, a tenant every two minutes, leases ending
// by term and by running dry) is traced in process and replayed through
// node/app.New with real FinalizeBlock calls, one block per simulated block
// (an action at simulator height h is a transaction in block h+1: see
// docs/trace.md). The chain must open the same leases (ids, winners), at the
// same prices and heights, close them at the same heights for the same
// reasons, and leave every provider and tenant with the same balance.
// base cuts the default market down to a chain-sized run.
var base = []string{"providers[0].count=4", "providers[1].count=2", "market.min_deposit=500",
	"tenants[0].arrival.rate_per_hour=30", "tenants[0].lease_length.mean=1500", "tenants[0].lease_length.std=1500",
	"tenants[0].deposit_blocks.kind=const", "tenants[0].deposit_blocks.value=200", "tenants[0].top_up.probability=0"}

// outages makes the first provider class fail about every half hour.
var outages = []string{"providers[0].mtbf.kind=exponential", "providers[0].mtbf.mean=1800",
	"providers[0].mttr.kind=const", "providers[0].mttr.value=300"}

func TestSimulatorAndChainAgree(t *testing.T) {
	for _, c := range []struct {
		name  string
		set   []string
		needs []string // record kinds and lease close reasons the run must contain, so the case tests what it says
	}{
		{"terms and dry escrow", nil, []string{"tenant-closed", "insufficient-funds", "withdraw", "close-deployment"}},
		{"outages, re-orders and top-ups", append([]string{"tenants[0].top_up.probability=0.9", "tenants[0].top_up.below_blocks=60"}, outages...),
			[]string{"provider-fault", "close-lease", "bid-withdrawn", "deposit", "provider-status", "re-order"}},
		{"providers leaving and joining", []string{"providers[0].lifetime.kind=exponential",
			"providers[0].lifetime.mean=2400", "providers[0].join_per_day=200", "market.unbonding_period=10m"},
			[]string{"provider-closed", "close-lease", "provider-status", "unbond", "re-order"}},
		{"no re-orders (market.reorder_on_fault=false)", append([]string{"market.reorder_on_fault=false"}, outages...),
			[]string{"provider-fault", "close-lease"}},
		{"sealed bids", []string{"tenants[0].sealed_share=1"}, []string{"commit", "reveal"}},
		// Each tenant draws sealed or open; the chain's sealed_bids is
		// "tenant", so each deployment's orders are as the tenant asked.
		// Every provider starts at reputation 6000 (docs/reputation.md); a
		// fault takes it below, so the minimum of 6000 shuts the failing
		// class out of later orders: their bids are refused at placement in
		// both modes.
		{"mixed sealed and open, minimum reputation", append([]string{"tenants[0].sealed_share=0.5", "tenants[0].min_reputation=6000"}, outages...),
			[]string{"commit", "reveal", "bid", "sealed order", "open order", "min-reputation order", "refused: reputation", "re-order"}},
		// Tenant matching (Akash mainnet's mode): each order's tenant picks
		// one of the three cheapest bids 20 s after the close (a
		// MsgCreateLease); with outages a picked provider may be down, and
		// sealed bids are mixed in.
		{"tenant matching", append([]string{"market.matching=tenant", "market.bid_timeout=1m", "tenants[0].choice.policy=random-k",
			"tenants[0].choice.delay=20s", "tenants[0].sealed_share=0.5"}, outages...),
			[]string{"create-lease", "not-picked", "commit", "reveal", "provider-fault", "re-order"}},
		// A second class of tenants that look only after the bid timeout:
		// their orders expire unmatched, every deposit back; the first
		// class picks the cheapest bid of a provider at reputation 6000 or
		// more (below it after a fault: such bids are passed over).
		{"tenant matching, picks and expiries", append([]string{"market.matching=tenant", "market.bid_timeout=30s",
			"tenants[0].choice.policy=min-reputation", "tenants[0].choice.min_reputation=6000", "tenants[0].choice.delay=12s",
			"tenants[1].name=late", "tenants[1].arrival.rate_per_hour=10", "tenants[1].choice.delay=1m"}, outages...),
			[]string{"create-lease", "expired"}},
	} {
		t.Run(c.name, func(t *testing.T) { agree(t, append(append([]string{}, base...), c.set...), c.needs) })
	}
}

// replayRun traces a run of the default market with the overrides, replays
// it through the chain and compares.
func replayRun(t *testing.T, set []string) (*replay.Plan, *replay.Result, map[string]int, time.Duration) {
	return replayScenario(t, "default", set, 4, 75*time.Minute)
}

// replayScenario traces seed's run of the shipped scenario name with the
// overrides for the first until of simulated time (tiers attached when the
// scenario turns them on), replays it through the chain and compares.
func replayScenario(t *testing.T, name string, set []string, seed uint64, until time.Duration) (*replay.Plan, *replay.Result, map[string]int, time.Duration) {
	t.Helper()
	sc, err := scenarios.Open(name, set...)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := trace.NewWriter(&buf, 0)
	if _, err := sim.Run(sc, sim.Options{Seed: seed, Until: sim.Duration(until), Trace: w, Tiers: tiers.Attach}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tr, err := trace.Read(&buf, name)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := replay.NewPlan(tr)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, s := range plan.Steps {
		seen[string(s.Record.Kind)]++
	}
	for _, l := range plan.Want.Leases {
		seen[l.Reason]++
	}
	for _, r := range tr.Records {
		if c := r.OrderClosed; c != nil {
			for _, b := range c.Bids {
				if b.Outcome == "not-picked" || b.Outcome == "expired" {
					seen[b.Outcome]++
				}
			}
		}
	}
	for id := range plan.Want.Orders {
		if id.OSeq >= 2 {
			seen["re-order"]++
		}
	}
	for _, s := range plan.Steps {
		if st := s.Record.ProviderStatus; st != nil && st.Status == trace.StatusStakeReleased {
			seen["unbond"]++
		}
		if b := s.Record.Bid; b != nil && !b.Accepted {
			seen["refused: "+b.Reason]++
		}
		if d := s.Record.Deployment; d != nil {
			seen[map[bool]string{true: "sealed order", false: "open order"}[d.Sealed]]++
			if d.MinReputation > 0 {
				seen["min-reputation order"]++
			}
		}
	}
	chain, err := replay.NewChain(replay.GenesisFunds(plan), time.Duration(plan.Header.BlockTimeNS), replay.MarketParams(plan))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := replay.Run(plan, chain, replay.NewTranslator(plan.Header.Denom), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := replay.Compare(plan, chain, res); err != nil {
		t.Fatal(err)
	}
	return plan, res, seen, time.Since(start)
}

// agree replays the run and fails on any difference: there is no list of
// known differences (every rule is core's, in both modes).
func agree(t *testing.T, set, needs []string) {
	plan, res, seen, took := replayRun(t, set)
	for _, n := range needs {
		if seen[n] == 0 {
			t.Fatalf("the run has no %s; the case would not test what it claims (%v)", n, seen)
		}
	}
	var dust money.Dec
	for _, d := range plan.Want.Dust {
		_ = dust.AddAssign(&d)
	}
	t.Logf("replayed %d blocks, %d txs in %s; %d leases; whole-unit dust %s%s; %v",
		res.Blocks, res.Txs, took.Round(time.Millisecond), len(plan.Want.Leases), dust.ShortString(), plan.Header.Denom, seen)
	report := func(what string, lines []string) {
		if len(lines) == 0 {
			return
		}
		const show = 25
		more := ""
		if len(lines) > show {
			more = "\n  ... and " + strconv.Itoa(len(lines)-show) + " more"
			lines = lines[:show]
		}
		t.Errorf("%d %s:\n  %s%s", len(lines), what, strings.Join(lines, "\n  "), more)
	}
	var failed, diffs []string
	for _, f := range res.Failed {
		failed = append(failed, f.String())
	}
	for _, d := range res.Diffs {
		diffs = append(diffs, d.String())
	}
	var rounded []string // both modes move whole units (core/lease whole.go)
	for _, r := range res.Rounded {
		rounded = append(rounded, fmt.Sprintf("step %d %s %s", r.Step, r.What, r.Exact))
	}
	report("transactions the chain refused but the simulator's market accepted", failed)
	report("outcomes that differ", diffs)
	report("amounts the simulator moved that the chain's bank could not move exactly", rounded)
}
