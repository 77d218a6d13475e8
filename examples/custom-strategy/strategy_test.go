package customstrategy

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
)

func load(t *testing.T, overrides ...string) *sim.Scenario {
	t.Helper()
	data, err := os.ReadFile("testdata/adaptive.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load("testdata/adaptive.yaml", data, overrides)
	if err != nil {
		t.Fatalf("the scenario does not load:\n%v", err)
	}
	return sc
}

// TestRunsAScenarioWithTheStrategy: the scenario names the strategy and the
// metric this module registers; the unchanged simulator runs it, the
// learners win leases, the metric reports, and the run is reproducible.
func TestRunsAScenarioWithTheStrategy(t *testing.T) {
	res, err := sim.Run(load(t), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	if s.Orders.Matched == 0 {
		t.Fatalf("no order matched: %+v", s.Orders)
	}
	col := slices.Index(res.Leases.Header, "provider")
	if col < 0 {
		t.Fatalf("leases table has no provider column: %v", res.Leases.Header)
	}
	won := map[string]int{}
	for _, row := range res.Leases.Rows {
		class, _, _ := strings.Cut(row[col], "-")
		won[class]++
	}
	if won["learners"] == 0 || won["fixed"] == 0 {
		t.Fatalf("leases won by class: %v; want both classes to win some", won)
	}
	spread, ok := s.Extensions["bid-spread"]
	if !ok || spread["orders"] == 0 || !(spread["mean"] > 0) {
		t.Fatalf("extensions.bid-spread = %v (ok %v); want a positive mean over some orders", spread, ok)
	}
	if pi := s.Extensions["price-index"]; pi["orders"] != float64(s.Orders.Matched) {
		t.Fatalf("extensions.price-index.orders = %v, want every matched order (%d)", pi["orders"], s.Orders.Matched)
	}
	t.Logf("matched %d of %d; leases won %v; bid spread %.3f; price index %.3f", s.Orders.Matched, s.Orders.Closed, won,
		spread["mean"], s.Extensions["price-index"]["mean"])

	again, err := sim.Run(load(t), sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := summaryJSON(t, res), summaryJSON(t, again)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs of the same scenario and seed differ")
	}
}

// TestTheTakeRateMovesPrices: with a take rate of 0 and of 10 %, the'
// prices respond (the strategy reads the take rate through the API).
func TestTheTakeRateMovesPrices(t *testing.T) {
	price := func(take string) float64 {
		res, err := sim.Run(load(t, "market.take_rate_bps="+take, "duration=2h"), sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Summary.Price.MeanClearingPerCPU
	}
	if lo, hi := price("0"), price("1000"); !(hi > lo) {
		t.Fatalf("mean clearing price per cpu %.4f at take 0, %.4f at take 10%%; want it higher", lo, hi)
	}
}

// TestBadKeysAreRefusedOnTheirLine: the module's own keys get the
// simulator's errors: unknown keys with the allowed ones, bad values, and
// the strategy's Check, each at file:line:col.
func TestBadKeysAreRefusedOnTheirLine(t *testing.T) {
	file := "providers:\n  - name: a\n    pricing: {strategy: adaptive-margin, step_bps: 0, max_margin: 5}\n" +
		"  - name: b\n    pricing:\n      strategy: adaptive-margin\n      min_margin_bps: 900\n      max_margin_bps: 100\n"
	_, err := scenarios.Load("bad.yaml", []byte(file), nil)
	if err == nil {
		t.Fatal("a bad scenario loaded")
	}
	for _, want := range []string{
		`bad.yaml:3:55: providers[0].pricing.max_margin: unknown key; did you mean "max_margin_bps"?`,
		`bad.yaml:3:42: providers[0].pricing.step_bps: is 0; the margin would never move; use basis points > 0, e.g. 100`,
		`bad.yaml:8:7: providers[1].pricing.max_margin_bps: 100 is below min_margin_bps 900`,
		`bad.yaml:5:5: providers[1].pricing.start_margin_bps: 2000 is outside [900, 100]`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
}

func summaryJSON(t *testing.T, res *sim.Result) []byte {
	t.Helper()
	s := res.Summary
	s.Run = sim.RunStats{}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
