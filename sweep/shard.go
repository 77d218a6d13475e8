package sweep

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is part I of N of a sweep's runs (0 ≤ I < N). Run k of Plan.Runs
// belongs to shard k mod N: a stable partition that depends on the plan
// only, spreads every point's replicates over the shards, and gives shards
// run counts that differ by at most one.
type Shard struct{ I, N int }

// All is the whole sweep as one shard.
var All = Shard{0, 1}

// ParseShard reads "i/n", as --shard takes it (i from 0 to n-1, so a
// Kubernetes completion index or a Slurm array task id 0..n-1 maps straight
// onto it).
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, erri := strconv.Atoi(is)
	n, errn := strconv.Atoi(ns)
	if !ok || erri != nil || errn != nil {
		return Shard{}, fmt.Errorf("%w %q: want i/n with whole numbers, e.g. 0/4", ErrShard, s)
	}
	sh := Shard{i, n}
	return sh, sh.check()
}

func (s Shard) check() error {
	if s.N < 1 || s.I < 0 || s.I >= s.N {
		return fmt.Errorf("%w %d/%d: want 0 ≤ i < n (shards are numbered from 0), e.g. 0/%d to %d/%d", ErrShard, s.I, s.N, max(s.N, 1), max(s.N, 1)-1, max(s.N, 1))
	}
	return nil
}

// Owns says whether run k (its index in Plan.Runs) is this shard's.
func (s Shard) Owns(k int) bool { return k%s.N == s.I }

// String is "i/n".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// Runs lists the shard's runs of p, in plan order.
func (s Shard) Runs(p *Plan) []RunID {
	var out []RunID
	for k, id := range p.Runs() {
		if s.Owns(k) {
			out = append(out, id)
		}
	}
	return out
}
