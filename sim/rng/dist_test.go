package rng_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/akash-market/akash/sim/engine"
	"github.com/akash-market/akash/sim/rng"
)

const samples = 200_000

func sample(n int, draw func() float64) (mean, std float64) {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = draw()
	}
	return stat.MeanStdDev(xs, nil)
}

// within checks got against want with a tolerance of k standard errors.
func within(t *testing.T, what string, got, want, stdErr float64) {
	t.Helper()
	if math.Abs(got-want) > 5*stdErr {
		t.Errorf("%s = %.5g, want %.5g ± %.3g (5 standard errors)", what, got, want, 5*stdErr)
	}
}

func TestDistributionsDrawFromTheStream(t *testing.T) {
	r := rng.Stream(1, 1, "dist")
	n := float64(samples)

	m, _ := sample(samples, rng.Exponential(r, 4).Rand)
	within(t, "Exponential(rate 4) mean", m, 0.25, 0.25/math.Sqrt(n))

	m, sd := sample(samples, rng.LogNormalMeanStd(r, 10, 5).Rand)
	within(t, "LogNormalMeanStd(10, 5) mean", m, 10, 5/math.Sqrt(n))
	within(t, "LogNormalMeanStd(10, 5) std", sd, 5, 0.2) // loose: the std's standard error is heavy-tailed

	m, _ = sample(samples, func() float64 { return rng.InterArrival(r, 2).Seconds() })
	within(t, "InterArrival(2/s) mean seconds", m, 0.5, 0.5/math.Sqrt(n))

	m, _ = sample(samples, func() float64 {
		if rng.Bernoulli(r, 0.3) {
			return 1
		}
		return 0
	})
	within(t, "Bernoulli(0.3) frequency", m, 0.3, math.Sqrt(0.3*0.7/n))

	counts := make([]int, 6)
	for range samples {
		v := rng.UniformInt(r, -2, 3)
		if v < -2 || v > 3 {
			t.Fatalf("UniformInt(-2, 3) = %d, outside the range", v)
		}
		counts[v+2]++
	}
	for i, c := range counts {
		within(t, "UniformInt(-2, 3) frequency of "+string(rune('0'+i)), float64(c)/n, 1.0/6, math.Sqrt(1.0/6*5/6/n))
	}
}

// A distribution drawing from a stream is as reproducible as the stream.
func TestDistributionsAreReproducible(t *testing.T) {
	a := rng.LogNormal(rng.Stream(3, 4, "x"), 0, 1)
	b := rng.LogNormal(rng.Stream(3, 4, "x"), 0, 1)
	for i := range 1000 {
		if x, y := a.Rand(), b.Rand(); x != y {
			t.Fatalf("draw %d differs: %v vs %v", i, x, y)
		}
	}
}

func TestUniformIntEdges(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	if v := rng.UniformInt(r, 5, 5); v != 5 {
		t.Fatalf("UniformInt(5, 5) = %d, want 5", v)
	}
	// The full int64 range must not overflow.
	neg := false
	for range 64 {
		if rng.UniformInt(r, math.MinInt64, math.MaxInt64) < 0 {
			neg = true
		}
	}
	if !neg {
		t.Fatal("UniformInt over the full int64 range never drew a negative number in 64 draws")
	}
}

func TestBadParametersPanic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name string
		f    func()
	}{
		{"Exponential rate 0", func() { rng.Exponential(r, 0) }},
		{"InterArrival rate NaN", func() { rng.InterArrival(r, math.NaN()) }},
		{"LogNormal sigma < 0", func() { rng.LogNormal(r, 0, -1) }},
		{"LogNormalMeanStd 0", func() { rng.LogNormalMeanStd(r, 0, 1) }},
		{"UniformInt empty", func() { rng.UniformInt(r, 2, 1) }},
		{"Bernoulli p > 1", func() { rng.Bernoulli(r, 1.5) }},
	}
	for _, tc := range tests {
		name, f := tc.name, tc.f
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

var sinkDuration engine.Duration

func BenchmarkInterArrival(b *testing.B) {
	r := rng.Stream(1, 2, "bench")
	b.ReportAllocs()
	for b.Loop() {
		sinkDuration = rng.InterArrival(r, 10)
	}
}

var sinkFloat float64

func BenchmarkDistuvExponential(b *testing.B) {
	d := rng.Exponential(rng.Stream(1, 2, "bench"), 10)
	b.ReportAllocs()
	for b.Loop() {
		sinkFloat = d.Rand()
	}
}
