package tiers

import (
	"math"
	"time"

	"github.com/akash-market/akash/core/policy"
	"github.com/akash-market/akash/sim"
)

// LatencyMatrix returns the round trip between every pair of regions, in
// microseconds (core/policy's unit; a duration that is not a whole number
// of µs is rounded to the nearest, half up), indexed like names (the world's sorted Regions()). The
// scenario's Region.Latency is read as symmetric: a pair given in one
// direction only holds both ways; given both ways, the larger counts; not
// given at all, sim.DefaultLatency — except a region to itself, which is 0
// when not given (users next to their replica).
func LatencyMatrix(regions []sim.Region, names []string) [][]int64 {
	given := map[[2]string]time.Duration{}
	for _, r := range regions {
		for to, d := range r.Latency {
			k := pairKey(r.Name, to)
			given[k] = max(given[k], time.Duration(d))
		}
	}
	m := make([][]int64, len(names))
	for i, a := range names {
		m[i] = make([]int64, len(names))
		for j, b := range names {
			d, ok := given[pairKey(a, b)]
			switch {
			case ok:
			case i == j:
				d = 0
			default:
				d = sim.DefaultLatency
			}
			m[i][j] = micros(d)
		}
	}
	return m
}

// micros is d in whole microseconds, rounded half up (d ≥ 0).
func micros(d time.Duration) int64 { return int64((d + time.Microsecond/2) / time.Microsecond) }

// millis is the matrix in milliseconds, for the metrics (the same floats
// as the nanoseconds ÷ 1e6 for whole microseconds: both are the one
// correctly rounded quotient).
func millis(us [][]int64) [][]float64 {
	m := make([][]float64, len(us))
	for i, row := range us {
		m[i] = make([]float64, len(row))
		for j, x := range row {
			m[i][j] = float64(x) / 1000
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

// userUnits is x users in core/policy's unit (thousandths), rounded to the
// nearest, half away from zero.
func userUnits(x float64) int64 { return int64(math.Round(x * policy.UserScale)) }

// Load is a diurnal load curve at simulated time t (nanoseconds from the
// start, which is midnight UTC): Peak at PeakAt, Peak × (1 − Amplitude) at
// the trough twelve hours later, a cosine in between.
func Load(d sim.DiurnalLoad, t time.Duration) float64 {
	phase := 2 * math.Pi * float64(t-time.Duration(d.PeakAt)) / float64(24*time.Hour)
	return d.Peak * (1 - d.Amplitude*(1-math.Cos(phase))/2)
}
