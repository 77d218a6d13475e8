// Package importrules holds no code: its test checks that every package of
// the module imports only what the layout table of DESIGN.md ("Layout and who
// may import whom", ../shared/DESIGN.md in the project's workspace) allows.
// The table is written out in rules_test.go; change it there when DESIGN.md
// changes, and fix the importer, not the rule, when the test fails.
package importrules
