package engine_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/akash-market/akash/sim/engine"
)

// mmcTheory returns the mean number in system L and mean time in system W of
// an M/M/c queue (Erlang C). For c = 1 it is L = ρ/(1−ρ), W = 1/(μ−λ).
func mmcTheory(c int, lambda, mu float64) (l, w float64) {
	a := lambda / mu
	rho := a / float64(c)
	sum, term := 0.0, 1.0 // term = a^k / k!
	for k := range c {
		if k > 0 {
			term *= a / float64(k)
		}
		sum += term
	}
	tail := term * a / float64(c) / (1 - rho) // a^c / (c! (1−ρ))
	pWait := tail / (sum + tail)
	lq := pWait * rho / (1 - rho)
	l = lq + a
	return l, l / lambda
}

// The engine's queue agrees with queueing theory: over 30 independent
// replicates (seeds 1..30), the theoretical L and W lie inside the 95%
// Student-t confidence interval of the replicate means, and the interval is
// narrow enough (< 5% of the value) that agreement means something.
func TestQueueAgreesWithTheory(t *testing.T) {
	const reps = 30
	tests := []struct {
		name       string
		c          int
		lambda, mu float64
		horizon    engine.Duration
	}{
		{"M/M/1 rho=0.5", 1, 0.5, 1, 20_000 * engine.Second},
		{"M/M/1 rho=0.8", 1, 0.8, 1, 50_000 * engine.Second},
		{"M/M/3 rho=2/3", 3, 2, 1, 10_000 * engine.Second},
	}
	tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: reps - 1}.Quantile(0.975)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ls := make([]float64, reps)
			ws := make([]float64, reps)
			for i := range reps {
				q := newMMC(uint64(i+1), tc.c, tc.lambda, tc.mu, 0, engine.Time(1000*engine.Second))
				ls[i], ws[i], _ = q.run(tc.horizon)
			}
			wantL, wantW := mmcTheory(tc.c, tc.lambda, tc.mu)
			for _, m := range []struct {
				what string
				xs   []float64
				want float64
			}{{"L (mean number in system)", ls, wantL}, {"W (mean time in system, s)", ws, wantW}} {
				mean, sd := stat.MeanStdDev(m.xs, nil)
				half := tq * sd / math.Sqrt(reps)
				t.Logf("%s: %.4f ± %.4f (95%% CI), theory %.4f", m.what, mean, half, m.want)
				if math.Abs(mean-m.want) > half {
					t.Errorf("%s: theory %.4f outside the 95%% CI %.4f ± %.4f", m.what, m.want, mean, half)
				}
				if half > 0.05*m.want {
					t.Errorf("%s: CI half-width %.4f is over 5%% of %.4f; the check would be too weak", m.what, half, m.want)
				}
			}
		})
	}
}

func TestMMCTheoryKnownValues(t *testing.T) {
	// M/M/1: L = ρ/(1−ρ), W = 1/(μ−λ).
	if l, w := mmcTheory(1, 0.5, 1); math.Abs(l-1) > 1e-12 || math.Abs(w-2) > 1e-12 {
		t.Fatalf("M/M/1 ρ=0.5: L=%v W=%v, want 1 and 2", l, w)
	}
	// M/M/2 with λ=1, μ=1: P(wait)=1/3, Lq=1/3, L=4/3.
	if l, _ := mmcTheory(2, 1, 1); math.Abs(l-4.0/3) > 1e-12 {
		t.Fatalf("M/M/2 λ=μ=1: L=%v, want 4/3", l)
	}
}
