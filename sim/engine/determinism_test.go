package engine_test

import (
	"encoding/hex"
	"runtime"
	"testing"

	"github.com/akash-market/akash/sim/engine"
)

// traceRun runs an M/M/3 queue with impatient customers (so that events are
// cancelled) and a block producer (so that front-lane ties happen), and
// returns the SHA-256 of the trace of every fired event: time, sequence
// number, kind.
func traceRun(seed uint64) (string, engine.Stats) {
	q := newMMC(seed, 3, 2.8, 1, 2.0, 0).traced()
	s := engine.New()
	q.start(s)
	s.StartBlocks(engine.Second, func(s *engine.Sim, h engine.Height) { q.record(s, 'b') })
	s.RunUntil(engine.Time(2000 * engine.Second))
	return hex.EncodeToString(q.trace.Sum(nil)), s.Stats()
}

func TestSameSeedSameTrace(t *testing.T) {
	first, st := traceRun(7)
	if st.Cancelled == 0 || st.Fired < 10_000 {
		t.Fatalf("the traced run fired %d events and cancelled %d; it must exercise cancellation and be long", st.Fired, st.Cancelled)
	}
	for _, procs := range []int{1, 2, 8} {
		old := runtime.GOMAXPROCS(procs)
		got, gotStats := traceRun(7)
		runtime.GOMAXPROCS(old)
		if got != first || gotStats != st {
			t.Fatalf("GOMAXPROCS=%d: trace %s %+v, first run %s %+v", procs, got, gotStats, first, st)
		}
	}
	if other, _ := traceRun(8); other == first {
		t.Fatal("seeds 7 and 8 gave the same trace; the trace does not depend on the draws")
	}
}

// Independent replicates on separate Sims, one goroutine each (how sweeps
// run them), share nothing: each gives the trace it gives alone. Under the
// race detector (make test-race runs this test of the package) a package
// global an engine wrote would show here.
func TestReplicatesInParallelShareNothing(t *testing.T) {
	seeds := []uint64{7, 8, 9, 10}
	alone := make([]string, len(seeds))
	for i, seed := range seeds {
		alone[i], _ = traceRun(seed)
	}
	together := make([]string, len(seeds))
	done := make(chan struct{})
	for i, seed := range seeds {
		go func() {
			defer func() { done <- struct{}{} }()
			together[i], _ = traceRun(seed)
		}()
	}
	for range seeds {
		<-done
	}
	for i, seed := range seeds {
		if together[i] != alone[i] {
			t.Errorf("seed %d: trace %s in parallel, %s alone", seed, together[i], alone[i])
		}
	}
}
