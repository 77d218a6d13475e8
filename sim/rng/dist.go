package rng

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/akash-market/akash/sim/engine"
)

// The helpers below panic on impossible parameters (a negative rate, p
// outside [0, 1]): the scenario loader validates user input and reports it
// with the key's name; reaching here with such a value is a program bug.

// Exponential returns the gonum exponential distribution with the given rate
// (mean 1/rate) drawing from src, e.g. a stream from Stream.
func Exponential(src rand.Source, rate float64) distuv.Exponential {
	if !(rate > 0) || math.IsInf(rate, 1) {
		panic(fmt.Sprintf("rng.Exponential: rate %v; want a finite rate > 0", rate))
	}
	return distuv.Exponential{Rate: rate, Src: src}
}

// InterArrival draws the gap to the next arrival of a Poisson process with
// ratePerSecond arrivals per second of virtual time, rounded to the
// nanosecond. Successive gaps from one stream make the process.
func InterArrival(r *rand.Rand, ratePerSecond float64) engine.Duration {
	if !(ratePerSecond > 0) || math.IsInf(ratePerSecond, 1) {
		panic(fmt.Sprintf("rng.InterArrival: rate %v per second; want a finite rate > 0", ratePerSecond))
	}
	return engine.Seconds(r.ExpFloat64() / ratePerSecond)
}

// LogNormal returns the gonum log-normal distribution whose logarithm has
// mean mu and standard deviation sigma, drawing from src.
func LogNormal(src rand.Source, mu, sigma float64) distuv.LogNormal {
	if !(sigma >= 0) || math.IsInf(mu, 0) || math.IsNaN(mu) || math.IsInf(sigma, 1) {
		panic(fmt.Sprintf("rng.LogNormal: mu %v, sigma %v; want finite mu and sigma >= 0", mu, sigma))
	}
	return distuv.LogNormal{Mu: mu, Sigma: sigma, Src: src}
}

// LogNormalMeanStd returns the log-normal distribution with the given mean
// and standard deviation of the value itself (not of its logarithm), which
// is how scenarios state lease lengths and job sizes.
func LogNormalMeanStd(src rand.Source, mean, std float64) distuv.LogNormal {
	if !(mean > 0) || !(std >= 0) || math.IsInf(mean, 1) || math.IsInf(std, 1) {
		panic(fmt.Sprintf("rng.LogNormalMeanStd: mean %v, std %v; want mean > 0 and std >= 0", mean, std))
	}
	cv2 := (std / mean) * (std / mean)
	sigma2 := math.Log1p(cv2)
	return LogNormal(src, math.Log(mean)-sigma2/2, math.Sqrt(sigma2))
}

// UniformInt draws an integer uniformly from [lo, hi], both ends included.
func UniformInt(r *rand.Rand, lo, hi int64) int64 {
	if lo > hi {
		panic(fmt.Sprintf("rng.UniformInt: empty range [%d, %d]; want lo <= hi", lo, hi))
	}
	span := uint64(hi) - uint64(lo) // wraps correctly for any lo <= hi
	if span == math.MaxUint64 {
		return int64(r.Uint64())
	}
	return lo + int64(r.Uint64N(span+1))
}

// Bernoulli reports true with probability p.
func Bernoulli(r *rand.Rand, p float64) bool {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("rng.Bernoulli: p %v; want 0 <= p <= 1", p))
	}
	return r.Float64() < p
}
