package importrules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/akash-market/akash/"

// Libraries the table names, by the import-path prefixes they cover.
var libraries = map[string][]string{
	"yaml":     {"go.yaml.in/yaml/", "gopkg.in/yaml."},
	"uint256":  {"github.com/holiman/uint256"},
	"gonum":    {"gonum.org/v1/gonum/"},
	"plot":     {"gonum.org/v1/plot", "golang.org/x/image/"}, // plot's fonts come from x/image
	"docker":   {"github.com/docker/", "github.com/containerd/", "github.com/distribution/reference", "github.com/opencontainers/"},
	"cosmos":   {"cosmossdk.io/", "github.com/cosmos/", "github.com/cometbft/", "google.golang.org/grpc", "google.golang.org/protobuf", "google.golang.org/genproto/", "github.com/golang/protobuf/", "github.com/grpc-ecosystem/grpc-gateway/", "github.com/spf13/cobra"},
	"prom":     {"github.com/prometheus/"},
	"anything": {""},
}

// rule is one row of DESIGN.md's table: the folder (a package path inside the
// module, or a prefix ending in "/"), the module folders it may import
// (prefixes again) and the libraries (keys of libraries). The standard
// library is always allowed; a package may always import its own subpackages.
type rule struct {
	folder  string
	folders []string
	libs    []string
}

// table is DESIGN.md's "Layout and who may import whom", row by row, most
// specific first. Floors: a folder imports only from the floors below it;
// "core/ never imports sim, node, runtime or overlay; sim never imports node;
// node never imports sim or provider".
var table = []rule{
	{"core/money", nil, []string{"uint256"}},
	{"core/manifest", []string{"core/money", "internal/yamlfile"}, []string{"yaml"}},
	{"core/market", []string{"core/money", "core/manifest"}, nil},
	{"core/lease", []string{"core/money", "core/market"}, nil},
	{"core/", []string{"core/"}, nil}, // other core packages (whitepaper's acceptance suite): core only
	{"internal/", nil, []string{"yaml"}},
	{"sim", []string{"core/", "internal/", "sim/"}, []string{"gonum"}},
	{"scenarios", []string{"sim", "internal/"}, nil},
	{"reports", []string{"sim", "scenarios", "core/", "reports/"}, []string{"gonum", "plot"}},
	{"sweep", []string{"sim", "scenarios", "core/", "reports", "internal/"}, []string{"gonum", "plot"}},
	{"loadtest", []string{"sim", "scenarios", "core/", "reports"}, []string{"gonum", "plot"}},
	{"node/", []string{"core/", "node/"}, []string{"cosmos"}},
	{"runtime", []string{"core/manifest", "runtime/"}, []string{"docker"}},
	{"overlay", []string{"core/manifest", "overlay/"}, []string{"prom"}},
	{"provider/", []string{"core/", "node/", "runtime", "overlay", "provider/"}, []string{"prom", "cosmos"}},
	{"replay", []string{"sim/trace", "node/", "core/"}, []string{"cosmos"}},
	{"cmd/", []string{""}, []string{"anything"}},
	{"deploy", []string{""}, []string{"anything"}}, // tests of the deployment recipes only
}

// exception is an import the table does not allow but that stays, for the
// reason given. Keep this list short: each entry is a debt or a choice the
// table does not spell out.
type exception struct{ from, to, why string }

var exceptions = []exception{
	// Readers of YAML files above internal/: they walk the yaml.Node trees
	// that internal/yamlfile parses (positions for their errors).
	{"scenarios", "go.yaml.in/yaml/", "walks the yaml.Node tree internal/yamlfile returns"},
	{"sweep", "go.yaml.in/yaml/", "walks the sweep spec's yaml.Node tree from internal/yamlfile"},
	{"provider/config", "go.yaml.in/yaml/", "reads the daemon's YAML config file"},
	{"provider/manage", "go.yaml.in/yaml/", "reads the management tier's YAML policy config (--config)"},
	{"node/x/provider/client/cli", "go.yaml.in/yaml/", "reads the provider's attributes file (Akash's provider.yaml)"},
	// The floor below sim: scenarios hands core's money values to sim.
	{"scenarios", "core/", "scenario values are core's types (money)"},
	// The matcher's load test measures latencies with HdrHistogram.
	{"loadtest", "github.com/HdrHistogram/", "latency histograms of the load test"},
	// A test harness (it imports testing) reading the SDL corpus into amounts.
	{"internal/sdlcorpus", "core/money", "test harness: the corpus's expected amounts are core/money values"},
}

func ruleFor(pkg string) (rule, bool) {
	for _, r := range table {
		if under(pkg, r.folder) {
			return r, true
		}
	}
	return rule{}, false
}

// under says whether pkg is folder, or inside it; a folder ending in "/"
// matches what is inside it only, and "" matches everything.
func under(pkg, folder string) bool {
	if folder == "" {
		return true
	}
	if strings.HasSuffix(folder, "/") {
		return strings.HasPrefix(pkg, folder) || pkg+"/" == folder
	}
	return pkg == folder || strings.HasPrefix(pkg, folder+"/")
}

