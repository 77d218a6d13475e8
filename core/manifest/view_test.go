package manifest

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"testing"
)

// The view shows what the manifest holds: the version, every group's units
// with exact numbers, and the topology; JSON keeps big numbers as strings.
func TestNewViewShowsTheManifest(t *testing.T) {
	data, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse("example.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewView("example.yaml", m)
	if err != nil {
		t.Fatal(err)
	}
	ver := m.Version()
	if v.File != "example.yaml" || v.Version != hex.EncodeToString(ver[:]) {
		t.Fatalf("file %q version %q", v.File, v.Version)
	}
	groups := m.Groups()
	if len(v.Groups) != len(groups) {
		t.Fatalf("%d groups in the view, %d in the manifest", len(v.Groups), len(groups))
	}
	for i, g := range groups {
		gv := v.Groups[i]
		if gv.Name != g.Name || len(gv.Resources) != len(g.Units) {
			t.Fatalf("group %d: view %s with %d resources, manifest %s with %d units", i, gv.Name, len(gv.Resources), g.Name, len(g.Units))
		}
		for j, u := range g.Units {
			r := gv.Resources[j]
			if r.Count != u.Count || r.CPUMillis != strconv.FormatUint(u.Resources.CPUMillis, 10) ||
				r.MemoryBytes != strconv.FormatUint(u.Resources.MemoryBytes, 10) || r.PriceDenom != u.Price.Denom {
				t.Fatalf("group %s unit %d: view %+v, manifest %+v", g.Name, j, r, u)
			}
		}
	}
	if len(v.Topology.Allowed) != len(m.Topology().Allowed) || len(v.Services) != len(m.Services()) {
		t.Fatalf("topology %d/%d allowed, services %d/%d", len(v.Topology.Allowed), len(m.Topology().Allowed), len(v.Services), len(m.Services()))
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	res := back["groups"].([]any)[0].(map[string]any)["resources"].([]any)[0].(map[string]any)
	if _, ok := res["memory_bytes"].(string); !ok {
		t.Fatalf("memory_bytes is %T in JSON, want a decimal string", res["memory_bytes"])
	}
}
