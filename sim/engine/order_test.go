package engine_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/akash-market/akash/sim/engine"
)

// trace records fired events as "name@time" so that a test reads as the
// order it expects.
type trace struct{ got []string }

func (tr *trace) ev(name string) engine.Handler {
	return engine.HandlerFunc(func(s *engine.Sim) {
		tr.got = append(tr.got, fmt.Sprintf("%s@%d", name, s.Now()))
	})
}

func (tr *trace) String() string { return strings.Join(tr.got, " ") }

func TestOrderingRules(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *engine.Sim, tr *trace)
		until engine.Time
		want  string
	}{
		{
			name: "earlier time fires first whatever the insertion order",
			setup: func(s *engine.Sim, tr *trace) {
				s.At(30, tr.ev("c"))
				s.At(10, tr.ev("a"))
				s.At(20, tr.ev("b"))
			},
			until: 100,
			want:  "a@10 b@20 c@30",
		},
		{
			name: "same-time ties fire in insertion order",
			setup: func(s *engine.Sim, tr *trace) {
				for _, n := range []string{"e1", "e2", "e3", "e4", "e5"} {
					s.At(7, tr.ev(n))
				}
			},
			until: 7,
			want:  "e1@7 e2@7 e3@7 e4@7 e5@7",
		},
		{
			name: "front lane fires before ordinary events at the same time, even when scheduled later",
			setup: func(s *engine.Sim, tr *trace) {
				s.At(5, tr.ev("ordinary1"))
				s.At(5, tr.ev("ordinary2"))
				s.AtFront(5, tr.ev("front1"))
				s.AtFront(5, tr.ev("front2"))
				s.AtFront(4, tr.ev("frontEarlier"))
			},
			until: 5,
			want:  "frontEarlier@4 front1@5 front2@5 ordinary1@5 ordinary2@5",
		},
		{
			name: "an event scheduled for Now by a handler fires after the ties already queued",
			setup: func(s *engine.Sim, tr *trace) {
				s.At(3, engine.HandlerFunc(func(s *engine.Sim) {
					tr.got = append(tr.got, "first@3")
					s.After(0, tr.ev("child"))
				}))
				s.At(3, tr.ev("second"))
			},
			until: 10,
			want:  "first@3 second@3 child@3",
		},
		{
			name: "a front-lane event scheduled for Now by a handler jumps ahead of queued ordinary ties",
			setup: func(s *engine.Sim, tr *trace) {
				s.At(3, engine.HandlerFunc(func(s *engine.Sim) {
					tr.got = append(tr.got, "first@3")
					s.AtFront(3, tr.ev("urgent"))
				}))
				s.At(3, tr.ev("second"))
			},
			until: 10,
			want:  "first@3 urgent@3 second@3",
		},
		{
			name: "cancelled event does not fire; its neighbours keep their order",
			setup: func(s *engine.Sim, tr *trace) {
				s.At(1, tr.ev("a"))
				id := s.At(1, tr.ev("b"))
				s.At(1, tr.ev("c"))
				s.Cancel(id)
			},
			until: 1,
			want:  "a@1 c@1",
		},
		{
			name: "a handler cancels a later tie at its own instant",
			setup: func(s *engine.Sim, tr *trace) {
				var victim engine.EventID
				s.At(2, engine.HandlerFunc(func(s *engine.Sim) {
					tr.got = append(tr.got, "killer@2")
					s.Cancel(victim)
				}))
				victim = s.At(2, tr.ev("victim"))
				s.At(2, tr.ev("bystander"))
			},
			until: 2,
			want:  "killer@2 bystander@2",
		},
		{
			name: "RunUntil fires events exactly at the bound and none after it",
			setup: func(s *engine.Sim, tr *trace) {
				s.At(99, tr.ev("before"))
				s.At(100, tr.ev("at"))
				s.At(101, tr.ev("after"))
			},
			until: 100,
			want:  "before@99 at@100",
		},
		{
			name: "events a handler schedules inside the bound fire in the same RunUntil",
			setup: func(s *engine.Sim, tr *trace) {
				s.At(10, engine.HandlerFunc(func(s *engine.Sim) {
					tr.got = append(tr.got, "parent@10")
					s.At(20, tr.ev("inside"))
					s.At(21, tr.ev("outside"))
				}))
			},
			until: 20,
			want:  "parent@10 inside@20",
		},
		{
			name: "Stop ends RunUntil after the current handler",
			setup: func(s *engine.Sim, tr *trace) {
				s.At(1, tr.ev("a"))
				s.At(2, engine.HandlerFunc(func(s *engine.Sim) {
					tr.got = append(tr.got, "stopper@2")
					s.Stop()
				}))
				s.At(2, tr.ev("tie"))
				s.At(3, tr.ev("later"))
			},
			until: 10,
			want:  "a@1 stopper@2",
		},
		{
			name: "times far apart and near the int64 limit keep their order",
			setup: func(s *engine.Sim, tr *trace) {
				s.At(engine.MaxTime, tr.ev("end"))
				s.At(1<<62, tr.ev("far"))
				s.At(0, tr.ev("zero"))
				s.At(1<<62, tr.ev("far2"))
			},
			until: engine.MaxTime,
			want:  fmt.Sprintf("zero@0 far@%d far2@%d end@%d", int64(1)<<62, int64(1)<<62, int64(engine.MaxTime)),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := engine.New()
			tr := &trace{}
			tc.setup(s, tr)
			s.RunUntil(tc.until)
			if got := tr.String(); got != tc.want {
				t.Fatalf("fired %q\nwant  %q", got, tc.want)
			}
		})
	}
}

