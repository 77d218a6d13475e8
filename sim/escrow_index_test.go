package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDryIndexPopsInOrder: pushes and pops in random interleavings, with
// heights and DSeqs drawn from small ranges so that equal keys (a stale
// entry beside a live one) are common, pop in (at, dseq) order: what a
// sorted list of the entries pushed and not yet popped gives first.
func TestDryIndexPopsInOrder(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		var q dryIndex
		var ref []dryEntry
		for step := 0; step < 3000; step++ {
			if len(ref) == 0 || r.IntN(100) < 55 {
				e := dryEntry{at: int64(r.IntN(40)), dseq: uint64(r.IntN(30) + 1), ver: uint32(step)}
				q.push(e)
				ref = append(ref, e)
				continue
			}
			got := q.pop()
			i := 0
			for k := range ref {
				if ref[k].before(&ref[i]) {
					i = k
				}
			}
			want := ref[i]
			if got.at != want.at || got.dseq != want.dseq {
				t.Fatalf("seed %d step %d: popped (%d, %d), want (%d, %d)", seed, step, got.at, got.dseq, want.at, want.dseq)
			}
			// Remove the popped entry itself (its ver) from the reference.
			j := slices.IndexFunc(ref, func(x dryEntry) bool { return x == got })
			if j < 0 {
				t.Fatalf("seed %d step %d: popped %+v, which was not pushed or was popped before", seed, step, got)
			}
			ref = slices.Delete(ref, j, j+1)
			if len(q) != len(ref) {
				t.Fatalf("seed %d step %d: %d entries, want %d", seed, step, len(q), len(ref))
			}
		}
	}
}

// BenchmarkDryIndex is the settle queue's work at a large run's size: a
// heap of 300,000 accounts, each step popping the first and pushing it back
// some hours of blocks later.
func BenchmarkDryIndex(b *testing.B) {
	const n = 300_000
	r := rand.New(rand.NewPCG(1, 2))
	q := make(dryIndex, 0, n+1)
	for i := range n {
		q.push(dryEntry{at: int64(r.IntN(100_000)), dseq: uint64(i + 1)})
	}
	b.ResetTimer()
	for b.Loop() {
		e := q.pop()
		e.at += int64(r.IntN(20_000)) + 1
		q.push(e)
	}
}
