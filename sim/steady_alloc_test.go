package sim

import (
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"testing"

	"github.com/akash-market/akash/sim/engine"
)

// SteadyRun builds the world for sc, runs the first warm share of its
// simulated time (the queue, the pools and the tables reach their working
// size), then runs the rest and returns the allocations and events of that
// rest: the steady state's cost. With profile set it writes the rest's
// allocations there (a heap profile, every allocation sampled).
func SteadyRun(tb testing.TB, sc *Scenario, warm float64, profile string) (allocs, events uint64) {
	tb.Helper()
	if profile != "" {
		runtime.MemProfileRate = 0
	}
	w, err := NewWorld(sc, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	endT := w.clock.TimeOf(engine.Height(w.end))
	w.eng.RunUntil(engine.Time(float64(endT) * warm))
	if w.err != nil {
		tb.Fatal(w.err)
	}
	if profile != "" {
		runtime.MemProfileRate = 1
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ev0 := w.eng.Stats().Fired
	w.eng.RunUntil(endT)
	ev1 := w.eng.Stats().Fired
	runtime.ReadMemStats(&after)
	if profile != "" {
		runtime.GC() // the profile shows allocations as of the last collection
		f, err := os.Create(profile)
		if err != nil {
			tb.Fatal(err)
		}
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			tb.Fatal(err)
		}
		f.Close()
	}
	if w.err != nil {
		tb.Fatal(w.err)
	}
	return after.Mallocs - before.Mallocs, ev1 - ev0
}

// TestSteadyStateAllocations: past its first half, the small scenario's
// run (arrivals, bids, closes, leases, withdrawals, deployments finishing
// and their records reused) allocates almost nothing per event. What is
// left (docs/simulator.md) is the order book's requirement index, which
// rebuilds a bucket whenever every order of one region has closed, the
// time series' rows and slices still growing to their peak.
// SIM_STEADY_PROFILE=file writes the allocations of that half.
func TestSteadyStateAllocations(t *testing.T) {
	allocs, events := SteadyRun(t, smallScenario(), 0.5, os.Getenv("SIM_STEADY_PROFILE"))
	per := float64(allocs) / float64(events)
	t.Logf("steady state: %d allocations over %d events (%.4f per event)", allocs, events, per)
	if per > 0.12 { // 0.57 before records were reused
		t.Errorf("%.3f allocations per event in steady state; want at most 0.12 (profile with SIM_STEADY_PROFILE=file)", per)
	}
}

// BenchmarkSteadySmallDay times the second half of the small scenario's
// run, after a first half that brings the world to its working size:
// allocs/op over events/op is the steady state's allocations per event.
func BenchmarkSteadySmallDay(b *testing.B) { BenchSteady(b, smallScenario) }

// BenchSteady runs sc's second half per iteration (the first half
// untimed) and reports events/op, allocs/event and events/s.
func BenchSteady(b *testing.B, sc func() *Scenario) {
	b.ReportAllocs()
	var events, allocs uint64
	var cpu int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w, err := NewWorld(sc(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		endT := w.clock.TimeOf(engine.Height(w.end))
		w.eng.RunUntil(endT / 2)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		ev0 := w.eng.Stats().Fired
		b.StartTimer()
		cpu0 := cpuNanos()
		w.eng.RunUntil(endT)
		cpu += cpuNanos() - cpu0
		b.StopTimer()
		runtime.ReadMemStats(&m1)
		if w.err != nil {
			b.Fatal(w.err)
		}
		events += w.eng.Stats().Fired - ev0
		allocs += m1.Mallocs - m0.Mallocs
		b.StartTimer()
	}
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
	b.ReportMetric(float64(allocs)/float64(events), "allocs/event")
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	// Per CPU second of the process (the collector's included): on a
	// shared machine the wall time also counts waiting for a core.
	b.ReportMetric(float64(events)/(float64(cpu)/1e9), "events/cpu-s")
}

// cpuNanos is the process's user and system CPU time.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