func standard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// allowed says whether pkg (a module package, without the module prefix) may
// import imp (a full import path), and if not, what the table says.
func allowed(pkg, imp string) (bool, string) {
	ok, why, _ := check(pkg, imp)
	return ok, why
}

// check is allowed, and the index of the exception that allowed the import
// (-1 for none).
func check(pkg, imp string) (bool, string, int) {
	if standard(imp) {
		return true, "", -1
	}
	r, ok := ruleFor(pkg)
	if !ok {
		return false, "no row of DESIGN.md's table covers " + pkg, -1
	}
	if inner, ok := strings.CutPrefix(imp, module); ok {
		if under(inner, pkg) {
			return true, "", -1
		}
		for _, f := range r.folders {
			if under(inner, f) {
				return true, "", -1
			}
		}
		// internal/ is the floor of leaf helpers (YAML positions and
		// errors, atomic file writes, test harnesses) under every floor
		// but core/, whose rows name what they take from it.
		if under(inner, "internal/") && !under(pkg, "core/") && !under(pkg, "internal/") {
			return true, "", -1
		}
	} else {
		for _, l := range r.libs {
			for _, p := range libraries[l] {
				if strings.HasPrefix(imp, p) {
					return true, "", -1
				}
			}
		}
	}
	for i, e := range exceptions {
		if under(pkg, e.from) && strings.HasPrefix(strings.TrimPrefix(imp, module), e.to) {
			return true, "", i
		}
	}
	return false, fmt.Sprintf("%s may import only the standard library, %s and the libraries %s",
		r.folder, strings.Join(r.folders, ", "), strings.Join(r.libs, ", ")), -1
}

type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
}

// packages lists the module's packages with their imports (not their tests').
func packages(t *testing.T) []listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Dir,GoFiles,Imports", module+"...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
		// go test caches a passing run by the files the test itself
		// touched; go list's reads are not among them, so stat the files
		// here: a changed import then runs the test again.
		for _, f := range p.GoFiles {
			_, _ = os.Stat(filepath.Join(p.Dir, f))
		}
	}
	return pkgs
}

// TestImportsFollowDesign fails on any import of a package's own (non-test)
// code that DESIGN.md's table does not allow.
func TestImportsFollowDesign(t *testing.T) {
	pkgs := packages(t)
	if len(pkgs) < 50 {
		t.Fatalf("go list found %d packages; expected the whole module", len(pkgs))
	}
	used := make([]bool, len(exceptions))
	for _, p := range pkgs {
		pkg := strings.TrimPrefix(p.ImportPath, module)
		for _, imp := range p.Imports {
			ok, want, exc := check(pkg, imp)
			if !ok {
				t.Errorf("%s imports %s; %s (DESIGN.md, \"Layout and who may import whom\")", pkg, imp, want)
			}
			if exc >= 0 {
				used[exc] = true
			}
		}
	}
	for i, e := range exceptions {
		if !used[i] {
			t.Errorf("the exception %s -> %s (%s) is no longer needed: delete it from rules_test.go", e.from, e.to, e.why)
		}
	}
}

// TestRules holds the checker to the table on cases that break it, so the
// test above cannot pass by allowing everything.
func TestRules(t *testing.T) {
	for _, c := range []struct {
		pkg, imp string
		ok       bool
	}{
		{"core/market", "fmt", true},
		{"core/market", module + "core/money", true},
		{"core/market", module + "sim", false},
		{"core/money", "go.yaml.in/yaml/v3", false},
		{"core/manifest", "go.yaml.in/yaml/v3", true},
		{"core/lease", module + "node/x/market/types", false},
		{"sim", "go.yaml.in/yaml/v3", false},
		{"sim", module + "internal/yamlfile", true},
		{"sim", module + "node/app", false},
		{"sim/tiers", module + "sim", true},
		{"sim", "gonum.org/v1/gonum/stat", true},
		{"node/x/market/keeper", module + "sim", false},
		{"node/app", module + "provider/daemon", false},
		{"node/cli", module + "provider/daemon", false},
		{"cmd/akash-node/cli", module + "provider/daemon", true},
		{"provider/overlaylink", "github.com/docker/docker/client", false},
		{"runtime", "github.com/docker/docker/client", true},
		{"overlay/tunnel", module + "runtime", false},
		{"provider/daemon", module + "runtime", true},
		{"replay", module + "sim/trace", true},
		{"replay", module + "sim", false},
		{"cmd/akash-sim", "github.com/spf13/viper", true},
		{"internal/yamlfile", module + "core/money", false},
		{"newfolder", "fmt", true},
		{"newfolder", module + "core/money", false},
		{"provider/gateway", module + "internal/atomicfile", true},
		{"core/market", module + "internal/atomicfile", false},
		{"core/manifest", module + "internal/yamlfile", true},
		{"internal/yamlfile", module + "internal/atomicfile", false},
	} {
		if got, why := allowed(c.pkg, c.imp); got != c.ok {
			t.Errorf("allowed(%s, %s) = %v (%s), want %v", c.pkg, c.imp, got, why, c.ok)
		}
	}
	for _, r := range table {
		for _, l := range r.libs {
			if libraries[l] == nil {
				t.Errorf("row %s names a library the test does not know: %s", r.folder, l)
			}
		}
	}
}
