// Package scenarios is the home of the scenario schema's rules: the
// defaults of every key (Defaults and the class defaults, FillImplied for
// the keys that follow from others), the validation of a whole scenario
// (Validate, Warnings, the memory Footprint) and the loader that reads files
// into sim.Scenario (Load, Check): strict YAML whose every key is checked
// against the schema, decoded on top of the defaults (so a key written as 0
// stays 0), with --set overrides, and errors that name the file, line, key
// path and what would be right. The types themselves are sim's (sim.Scenario
// and its parts), as the simulator's input; each extension checks its own
// parameters through sim's extension API (sim.Extension.Validate).
//
// The shipped scenarios and sweep specs are embedded (Shipped and Open,
// Sweeps and SweepSource: the *.yaml beside this file and in sweeps/);
// Template, every key with its default and meaning, is
// template/scenario.yaml.
package scenarios
