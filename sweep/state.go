package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/akash-market/akash/internal/atomicfile"
)

// The files of a sweep directory besides runs/.
const (
	planFile     = "plan.json"     // the resolved spec and its hash
	scenarioFile = "scenario.yaml" // the base scenario's text, for the record
	runsDir      = "runs"
	shardsDir    = "shards" // one manifest per shard that ran here
	csvFile      = "sweep.csv"
	htmlFile     = "sweep.html"
	plotsDir     = "plots"
)

// ownNames are the entries a sweep directory may hold (besides the
// temporary ".name.tmp-*" files of an atomic write).
var ownNames = map[string]bool{planFile: true, scenarioFile: true, runsDir: true, shardsDir: true,
	csvFile: true, htmlFile: true, plotsDir: true, runsFile: true, timeseriesFile: true}

// prepare makes dir ready for p's runs: it creates it, or checks that it
// holds the same plan, and writes plan.json and scenario.yaml.
func prepare(dir string, p *Plan) error {
	old, err := ReadPlan(dir)
	havePlan := err == nil
	switch {
	case havePlan:
		if old.Hash != p.Hash {
			return fmt.Errorf("%w: %s was started by another spec (plan %.12s, this spec's is %.12s; see %s); the spec, its base scenario or its metrics changed: keep the old results with another --out, or delete %s to start over",
				ErrSpecChanged, dir, old.Hash, p.Hash, filepath.Join(dir, planFile), dir)
		}
	case errors.Is(err, fs.ErrNotExist):
		if err := checkFresh(dir); err != nil {
			return err
		}
	default:
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, runsDir), 0o755); err != nil {
		return fmt.Errorf("sweep: creating %s: %w", dir, err)
	}
	if err := writeFileAtomic(filepath.Join(dir, scenarioFile), p.source); err != nil {
		return err
	}
	if havePlan { // plan.json is already there, with the same hash
		return nil
	}
	return writeFileAtomic(filepath.Join(dir, planFile), p.encode())
}

// checkFresh refuses a directory that holds files that are not a sweep's,
// so a mistyped --out cannot mix a sweep into someone's folder.
func checkFresh(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sweep: output directory %s: %w", dir, err)
	}
	for _, e := range entries {
		n := e.Name()
		if ownNames[n] || strings.HasPrefix(n, ".") && strings.Contains(n, ".tmp-") {
			continue
		}
		return fmt.Errorf("%w: %s holds %s and no %s, so it is not a sweep's output; choose an empty or new --out",
			ErrNotSweepDir, dir, n, planFile)
	}
	return nil
}

// ReadPlan reads dir/plan.json.
func ReadPlan(dir string) (*Plan, error) {
	data, err := os.ReadFile(filepath.Join(dir, planFile))
	if err != nil {
		return nil, err
	}
	var p Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%w: %s: %v; it was not written by akash-sim sweep", ErrNotSweepDir, filepath.Join(dir, planFile), err)
	}
	if p.Format != planFormat {
		return nil, fmt.Errorf("%w: %s has format %d; this akash-sim reads format %d", ErrNotSweepDir, filepath.Join(dir, planFile), p.Format, planFormat)
	}
	if want := p.Hash; func() string { q := p; q.seal(); return q.Hash }() != want {
		return nil, fmt.Errorf("%w: %s was edited (its hash no longer matches); restore it or start a new --out", ErrNotSweepDir, filepath.Join(dir, planFile))
	}
	return &p, nil
}

// Done says whether a run is finished: its directory holds a complete
// summary.json of the planned seed. reports.Write publishes a run's folder
// with one rename, so a folder that exists is complete; the check on the
// content guards against hand-made or foreign folders.
func (p *Plan) Done(dir string, id RunID) bool {
	data, err := os.ReadFile(filepath.Join(p.RunDir(dir, id), "summary.json"))
	if err != nil {
		return false
	}
	var s struct {
		Seed *uint64 `json:"seed"`
	}
	if json.Unmarshal(data, &s) != nil || s.Seed == nil {
		return false
	}
	return *s.Seed == p.Seeds[id.Replicate]
}

// manifest is DIR/shards/<i>-of-<n>.json: which runs a shard owns and how
// far it got. Merge names unfinished shards from it.
type manifest struct {
	Shard string   `json:"shard"`
	Plan  string   `json:"plan_sha256"`
	State string   `json:"state"` // running, complete, interrupted, failed
	Done  int      `json:"done"`
	Runs  []string `json:"runs"`
}

func manifestPath(dir string, s Shard) string {
	return filepath.Join(dir, shardsDir, fmt.Sprintf("%d-of-%d.json", s.I, s.N))
}

func writeManifest(dir string, m manifest, s Shard) error {
	if err := os.MkdirAll(filepath.Join(dir, shardsDir), 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return writeFileAtomic(manifestPath(dir, s), append(b, '\n'))
}

// readManifests reads every shard manifest in dir (unreadable ones are
// skipped: they only improve messages).
func readManifests(dir string) []manifest {
	paths, _ := filepath.Glob(filepath.Join(dir, shardsDir, "*-of-*.json"))
	var out []manifest
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var m manifest
		if json.Unmarshal(data, &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// writeFileAtomic writes data to path through a synced temporary file in
// the same folder and a rename, so path holds the old bytes or the new ones.
func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("sweep: writing %s: %w", path, err)
	}
	return nil
}

// syncDir flushes a folder's entries (a run moved in) to disk.
func syncDir(dir string) error {
	if err := atomicfile.SyncDir(dir); err != nil {
		return fmt.Errorf("sweep: syncing %s: %w", dir, err)
	}
	return nil
}
