package sim_test

import (
	"os"
	"testing"

	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
)

// BenchmarkLargeScenario runs the shipped large scenario (10,000 providers,
// about 1,000,000 orders over a simulated week) end to end, as
// `akash-sim run large` does. The goal is under 60 s and under 4 GiB
// on a 2-core machine; this benchmark reports the figures rather than timing
// a test. One iteration takes about a minute:
//
//	go test ./sim -run '^$' -bench LargeScenario -benchtime 1x -cpuprofile cpu.out
func BenchmarkLargeScenario(b *testing.B) {
	if testing.Short() {
		b.Skip("the large scenario takes about a minute; run without -short")
	}
	var last *sim.Result
	for b.Loop() {
		sc, err := scenarios.Open("large")
		if err != nil {
			b.Fatal(err)
		}
		res, err := sim.Run(sc, sim.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Summary.Conservation != "ok" {
			b.Fatalf("conservation: %s", res.Summary.Conservation)
		}
		last = res
	}
	s := last.Summary
	b.ReportMetric(float64(s.Orders.Posted), "orders")
	b.ReportMetric(s.Bids.PerOrder, "bids/order")
	b.ReportMetric(s.Run.EventsPerSec, "events/s")
	b.ReportMetric(float64(s.Run.MaxRSSBytes)/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(s.Run.WallSeconds, "wall-s")
}

// BenchmarkRunBusyHour is an hour of a busier market than the large one
// (2,000 providers, 20,000 orders an hour): the world's hot loop at scale in
// seconds, for profiling without the full week.
func BenchmarkRunBusyHour(b *testing.B) {
	b.ReportAllocs()
	var events uint64
	for b.Loop() {
		sc := busyHour(b)
		res, err := sim.Run(sc, sim.Options{})
		if err != nil {
			b.Fatal(err)
		}
		events = res.Summary.Events
	}
	b.ReportMetric(float64(events), "events/op")
}

// busyHour is the scenario of BenchmarkRunBusyHour.
func busyHour(tb testing.TB) *sim.Scenario {
	sc, err := scenarios.Open("large", "duration=1h", "providers[0].count=2000",
		"providers[0].bid_probability=0.02", "tenants[0].arrival.rate_per_hour=20000")
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

// BenchmarkSteadyBusyHour is the busy hour's second half (sim.BenchSteady):
// allocs/event is its steady state's.
func BenchmarkSteadyBusyHour(b *testing.B) {
	sim.BenchSteady(b, func() *sim.Scenario { return busyHour(b) })
}

// TestSteadyStateAllocationsBusy: the busy hour's second half allocates
// nothing at all either (sim.CheckSteadyAllocs): not in sim, not in core.
func TestSteadyStateAllocationsBusy(t *testing.T) {
	if testing.Short() {
		t.Skip("the busy hour takes a few seconds")
	}
	sim.CheckSteadyAllocs(t, sim.SteadyAllocSites(t, busyHour(t), 0.5), 0)
}

// TestSteadyProfileBusy writes the allocations of the busy hour's second
// half to $SIM_STEADY_PROFILE (skipped without it).
func TestSteadyProfileBusy(t *testing.T) {
	out := os.Getenv("SIM_STEADY_PROFILE")
	if out == "" {
		t.Skip("set SIM_STEADY_PROFILE=file to profile the busy hour's steady state")
	}
	a, e := sim.SteadyRun(t, busyHour(t), 0.5, out)
	t.Logf("steady: %d allocs over %d events (%.4f per event)", a, e, float64(a)/float64(e))
}
