package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressEvery is how often a run prints a progress line when its output
// is not a terminal (a pipe, a notebook, a Slurm log).
var progressEvery = 5 * time.Second

// progress reports how far a run or a sweep is, on w (stderr): a live bar
// when w is a terminal, otherwise a plain line every progressEvery (done,
// rate, time left) and, for sweeps, one line per finished run. Quiet
// silences both: newProgress returns nil, and every method accepts nil.
type progress struct {
	w     io.Writer
	what  string // "run baseline", "sweep take-rate: 4 points × 5 replicates"
	unit  string // "blocks", "runs"
	bar   *progressbar.ProgressBar
	start time.Time
	last  time.Time // of the last line
	now   func() time.Time
	// base is what was done before this process started (a resumed
	// sweep's earlier runs): the rate counts only what it did; −1 until
	// the first finished item.
	base int64
}

func newProgress(w io.Writer, quiet bool, what, unit string) *progress {
	if quiet {
		return nil
	}
	p := &progress{w: w, what: what, unit: unit, now: time.Now, base: -1}
	p.start, p.last = p.now(), p.now()
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(),
			progressbar.OptionSetItsString(unit),
			progressbar.OptionShowIts(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	}
	return p
}

// set records done of total; off a terminal it prints a line when
// progressEvery has passed since the last one.
func (p *progress) set(done, total int64) {
	if p == nil {
		return
	}
	if p.bar != nil {
		p.bar.ChangeMax64(total)
		_ = p.bar.Set64(done)
		return
	}
	if t := p.now(); t.Sub(p.last) >= progressEvery && done < total {
		p.last = t
		fmt.Fprintln(p.w, p.line(done, total, t))
	}
}

// finished prints one line for a finished item of a sweep (a run), off a
// terminal, then updates the count as set does.
func (p *progress) finished(item string, err error, done, total int64) {
	if p == nil {
		return
	}
	if p.base < 0 {
		p.base = done - 1
	}
	if p.bar == nil {
		t := p.now()
		p.last = t
		status := item + " done"
		if err != nil {
			status = item + " FAILED: " + err.Error()
		}
		fmt.Fprintf(p.w, "%s: %s; %s\n", p.what, status, p.counts(done, total, t))
		return
	}
	p.set(done, total)
}

// line is "run baseline: 5040/14400 blocks (35.0%), 2100 blocks/s, about 4s left".
func (p *progress) line(done, total int64, t time.Time) string {
	return p.what + ": " + p.counts(done, total, t)
}

func (p *progress) counts(done, total int64, t time.Time) string {
	s := fmt.Sprintf("%d/%d %s", done, total, p.unit)
	if total > 0 {
		s += fmt.Sprintf(" (%.1f%%)", 100*float64(done)/float64(total))
	}
	el, ran := t.Sub(p.start).Seconds(), done-max(p.base, 0)
	if el <= 0 || ran <= 0 {
		return s
	}
	rate := float64(ran) / el
	s += fmt.Sprintf(", %.3g %s/s", rate, p.unit)
	if left := total - done; left > 0 {
		s += ", about " + (time.Duration(float64(left) / rate * float64(time.Second))).Round(time.Second).String() + " left"
	}
	return s
}

// finish ends the bar (off a terminal: nothing; the command prints its result).
func (p *progress) finish() {
	if p == nil || p.bar == nil {
		return
	}
	_ = p.bar.Finish()
	fmt.Fprintln(p.w)
}
