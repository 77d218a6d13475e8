package market

import (
	"errors"
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

// TestCost: one rounding rule, up: each term to the atto-unit, the total to
// the micro-unit grid (CostQuantum).
func TestCost(t *testing.T) {
	d := money.MustParseDec
	r := Rates{CPU: d("10"), Memory: d("2"), Storage: d("0.1"), GPU: d("100"), Bandwidth: d("0.5")}
	for _, c := range []struct {
		name     string
		t        manifest.Totals
		resource string // ResourceCost
		cost     string // Cost: on the grid
		ppm      uint64
		provider string // ProviderCost(ResourceCost, ppm)
	}{
		{"nothing costs nothing", manifest.Totals{}, "0", "0", 700_000, "0"},
		{"one core", manifest.Totals{CPUMillis: 1000}, "10", "10", 700_000, "7"},
		{"one milli", manifest.Totals{CPUMillis: 1}, "0.01", "0.01", 333_333, "0.003334"}, // 0.00333333 up
		{"512 MiB", manifest.Totals{MemoryBytes: 512 << 20}, "1", "1", 1_000_000, "1"},
		{"10 GiB storage", manifest.Totals{StorageBytes: 10 << 30}, "1", "1", 2_000_000, "2"},
		{"2 gpus", manifest.Totals{GPUUnits: 2}, "200", "200", 500_000, "100"},
		{"1 MiB/s", manifest.Totals{BandwidthBps: 1 << 20}, "0.5", "0.5", 1_000_000, "0.5"},
		{"sum", manifest.Totals{CPUMillis: 1500, MemoryBytes: 1 << 30, StorageBytes: 1 << 30, GPUUnits: 1, BandwidthBps: 2 << 20}, "118.1", "118.1", 900_000, "106.29"},
		// 2 / 2^30 = 1.862645149230957031e-9: up to the atto, then up to the micro.
		{"one byte rounds up", manifest.Totals{MemoryBytes: 1}, "0.000000001862645150", "0.000001", 1, "0.000001"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := r.ResourceCost(c.t)
			if err != nil || !res.Equal(d(c.resource)) {
				t.Fatalf("ResourceCost = %s, %v; want %s", res, err, c.resource)
			}
			cost, err := r.Cost(c.t)
			if err != nil || !cost.Equal(d(c.cost)) {
				t.Fatalf("Cost = %s, %v; want %s", cost, err, c.cost)
			}
			pc, err := ProviderCost(res, c.ppm)
			if err != nil || !pc.Equal(d(c.provider)) {
				t.Fatalf("ProviderCost(%s, %d ppm) = %s, %v; want %s", res, c.ppm, pc, err, c.provider)
			}
			exact, _ := res.MulFrac(c.ppm, 1_000_000)
			if pc.Less(exact) {
				t.Fatalf("ProviderCost %s is below the exact cost %s", pc, exact)
			}
			if _, rem := pc.QuoInt(CostQuantum); !rem.IsZero() {
				t.Fatalf("ProviderCost %s is off the cost grid", pc)
			}
		})
	}
}

// TestCostOverflow: a cost that does not fit is an error naming the
// dimension, never a term dropped.
func TestCostOverflow(t *testing.T) {
	huge := money.MustParseDec("100000000000000000000000000000000000000000000000000000000")
	r := Rates{GPU: huge}
	_, err := r.ResourceCost(manifest.Totals{GPUUnits: 1 << 62})
	if !errors.Is(err, money.ErrOverflow) || err.Error() != "cost of gpu 4611686018427387904 at "+huge.ShortString()+" per 1: "+money.ErrOverflow.Error() {
		t.Fatalf("err = %v", err)
	}
	r = Rates{CPU: huge, Memory: huge}
	if _, err := r.Cost(manifest.Totals{CPUMillis: 1 << 40, MemoryBytes: 1 << 62}); !errors.Is(err, money.ErrOverflow) {
		t.Fatalf("sum overflow: %v", err)
	}
	max := money.MustParseDec("115792089237316195423570985008687907853269984665640564039457.584007913129639935") // 2^256 − 1 atto
	if _, err := ProviderCost(max, 2_000_000); !errors.Is(err, money.ErrOverflow) {
		t.Fatalf("ProviderCost overflow: %v", err)
	}
	if _, err := ProviderCost(max, 1_000_000); !errors.Is(err, money.ErrOverflow) { // exact, but off the grid: rounding up overflows
		t.Fatalf("ProviderCost overflow: %v", err)
	}
}

