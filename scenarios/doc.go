// Package scenarios reads scenario files into sim.Scenario (Load): strict
// YAML whose every key is checked against the schema, decoded on top of the
// defaults (so a key written as 0 stays 0), with --set overrides, and errors
// that name the file, line, key path and what would be right. The shipped
// scenarios and sweep specs are embedded (Shipped and Open, Sweeps and
// SweepSource: the *.yaml beside this file and in sweeps/); Template, every
// key with its default and meaning, is template/scenario.yaml.
package scenarios
