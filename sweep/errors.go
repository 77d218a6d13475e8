package sweep

import (
	"errors"
	"fmt"
	"strings"

	"github.com/akash-market/akash/internal/yamlfile"
)

// Sentinels; every error this package returns matches one with errors.Is.
var (
	// ErrSpec: the sweep spec (or a point's scenario) is wrong.
	ErrSpec = errors.New("invalid sweep spec")
	// ErrSpecChanged: the output directory holds a sweep of another spec.
	ErrSpecChanged = errors.New("sweep: the output directory holds a different sweep")
	// ErrNotSweepDir: the output directory is neither empty nor a sweep's.
	ErrNotSweepDir = errors.New("sweep: not a sweep directory")
	// ErrShard: a --shard value is malformed.
	ErrShard = errors.New("sweep: bad shard")
	// ErrIncomplete: runs are missing, so there is nothing to aggregate yet.
	ErrIncomplete = errors.New("sweep: runs missing")
	// ErrOverlap: merge found the same run in two directories.
	ErrOverlap = errors.New("sweep: runs present in more than one directory")
	// ErrRunFailed: one or more simulations failed.
	ErrRunFailed = errors.New("sweep: runs failed")
	// ErrInternal: a run panicked (a bug in the simulator or in an
	// extension); it failed with the panic and its stack, the others ran.
	ErrInternal = errors.New("sweep: internal error (a run panicked)")
	// ErrMetric: a metric is absent from, or not a number in, a summary.json.
	ErrMetric = errors.New("sweep: metric not found")
)

// Error is one problem in a spec, placed where its author can fix it.
type Error = yamlfile.Error

// Errors is every problem LoadSpec found, one per line when printed.
type Errors []Error

func (es Errors) Error() string { return yamlfile.Lines(es) }

// Is makes errors.Is(err, ErrSpec) true.
func (es Errors) Is(target error) bool { return target == ErrSpec }

// listSome prints at most 12 items, then how many more there are.
func listSome(items []string) string {
	const most = 12
	if len(items) <= most {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:most], ", "), len(items)-most)
}
