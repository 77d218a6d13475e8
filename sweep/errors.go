package sweep

import (
	"errors"
	"fmt"
	"strings"
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
	// ErrMetric: a metric is absent from, or not a number in, a summary.json.
	ErrMetric = errors.New("sweep: metric not found")
)

// Error is one problem in a spec, placed where its author can fix it.
type Error struct {
	File         string
	Line, Column int // 1-based; 0 when the problem has no place in the file
	Path         string
	Problem      string
	Hint         string
}

// Error reads "file:line:col: path: problem; hint".
func (e Error) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	} else {
		fmt.Fprintf(&b, "%s: ", e.File)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Errors is every problem LoadSpec found, one per line when printed.
type Errors []Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Is makes errors.Is(err, ErrSpec) true.
func (es Errors) Is(target error) bool { return target == ErrSpec }

// suggest returns the allowed word closest to got, or "" when none is close
// enough to be a likely typo.
func suggest(got string, allowed []string) string {
	best, bestD := "", len(got)/3+2
	for _, a := range allowed {
		if d := editDistance(strings.ToLower(got), a); d < bestD {
			best, bestD = a, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func allowedHint(got, where string, allowed []string) string {
	list := strings.Join(allowed, ", ")
	if s := suggest(got, allowed); s != "" {
		return fmt.Sprintf("did you mean %q? keys allowed in %s: %s", s, where, list)
	}
	return fmt.Sprintf("keys allowed in %s: %s", where, list)
}

// listSome prints at most 12 items, then how many more there are.
func listSome(items []string) string {
	const most = 12
	if len(items) <= most {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:most], ", "), len(items)-most)
}
