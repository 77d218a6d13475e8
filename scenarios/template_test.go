package scenarios

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/internal/yamlfile"
	"github.com/akash-market/akash/sim"
)

// schemaPaths lists every key of t as a path: struct fields by yaml tag,
// "[]" for a list item, "<name>" for a map entry whose value has keys. A Dist
// is one key (its own keys are documented once, as dist.*); so is a Shape
// when expandShape is false (shape.*).
func schemaPaths(t reflect.Type, prefix string, expandShape bool) []string {
	var out []string
	fs := fieldsOf(t)
	for _, name := range fs.names {
		p := yamlfile.Join(prefix, name)
		out = append(out, p)
		out = append(out, valuePaths(t.Field(fs.index[name]).Type, p, expandShape)...)
	}
	return out
}

// valuePaths lists the keys inside a value of type t at path p.
func valuePaths(t reflect.Type, p string, expandShape bool) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[sim.Dist](), t == reflect.TypeFor[sim.Shape]() && !expandShape:
		return nil
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		return nil // a value written as text (money.Dec, sizes)
	case reflect.PointerTo(t).Implements(extensionKey):
		// Its selector; the other keys are the named kind's parameters.
		return []string{p + "." + reflect.New(t).Interface().(sim.ExtensionKey).SelectorKey()}
	}
	switch t.Kind() {
	case reflect.Struct:
		return schemaPaths(t, p, expandShape)
	case reflect.Slice:
		return valuePaths(t.Elem(), p+"[]", expandShape)
	case reflect.Map:
		if sub := valuePaths(t.Elem(), p+".<name>", expandShape); len(sub) > 0 {
			return append([]string{p + ".<name>"}, sub...)
		}
	}
	return nil
}

func TestSchemaPathsSeeEveryField(t *testing.T) {
	paths := strings.Join(schemaPaths(reflect.TypeFor[sim.Scenario](), "", true), " ")
	for _, want := range []string{"market.reference.cpu", "tenants[].demand[].count", "providers[].pricing.strategy",
		"tiers.delivery_network.users.<name>.peak_at", "tiers.ml_batch.worker.gpu", "regions[].latency", "market.withdraw_every"} {
		if !strings.Contains(" "+paths+" ", " "+want+" ") {
			t.Errorf("schemaPaths misses %s:\n%s", want, paths)
		}
	}
}

// TestTemplateIsTheDefault: the template loads as it is, and gives exactly
// the default scenario, so the values it shows are the true defaults.
func TestTemplateIsTheDefault(t *testing.T) {
	got, err := Load("my-scenario.yaml", Template(), nil)
	if err != nil {
		t.Fatalf("the template does not load:\n%v", err)
	}
	want, err := Load("my-scenario.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := fmtScenario(got), fmtScenario(want); g != w {
		t.Errorf("template ≠ defaults:\n got %s\nwant %s", g, w)
	}
}

// uncommented turns the template's commented-out YAML (indented "# key: …"
// lines: the demand example and the tiers) into YAML, so that it can be
// checked like the rest.
func uncommented(tpl []byte) []byte {
	var b strings.Builder
	for _, line := range strings.Split(string(tpl), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if strings.HasPrefix(trimmed, "demand: []") {
			continue // the commented example below it replaces it
		}
		if indent := len(line) - len(trimmed); indent > 0 && strings.HasPrefix(trimmed, "# ") {
			line = line[:indent] + trimmed[2:]
		}
		b.WriteString(line + "\n")
	}
	return []byte(b.String())
}

// TestTemplateListsEveryKey: with its commented parts restored, the template
// decodes without an unknown key or a bad value, and holds every key of
// sim.Scenario; a field added to the schema fails here until it is in the
// template.
func TestTemplateListsEveryKey(t *testing.T) {
	full := uncommented(Template())
	root, perr := yamlfile.ParseOne("template", full, "scenario")
	if perr != nil {
		t.Fatalf("uncommented template: %v\n%s", perr, full)
	}
	d := newDecoder("template")
	sc := Defaults()
	d.decode(root, reflect.ValueOf(&sc).Elem(), "")
	if len(d.errs) > 0 {
		t.Fatalf("uncommented template:\n%v", d.errs)
	}
	for _, p := range schemaPaths(reflect.TypeFor[sim.Scenario](), "", true) {
		if nodeAt(root, p) == nil {
			t.Errorf("template lacks %s", p)
		}
	}
}

// nodeAt finds path p in a node tree ("[]" is the first item, "<name>" the
// first entry).
func nodeAt(n *yaml.Node, p string) *yaml.Node {
	for _, seg := range strings.FieldsFunc(strings.ReplaceAll(p, "[]", ".[]"), func(r rune) bool { return r == '.' }) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		switch {
		case seg == "[]":
			if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		case seg == "<name>":
			if n.Kind != yaml.MappingNode || len(n.Content) < 2 {
				return nil
			}
			n = n.Content[1]
		default:
			if n.Kind != yaml.MappingNode {
				return nil
			}
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg {
					next = n.Content[i+1]
				}
			}
			if next == nil {
				return nil
			}
			n = next
		}
	}
	return n
}

// TestDocsListEveryKey: docs/scenarios.md names every key, as `path`, in its
// tables; Shape's and Dist's own keys as `shape.<key>` and `dist.<key>`.
func TestDocsListEveryKey(t *testing.T) {
	want := schemaPaths(reflect.TypeFor[sim.Scenario](), "", false)
	want = append(want, schemaPaths(reflect.TypeFor[sim.Shape](), "shape", true)...)
	want = append(want, schemaPaths(reflect.TypeFor[sim.Dist](), "dist", true)...)
	if testing.Verbose() {
		fmt.Println(strings.Join(want, "\n"))
	}
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range want {
		row := regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(p) + "` \\|")
		if !row.Match(doc) {
			t.Errorf("docs/scenarios.md has no table row for `%s`", p)
		}
	}
}
