package inventory

import (
	"errors"
	"testing"

	"pgregory.net/rapid"

	"github.com/akash-market/akash/core/manifest"
)

// TestPropertyNeverOvercommits drives random reserve/commit/release sequences
// and checks after every step that each pool's reserved + committed stays
// within capacity in every dimension and equals the sum of the live holds,
// and that releasing everything returns every pool exactly to full.
func TestPropertyNeverOvercommits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		capGen := func(label string) Resources {
			return Resources{
				CPUMillis:    rapid.Uint64Range(0, 16000).Draw(t, label+".cpu"),
				MemoryBytes:  rapid.Uint64Range(0, 64<<30).Draw(t, label+".mem"),
				StorageBytes: rapid.Uint64Range(0, 1<<40).Draw(t, label+".storage"),
				GPUUnits:     rapid.Uint64Range(0, 4).Draw(t, label+".gpu"),
				BandwidthBps: rapid.Uint64Range(0, 1<<30).Draw(t, label+".bw"),
			}
		}
		pools := []Pool{
			{Name: "p0", Capacity: capGen("p0")},
			{Name: "p1", Attributes: attrs("tier", "gold"), Capacity: capGen("p1")},
		}
		inv, err := New(pools)
		if err != nil {
			t.Fatal(err)
		}
		live := map[uint64]Resources{}
		steps := rapid.IntRange(1, 60).Draw(t, "steps")
		for s := 0; s < steps; s++ {
			id := rapid.Uint64Range(1, 12).Draw(t, "order")
			switch rapid.IntRange(0, 2).Draw(t, "op") {
			case 0:
				need := Resources{
					CPUMillis:    rapid.Uint64Range(0, 8000).Draw(t, "need.cpu"),
					MemoryBytes:  rapid.Uint64Range(0, 32<<30).Draw(t, "need.mem"),
					StorageBytes: rapid.Uint64Range(0, 1<<39).Draw(t, "need.storage"),
					GPUUnits:     rapid.Uint64Range(0, 2).Draw(t, "need.gpu"),
					BandwidthBps: rapid.Uint64Range(0, 1<<29).Draw(t, "need.bw"),
				}
				var req manifest.Attributes
				if rapid.Bool().Draw(t, "silver") {
					req = attrs("tier", "silver")
				}
				_, err := inv.Reserve(oid(id), req, need)
				if _, held := live[id]; held && !errors.Is(err, ErrHeld) {
					t.Fatalf("reserve of held order %d: %v, want ErrHeld", id, err)
				}
				if err == nil {
					live[id] = need
				}
			case 1:
				err := inv.Commit(oid(id))
				if _, held := live[id]; held != (err == nil) {
					t.Fatalf("commit %d: held=%v err=%v", id, held, err)
				}
			case 2:
				h, err := inv.Release(oid(id))
				need, held := live[id]
				if held != (err == nil) {
					t.Fatalf("release %d: held=%v err=%v", id, held, err)
				}
				if held && h.Need != need {
					t.Fatalf("release %d returned %+v, reserved %+v", id, h.Need, need)
				}
				delete(live, id)
			}
			checkAccounts(t, inv, live)
		}
		for id := range live {
			if _, err := inv.Release(oid(id)); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range inv.Usage() {
			if u.Free != u.Capacity || u.Reserved != (Resources{}) || u.Committed != (Resources{}) {
				t.Fatalf("after releasing everything pool %s is %+v", u.Pool, u)
			}
		}
	})
}

func checkAccounts(t *rapid.T, inv *Inventory, live map[uint64]Resources) {
	sums := map[string]Resources{}
	for id := range live {
		h, ok := inv.Hold(oid(id))
		if !ok {
			t.Fatalf("order %d live in the model but not held", id)
		}
		s, err := sums[h.Pool].Add(h.Need)
		if err != nil {
			t.Fatal(err)
		}
		sums[h.Pool] = s
	}
	for _, u := range inv.Usage() {
		used, err := u.Reserved.Add(u.Committed)
		if err != nil {
			t.Fatal(err)
		}
		if used != sums[u.Pool] {
			t.Fatalf("pool %s: book says %+v used, holds sum to %+v", u.Pool, used, sums[u.Pool])
		}
		if !used.FitsIn(&u.Capacity) {
			t.Fatalf("pool %s over capacity: used %+v of %+v", u.Pool, used, u.Capacity)
		}
	}
}
