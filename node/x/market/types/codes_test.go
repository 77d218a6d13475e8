package types

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryCoreErrorHasACode: every error core/market declares (a package
// variable Err... = errors.New(...)) has an ABCI code in coreCodes, so the
// chain refuses with its own code, never "undefined code 1" (issue 13: one
// error set, in core, with codes registered by the chain). A new core error
// without a code fails here, naming it.
func TestEveryCoreErrorHasACode(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "..", "core", "market")
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("core/market sources not found in %s: %v", dir, err)
	}
	coded := map[string]uint32{}
	for _, c := range coreCodes {
		coded[c.err.Error()] = c.code
	}
	// Provider-side capacity accounting (market.Capacity: the simulated
	// providers and the daemon's inventory); no chain message applies it.
	providerSide := map[string]bool{"ErrNoRoom": true, "ErrNotHeld": true}
	fset := token.NewFileSet()
	found := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !name.IsExported() || !strings.HasPrefix(name.Name, "Err") || providerSide[name.Name] || i >= len(vs.Values) {
						continue
					}
					call, ok := vs.Values[i].(*ast.CallExpr)
					if !ok || len(call.Args) != 1 {
						continue
					}
					if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "New" {
						continue
					}
					lit, ok := call.Args[0].(*ast.BasicLit)
					if !ok {
						continue
					}
					msg, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					found++
					if _, ok := coded[msg]; !ok {
						t.Errorf("%s: market.%s (%q) has no ABCI code: add it to coreCodes in errors.go with a new code", fset.Position(name.Pos()), name.Name, msg)
					}
				}
			}
		}
	}
	if found != len(coreCodes) {
		t.Errorf("core/market declares %d errors, coreCodes codes %d", found, len(coreCodes))
	}
}
