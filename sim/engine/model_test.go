package engine_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/akash-market/akash/sim/engine"
)

// modelEvent is the reference queue's view of one event: a plain list sorted
// on demand, which is obviously right and obviously slow.
type modelEvent struct {
	at    engine.Time
	front bool
	seq   int
	id    engine.EventID
}

func modelLess(a, b modelEvent) int {
	switch {
	case a.at != b.at:
		return cmpInt(int64(a.at), int64(b.at))
	case a.front != b.front:
		if a.front {
			return -1
		}
		return 1
	default:
		return cmpInt(int64(a.seq), int64(b.seq))
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// recorder is a reusable handler that logs which model event fired.
type recorder struct {
	seq   int
	fired *[]int
}

func (r *recorder) Fire(*engine.Sim) { *r.fired = append(*r.fired, r.seq) }

// runModel drives the engine and the reference with the same operations,
// decoded from ops, and fails on the first difference in firing order.
// It runs them twice: with the queue's default windows and with windows of
// about a second (SetResolution), which put most events in the heap.
func runModel(t *testing.T, ops []byte) {
	t.Helper()
	runModelAt(t, ops, 0)
	runModelAt(t, ops, engine.Second)
}

func runModelAt(t *testing.T, ops []byte, res engine.Duration) {
	t.Helper()
	s := engine.New()
	s.SetResolution(res)
	var model []modelEvent
	var fired []int
	var all []engine.EventID
	seq := 0
	next := func() int {
		if len(ops) == 0 {
			return -1
		}
		b := int(ops[0])
		ops = ops[1:]
		return b
	}
	// fireModel pops the reference's minimum with time ≤ limit.
	fireModel := func(limit engine.Time) (int, bool) {
		if len(model) == 0 {
			return 0, false
		}
		i := 0
		for j := range model {
			if modelLess(model[j], model[i]) < 0 {
				i = j
			}
		}
		if model[i].at > limit {
			return 0, false
		}
		e := model[i]
		model = slices.Delete(model, i, i+1)
		return e.seq, true
	}
	for {
		op := next()
		if op < 0 {
			break
		}
		arg := next()
		if arg < 0 {
			arg = 0
		}
		switch op % 6 {
		case 0, 1, 2: // schedule; small spreads make many ties, the shift makes far times
			seq++
			d := engine.Duration(arg % 8)
			switch {
			case op%3 == 1: // a far time with few significant bits
				d <<= uint(arg % 40)
			case op%12 == 2: // a far time with random digits at every level
				x := max(next(), 0)
				d = engine.Duration(arg<<8|x) << uint(x%28)
			}
			front := op%7 == 0
			at := s.Now().Add(d)
			r := &recorder{seq: seq, fired: &fired}
			var id engine.EventID
			if front {
				id = s.AtFront(at, r)
			} else {
				id = s.At(at, r)
			}
			all = append(all, id)
			model = append(model, modelEvent{at: at, front: front, seq: seq, id: id})
		case 3: // cancel any ID ever issued, pending or not
			if len(all) == 0 {
				continue
			}
			id := all[arg%len(all)]
			idx := slices.IndexFunc(model, func(e modelEvent) bool { return e.id == id })
			if got, want := s.Cancel(id), idx >= 0; got != want {
				t.Fatalf("Cancel(event %d) = %v, want %v", id.Seq(), got, want)
			}
			if idx >= 0 {
				model = slices.Delete(model, idx, idx+1)
			}
		case 4: // step
			before := len(fired)
			ok := s.Step()
			want, wantOK := fireModel(engine.MaxTime)
			if ok != wantOK || (ok && fired[before] != want) {
				t.Fatalf("Step fired %v (ok=%v), reference fires %d (ok=%v)", fired[before:], ok, want, wantOK)
			}
		case 5: // run until a bound a little ahead
			limit := s.Now().Add(engine.Duration(arg % 16))
			before := len(fired)
			s.RunUntil(limit)
			var want []int
			for {
				e, ok := fireModel(limit)
				if !ok {
					break
				}
				want = append(want, e)
			}
			if !slices.Equal(fired[before:], want) {
				t.Fatalf("RunUntil(%d) fired %v, reference fires %v", limit, fired[before:], want)
			}
		}
		if s.Pending() != len(model) {
			t.Fatalf("Pending() = %d, reference holds %d", s.Pending(), len(model))
		}
	}
	// Drain and compare the rest.
	before := len(fired)
	s.Run()
	var want []int
	for {
		e, ok := fireModel(engine.MaxTime)
		if !ok {
			break
		}
		want = append(want, e)
	}
	if !slices.Equal(fired[before:], want) {
		t.Fatalf("final Run fired %v, reference fires %v", fired[before:], want)
	}
}

func TestQueueMatchesModel(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 50
	}
	for seed := range uint64(n) {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		ops := make([]byte, 2000+r.IntN(4000))
		for i := range ops {
			ops[i] = byte(r.Uint32())
		}
		runModel(t, ops)
	}
}

// The same check with sweeps of cancelled events forced on every cancel
// that leaves more dead than live events.
func TestQueueMatchesModelWithSweeps(t *testing.T) {
	defer engine.SetCompactMinDead(1)()
	for seed := range uint64(100) {
		r := rand.New(rand.NewPCG(seed, 0xc0de))
		ops := make([]byte, 4000)
		for i := range ops {
			ops[i] = byte(r.Uint32())
		}
		runModel(t, ops)
	}
}

func FuzzQueueMatchesModel(f *testing.F) {
	f.Add([]byte{0, 1, 0, 1, 4, 0})
	f.Add([]byte{1, 30, 2, 7, 3, 0, 5, 9, 4, 4})
	f.Fuzz(func(t *testing.T, ops []byte) { runModel(t, ops) })
}
