package market

import (
	"cmp"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestPropCloseQueueOrder: whatever the pushes and pops, the queue gives its
// items in (match height, insertion) order, as a sorted list does.
func TestPropCloseQueueOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var q closeQueue
		var model []queueItem
		ins := uint64(0)
		for range rapid.IntRange(0, 300).Draw(t, "steps") {
			if len(model) > 0 && rapid.IntRange(0, 2).Draw(t, "pop") == 0 {
				got, k, ok := q.peek()
				if !ok || got != model[0] {
					t.Fatalf("peek %+v %v, want %+v", got, ok, model[0])
				}
				q.popAt(k)
				model = model[1:]
				continue
			}
			ins++
			it := queueItem{at: int64(rapid.IntRange(0, 20).Draw(t, "at")), ins: ins, slot: uint32(ins)}
			q.push(it)
			model = append(model, it)
			slices.SortFunc(model, func(a, b queueItem) int {
				if c := cmp.Compare(a.at, b.at); c != 0 {
					return c
				}
				return cmp.Compare(a.ins, b.ins)
			})
		}
		drainMatches(t, &q, model)
	})
}

// TestCloseQueueLanes: a long run in match order (lanes, slid down as they
// drain), a second interleaved run (another lane) and stragglers (the heap)
// come out in (match height, insertion) order.
func TestCloseQueueLanes(t *testing.T) {
	q := newCloseQueue(16)
	var model []queueItem
	ins := uint64(0)
	push := func(at int64) {
		ins++
		it := queueItem{at: at, ins: ins, slot: uint32(ins)}
		q.push(it)
		pos, _ := slices.BinarySearchFunc(model, it, cmpItem)
		model = slices.Insert(model, pos, it)
	}
	popped := 0
	for i := range 20_000 {
		push(int64(i)) // open orders
		if i%3 == 0 {
			push(int64(i) + 50) // sealed orders: later by the reveal window
		}
		if i%97 == 0 {
			push(int64(i) - 40) // stragglers
		}
		if i%2 == 1 { // pop about every other step, so lanes slide
			got, _, ok := q.peek()
			if !ok || got != model[0] {
				t.Fatalf("pop %d: %+v, want %+v", popped, got, model[0])
			}
			q.pop()
			model = model[1:]
			popped++
		}
	}
	if len(q.items) > len(model)/10 {
		t.Errorf("%d of %d items in the heap; the runs should be in lanes", len(q.items), len(model))
	}
	drainMatches(t, &q, model)
}

func cmpItem(a, b queueItem) int {
	if c := cmp.Compare(a.at, b.at); c != 0 {
		return c
	}
	return cmp.Compare(a.ins, b.ins)
}

// drainMatches pops q empty and fails unless it yields model's items in
// order.
func drainMatches(t interface{ Fatalf(string, ...any) }, q *closeQueue, model []queueItem) {
	for _, want := range model {
		got, _, _ := q.peek()
		if got != want {
			t.Fatalf("drain: %+v, want %+v", got, want)
		}
		q.pop()
	}
	if _, _, ok := q.peek(); ok {
		t.Fatalf("queue not empty after draining")
	}
}
