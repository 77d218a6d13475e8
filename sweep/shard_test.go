package sweep

import (
	"errors"
	"testing"

	"pgregory.net/rapid"
)

func TestParseShard(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"0/1", Shard{0, 1}, true}, {"3/7", Shard{3, 7}, true}, {" 1/2 ", Shard{1, 2}, true},
		{"7/7", Shard{}, false}, {"1/0", Shard{}, false}, {"-1/3", Shard{}, false},
		{"1", Shard{}, false}, {"a/b", Shard{}, false}, {"1/2/3", Shard{}, false},
	} {
		got, err := ParseShard(c.in)
		if c.ok && (err != nil || got != c.want) {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
		if !c.ok && !errors.Is(err, ErrShard) {
			t.Errorf("ParseShard(%q) = %v, %v; want ErrShard", c.in, got, err)
		}
	}
}

// Every run belongs to exactly one shard, and shards differ by at most one run.
func TestShardsPartitionTheRuns(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		points := rapid.IntRange(1, 40).Draw(t, "points")
		reps := rapid.IntRange(1, 12).Draw(t, "replicates")
		n := rapid.IntRange(1, 50).Draw(t, "n")
		p := &Plan{Replicates: reps, Points: make([]Point, points)}
		p.seal()
		owners := make([]int, len(p.Runs()))
		lo, hi := len(owners), 0
		for i := range n {
			runs := Shard{i, n}.Runs(p)
			lo, hi = min(lo, len(runs)), max(hi, len(runs))
			for _, id := range runs {
				owners[p.Index(id)]++
			}
		}
		for k, c := range owners {
			if c != 1 {
				t.Fatalf("run %d is in %d shards", k, c)
			}
		}
		if hi-lo > 1 {
			t.Fatalf("shard sizes from %d to %d", lo, hi)
		}
	})
}
