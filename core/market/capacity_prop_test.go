package market

import (
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"pgregory.net/rapid"
)

// TestCapacityProperties: under any sequence of reserve, commit, unreserve
// and release, Reserved + Committed stays within Total, a refused verb
// changes nothing, the accounts equal the sum of what the model holds, and
// giving everything back returns the capacity to full.
func TestCapacityProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		dim := func(label string) uint64 { return rapid.Uint64Range(0, 16).Draw(t, label) }
		c := Capacity{Total: manifest.Totals{CPUMillis: dim("cpu"), MemoryBytes: dim("mem"), StorageBytes: dim("sto"), GPUUnits: dim("gpu"), BandwidthBps: dim("bw")}}
		var reserved, committed []manifest.Totals
		sum := func(ts []manifest.Totals) manifest.Totals {
			var s manifest.Totals
			for _, x := range ts {
				s, _ = s.Add(x)
			}
			return s
		}
		take := func(ts *[]manifest.Totals, i int) manifest.Totals {
			x := (*ts)[i]
			*ts = append((*ts)[:i], (*ts)[i+1:]...)
			return x
		}
		for step := range rapid.IntRange(1, 60).Draw(t, "steps") {
			before := c
			switch rapid.IntRange(0, 3).Draw(t, "verb") {
			case 0:
				need := manifest.Totals{CPUMillis: dim("ncpu") / 2, MemoryBytes: dim("nmem") / 2, GPUUnits: dim("ngpu") / 4}
				free := c.Free()
				if c.Fits(&need) != need.FitsIn(&free) {
					t.Fatalf("step %d: Fits(%+v) = %v with %+v free", step, need, c.Fits(&need), free)
				}
				err := c.Reserve(need)
				if need.FitsIn(&free) != (err == nil) {
					t.Fatalf("step %d: reserve %+v with %+v free: %v", step, need, free, err)
				}
				if err == nil {
					reserved = append(reserved, need)
				}
			case 1:
				if len(reserved) > 0 {
					x := take(&reserved, rapid.IntRange(0, len(reserved)-1).Draw(t, "i"))
					if err := c.Commit(x); err != nil {
						t.Fatalf("step %d: commit: %v", step, err)
					}
					committed = append(committed, x)
				} else if err := c.Commit(manifest.Totals{CPUMillis: 1}); err == nil || c != before {
					t.Fatalf("step %d: committed what was not reserved: %v, %+v → %+v", step, err, before, c)
				}
			case 2:
				if len(reserved) > 0 {
					if err := c.Unreserve(take(&reserved, rapid.IntRange(0, len(reserved)-1).Draw(t, "i"))); err != nil {
						t.Fatalf("step %d: unreserve: %v", step, err)
					}
				}
			case 3:
				if len(committed) > 0 {
					if err := c.Release(take(&committed, rapid.IntRange(0, len(committed)-1).Draw(t, "i"))); err != nil {
						t.Fatalf("step %d: release: %v", step, err)
					}
				} else if err := c.Release(manifest.Totals{GPUUnits: 1}); err == nil || c != before {
					t.Fatalf("step %d: released what was not held: %v, %+v → %+v", step, err, before, c)
				}
			}
			if used := c.Used(); !used.FitsIn(&c.Total) {
				t.Fatalf("step %d: used %+v over total %+v", step, used, c.Total)
			}
			if c.Reserved != sum(reserved) || c.Committed != sum(committed) {
				t.Fatalf("step %d: accounts %+v / %+v, holds sum to %+v / %+v", step, c.Reserved, c.Committed, sum(reserved), sum(committed))
			}
		}
		for len(reserved) > 0 {
			_ = c.Unreserve(take(&reserved, 0))
		}
		for len(committed) > 0 {
			_ = c.Release(take(&committed, 0))
		}
		if c.Free() != c.Total {
			t.Fatalf("after giving everything back: free %+v, total %+v", c.Free(), c.Total)
		}
	})
}
