package sim_test

import (
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
		sc, err := scenarios.Open("large", "duration=1h", "providers[0].count=2000",
			"providers[0].bid_probability=0.02", "tenants[0].arrival.rate_per_hour=20000")
		if err != nil {
			b.Fatal(err)
		}
		res, err := sim.Run(sc, sim.Options{})
		if err != nil {
			b.Fatal(err)
		}
		events = res.Summary.Events
	}
	b.ReportMetric(float64(events), "events/op")
}
