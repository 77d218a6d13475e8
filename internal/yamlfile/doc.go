// Package yamlfile holds what every strict YAML reader of the project's
// files shares (manifests, scenarios, sweep specs): reading exactly one
// document into a node tree, what a node is in the words of an error
// (IsNull, KindName) and its key path (Join, Index), an error that names
// file:line:column, key path, the problem and what would be right, and the
// "did you mean" hint for an unknown key; and writing YAML for the packages
// above it that may not import the YAML library (Marshal, Tree, Flat).
//
// It is pure (no IO, clocks or randomness), so core/manifest may import it;
// the manifest parser keeps its own FieldError, whose fields Akash's tools
// expect.
package yamlfile
