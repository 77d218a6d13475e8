package stats

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"pgregory.net/rapid"
)

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

func TestMoments(t *testing.T) {
	for _, tc := range []struct {
		name           string
		xs             []float64
		mean, variance float64
	}{
		{"empty", nil, math.NaN(), math.NaN()},
		{"one", []float64{7}, 7, math.NaN()},
		{"1..4", []float64{1, 2, 3, 4}, 2.5, 5.0 / 3},
		{"constant", []float64{3, 3, 3}, 3, 0},
		{"large offset", []float64{1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16}, 1e9 + 10, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Mean(tc.xs); !near(got, tc.mean, 1e-9) {
				t.Errorf("Mean = %v, want %v", got, tc.mean)
			}
			if got := Variance(tc.xs); !near(got, tc.variance, 1e-9) {
				t.Errorf("Variance = %v, want %v", got, tc.variance)
			}
			if got := StdDev(tc.xs); !near(got, math.Sqrt(tc.variance), 1e-9) {
				t.Errorf("StdDev = %v, want %v", got, math.Sqrt(tc.variance))
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	for _, tc := range []struct {
		name string
		xs   []float64
		p    float64
		want float64
		err  error
	}{
		{"median even", []float64{4, 1, 3, 2}, 50, 2.5, nil},
		{"q1", []float64{1, 2, 3, 4}, 25, 1.75, nil},
		{"min", []float64{3, 1, 2}, 0, 1, nil},
		{"max", []float64{3, 1, 2}, 100, 3, nil},
		{"numpy p40", []float64{15, 20, 35, 40, 50}, 40, 29, nil},
		{"single", []float64{9}, 99, 9, nil},
		{"exact rank", []float64{10, 20, 30, 40, 50}, 75, 40, nil},
		{"empty", nil, 50, 0, ErrEmpty},
		{"p too big", []float64{1}, 101, 0, ErrRange},
		{"p negative", []float64{1}, -1, 0, ErrRange},
		{"p NaN", []float64{1}, math.NaN(), 0, ErrRange},
		{"NaN value", []float64{1, math.NaN()}, 50, 0, ErrNaN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Percentile(tc.xs, tc.p)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err == nil && !near(got, tc.want, 1e-12) {
				t.Errorf("Percentile = %v, want %v", got, tc.want)
			}
		})
	}
	xs := []float64{3, 1, 2}
	_, _ = Percentile(xs, 50)
	if xs[0] != 3 || xs[1] != 1 {
		t.Errorf("Percentile modified its input: %v", xs)
	}
}

func TestTInterval(t *testing.T) {
	// 1..5: mean 3, s = √2.5, t(0.975, 4) = 2.776445 → 3 ± 1.963243.
	// {2.1, 2.5, 1.9, 2.2}: mean 2.175, s = 0.25, se = 0.125,
	// t(0.995, 3) = 5.840909 → 2.175 ± 0.730114.
	for _, tc := range []struct {
		name   string
		xs     []float64
		level  float64
		lo, hi float64
		err    error
	}{
		{"1..5", []float64{1, 2, 3, 4, 5}, 0.95, 1.036757, 4.963243, nil},
		{"99%", []float64{2.1, 2.5, 1.9, 2.2}, 0.99, 1.444886, 2.905114, nil},
		{"constant", []float64{4, 4, 4}, 0.95, 4, 4, nil},
		{"one sample", []float64{1}, 0.95, 0, 0, ErrTooFewSamples},
		{"level 1", []float64{1, 2}, 1, 0, 0, ErrRange},
		{"level 0", []float64{1, 2}, 0, 0, 0, ErrRange},
		{"inf", []float64{1, math.Inf(1)}, 0.95, 0, 0, ErrNaN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iv, err := TInterval(tc.xs, tc.level)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err == nil && (!near(iv.Lo, tc.lo, 5e-6) || !near(iv.Hi, tc.hi, 5e-6)) {
				t.Errorf("TInterval = [%.6f, %.6f], want [%.6f, %.6f]", iv.Lo, iv.Hi, tc.lo, tc.hi)
			}
		})
	}
	if got := TQuantile(0.95, 4); !near(got, 2.776445, 1e-6) {
		t.Errorf("TQuantile(0.95, 4) = %v, want 2.776445", got)
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{1, 2, 3, 4, 5})
	if s.N != 5 || s.Mean != 3 || !near(s.StdDev, math.Sqrt(2.5), 1e-12) || !near(s.Lo, 1.036757, 5e-6) || !near(s.Hi, 4.963243, 5e-6) {
		t.Errorf("Summarize(1..5) = %+v", s)
	}
	one := Summarize([]float64{2})
	if one.N != 1 || one.Mean != 2 || !math.IsNaN(one.StdDev) || !math.IsNaN(one.Lo) || !math.IsNaN(one.Hi) {
		t.Errorf("Summarize({2}) = %+v, want mean 2 and NaN spread", one)
	}
}

// coverage draws `reps` samples of size n from N(mu, sigma²), each from its own
// seeded stream, and returns the share of intervals (half-width crit·s/√n)
// that contain mu.
func coverage(reps, n int, crit func(xs []float64) Interval) float64 {
	const mu, sigma = 5.0, 2.0
	hit := 0
	xs := make([]float64, n)
	for r := range reps {
		rng := rand.New(rand.NewPCG(42, uint64(r)))
		for i := range xs {
			xs[i] = mu + sigma*rng.NormFloat64()
		}
		if crit(xs).Contains(mu) {
			hit++
		}
	}
	return float64(hit) / float64(reps)
}

func TestTIntervalCoverage(t *testing.T) {
	const reps = 4000
	// Binomial sd of the share at p=0.95 is √(0.95·0.05/4000) ≈ 0.0034; the
	// band below is ±4.4 sd, and the draws are seeded, so this never flakes.
	for _, n := range []int{3, 5, 10, 30} {
		got := coverage(reps, n, func(xs []float64) Interval {
			iv, err := TInterval(xs, Level95)
			if err != nil {
				t.Fatal(err)
			}
			return iv
		})
		t.Logf("n=%d: t-interval coverage %.4f over %d replicates", n, got, reps)
		if got < 0.935 || got > 0.965 {
			t.Errorf("n=%d: t-interval covered the mean %.4f of the time, want ≈ 0.95", n, got)
		}
	}
	// The test has teeth: the normal (z = 1.96) interval is too narrow for
	// small samples and must fall visibly short at n = 5 (theory: ≈ 0.878).
	z := coverage(reps, 5, func(xs []float64) Interval {
		half := 1.959964 * StdDev(xs) / math.Sqrt(float64(len(xs)))
		return Interval{Mean(xs) - half, Mean(xs) + half}
	})
	t.Logf("n=5: z-interval coverage %.4f (too narrow, as theory says)", z)
	if z > 0.92 {
		t.Errorf("z-interval at n=5 covered %.4f; the coverage check cannot tell t from z", z)
	}
}

func TestGini(t *testing.T) {
	for _, tc := range []struct {
		name string
		xs   []float64
		want float64
		err  error
	}{
		{"equal", []float64{1, 1, 1, 1}, 0, nil},
		{"one has all", []float64{0, 0, 0, 1}, 0.75, nil},
		{"order free", []float64{1, 0, 0, 0}, 0.75, nil},
		{"1..5", []float64{5, 3, 1, 4, 2}, 4.0 / 15, nil},
		{"all zero", []float64{0, 0}, 0, nil},
		{"single", []float64{3}, 0, nil},
		{"two", []float64{1, 3}, 0.25, nil},
		{"empty", nil, 0, ErrEmpty},
		{"negative", []float64{1, -1}, 0, ErrNegative},
		{"NaN", []float64{math.NaN()}, 0, ErrNaN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Gini(tc.xs)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err == nil && !near(got, tc.want, 1e-12) {
				t.Errorf("Gini = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGiniExact(t *testing.T) {
	ints := func(vs ...int64) []*bigInt {
		out := make([]*bigInt, len(vs))
		for i, v := range vs {
			out[i] = new(bigInt).SetInt64(v)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		xs   []*bigInt
		want string
		err  error
	}{
		{"equal", ints(5, 5, 5, 5), "0", nil},
		{"one has all", ints(0, 0, 0, 7), "3/4", nil},
		{"1..5", ints(5, 3, 1, 4, 2), "4/15", nil},
		{"zeros", ints(0, 0, 0), "0", nil},
		{"empty", nil, "", ErrEmpty},
		{"negative", ints(1, -2), "", ErrNegative},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := GiniExact(tc.xs)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err == nil && got.RatString() != tc.want {
				t.Errorf("GiniExact = %s, want %s", got.RatString(), tc.want)
			}
		})
	}
	// Amounts beyond float64's 53-bit mantissa still come out exact.
	huge, _ := new(bigInt).SetString("1000000000000000000000000000001", 10)
	g, err := GiniExact([]*bigInt{huge, new(bigInt).Add(huge, new(bigInt).SetInt64(1))})
	if err != nil {
		t.Fatal(err)
	}
	// n = 2, values a and a+1: G = 1 / (2·(2a+1)).
	den := new(bigInt).Add(huge, huge)
	den.Add(den, new(bigInt).SetInt64(1))
	den.Lsh(den, 1)
	want := new(big.Rat).SetFrac(new(bigInt).SetInt64(1), den)
	if g.Cmp(want) != 0 {
		t.Errorf("GiniExact(huge, huge+1) = %s, want %s", g.RatString(), want.RatString())
	}
}

type bigInt = big.Int

func TestLorenz(t *testing.T) {
	x, y, err := Lorenz([]float64{1, 0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	wantX := []float64{0, 0.25, 0.5, 0.75, 1}
	wantY := []float64{0, 0, 0, 0, 1}
	for i := range wantX {
		if x[i] != wantX[i] || y[i] != wantY[i] {
			t.Fatalf("Lorenz = %v %v, want %v %v", x, y, wantX, wantY)
		}
	}
	x, y, _ = Lorenz([]float64{0, 0})
	if y[1] != x[1] {
		t.Errorf("all-zero Lorenz should be the diagonal, got %v %v", x, y)
	}
	if _, _, err := Lorenz([]float64{-1}); !errors.Is(err, ErrNegative) {
		t.Errorf("negative: err = %v, want ErrNegative", err)
	}
}

// The Gini coefficient is twice the area between the diagonal and the Lorenz
// curve, and the exact integer form agrees with the float form.
func TestGiniLorenzProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ints := rapid.SliceOfN(rapid.Int64Range(0, 1_000_000), 1, 200).Draw(t, "amounts")
		xs := make([]float64, len(ints))
		bs := make([]*big.Int, len(ints))
		for i, v := range ints {
			xs[i] = float64(v)
			bs[i] = big.NewInt(v)
		}
		g, err := Gini(xs)
		if err != nil {
			t.Fatal(err)
		}
		lx, ly, err := Lorenz(xs)
		if err != nil {
			t.Fatal(err)
		}
		var area float64
		for k := 1; k < len(lx); k++ {
			area += (lx[k] - lx[k-1]) * (ly[k] + ly[k-1]) / 2
		}
		allZero := true
		for _, v := range ints {
			allZero = allZero && v == 0
		}
		if !allZero && !near(g, 1-2*area, 1e-9) {
			t.Fatalf("Gini %v != 1 - 2·area %v", g, 1-2*area)
		}
		ge, err := GiniExact(bs)
		if err != nil {
			t.Fatal(err)
		}
		if f, _ := ge.Float64(); !near(f, g, 1e-9) {
			t.Fatalf("GiniExact %v != Gini %v", f, g)
		}
		if g < 0 || g > 1-1/float64(len(xs))+1e-12 {
			t.Fatalf("Gini %v outside [0, 1-1/n]", g)
		}
	})
}
