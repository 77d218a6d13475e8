package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// sweepFiles holds the shipped sweep specs (see docs/sweeps.md), so that
// `akash-sim sweep take-rate` works from the bare binary (and the FROM
// scratch image) with no file at hand.
//
//go:embed sweeps/*.yaml
var sweepFiles embed.FS

// Sweeps lists the shipped sweep specs' names (file names without .yaml),
// sorted.
func Sweeps() []string {
	entries, _ := fs.Glob(sweepFiles, "sweeps/*.yaml")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(e, "sweeps/"), ".yaml"))
	}
	slices.Sort(names)
	return names
}

// SweepSource returns a shipped sweep spec's YAML text.
func SweepSource(name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".yaml")
	if !slices.Contains(Sweeps(), name) {
		return nil, fmt.Errorf("%w %q: shipped sweeps are %s", ErrUnknownScenario, name, strings.Join(Sweeps(), ", "))
	}
	return sweepFiles.ReadFile("sweeps/" + name + ".yaml")
}
