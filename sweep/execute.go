package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/akash-market/akash/reports"
	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
	"github.com/akash-market/akash/sim/tiers"
)

// Options says where and how Execute runs a plan.
type Options struct {
	Dir string
	// Jobs is how many runs go at once (≤ 0: runtime.NumCPU()). Each run is
	// single-threaded, so one per core is the natural choice.
	Jobs int
	// Shard restricts the runs to one shard (zero value: every run).
	Shard Shard
	// Version is stamped into every summary.json.
	Version string
	// Progress, when set, is told about every finished run (one call at a
	// time, never concurrently).
	Progress func(Event)
}

// Event reports one finished (or failed) run.
type Event struct {
	Run   string // "p003/07"
	Err   error
	Wall  time.Duration
	Done  int // runs of the shard finished so far, including earlier sweeps'
	Total int // runs of the shard
}

// Outcome is what Execute did.
type Outcome struct {
	Shard       Shard
	Total       int      // runs in the shard
	AlreadyDone int      // found complete when Execute started (not rerun)
	Ran         int      // completed by this call
	Failed      []string // "p003/07: <error>", in plan order
	// Interrupted: the context was cancelled; unfinished runs were left for
	// the next sweep of the same spec and directory.
	Interrupted bool
}

// Complete says whether every run of the shard is done.
func (o Outcome) Complete() bool {
	return !o.Interrupted && len(o.Failed) == 0 && o.AlreadyDone+o.Ran == o.Total
}

// wallFile sits beside each run folder: the run's wall time, CPU time and
// memory, which summary.json leaves out so that it is byte-identical from
// run to run.
const wallSuffix = ".run.json"

// Execute runs the shard's runs of p that are not done yet in opt.Dir, on
// opt.Jobs workers. p must come from LoadSpec (it carries the base
// scenario's text).
//
// Resuming: a run is done iff its folder holds a complete summary.json
// (Plan.Done); done runs are never rerun, so calling Execute again after a
// crash or a kill finishes exactly what is missing. The directory must be
// new, empty, or hold a sweep of the same plan (ErrSpecChanged otherwise).
//
// Cancelling ctx stops cleanly: no new run starts, runs being written finish
// their (atomic) write, and simulations in flight are abandoned (their
// goroutines finish in the background and write nothing). Finished runs stay.
// Failed runs do not stop the others; they are listed in Outcome.Failed and
// the error wraps ErrRunFailed.
func Execute(ctx context.Context, p *Plan, opt Options) (Outcome, error) {
	if p.source == nil {
		return Outcome{}, fmt.Errorf("sweep: the plan has no base scenario; build it with LoadSpec")
	}
	sh := opt.Shard
	if sh.N == 0 {
		sh = All
	}
	if err := sh.check(); err != nil {
		return Outcome{}, err
	}
	var until sim.Duration
	if p.Until != "" {
		d, err := time.ParseDuration(p.Until)
		if err != nil {
			return Outcome{}, fmt.Errorf("%w: until %q: %v", ErrSpec, p.Until, err)
		}
		until = sim.Duration(d)
	}
	if err := prepare(opt.Dir, p); err != nil {
		return Outcome{}, err
	}
	mine := sh.Runs(p)
	out := Outcome{Shard: sh, Total: len(mine)}
	m := manifest{Shard: sh.String(), Plan: p.Hash, State: "running"}
	var pending []RunID
	for _, id := range mine {
		m.Runs = append(m.Runs, p.RunName(id))
		if p.Done(opt.Dir, id) {
			out.AlreadyDone++
		} else {
			pending = append(pending, id)
		}
	}
	m.Done = out.AlreadyDone
	if err := writeManifest(opt.Dir, m, sh); err != nil {
		return out, err
	}

	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	jobs = min(jobs, len(pending))
	var (
		next     atomic.Int64
		mu       sync.Mutex // guards out, failed and Progress calls
		failed   = map[int]string{}
		wg       sync.WaitGroup
		finished = out.AlreadyDone
		mErr     error // the first failed manifest update
		internal bool  // a run panicked
	)
	report := func(id RunID, wall time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			internal = internal || errors.Is(err, ErrInternal)
			failed[p.Index(id)] = fmt.Sprintf("%s (%s, seed %d): %v", p.RunName(id), p.Label(id.Point), p.Seeds[id.Replicate], err)
		} else {
			out.Ran++
			finished++
			// The manifest says how far the shard got after every run, so
			// merge (and a person) can tell a slow shard from a dead one.
			m.Done = finished
			if werr := writeManifest(opt.Dir, m, sh); werr != nil && mErr == nil {
				mErr = werr
			}
		}
		if opt.Progress != nil {
			opt.Progress(Event{Run: p.RunName(id), Err: err, Wall: wall, Done: finished, Total: out.Total})
		}
	}
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				k := int(next.Add(1) - 1)
				if k >= len(pending) {
					return
				}
				id := pending[k]
				start := time.Now()
				res, err := simulate(ctx, p, id, until, opt.Version)
				if ctx.Err() != nil && res == nil && err == nil {
					return // abandoned by a cancel
				}
				if err == nil {
					err = writeRecovered(opt.Dir, p, id, res)
				}
				report(id, time.Since(start), err)
			}
		}()
	}
	wg.Wait()

	for k := range p.Runs() {
		if msg, ok := failed[k]; ok {
			out.Failed = append(out.Failed, msg)
		}
	}
	out.Interrupted = ctx.Err() != nil && out.AlreadyDone+out.Ran+len(out.Failed) < out.Total
	m.Done = out.AlreadyDone + out.Ran
	switch {
	case out.Interrupted:
		m.State = "interrupted"
	case len(out.Failed) > 0:
		m.State = "failed"
	default:
		m.State = "complete"
	}
	if err := writeManifest(opt.Dir, m, sh); err != nil {
		return out, err
	}
	if mErr != nil {
		return out, mErr
	}
	if len(out.Failed) > 0 {
		if internal {
			return out, fmt.Errorf("%w (%w): %d of %d: %s", ErrRunFailed, ErrInternal, len(out.Failed), out.Total, listSome(out.Failed))
		}
		return out, fmt.Errorf("%w: %d of %d: %s", ErrRunFailed, len(out.Failed), out.Total, listSome(out.Failed))
	}
	return out, nil
}

