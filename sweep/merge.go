package sweep

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// MergeResult says what Merge did.
type MergeResult struct {
	Runs   int // runs in the plan
	Copied int // run folders brought into out from the other directories
}

// Merge combines shard directories into out and writes its aggregate, the
// same bytes one process running every run would have written.
//
// Every dir must hold a sweep of the same plan. Each run must be done in
// exactly one of dirs (or already in out): a run found in two is refused
// (ErrOverlap), a run found in none is refused (ErrIncomplete), both with
// the runs named and, where a shard manifest says so, the shard that owns
// them. out may be one of dirs when it is the only one (shards that shared
// a volume); otherwise out must be new, empty or an earlier merge of the
// same plan, and the runs are hard-linked into it (copied across file
// systems).
func Merge(out string, dirs []string) (MergeResult, error) {
	if len(dirs) == 0 {
		return MergeResult{}, fmt.Errorf("sweep: merge needs at least one shard directory")
	}
	var plan *Plan
	for _, d := range dirs {
		p, err := ReadPlan(d)
		if errors.Is(err, fs.ErrNotExist) {
			return MergeResult{}, fmt.Errorf("%w: %s has no %s; is it a sweep's --out?", ErrNotSweepDir, d, planFile)
		}
		if err != nil {
			return MergeResult{}, err
		}
		if plan == nil {
			plan = p
		} else if p.Hash != plan.Hash {
			return MergeResult{}, fmt.Errorf("%w: %s (plan %.12s) and %s (plan %.12s) are sweeps of different specs; merge shards of one spec only",
				ErrSpecChanged, dirs[0], plan.Hash, d, p.Hash)
		}
	}
	outIsInput := false
	for _, d := range dirs {
		if same(out, d) {
			outIsInput = true
		}
	}
	if outIsInput && len(dirs) > 1 {
		return MergeResult{}, fmt.Errorf("sweep: --out %s is one of the shard directories; merge into a new directory (or merge that directory alone)", out)
	}
	if !outIsInput {
		old, err := ReadPlan(out)
		switch {
		case err == nil && old.Hash != plan.Hash:
			return MergeResult{}, fmt.Errorf("%w: %s holds another sweep (plan %.12s, shards' %.12s); choose another --out", ErrSpecChanged, out, old.Hash, plan.Hash)
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return MergeResult{}, err
		case err != nil:
			if err := checkFresh(out); err != nil {
				return MergeResult{}, err
			}
		}
	}

	runs := plan.Runs()
	holder := make([]int, len(runs)) // index into dirs, -1 none, -2 in out already
	var overlaps, missing []string
	for k, id := range runs {
		holder[k] = -1
		var in []string
		for di, d := range dirs {
			if plan.Done(d, id) {
				in = append(in, d)
				holder[k] = di
			}
		}
		switch {
		case len(in) > 1:
			overlaps = append(overlaps, fmt.Sprintf("%s (in %s)", plan.RunName(id), strings.Join(in, " and ")))
		case len(in) == 0 && !outIsInput && plan.Done(out, id):
			holder[k] = -2
		case len(in) == 0:
			missing = append(missing, plan.RunName(id)+owner(dirs, k))
		}
	}
	if len(overlaps) > 0 {
		return MergeResult{}, fmt.Errorf("%w: %d runs are done in more than one directory: %s; each run must come from one shard (were the same shards given twice, or shards of different n?)",
			ErrOverlap, len(overlaps), listSome(overlaps))
	}
	if len(missing) > 0 {
		return MergeResult{}, fmt.Errorf("%w: %d of %d runs are in none of the directories: %s; run the shards that own them again (same spec, same --out) and merge once they finish",
			ErrIncomplete, len(missing), len(runs), listSome(missing))
	}

	res := MergeResult{Runs: len(runs)}
	if !outIsInput {
		// The same plan.json bytes as the shards' (prepare writes p.encode()).
		if err := os.MkdirAll(filepath.Join(out, runsDir), 0o755); err != nil {
			return res, fmt.Errorf("sweep: %w", err)
		}
		if err := writeFileAtomic(filepath.Join(out, planFile), plan.encode()); err != nil {
			return res, err
		}
		if data, err := os.ReadFile(filepath.Join(dirs[0], scenarioFile)); err == nil {
			if err := writeFileAtomic(filepath.Join(out, scenarioFile), data); err != nil {
				return res, err
			}
		}
		for k, id := range runs {
			if holder[k] < 0 || plan.Done(out, id) {
				continue
			}
			if err := copyRun(plan.RunDir(dirs[holder[k]], id), plan.RunDir(out, id)); err != nil {
				return res, err
			}
			res.Copied++
		}
	}
	return res, Aggregate(out)
}

// owner names the shard that owns run k, from the manifests found in dirs:
// its state and progress, or, when the other shards' manifests say how many
// shards there are and this one left none, that shard i/n never started.
func owner(dirs []string, k int) string {
	var notes []string
	seen := map[string]bool{}
	counts := map[int]bool{} // n of every shard i/n seen
	for _, d := range dirs {
		for _, m := range readManifests(d) {
			sh, err := ParseShard(m.Shard)
			if err != nil {
				continue
			}
			counts[sh.N] = true
			if !sh.Owns(k) || seen[m.Shard] {
				continue
			}
			seen[m.Shard] = true
			notes = append(notes, fmt.Sprintf("shard %s, %s with %d of %d done", m.Shard, m.State, m.Done, len(m.Runs)))
		}
	}
	if len(notes) > 0 {
		return " (" + strings.Join(notes, "; ") + ")"
	}
	ns := make([]int, 0, len(counts))
	for n := range counts {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	for _, n := range ns {
		notes = append(notes, fmt.Sprintf("shard %d/%d never started (no %s in %s)", k%n, n,
			filepath.Join(shardsDir, fmt.Sprintf("%d-of-%d.json", k%n, n)), strings.Join(dirs, ", ")))
	}
	if len(notes) == 0 {
		return " (no shard manifest was found: its shard never started, or its directory was not given)"
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

// copyRun brings a finished run folder from src to dst atomically: staged
// beside dst (hard links when the file system allows, copies otherwise),
// synced, then renamed into place.
func copyRun(src, dst string) error {
	parent := filepath.Dir(dst)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dst)+".tmp-")
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(tmp, rel)
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			return os.Mkdir(target, 0o755)
		}
		if os.Link(path, target) == nil {
			return nil
		}
		return copyFile(path, target)
	})
	if err != nil {
		return fmt.Errorf("sweep: copying run %s: %w", src, err)
	}
	if err := syncDir(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("sweep: moving run into %s: %w", dst, err)
	}
	return syncDir(parent)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// same says whether two paths name the same directory.
func same(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(fa, fb)
	}
	aa, _ := filepath.Abs(a)
	ab, _ := filepath.Abs(b)
	return aa == ab
}
