package sim

import (
	"testing"
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
