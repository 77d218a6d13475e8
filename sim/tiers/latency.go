package tiers

import (
	"math"
	"time"

	"github.com/akash-market/akash/sim"
)

// LatencyMatrix returns the round trip between every pair of regions, in
// milliseconds, indexed like names (the world's sorted Regions()). The
// scenario's Region.Latency is read as symmetric: a pair given in one
// direction only holds both ways; given both ways, the larger counts; not
// given at all, sim.DefaultLatency — except a region to itself, which is 0
// when not given (users next to their replica).
func LatencyMatrix(regions []sim.Region, names []string) [][]float64 {
	given := map[[2]string]time.Duration{}
	for _, r := range regions {
		for to, d := range r.Latency {
			k := pairKey(r.Name, to)
			given[k] = max(given[k], time.Duration(d))
		}
	}
	m := make([][]float64, len(names))
	for i, a := range names {
		m[i] = make([]float64, len(names))
		for j, b := range names {
			d, ok := given[pairKey(a, b)]
			switch {
			case ok:
			case i == j:
				d = 0
			default:
				d = sim.DefaultLatency
			}
			m[i][j] = float64(d) / float64(time.Millisecond)
		}
	}
	return m
}

func pairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// Load is a diurnal load curve at simulated time t (nanoseconds from the
// start, which is midnight UTC): Peak at PeakAt, Peak × (1 − Amplitude) at
// the trough twelve hours later, a cosine in between.
func Load(d sim.DiurnalLoad, t time.Duration) float64 {
	phase := 2 * math.Pi * float64(t-time.Duration(d.PeakAt)) / float64(24*time.Hour)
	return d.Peak * (1 - d.Amplitude*(1-math.Cos(phase))/2)
}
