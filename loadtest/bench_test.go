package loadtest

import (
	"syscall"
	"testing"
)

// BenchmarkPlacePhase is the load test's place phase (the default load:
// 100,000 open orders, 20 bids each, market mix, pattern recent), harness
// included, by handle, by OrderID with the provider's handle and by OrderID
// and address. One iteration is a whole round's place
// phase (2,000,000 bids); the rest of the round (set-up, add, close, lease)
// runs with the timer stopped. It reports the process's CPU time per bid
// (cpu-ns/bid), which other processes taking the core do not inflate, and
// gives a CPU profile of the phase with -cpuprofile (the untimed parts are
// in it too: focus on runner.place).
func BenchmarkPlacePhase(b *testing.B) {
	for _, lookup := range []string{LookupRef, LookupID, LookupIDAddr} {
		b.Run(lookup, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Lookup = lookup
			r := newRunner(cfg)
			if _, err := r.round(0, false, -1); err != nil { // warm-up: every slot grows its bid list
				b.Fatal(err)
			}
			var cpu, bids int64
			round := 1
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				w := r.w
				w.startRound(round)
				base := w.base(round)
				if err := r.prepare(round, base, w.plan); err != nil {
					b.Fatal(err)
				}
				if err := r.add(newPhaseRec(PhaseAdd, cfg.Batch)); err != nil {
					b.Fatal(err)
				}
				for k, id := range w.ids {
					ref, ok := r.book.Ref(id)
					if !ok {
						b.Fatalf("no handle for %s", id)
					}
					r.refs[k] = ref
				}
				var c Counts
				rec := newPhaseRec(PhasePlace, cfg.Batch)
				b.StartTimer()
				t0 := cpuNow()
				if err := r.place(rec, w.plan, base, &c); err != nil {
					b.Fatal(err)
				}
				cpu += cpuNow() - t0
				bids += int64(len(w.plan))
				b.StopTimer()
				r.eligible(newPhaseRec(PhaseEligible, cfg.Batch), w.plan, base, &c)
				if len(r.commits) > 0 {
					if err := r.reveal(newPhaseRec(PhaseReveal, cfg.Batch), w.plan, base, round, &c); err != nil {
						b.Fatal(err)
					}
				}
				if err := r.close(newPhaseRec(PhaseClose, cfg.Batch), base, &c); err != nil {
					b.Fatal(err)
				}
				if err := r.lease(newPhaseRec(PhaseLease, cfg.Batch), base, &c); err != nil {
					b.Fatal(err)
				}
				round++
				b.StartTimer()
			}
			b.ReportMetric(float64(cpu)/float64(bids), "cpu-ns/bid")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(bids), "ns/bid")
		})
	}
}

// cpuNow is the process's CPU time (user + system) in ns.
func cpuNow() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
