package sim

import (
	"fmt"
	"runtime"
	"syscall"
	"time"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
)

// supply is what the run's outside world holds at the start: far more than
// any scenario spends, so it never runs out (it is a bucket, not a budget).
var supply = money.MustParseDec("1000000000000000000000000000000")

// Run simulates the scenario and returns its results. It is a pure function
// of (scenario, seed) except Summary.Run. It fails if the scenario cannot be
// built, a core rule reports an impossible state, or tokens are not conserved.
func Run(sc *Scenario, opt Options) (*Result, error) {
	start := time.Now()
	w, err := NewWorld(sc, opt)
	if err != nil {
		return nil, err
	}
	var finish func(*Result) error
	if sc.Tiers.DeliveryNetwork != nil || sc.Tiers.MLBatch != nil {
		if opt.Tiers == nil {
			return nil, fmt.Errorf("scenario %q turns on a management tier (tiers.delivery_network or tiers.ml_batch) but sim.Options.Tiers is nil; run it with tiers.Run (package github.com/akash-market/akash/sim/tiers) or set Options.Tiers = tiers.Attach", sc.Name)
		}
		if finish, err = opt.Tiers(w); err != nil {
			return nil, err
		}
	}
	if err := w.RunToEnd(); err != nil {
		return nil, err
	}
	res := w.Result(time.Since(start))
	if finish != nil {
		if err := finish(res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func ceilBlocks(d, bt engine.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + bt - 1) / bt)
}

// RunToEnd runs the world to its end height, reporting progress, then
// settles every open account to the end and checks conservation.
func (w *World) RunToEnd() error {
	step := max(w.end/200, 1)
	for h := int64(0); h < w.end && w.err == nil; {
		h = min(h+step, w.end)
		w.eng.RunUntil(w.clock.TimeOf(engine.Height(h)))
		if w.opt.Progress != nil {
			w.opt.Progress(h, w.end)
		}
	}
	if w.err != nil {
		return fmt.Errorf("sim: run stopped at height %d (seed %d): %w", w.height, uint64(w.seed), w.err)
	}
	// Settle the open accounts so every lease row shows what it was paid.
	for _, d := range w.deps {
		if d != nil && !d.finished && d.leaseOpen {
			if err := d.acct.Settle(w.height, &w.settle.effects); err != nil {
				return fmt.Errorf("sim: final settlement of %s: %w", d.id, err)
			}
			w.applyEffects()
		}
	}
	for i := range w.records.leases {
		l := &w.records.leases[i]
		if l.reason == lease.ReasonNone {
			if d := w.dep(l.dseq); d != nil && d.leaseOpen && d.leaseRow == int32(i) {
				if pay, ok := d.acct.Payment(d.leaseID()); ok {
					l.paid = pay.Settled()
				}
			}
		}
	}
	if err := w.checkAll(); err != nil {
		return fmt.Errorf("sim: at the end of the run (seed %d): %w", uint64(w.seed), err)
	}
	if w.trace != nil {
		w.traceEnd()
		if err := w.trace.Err(); err != nil {
			return fmt.Errorf("sim: %w", err)
		}
	}
	return w.err
}

// checkAll checks the ledger, every live escrow account (core/lease's own
// invariant) and the stake book; and that the escrow bucket equals what the
// live accounts hold.
func (w *World) checkAll() error {
	if err := w.settle.ledger.Check(); err != nil {
		return err
	}
	var held money.Dec
	for _, d := range w.deps {
		if d == nil {
			continue
		}
		if err := lease.CheckConservation(d.acct, d.acct.Flows); err != nil {
			return fmt.Errorf("deployment %s: %w", d.id, err)
		}
		h := d.acct.Held()
		_ = held.AddAssign(&h)
		_ = held.AddAssign(&d.payout.carried) // fractions of paid amounts, held back until the account closes
	}
	if !held.Equal(w.settle.ledger.Escrow) {
		return fmt.Errorf("%w: live escrow accounts hold %s (with their carried dust), the ledger's escrow bucket %s", ErrConservation, held.ShortString(), w.settle.ledger.Escrow.ShortString())
	}
	var locked money.Dec
	for _, d := range w.deps {
		if d != nil {
			_ = locked.AddAssign(&d.keepDep)
		}
	}
	// Locked bid deposits are those of bids still pending plus those kept with leases.
	for _, p := range w.providers {
		// notify counts an order that does not fit in a class's capacity
		// as no room at all of its providers, unread: each must have it.
		if p.capacity.Total != p.class.capacity {
			return fmt.Errorf("provider %s: capacity %+v, its class's %+v (notify relies on them being equal)", p.addr, p.capacity.Total, p.class.capacity)
		}
		if n := uint64(len(p.pending)); n > 0 {
			v, _ := w.rules.bidDeposit.Amount.MulInt(n)
			_ = locked.AddAssign(&v)
		}
	}
	if !locked.Equal(w.settle.ledger.BidLocked) {
		return fmt.Errorf("%w: pending bids and leases account for %s of bid deposits, the ledger holds %s", ErrConservation, locked.ShortString(), w.settle.ledger.BidLocked.ShortString())
	}
	if err := lease.CheckStake(w.settle.stake, w.settle.stakeFlows); err != nil {
		return err
	}
	return nil
}

// Result collects the run's outputs: the summary and the tables and plots
// the scenario's outputs key asks for. Summary.Run is measured after they
// are built; a caller that writes them can measure again (MeasureRun) so
// that the peak memory includes the writing.
func (w *World) Result(wall time.Duration) *Result {
	res := &Result{Summary: w.summary()}
	res.Summary.Extensions = w.metricValues()
	o := w.records.outputs
	if o.TimeSeries {
		res.TimeSeries = w.timeSeries()
	}
	if o.Leases {
		res.Leases = w.leaseTable()
	}
	if o.Orders {
		res.Orders = w.ordersTable()
	}
	if o.Providers {
		res.Providers = w.providersTable()
	}
	if o.Plots {
		res.Plots = w.plots()
	}
	res.Summary.Run = MeasureRun(res.Summary.Events, wall)
	return res
}

// MeasureRun reads the process's resource use so far: peak resident set,
// CPU time, heap, and the event rate over wall.
func MeasureRun(events uint64, wall time.Duration) RunStats {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss, cpu := usage()
	s := RunStats{WallSeconds: wall.Seconds(), CPUSeconds: cpu, HeapSysBytes: ms.HeapSys, MaxRSSBytes: rss, GoMaxProcs: runtime.GOMAXPROCS(0)}
	if wall > 0 {
		s.EventsPerSec = float64(events) / wall.Seconds()
	}
	return s
}

// usage returns the process's peak resident set (bytes) and its CPU time
// (user + system seconds) so far.
func usage() (uint64, float64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	cpu := float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
	return uint64(ru.Maxrss) * 1024, cpu // Linux reports KiB
}
