package loadtest

import (
	"runtime"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Phase names, in the order a round runs them.
const (
	PhaseAdd      = "add"      // AddOrder
	PhasePlace    = "place"    // PlaceBidRef / PlaceBid, or Commit on a sealed order
	PhaseEligible = "eligible" // market.Eligible alone
	PhaseReveal   = "reveal"   // Reveal of a sealed bid (sha256 check + price rules)
	PhaseClose    = "close"    // CloseDueInto, one order per call
	PhaseLease    = "lease"    // lease.Account.OpenLease for the winner
)

// PhaseNames lists every phase in run order.
func PhaseNames() []string {
	return []string{PhaseAdd, PhasePlace, PhaseEligible, PhaseReveal, PhaseClose, PhaseLease}
}

// maxLatency is the histogram's ceiling (10 s per op); slower values are
// clamped to it rather than lost.
const maxLatency = int64(10 * time.Second)

// phaseRec accumulates one phase over every measured round.
type phaseRec struct {
	name    string
	hist    *hdrhistogram.Histogram
	ops     int64
	elapsed time.Duration
	mallocs uint64
	bytes   uint64
	heap    uint64 // HeapInuse after the phase, the largest seen
	ms      runtime.MemStats

	// batching state
	size int
	n    int
	t0   time.Time
}

func newPhaseRec(name string, batch int) *phaseRec {
	return &phaseRec{name: name, hist: hdrhistogram.New(1, maxLatency, 3), size: batch}
}

// begin snapshots the allocator and starts the first batch.
func (r *phaseRec) begin() {
	runtime.ReadMemStats(&r.ms)
	r.mallocs -= r.ms.Mallocs
	r.bytes -= r.ms.TotalAlloc
	r.n = 0
	r.t0 = time.Now()
}

// tick counts one op and closes the batch when it is full. Small enough to
// inline, so an op costs one increment and compare on top of itself.
func (r *phaseRec) tick() {
	r.n++
	if r.n == r.size {
		r.flush()
	}
}

// flush records the open batch: its mean per-op time, once per op.
func (r *phaseRec) flush() {
	t := time.Now()
	if r.n > 0 {
		d := t.Sub(r.t0)
		r.elapsed += d
		r.ops += int64(r.n)
		per := min(max(int64(d)/int64(r.n), 1), maxLatency)
		_ = r.hist.RecordValues(per, int64(r.n))
	}
	r.n = 0
	r.t0 = t
}

// end closes the last batch and the allocator snapshot.
func (r *phaseRec) end() {
	r.flush()
	runtime.ReadMemStats(&r.ms)
	r.mallocs += r.ms.Mallocs
	r.bytes += r.ms.TotalAlloc
	r.heap = max(r.heap, r.ms.HeapInuse)
}

// stats is the phase's figures for the report.
func (r *phaseRec) stats() Phase {
	p := Phase{Name: r.name, Ops: r.ops, Seconds: r.elapsed.Seconds(), Batch: r.size, HeapInuseBytes: r.heap}
	if r.ops == 0 {
		return p
	}
	p.OpsPerSec = float64(r.ops) / r.elapsed.Seconds()
	p.NsPerOp = float64(r.elapsed.Nanoseconds()) / float64(r.ops)
	p.Latency = Latency{
		P50:  r.hist.ValueAtQuantile(50),
		P99:  r.hist.ValueAtQuantile(99),
		P999: r.hist.ValueAtQuantile(99.9),
		Max:  r.hist.Max(),
		Mean: r.hist.Mean(),
	}
	p.AllocsPerOp = float64(r.mallocs) / float64(r.ops)
	p.BytesPerOp = float64(r.bytes) / float64(r.ops)
	return p
}
