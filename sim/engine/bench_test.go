package engine_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"syscall"
	"testing"

	"github.com/akash-market/akash/sim/engine"
)

// rescheduler is a small pooled event: when it fires it schedules itself
// again after the next delay from a precomputed table, so the benchmark
// measures the queue, not the random number generator.
type rescheduler struct {
	delays []engine.Duration
	i      int
}

func (r *rescheduler) Fire(s *engine.Sim) {
	r.i++
	s.After(r.delays[r.i&(len(r.delays)-1)], r)
}

// BenchmarkScheduleFire measures one schedule plus one fire per iteration
// with a steady-state queue of `pending` events: every fired event schedules
// one new event at an exponentially distributed delay, so the queue size
// stays constant and new events land at random depths of the heap.
func BenchmarkScheduleFire(b *testing.B) {
	for _, pending := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("pending=%d", pending), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			delays := make([]engine.Duration, 1<<12)
			for i := range delays {
				// Mean inter-event gap of 1 µs per pending event keeps the
				// queue's time spread proportional to its size.
				delays[i] = engine.Seconds(r.ExpFloat64() * float64(pending) * 1e-6)
			}
			s := engine.New()
			s.Grow(pending + 1)
			h := &rescheduler{delays: delays}
			for i := range pending {
				s.After(delays[(i*7)&(len(delays)-1)], h)
			}
			// Warm up so the heap shape is the steady state, not the initial one.
			for range pending * 4 {
				s.Step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			stepMeasured(b, s)
			if s.Pending() != pending {
				b.Fatalf("pending = %d after the run, want %d", s.Pending(), pending)
			}
		})
	}
}

// cpuTime returns the process's user+system CPU time in nanoseconds.
// stepMeasured steps s once per benchmark iteration and reports the CPU
// time per event next to the wall time that ns/op reports: on a shared
// machine the wall time includes waiting for a core.
func stepMeasured(b *testing.B, s *engine.Sim) {
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		s.Step()
		n++
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/op")
}

func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkScheduleFireDistinct is BenchmarkScheduleFire with one handler
// value per pending event, as in a simulation where every agent is its own
// handler: firing then also touches that agent's memory, which at 10^5
// agents is a cache miss the engine cannot avoid.
func BenchmarkScheduleFireDistinct(b *testing.B) {
	const pending = 100_000
	r := rand.New(rand.NewPCG(1, 2))
	delays := make([]engine.Duration, 1<<12)
	for i := range delays {
		delays[i] = engine.Seconds(r.ExpFloat64() * float64(pending) * 1e-6)
	}
	s := engine.New()
	s.Grow(pending + 1)
	hs := make([]rescheduler, pending)
	for i := range hs {
		hs[i] = rescheduler{delays: delays, i: i * 7}
		s.After(delays[(i*7)&(len(delays)-1)], &hs[i])
	}
	for range pending * 4 {
		s.Step()
	}
	b.ReportAllocs()
	stepMeasured(b, s)
}

// simMix is the simulator's event mix at the scale of the large scenario
// (sim's BenchmarkLargeScenario), with handlers that do nothing else: a
// block every 6 s in the front lane; an hourly withdrawal per provider, all
// providers on the same instants (they join at time 0); tenant arrivals
// (Poisson, 6,000 an hour), each scheduling a dozen bids 1–12 s ahead and a
// lease end about 4 h ahead (lognormal), all drawn from precomputed tables.
type simMix struct {
	bids, ends []Duration
	gaps       []Duration
	i          int
	// cancel: every fourth arrival cancels the previous arrival's lease
	// end (a deployment closed early), so cancelled events always wait in
	// the queue and firing checks each event's slot, as in the simulator.
	cancel bool
	last   engine.EventID
}

type Duration = engine.Duration

type mixBlock struct{}

func (mixBlock) Fire(s *engine.Sim) { s.AtFront(s.Now()+engine.Time(6*engine.Second), mixBlock{}) }

type mixWithdraw struct{}

func (h *mixWithdraw) Fire(s *engine.Sim) { s.After(engine.Hour, h) }

func (m *simMix) Fire(s *engine.Sim) {
	for range 12 {
		m.i++
		s.After(m.bids[m.i&(len(m.bids)-1)], nopHandler{})
	}
	if m.cancel && m.i%48 == 0 {
		s.Cancel(m.last)
	}
	m.last = s.After(m.ends[m.i&(len(m.ends)-1)], nopHandler{})
	s.After(m.gaps[m.i&(len(m.gaps)-1)], m)
}

// BenchmarkSimulatorMix times the queue under simMix, per fired event,
// with the default windows and with the simulator's (SetResolution).
func BenchmarkSimulatorMix(b *testing.B) {
	for _, res := range []engine.Duration{0, 64 * engine.Millisecond, engine.Second} {
		b.Run(fmt.Sprintf("window=%v", max(res, 4*engine.Microsecond)), func(b *testing.B) { benchMix(b, res, false) })
	}
	b.Run("window=268ms/cancel", func(b *testing.B) { benchMix(b, 268*engine.Millisecond, true) })
}

func benchMix(b *testing.B, res engine.Duration, cancel bool) {
	r := rand.New(rand.NewPCG(3, 4))
	m := &simMix{bids: make([]Duration, 1<<12), ends: make([]Duration, 1<<12), gaps: make([]Duration, 1<<12)}
	for i := range m.bids {
		m.bids[i] = engine.Seconds(1 + 11*r.Float64())
		m.ends[i] = engine.Seconds(14400 * math.Exp(0.9*r.NormFloat64()-0.4))
		m.gaps[i] = engine.Seconds(r.ExpFloat64() * 0.6)
	}
	m.cancel = cancel
	s := engine.New()
	s.SetResolution(res)
	s.Grow(1 << 16)
	s.AtFront(0, mixBlock{})
	ws := make([]mixWithdraw, 10_000)
	for i := range ws {
		s.After(engine.Hour, &ws[i])
	}
	s.After(0, m)
	for range 2_000_000 { // past the first hours: lease ends and withdrawals in flight
		s.Step()
	}
	b.ReportAllocs()
	stepMeasured(b, s)
}
