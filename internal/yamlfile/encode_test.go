package yamlfile

import "testing"

func TestEncode(t *testing.T) {
	type params struct {
		Margin int    `yaml:"margin_bps"`
		Kind   string `yaml:"strategy"` // the selector: left out
		Hidden int    `yaml:"-"`
		Skip   int
		Floor  string `yaml:"floor,omitempty"`
	}
	for _, c := range []struct {
		name   string
		params any
		want   string
	}{
		{"nil", nil, "{strategy: cost-plus}"},
		{"typed nil", (*params)(nil), "{strategy: cost-plus}"},
		{"fields in order", &params{Margin: 2000, Kind: "x", Hidden: 1, Skip: 2, Floor: "1.5"}, `{strategy: cost-plus, margin_bps: 2000, floor: "1.5"}`},
	} {
		if got := FlowText(Flat("strategy", "cost-plus", c.params)); got != c.want {
			t.Errorf("%s: FlowText(Flat) = %s, want %s", c.name, got, c.want)
		}
	}
	tree, err := Tree(struct {
		Name string `yaml:"name"`
		N    int    `yaml:"blocks"`
	}{"a", 3})
	if err != nil || tree["name"] != "a" || tree["blocks"] != 3 || len(tree) != 2 {
		t.Errorf("Tree = %v, %v; want map[blocks:3 name:a]", tree, err)
	}
	if b, err := Marshal(map[string]int{"a": 1}); err != nil || string(b) != "a: 1\n" {
		t.Errorf("Marshal = %q, %v", b, err)
	}
}
