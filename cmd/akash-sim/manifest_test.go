package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/akash-market/akash/internal/sdlcorpus"
	"github.com/akash-market/akash/scenarios"
)

// run executes akash-sim in-process with args and returns stdout, stderr and
// the exit code main would use.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := newRootCommand()
	var out, errb bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SetArgs(args)
	code := 0
	if err := cmd.Execute(); err != nil {
		code = exitCode(err)
		fmt.Fprintln(&errb, err)
	}
	return out.String(), errb.String(), code
}

// TestInspectAgreesWithAkashOnCorpus runs `akash-sim manifest inspect --output json`
// over every real manifest in the corpus and compares with Akash's own parser.
func TestInspectAgreesWithAkashOnCorpus(t *testing.T) {
	dir, entries := sdlcorpus.Load(t)
	rejected := 0
	for _, want := range entries {
		out, errOut, code := run(t, "manifest", "inspect", "--output", "json", filepath.Join(dir, want.File))
		if !want.OK {
			rejected++
			if code != exitInvalid {
				t.Errorf("%s: Akash rejects it (%s) but inspect exited %d", want.File, want.Error, code)
			}
			continue
		}
		if code != 0 {
			t.Errorf("%s: Akash accepts it but inspect exited %d:\n%s", want.File, code, errOut)
			continue
		}
		var got struct {
			Groups []sdlcorpus.Group `json:"groups"`
		}
		dec := json.NewDecoder(strings.NewReader(out))
		dec.UseNumber()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("%s: output is not JSON: %v\n%s", want.File, err, out)
		}
		if len(got.Groups) != len(want.Groups) {
			t.Errorf("%s: %d groups, Akash has %d", want.File, len(got.Groups), len(want.Groups))
			continue
		}
		for i := range want.Groups {
			w, g := sdlcorpus.Lines(t, want.Groups[i]), sdlcorpus.Lines(t, got.Groups[i])
			if !slices.Equal(w, g) {
				t.Errorf("%s: group %s differs (- Akash, + ours):\n%s", want.File, want.Groups[i].Name, sdlcorpus.Diff(w, g))
			}
		}
	}
	if len(entries) != 239 || rejected != 17 {
		t.Errorf("corpus has %d files (%d rejected); expected 239 (17 rejected)", len(entries), rejected)
	}
}

func TestInspectEmbeddedExample(t *testing.T) {
	out, errOut, code := run(t, "manifest", "inspect")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Group core", "Group edge", "web -> db:5432/TCP", "internet -> web:80/TCP"} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, out)
		}
	}
}

func TestValidateReportsEveryProblemAndExitCode(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	doc := strings.Replace(string(exampleManifest), "size: 512Mi", "size: 512mb", 1)
	doc = strings.Replace(doc, "count: 2", "count: 0", 1)
	if err := os.WriteFile(bad, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, exampleManifest, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := run(t, "manifest", "validate", good, bad)
	if code != exitInvalid {
		t.Fatalf("exit %d, want %d", code, exitInvalid)
	}
	for _, want := range []string{"bad.yaml:", "profiles.compute.web.resources.memory.size", "deployment.web.edge.count", "1 of 2 manifests invalid"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("validate stderr lacks %q:\n%s", want, errOut)
		}
	}
	if _, _, code := run(t, "manifest", "validate", good); code != 0 {
		t.Errorf("valid file: exit %d", code)
	}
	if _, _, code := run(t, "manifest", "validate", filepath.Join(dir, "missing.yaml")); code != exitInvalid {
		t.Errorf("missing file: exit %d, want %d", code, exitInvalid)
	}
	if _, _, code := run(t, "manifest", "inspect", "--output", "yaml"); code != exitUsage {
		t.Errorf("bad --output: exit %d, want %d", code, exitUsage)
	}
}

func TestHashIsStableAndJSON(t *testing.T) {
	a, _, code := run(t, "manifest", "hash")
	if code != 0 || len(strings.TrimSpace(a)) != 64 {
		t.Fatalf("hash = %q (exit %d)", a, code)
	}
	b, _, _ := run(t, "manifest", "hash", "--output", "json")
	var v struct{ Version string }
	if err := json.Unmarshal([]byte(b), &v); err != nil || v.Version != strings.TrimSpace(a) {
		t.Errorf("json hash %q vs text %q (%v)", b, a, err)
	}
}

// TestEveryCommandHasHelpAndExample keeps the promise that `--help` always
// shows an example.
func TestEveryCommandHasHelpAndExample(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Name() != "help" && c.Name() != "completion" && !c.HasParent() || c.Runnable() || c.HasSubCommands() {
			if c.Short == "" || c.Example == "" {
				t.Errorf("%q lacks Short or Example", c.CommandPath())
			}
		}
		for _, s := range c.Commands() {
			if s.Name() != "help" && s.Name() != "completion" {
				walk(s)
			}
		}
	}
	walk(newRootCommand())
}

// TestExamplesParse runs every example line of every command's help through
// the real command tree and flag parser, so help text cannot drift from the
// commands: an unknown subcommand or flag fails here, as does a shipped
// scenario name that does not exist.
func TestExamplesParse(t *testing.T) {
	root := newRootCommand()
	shipped := map[string]bool{}
	for _, s := range scenarios.Shipped() {
		shipped[s] = true
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, line := range strings.Split(c.Example, "\n") {
			line, _, _ = strings.Cut(strings.TrimSpace(line), "#")
			if !strings.HasPrefix(line, "akash-sim ") || strings.ContainsAny(line, "|>&$") {
				continue
			}
			args := strings.Fields(line)[1:]
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == root {
				t.Errorf("%s example %q: no such command (%v)", c.CommandPath(), line, err)
				continue
			}
			cmd.InitDefaultHelpFlag()
			if err := cmd.ParseFlags(rest); err != nil {
				t.Errorf("%s example %q: %v", c.CommandPath(), line, err)
				continue
			}
			if cmd.Name() == "run" && cmd.Flags().NArg() == 1 {
				if name := cmd.Flags().Arg(0); !strings.Contains(name, ".") && !shipped[name] {
					t.Errorf("%s example %q: %q is not a shipped scenario", c.CommandPath(), line, name)
				}
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}

// TestHashIsAkashVersion: `manifest hash` prints Akash's version for real
// files, and --hashed prints the JSON whose sha256 it is.
func TestHashIsAkashVersion(t *testing.T) {
	dir, entries := sdlcorpus.Load(t)
	checked := 0
	for _, e := range entries {
		if !e.OK || checked == 5 {
			continue
		}
		checked++
		out, errOut, code := run(t, "manifest", "hash", filepath.Join(dir, e.File))
		if code != 0 || strings.TrimSpace(out) != e.Version {
			t.Errorf("%s: hash %q (exit %d, %s), Akash's version is %s", e.File, out, code, errOut, e.Version)
		}
		out, _, _ = run(t, "manifest", "hash", "--hashed", filepath.Join(dir, e.File))
		lines := strings.SplitN(out, "\n", 2)
		if sum := sha256.Sum256([]byte(strings.TrimSuffix(lines[1], "\n"))); hex.EncodeToString(sum[:]) != e.Version {
			t.Errorf("%s: --hashed printed JSON whose sha256 is not the version:\n%s", e.File, lines[1])
		}
	}
}