// simulate runs one replicate of one point. The simulation runs on its own
// goroutine so that a cancel can abandon it (sim.Run cannot be stopped);
// it then returns (nil, nil).
func simulate(ctx context.Context, p *Plan, id RunID, until sim.Duration, version string) (*sim.Result, error) {
	type outcome struct {
		res *sim.Result
		err error
	}
	ch := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() { ch <- o }()
		defer recoverInternal(&o.err)
		sc, err := scenarios.Load(p.sourceName, p.source, p.Overrides(id.Point))
		if err != nil {
			o.err = err
			return
		}
		// tiers.Run is sim.Run with the management tiers attached, as
		// akash-sim run does, so scenarios with tiers sweep too.
		o.res, o.err = tiers.Run(sc, sim.Options{Seed: p.Seeds[id.Replicate], Until: until, Version: version})
	}()
	select {
	case o := <-ch:
		return o.res, o.err
	case <-ctx.Done():
		return nil, nil
	}
}

// recoverInternal turns a panic of the goroutine it is deferred in into
// *err, an ErrInternal with the panic's value and stack. Runs execute on
// worker goroutines, where akash-sim's own recover cannot see a panic: one
// would end the process with the Go runtime's exit code 2, which means a
// usage mistake, and lose the other runs in flight.
func recoverInternal(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v\n%s", ErrInternal, r, debug.Stack())
	}
}

// writeRecovered is write, with a panic returned as an ErrInternal.
func writeRecovered(dir string, p *Plan, id RunID, res *sim.Result) (err error) {
	defer recoverInternal(&err)
	return write(dir, p, id, res)
}

// write stores a run: its report folder (reproducible: wall time and memory
// go to a file beside it), atomically.
func write(dir string, p *Plan, id RunID, res *sim.Result) error {
	stats := res.Summary.Run
	res.Summary.Run = sim.RunStats{}
	runDir := p.RunDir(dir, id)
	if err := reports.Write(runDir, ReportOf(res)); err != nil {
		return err
	}
	b, err := json.MarshalIndent(stats, "", "  ")
	if err != nil {
		return err
	}
	// The wall file is informative only: a crash before it is written
	// loses nothing that matters.
	return writeFileAtomic(filepath.Join(filepath.Dir(runDir), filepath.Base(runDir)+wallSuffix), append(b, '\n'))
}
