package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/akash-market/akash/sim"
)

// files holds the shipped scenarios (*.yaml) and the template.
//
//go:embed *.yaml template/scenario.yaml
var files embed.FS

// DefaultName is the scenario `akash-sim run` uses when given none.
const DefaultName = "default"

// Default returns the embedded default scenario (default.yaml): the baseline
// market of Defaults, a simulated day that runs in seconds.
func Default() *sim.Scenario {
	sc, err := Open(DefaultName)
	if err != nil {
		// default.yaml is part of the binary and a test loads it: this
		// cannot happen in a build whose tests pass.
		panic("scenarios: embedded default.yaml does not load: " + err.Error())
	}
	return sc
}

// Shipped lists the shipped scenarios' names (file names without .yaml), sorted.
func Shipped() []string {
	entries, _ := fs.Glob(files, "*.yaml")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e, ".yaml"))
	}
	slices.Sort(names)
	return names
}

// Open loads a shipped scenario by name (as Shipped lists it; a trailing
// ".yaml" is accepted), with the given overrides.
func Open(name string, overrides ...string) (*sim.Scenario, error) {
	data, err := Source(name)
	if err != nil {
		return nil, err
	}
	return Load(strings.TrimSuffix(name, ".yaml")+".yaml", data, overrides)
}

// Source returns a shipped scenario's YAML text.
func Source(name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".yaml")
	if !slices.Contains(Shipped(), name) {
		return nil, fmt.Errorf("%w %q: shipped scenarios are %s", ErrUnknownScenario, name, strings.Join(Shipped(), ", "))
	}
	return files.ReadFile(name + ".yaml")
}

// Template returns a commented scenario file that lists every key with its
// unit and default (what `akash-sim scenario init` writes). It loads as is,
// giving the default scenario; the tiers are written out but commented.
func Template() []byte {
	b, err := files.ReadFile("template/scenario.yaml")
	if err != nil {
		panic("scenarios: embedded template missing: " + err.Error())
	}
	return b
}