// TestCapacity: reserve, commit, unreserve, release keep
// Reserved + Committed ≤ Total; what cannot be done changes nothing and says
// which dimension and by how much.
func TestCapacity(t *testing.T) {
	gi := uint64(1 << 30)
	c := Capacity{Total: manifest.Totals{CPUMillis: 4000, MemoryBytes: 8 * gi}}
	web := manifest.Totals{CPUMillis: 1000, MemoryBytes: 2 * gi}
	steps := []struct {
		name string
		do   func() error
		err  error
		msg  string
		free manifest.Totals
	}{
		{"reserve", func() error { return c.Reserve(web) }, nil, "", manifest.Totals{CPUMillis: 3000, MemoryBytes: 6 * gi}},
		{"reserve again", func() error { return c.Reserve(web) }, nil, "", manifest.Totals{CPUMillis: 2000, MemoryBytes: 4 * gi}},
		{"too much memory", func() error { return c.Reserve(manifest.Totals{CPUMillis: 1, MemoryBytes: 5 * gi}) }, ErrNoRoom,
			"not enough free capacity: memory needs 5368709120, 4294967296 free", manifest.Totals{CPUMillis: 2000, MemoryBytes: 4 * gi}},
		{"a gpu it does not have", func() error { return c.Reserve(manifest.Totals{GPUUnits: 1}) }, ErrNoRoom,
			"not enough free capacity: gpu needs 1, 0 free", manifest.Totals{CPUMillis: 2000, MemoryBytes: 4 * gi}},
		{"commit one", func() error { return c.Commit(web) }, nil, "", manifest.Totals{CPUMillis: 2000, MemoryBytes: 4 * gi}},
		{"unreserve the other", func() error { return c.Unreserve(web) }, nil, "", manifest.Totals{CPUMillis: 3000, MemoryBytes: 6 * gi}},
		{"unreserve with nothing reserved", func() error { return c.Unreserve(web) }, ErrNotHeld,
			"unreserve: releases more than is held (resource total would go below zero: cpu 0 − 1000)", manifest.Totals{CPUMillis: 3000, MemoryBytes: 6 * gi}},
		{"commit with nothing reserved", func() error { return c.Commit(web) }, ErrNotHeld, "", manifest.Totals{CPUMillis: 3000, MemoryBytes: 6 * gi}},
		{"release the lease", func() error { return c.Release(web) }, nil, "", c.Total},
		{"release twice", func() error { return c.Release(web) }, ErrNotHeld, "", c.Total},
	}
	for _, s := range steps {
		err := s.do()
		if !errors.Is(err, s.err) || (s.err == nil) != (err == nil) || (s.msg != "" && err.Error() != s.msg) {
			t.Fatalf("%s: err = %v, want %v %q", s.name, err, s.err, s.msg)
		}
		if got := c.Free(); got != s.free {
			t.Fatalf("%s: free %+v, want %+v", s.name, got, s.free)
		}
		if used := c.Used(); !used.FitsIn(&c.Total) {
			t.Fatalf("%s: used %+v exceeds total %+v", s.name, used, c.Total)
		}
	}
	var se *ShortError
	if err := c.Reserve(manifest.Totals{BandwidthBps: 1}); !errors.As(err, &se) || se.Dim != manifest.DimBandwidth || se.Need != 1 || se.Free != 0 {
		t.Fatalf("ShortError = %+v (%v)", se, err)
	}
}