func TestRunUntilClock(t *testing.T) {
	s := engine.New()
	s.At(5, engine.HandlerFunc(func(*engine.Sim) {}))
	s.RunUntil(100)
	if s.Now() != 100 {
		t.Fatalf("Now() = %d after RunUntil(100), want 100: the clock advances to the bound", s.Now())
	}
	s.RunUntil(50) // a bound in the past does nothing
	if s.Now() != 100 {
		t.Fatalf("Now() = %d after RunUntil(50) at 100, want it unchanged", s.Now())
	}
	// Stop leaves the clock at the stopping event, and the next RunUntil resumes.
	var fired []engine.Time
	rec := engine.HandlerFunc(func(s *engine.Sim) { fired = append(fired, s.Now()) })
	s.At(120, engine.HandlerFunc(func(s *engine.Sim) { s.Stop() }))
	s.At(130, rec)
	s.RunUntil(200)
	if s.Now() != 120 || s.Pending() != 1 || len(fired) != 0 {
		t.Fatalf("after Stop at 120: Now=%d pending=%d fired=%v; want 120, the event at 130, none fired", s.Now(), s.Pending(), fired)
	}
	s.RunUntil(200)
	if s.Now() != 200 || s.Pending() != 0 || !slices.Equal(fired, []engine.Time{130}) {
		t.Fatalf("resumed run: Now=%d pending=%d fired=%v; want 200, none, [130]", s.Now(), s.Pending(), fired)
	}
}

func TestCancel(t *testing.T) {
	s := engine.New()
	nop := engine.HandlerFunc(func(*engine.Sim) {})
	if s.Cancel(engine.EventID{}) {
		t.Fatal("Cancel(zero EventID) = true, want false")
	}
	a := s.At(10, nop)
	b := s.At(20, nop)
	if !s.IsPending(a) || !s.IsPending(b) || s.Pending() != 2 {
		t.Fatalf("IsPending(a)=%v IsPending(b)=%v Pending()=%d; want true, true, 2", s.IsPending(a), s.IsPending(b), s.Pending())
	}
	if !s.Cancel(a) {
		t.Fatal("Cancel(pending a) = false, want true")
	}
	if s.Cancel(a) {
		t.Fatal("second Cancel(a) = true, want false")
	}
	if s.IsPending(a) || s.Pending() != 1 {
		t.Fatalf("after cancel: IsPending(a)=%v Pending()=%d; want false, 1", s.IsPending(a), s.Pending())
	}
	if next, ok := s.NextTime(); !ok || next != 20 {
		t.Fatalf("NextTime() = %d, %v; want 20, true (the cancelled event at 10 is skipped)", next, ok)
	}
	s.Run()
	if s.Cancel(b) {
		t.Fatal("Cancel(b) after it fired = true, want false")
	}
	// A stale ID must not cancel the event that reuses its slot.
	c := s.At(30, nop)
	if s.Cancel(a) || s.Cancel(b) || !s.IsPending(c) {
		t.Fatal("a stale EventID cancelled a newer event that reuses its slot")
	}
	st := s.Stats()
	if st.Scheduled != 3 || st.Fired != 1 || st.Cancelled != 1 {
		t.Fatalf("Stats() = %+v, want Scheduled 3, Fired 1, Cancelled 1", st)
	}
}

// Cancelled events must not pile up: a run that schedules and cancels a
// timeout per request, far in the future, keeps its queue bounded.
func TestCancelDoesNotLeak(t *testing.T) {
	s := engine.New()
	nop := engine.HandlerFunc(func(*engine.Sim) {})
	live := make([]engine.EventID, 0, 100)
	for i := range 1_000_000 {
		// Scattered times (a multiplicative hash of i over ~19 hours) land
		// in many slots at several levels, in no particular order.
		at := engine.Time(1_000_000_000 + (uint64(i)*0x9E3779B97F4A7C15)>>18)
		live = append(live, s.At(at, nop))
		if len(live) == 100 {
			for _, id := range live {
				s.Cancel(id)
			}
			live = live[:0]
		}
	}
	if s.Pending() != len(live) {
		t.Fatalf("Pending() = %d, want %d", s.Pending(), len(live))
	}
	if q := engine.QueuedItems(s); q > 4096 {
		t.Fatalf("queue holds %d items (live and cancelled) for %d live events; cancelled events are leaking", q, len(live))
	}
	n := 0
	s.Run()
	n = int(s.Stats().Fired)
	if n != len(live) {
		t.Fatalf("fired %d events, want the %d never cancelled", n, len(live))
	}
}

func TestSchedulingMisusePanics(t *testing.T) {
	nop := engine.HandlerFunc(func(*engine.Sim) {})
	tests := []struct {
		name string
		do   func(s *engine.Sim)
		want string
	}{
		{"At before Now", func(s *engine.Sim) { s.At(5, nop) }, "before Now()"},
		{"negative After", func(s *engine.Sim) { s.After(-1, nop) }, "negative delay"},
		{"nil handler", func(s *engine.Sim) { s.At(20, nil) }, "nil Handler"},
		{"zero block interval", func(s *engine.Sim) { s.StartBlocks(0, func(*engine.Sim, engine.Height) {}) }, "interval must be > 0"},
		{"negative seconds", func(*engine.Sim) { engine.Seconds(-1) }, "negative or NaN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := engine.New()
			s.RunUntil(10)
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(fmt.Sprint(r), tc.want) {
					t.Fatalf("panic = %v, want one mentioning %q", r, tc.want)
				}
			}()
			tc.do(s)
		})
	}
}
