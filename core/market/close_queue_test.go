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
				got, ok := q.peek()
				if !ok || got != model[0] {
					t.Fatalf("peek %+v %v, want %+v", got, ok, model[0])
				}
				q.pop()
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
		for _, want := range model {
			got, _ := q.peek()
			if got != want {
				t.Fatalf("drain: %+v, want %+v", got, want)
			}
			q.pop()
		}
		if _, ok := q.peek(); ok {
			t.Fatal("queue not empty after draining")
		}
	})
}
