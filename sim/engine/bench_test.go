package engine_test

import (
	"fmt"
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
			cpu0 := cpuTime()
			n := 0
			for b.Loop() {
				s.Step()
				n++
			}
			// CPU time per event, next to the wall time that ns/op reports:
			// on a shared machine the wall time includes waiting for a core.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/op")
			if s.Pending() != pending {
				b.Fatalf("pending = %d after the run, want %d", s.Pending(), pending)
			}
		})
	}
}

// cpuTime returns the process's user+system CPU time in nanoseconds.
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
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		s.Step()
		n++
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/op")
}
