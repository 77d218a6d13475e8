package sim

import (
	"testing"
	"time"
)

// BenchmarkRunSmallDay runs the small scenario's 12 simulated hours: the
// world's hot loop (arrivals, bids, closes, settlements) end to end.
func BenchmarkRunSmallDay(b *testing.B) {
	sc := smallScenario()
	b.ReportAllocs()
	var events uint64
	for b.Loop() {
		res, err := Run(sc, Options{})
		if err != nil {
			b.Fatal(err)
		}
		events = res.Summary.Events
	}
	b.ReportMetric(float64(events), "events/op")
}

// BenchmarkRunBusyHour: 200 providers, 20,000 orders per hour.
func BenchmarkRunBusyHour(b *testing.B) {
	sc := largeScenario()
	sc.Duration = Duration(time.Hour)
	sc.Providers[0].Count = 2000
	sc.Providers[0].BidProbability = 10.0 / 500
	sc.Tenants[0].Arrival.RatePerHour = 20000
	b.ReportAllocs()
	var events uint64
	for b.Loop() {
		res, err := Run(sc, Options{})
		if err != nil {
			b.Fatal(err)
		}
		events = res.Summary.Events
	}
	b.ReportMetric(float64(events), "events/op")
}
