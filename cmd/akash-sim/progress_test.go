package main

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestProgressLinesOffATerminal: off a terminal, set prints a line once
// progressEvery has passed (done, share, rate, time left) and not before;
// finished prints one line per item; a nil (quiet) progress prints nothing.
func TestProgressLinesOffATerminal(t *testing.T) {
	var out bytes.Buffer
	clock := time.Unix(0, 0)
	p := newProgress(&out, false, "run x", "blocks")
	p.now = func() time.Time { return clock }
	p.start, p.last = clock, clock

	clock = clock.Add(progressEvery - time.Millisecond)
	p.set(100, 1000)
	if out.Len() != 0 {
		t.Fatalf("a line before progressEvery: %q", out.String())
	}
	clock = clock.Add(time.Millisecond)
	p.set(250, 1000)
	want := "run x: 250/1000 blocks (25.0%), 50 blocks/s, about 15s left\n"
	if out.String() != want {
		t.Fatalf("line %q, want %q", out.String(), want)
	}
	p.set(300, 1000) // no time has passed
	if strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("two lines without time passing:\n%s", out.String())
	}

	out.Reset()
	s := newProgress(&out, false, "sweep s", "runs")
	s.now = func() time.Time { return clock }
	s.start = clock.Add(-2 * time.Second)
	s.finished("p000/00", nil, 1, 4)
	s.finished("p000/01", errors.New("boom"), 2, 4)
	if got := out.String(); got != "sweep s: p000/00 done; 1/4 runs (25.0%), 0.5 runs/s, about 6s left\n"+
		"sweep s: p000/01 FAILED: boom; 2/4 runs (50.0%), 1 runs/s, about 2s left\n" {
		t.Fatalf("sweep lines:\n%s", got)
	}

	out.Reset() // a resumed sweep: 10 runs were done before; the rate counts this process's
	r := newProgress(&out, false, "sweep r", "runs")
	r.now = func() time.Time { return clock }
	r.start = clock.Add(-4 * time.Second)
	r.finished("p001/00", nil, 11, 20)
	r.finished("p001/01", nil, 12, 20)
	if got := out.String(); !strings.HasSuffix(got, "12/20 runs (60.0%), 0.5 runs/s, about 16s left\n") {
		t.Fatalf("resumed sweep lines:\n%s", got)
	}

	var q *progress = newProgress(&out, true, "quiet", "runs")
	q.set(1, 2)
	q.finished("x", nil, 1, 2)
	q.finish()
	if q != nil {
		t.Fatal("quiet progress is not nil")
	}
}

// TestRunPrintsProgressLinesWhenPiped: `akash-sim run` with its stderr not a
// terminal prints plain progress lines; --quiet prints none.
func TestRunPrintsProgressLinesWhenPiped(t *testing.T) {
	defer func(d time.Duration) { progressEvery = d }(progressEvery)
	progressEvery = 0
	dir := t.TempDir()
	_, errOut, code := run(t, "run", "--until", "2h", "--out", dir+"/a")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	line := regexp.MustCompile(`(?m)^run default: \d+/1200 blocks \(\d+\.\d%\), [0-9.e+]+ blocks/s, about \S+ left$`)
	if n := len(line.FindAllString(errOut, -1)); n < 10 {
		t.Fatalf("%d progress lines, want one per progress report:\n%s", n, errOut)
	}
	_, errOut, code = run(t, "run", "--until", "2h", "--out", dir+"/b", "--quiet")
	if code != 0 || errOut != "" {
		t.Fatalf("--quiet: exit %d, stderr %q; want nothing", code, errOut)
	}
}
