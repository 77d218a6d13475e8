// Package yamlfile holds what every strict YAML reader of the project's
// files shares (scenarios, sweep specs): reading exactly one document into a
// node tree, an error that names file:line:column, key path, the problem and
// what would be right, and the "did you mean" hint for an unknown key.
//
// The manifest parser (core/manifest) keeps its own FieldError: core/ may not
// import outside the standard library, the YAML library and its decimal code.
package yamlfile