// TestResourceReasonsFollowDimensions: eligibility names a short resource by
// the Reason whose name is the manifest.Dimension's.
func TestResourceReasonsFollowDimensions(t *testing.T) {
	for _, d := range manifest.Dimensions() {
		var need, have manifest.Totals
		switch d {
		case manifest.DimCPU:
			need.CPUMillis = 1
		case manifest.DimMemory:
			need.MemoryBytes = 1
		case manifest.DimStorage:
			need.StorageBytes = 1
		case manifest.DimGPU:
			need.GPUUnits = 1
		case manifest.DimBandwidth:
			need.BandwidthBps = 1
		}
		if r := checkResources(&need, &have); r.String() != d.String() {
			t.Errorf("short %s: reason %s", d, r)
		}
		if r := checkResources(&have, &need); r != ReasonNone {
			t.Errorf("enough %s: reason %s", d, r)
		}
	}
}

// providerCostGeneral is ProviderCost's rule as its general path computes
// it: the multiplier rounded up to the atto-unit, then up to the grid.
func providerCostGeneral(ref money.Dec, m uint64) (money.Dec, error) {
	v, err := ref.MulFracCeil(m, ppm)
	if err == nil {
		v, err = v.CeilTo(CostQuantum)
	}
	return v, err
}

// checkProviderCost128: wherever the machine-word path answers, it answers
// what the general path does.
func checkProviderCost128(t *testing.T, lo, hi, m uint64) {
	t.Helper()
	ref := money.DecFromUint128(lo, hi)
	got, ok := providerCost128(&ref, m)
	if !ok {
		return
	}
	want, err := providerCostGeneral(ref, m)
	if err != nil || !got.Equal(want) {
		t.Fatalf("ProviderCost(%s atto, %d ppm): machine words %s, general %s (%v)", ref.Atto(), m, got.Atto(), want.Atto(), err)
	}
}

func TestProviderCost128(t *testing.T) {
	edges := []uint64{0, 1, 2, 999_999, 1_000_000, 1_000_001, CostQuantum - 1, CostQuantum, CostQuantum + 1,
		(ppm * CostQuantum) - 1, (ppm * CostQuantum), (ppm * CostQuantum) + 1, 1 << 32, 1<<63 - 1, 1 << 63, ^uint64(0) - 1, ^uint64(0)}
	for _, lo := range edges {
		for _, hi := range []uint64{0, 1, 1 << 20, 1 << 40, (ppm * CostQuantum) - 1, ^uint64(0)} {
			for _, m := range edges {
				checkProviderCost128(t, lo, hi, m)
			}
		}
	}
	// Random operands in the ranges a market uses (ref up to 2^80 atto,
	// multipliers up to 10×) and beyond.
	x := uint64(0x9E3779B97F4A7C15)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	answered := 0
	for i := 0; i < 200_000; i++ {
		lo, hi, m := next(), next()>>(48+i%16), next()>>(40+i%24)
		checkProviderCost128(t, lo, hi, m)
		ref := money.DecFromUint128(lo, hi)
		if _, ok := providerCost128(&ref, m); ok {
			answered++
		}
	}
	if answered < 100_000 {
		t.Fatalf("the machine-word path answered %d of 200,000 market-sized costs", answered)
	}
}

func FuzzProviderCost128(f *testing.F) {
	f.Add(uint64(5_000_000_000_000_000), uint64(0), uint64(700_000))
	f.Fuzz(func(t *testing.T, lo, hi, m uint64) { checkProviderCost128(t, lo, hi, m) })
}

func BenchmarkProviderCost(b *testing.B) {
	ref := money.MustParseDec("12.345678901234567891")
	for i := 0; i < b.N; i++ {
		_, _ = ProviderCost(ref, 700_001+uint64(i&1023))
	}
}
