package tiers_test

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
	"github.com/akash-market/akash/sim/tiers"
)

func runShipped(t *testing.T, name string, overrides ...string) (*sim.Scenario, *sim.Result) {
	t.Helper()
	sc, err := scenarios.Open(name, overrides...)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tiers.Run(sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sc, res
}

func table(t *testing.T, res *sim.Result, file string) sim.Table {
	t.Helper()
	for _, tb := range res.Tables {
		if tb.File == file {
			return tb
		}
	}
	t.Fatalf("no table %s", file)
	return sim.Table{}
}

func col(t *testing.T, tb sim.Table, name string) int {
	t.Helper()
	for i, h := range tb.Header {
		if h == name {
			return i
		}
	}
	t.Fatalf("%s has no column %s", tb.File, name)
	return -1
}

// checkPrices: every lease of owner is priced at or under max.
func checkPrices(t *testing.T, res *sim.Result, owner string, maxPrice money.Dec) int {
	t.Helper()
	ten, pr := col(t, res.Leases, "tenant"), col(t, res.Leases, "price_uakt_per_block")
	n := 0
	for _, r := range res.Leases.Rows {
		if r[ten] != owner {
			continue
		}
		n++
		p, err := money.ParseDec(r[pr])
		if err != nil {
			t.Fatal(err)
		}
		if maxPrice.Less(p) {
			t.Errorf("%s lease priced %s over max_price %s", owner, r[pr], maxPrice.ShortString())
		}
	}
	return n
}

func TestDeliveryNetworkFollowsUsers(t *testing.T) {
	sc, res := runShipped(t, "delivery-network", "duration=24h")
	cfg := sc.Tiers.DeliveryNetwork
	s := res.Summary.Tiers.(*tiers.Summary).DeliveryNetwork
	if s == nil {
		t.Fatal("no delivery_network summary")
	}
	t.Logf("tier: %.1f ms mean, %.0f ms p95, %.3f within target, cost %s, groups %.1f (%d..%d); static: %.1f ms, %.0f ms p95, %.3f, cost %s, %d groups",
		s.Tier.MeanLatencyMS, s.Tier.P95LatencyMS, s.Tier.WithinTargetShare, s.Tier.Cost, s.Tier.GroupsMean, s.Tier.GroupsMin, s.Tier.GroupsMax,
		s.Static.MeanLatencyMS, s.Static.P95LatencyMS, s.Static.WithinTargetShare, s.Static.Cost, s.Static.GroupsMax)
	// Users in four regions, one datacenter: the tier must serve them closer.
	if !(s.Tier.MeanLatencyMS < s.Static.MeanLatencyMS/4) || !(s.Tier.P95LatencyMS < s.Static.P95LatencyMS) {
		t.Errorf("tier latency %.1f/%.0f ms (mean/p95) not well below static %.1f/%.0f ms", s.Tier.MeanLatencyMS, s.Tier.P95LatencyMS,
			s.Static.MeanLatencyMS, s.Static.P95LatencyMS)
	}
	if !(s.Tier.WithinTargetShare > 0.9) || !(s.Static.WithinTargetShare < 0.5) {
		t.Errorf("within target: tier %.3f, static %.3f", s.Tier.WithinTargetShare, s.Static.WithinTargetShare)
	}
	// The tenant's limits, at all times.
	if s.Tier.GroupsMax > cfg.MaxGroups || s.Tier.GroupsMin < cfg.MinGroups {
		t.Errorf("groups %d..%d outside the limits %d..%d", s.Tier.GroupsMin, s.Tier.GroupsMax, cfg.MinGroups, cfg.MaxGroups)
	}
	tb := table(t, res, "tiers_delivery_network.csv")
	gi := col(t, tb, "tier_groups")
	for _, r := range tb.Rows {
		if g, _ := strconv.Atoi(r[gi]); g < cfg.MinGroups || g > cfg.MaxGroups {
			t.Errorf("at %s h: %d groups, limits %d..%d", r[0], g, cfg.MinGroups, cfg.MaxGroups)
		}
	}
	if s.Tier.PriceOverMax != 0 || s.Static.PriceOverMax != 0 {
		t.Errorf("leases over max_price: %d, %d", s.Tier.PriceOverMax, s.Static.PriceOverMax)
	}
	if checkPrices(t, res, tiers.DeliveryOwner, cfg.MaxPrice) < cfg.MinGroups || checkPrices(t, res, tiers.DeliveryStaticOwner, cfg.MaxPrice) == 0 {
		t.Error("no leases for the tier or the static side")
	}
	// The time series' running cost (price × blocks) ends at the escrows' exact total.
	last := tb.Rows[len(tb.Rows)-1]
	for _, c := range []struct {
		col, exact string
	}{{"tier_cost", s.Tier.Cost}, {"static_cost", s.Static.Cost}} {
		got, _ := strconv.ParseFloat(last[col(t, tb, c.col)], 64)
		want, _ := strconv.ParseFloat(c.exact, 64)
		if d := got - want; d > 1e-3*want || d < -1e-3*want {
			t.Errorf("%s: time series ends at %.3f, escrows paid %s", c.col, got, c.exact)
		}
	}
}

func TestMLBatchElasticVsStatic(t *testing.T) {
	sc, res := runShipped(t, "ml-batch")
	s := res.Summary.Tiers.(*tiers.Summary).MLBatch
	if s == nil {
		t.Fatal("no ml_batch summary")
	}
	t.Logf("%d jobs, %.0f worker-hours; elastic: done %d, %.2f h mean, %.2f h p90, cost %s, idle %.1f wh; static: done %d, %.2f h, %.2f h, cost %s, idle %.1f wh",
		s.Jobs, s.WorkHours, s.Elastic.Completed, s.Elastic.CompletionMeanH, s.Elastic.CompletionP90H, s.Elastic.Cost, s.Elastic.IdleWorkerHours,
		s.Static.Completed, s.Static.CompletionMeanH, s.Static.CompletionP90H, s.Static.Cost, s.Static.IdleWorkerHours)
	if s.Jobs < 5 {
		t.Fatalf("only %d jobs; the scenario should bring bursts of them", s.Jobs)
	}
	for _, side := range []tiers.MLSide{s.Elastic, s.Static} {
		if side.Completed != s.Jobs || side.Unfinished != 0 {
			t.Errorf("%d of %d jobs completed", side.Completed, s.Jobs)
		}
		// Work is conserved: busy worker-hours are the jobs' work.
		if d := side.BusyWorkerHours - s.WorkHours; d > 1e-6 || d < -1e-6 {
			t.Errorf("busy %.6f worker-hours, jobs held %.6f", side.BusyWorkerHours, s.WorkHours)
		}
		if side.PriceOverMax != 0 {
			t.Errorf("%d leases over max_price", side.PriceOverMax)
		}
	}
	if !(s.Elastic.IdleWorkerHours < s.Static.IdleWorkerHours/10) {
		t.Errorf("elastic idle %.1f worker-hours, static %.1f", s.Elastic.IdleWorkerHours, s.Static.IdleWorkerHours)
	}
	if !(s.CostRatio < 1) {
		t.Errorf("elastic costs %.2f × static", s.CostRatio)
	}
	checkPrices(t, res, tiers.MLElasticOwner, sc.Tiers.MLBatch.MaxPrice)
	checkPrices(t, res, tiers.MLStaticOwner, sc.Tiers.MLBatch.MaxPrice)
	tb := table(t, res, "tiers_ml_batch.csv")
	wi := col(t, tb, "elastic_workers")
	for _, r := range tb.Rows {
		if n, _ := strconv.Atoi(r[wi]); n > sc.Tiers.MLBatch.MaxWorkers {
			t.Errorf("at %s h: %d elastic workers over max_workers %d", r[0], n, sc.Tiers.MLBatch.MaxWorkers)
		}
	}
}

// TestTiersDeterministic: the same scenario and seed give the same summary,
// tables and plots.
func TestTiersDeterministic(t *testing.T) {
	for _, name := range []string{"delivery-network", "ml-batch"} {
		t.Run(name, func(t *testing.T) {
			enc := func() string {
				_, res := runShipped(t, name, "duration=12h", "seed=7")
				res.Summary.Run = sim.RunStats{}
				b, err := json.Marshal(struct {
					S  sim.Summary
					T  []sim.Table
					P  []sim.Plot
					TS sim.Table
					L  sim.Table
				}{res.Summary, res.Tables, res.Plots, res.TimeSeries, res.Leases})
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			a, b := enc(), enc()
			if a != b {
				t.Error("two runs differ")
			}
			if !strings.Contains(a, `"tiers":`) {
				t.Error("summary has no tiers object")
			}
		})
	}
}

func TestRunNeedsTiersOption(t *testing.T) {
	sc, err := scenarios.Open("ml-batch", "duration=1h")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Run(sc, sim.Options{}); err == nil || !strings.Contains(err.Error(), "tiers.Run") {
		t.Errorf("sim.Run with a tier on and no Options.Tiers: %v", err)
	}
}

func TestLatencyMatrixAndLoad(t *testing.T) {
	regions := []sim.Region{{Name: "a", Latency: map[string]sim.Duration{"a": sim.Duration(2e6), "b": sim.Duration(40e6)}},
		{Name: "b", Latency: map[string]sim.Duration{"a": sim.Duration(60e6)}}, {Name: "c"}}
	m := tiers.LatencyMatrix(regions, []string{"a", "b", "c"})
	want := [][]int64{{2000, 60000, 100000}, {60000, 0, 100000}, {100000, 100000, 0}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("matrix %v, want %v", m, want)
	}
	l := sim.DiurnalLoad{Peak: 1000, Amplitude: 0.8, PeakAt: sim.Duration(20 * 3600e9)}
	if p, tr := tiers.Load(l, 20*3600e9), tiers.Load(l, 8*3600e9); p != 1000 || tr < 199.999 || tr > 200.001 {
		t.Errorf("peak %v, trough %v; want 1000 and 200", p, tr)
	}
}
