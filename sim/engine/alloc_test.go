package engine_test

import (
	"testing"

	"github.com/akash-market/akash/sim/engine"
)

// timeoutPair is a request that arms a timeout and, when answered, cancels
// it: the cancel-heavy pattern of bids and order windows.
type timeoutPair struct {
	timeout engine.EventID
	n       int
}

type nopHandler struct{}

func (nopHandler) Fire(*engine.Sim) {}

func (p *timeoutPair) Fire(s *engine.Sim) {
	p.n++
	s.Cancel(p.timeout)
	p.timeout = s.After(engine.Second, nopHandler{})
	s.After(engine.Duration(1+p.n%97)*engine.Microsecond, p)
}

// Once warm, scheduling, firing and cancelling allocate nothing.
func TestSteadyStateAllocatesNothing(t *testing.T) {
	s := engine.New()
	r := &rescheduler{delays: make([]engine.Duration, 1<<12)}
	for i := range r.delays {
		r.delays[i] = engine.Duration(1 + (i*7919)%5000)
	}
	for i := range 10_000 {
		s.After(r.delays[i&(len(r.delays)-1)], r)
	}
	pairs := make([]timeoutPair, 100)
	for i := range pairs {
		s.After(engine.Duration(i), &pairs[i])
	}
	for range 1_000_000 {
		s.Step()
	}
	if allocs := testing.AllocsPerRun(100_000, func() { s.Step() }); allocs != 0 {
		t.Fatalf("Step allocates %v times per event in steady state, want 0", allocs)
	}
	if s.Stats().Cancelled == 0 {
		t.Fatal("the workload cancelled nothing; it must exercise Cancel")
	}
}

// BenchmarkScheduleCancelFire: every fired event cancels a pending timeout
// and arms a new one, so half the scheduled events are cancelled.
func BenchmarkScheduleCancelFire(b *testing.B) {
	s := engine.New()
	pairs := make([]timeoutPair, 1000)
	for i := range pairs {
		s.After(engine.Duration(i), &pairs[i])
	}
	for range 100_000 {
		s.Step()
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Step()
	}
}
