package sim

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
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
	w, endT := warmWorld(tb, sc, warm)
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

// SteadyAllocs are the allocations of a steady state (SteadyAllocSites),
// by whose code made them: the innermost frame of this module on the
// allocation's stack decides.
type SteadyAllocs struct {
	Events uint64
	// Sim: sim's own code (the world, the engine, the streams), except
	// Joins: a provider joining (World.newProvider: its record, streams,
	// address), which is growth of the market, not a steady event.
	Sim, Joins int64
	// Core: core's rules (the order book, escrow, stake), except
	// Explanation: an unmatched order's market.Result.Explanation text.
	Core, Explanation int64
	// Runtime: stacks without a frame of this module (the runtime's own,
	// the collector's workers).
	Runtime  int64
	SimSites []string // where Sim's were made, for the failure message
}

// SteadyAllocSites runs sc like SteadyRun, recording every allocation of the
// part after warm with its stack, and counts them by owner.
func SteadyAllocSites(tb testing.TB, sc *Scenario, warm float64) SteadyAllocs {
	tb.Helper()
	defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
	runtime.MemProfileRate = 0
	w, endT := warmWorld(tb, sc, warm)
	before := memRecords()
	runtime.MemProfileRate = 1
	ev0 := w.eng.Stats().Fired
	w.eng.RunUntil(endT)
	ev1 := w.eng.Stats().Fired
	runtime.MemProfileRate = 0
	after := memRecords()
	if w.err != nil {
		tb.Fatal(w.err)
	}
	out := SteadyAllocs{Events: ev1 - ev0}
	const module = "github.com/akash-market/akash/"
	for stack, n := range after {
		n -= before[stack]
		if n <= 0 {
			continue
		}
		owner, site, explanation, join := "", "", false, false
		frames := runtime.CallersFrames(trimStack(stack[:]))
		for {
			f, more := frames.Next()
			fn := f.Function
			explanation = explanation || strings.HasSuffix(fn, "core/market.explainUnmatched")
			join = join || strings.HasSuffix(fn, "sim.(*World).newProvider")
			if owner == "" && strings.HasPrefix(fn, module) {
				owner, site = strings.TrimPrefix(fn, module), fmt.Sprintf("%s:%d", f.File, f.Line)
			}
			if !more {
				break
			}
		}
		switch {
		case explanation:
			out.Explanation += n
		case owner == "" || owner == "sim.memRecords": // the profile's own (sampled as the rate goes back to 0)
			out.Runtime += n
		case strings.HasPrefix(owner, "core/"):
			out.Core += n
		case join:
			out.Joins += n
		default:
			out.Sim += n
			out.SimSites = append(out.SimSites, fmt.Sprintf("%d at %s (%s)", n, owner, site))
		}
	}
	return out
}

// memRecords is the allocation profile so far (as of a collection it
// runs), as objects allocated by stack.
func memRecords() map[[32]uintptr]int64 {
	runtime.GC()
	n, _ := runtime.MemProfile(nil, true)
	for {
		recs := make([]runtime.MemProfileRecord, n+64)
		m, ok := runtime.MemProfile(recs, true)
		if !ok {
			n = m
			continue
		}
		out := make(map[[32]uintptr]int64, m)
		for _, r := range recs[:m] {
			out[r.Stack0] += r.AllocObjects
		}
		return out
	}
}

func trimStack(s []uintptr) []uintptr {
	for i, pc := range s {
		if pc == 0 {
			return s[:i]
		}
	}
	return s
}

// TestSteadyStateAllocations: past its first half, the small scenario's
// run (arrivals, bids, closes, leases, withdrawals, outages, deployments
// finishing and their records reused, providers joining and leaving)
// allocates nothing at all: every structure that grows with the market is
// sized from the scenario (World.presize; in core, OrderBook.Reserve and
// StakeBook.Reserve), and a new provider takes its class's slab.
// SIM_STEADY_PROFILE=file writes the allocations of that half for pprof.
func TestSteadyStateAllocations(t *testing.T) {
	if out := os.Getenv("SIM_STEADY_PROFILE"); out != "" {
		allocs, events := SteadyRun(t, smallScenario(), 0.5, out)
		t.Logf("steady state: %d allocations over %d events (%.4f per event)", allocs, events, float64(allocs)/float64(events))
	}
	CheckSteadyAllocs(t, SteadyAllocSites(t, smallScenario(), 0.5), 0)
}

// CheckSteadyAllocs fails if sim's own code or a provider joining
// allocated in a steady state (a), or if core's allocations or the
// Result.Explanation texts exceed coreMax per event (0: none at all); it
// logs every count. The runtime's own (the collector's) are not counted.
func CheckSteadyAllocs(t *testing.T, a SteadyAllocs, coreMax float64) {
	t.Helper()
	per := func(n int64) float64 { return float64(n) / float64(a.Events) }
	t.Logf("steady state over %d events: sim %d, provider joins %d, core %d (%.4f per event), Result.Explanation %d (%.4f per event), runtime %d",
		a.Events, a.Sim, a.Joins, a.Core, per(a.Core), a.Explanation, per(a.Explanation), a.Runtime)
	if a.Sim != 0 {
		t.Errorf("sim's code allocated %d times in steady state; want 0 (size the structure from the scenario, World.presize):\n%s",
			a.Sim, strings.Join(a.SimSites, "\n"))
	}
	if a.Joins != 0 {
		t.Errorf("a provider joining allocated %d times in steady state; want 0 (its record, streams and lists come from its class's slab)", a.Joins)
	}
	if per(a.Core) > coreMax {
		t.Errorf("core allocated %.4f times per event in steady state; want at most %.4f (SIM_STEADY_PROFILE=file shows where)", per(a.Core), coreMax)
	}
	if per(a.Explanation) > coreMax {
		t.Errorf("Result.Explanation allocated %.4f times per event in steady state; want at most %.4f", per(a.Explanation), coreMax)
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

// warmWorld builds the world for sc and runs the first warm share of its
// simulated time; it returns the world and the run's end.
func warmWorld(tb testing.TB, sc *Scenario, warm float64) (*World, engine.Time) {
	tb.Helper()
	w, err := NewWorld(sc, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	endT := w.clock.TimeOf(engine.Height(w.end))
	w.eng.RunUntil(engine.Time(float64(endT) * warm))
	return w, endT
}
