package sweep

import (
	"errors"
	"strings"
	"testing"
)

func TestLoadSpecGridOrderAndSeeds(t *testing.T) {
	p, err := LoadSpec("g.yaml", []byte(`
scenario: default
until: 30m
grid:
  market.take_rate_bps: [0, 500]
  providers[0].pricing.strategy: [cost-plus, undercut, "random-band"]
replicates: 3
seed: 9
`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "g" || len(p.Points) != 6 || p.Replicates != 3 || len(p.Runs()) != 18 {
		t.Fatalf("name %q, %d points, %d replicates", p.Name, len(p.Points), p.Replicates)
	}
	// The first key varies slowest.
	want := [][]string{{"0", "cost-plus"}, {"0", "undercut"}, {"0", `"random-band"`}, {"500", "cost-plus"}, {"500", "undercut"}, {"500", `"random-band"`}}
	for i, w := range want {
		if strings.Join(p.Points[i].Values, "|") != strings.Join(w, "|") {
			t.Errorf("point %d = %v, want %v", i, p.Points[i].Values, w)
		}
	}
	if p.Points[5].ID != "p005" || p.RunName(RunID{5, 2}) != "p005/02" {
		t.Errorf("ids %q %q", p.Points[5].ID, p.RunName(RunID{5, 2}))
	}
	if got := p.Overrides(4); strings.Join(got, " ") != "market.take_rate_bps=500 providers[0].pricing.strategy=undercut" {
		t.Errorf("overrides %v", got)
	}
	for r := range 3 {
		if p.Seeds[r] != ReplicateSeed(9, r) || p.Seeds[r] == 0 {
			t.Errorf("seed %d = %d", r, p.Seeds[r])
		}
	}
	// The derivation is part of the format: a change would silently give
	// old sweep directories other seeds.
	if got := ReplicateSeed(1, 0); got != 10451216379200822465 {
		t.Errorf("ReplicateSeed(1, 0) = %d, want 10451216379200822465 (SplitMix64)", got)
	}
	if len(p.Metrics) != len(DefaultMetrics) {
		t.Errorf("metrics %v, want the defaults", p.Metrics)
	}
	// The same spec with other comments and spacing is the same plan.
	q, err := LoadSpec("other-name.yaml", []byte("# comment\nname: g\nscenario: default\nuntil: 30m\nreplicates: 3\nseed: 9\ngrid: {market.take_rate_bps: [0, 500], \"providers[0].pricing.strategy\": [cost-plus, undercut, \"random-band\"]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if q.Hash != p.Hash {
		t.Errorf("same spec, other layout: hash %s vs %s", q.Hash, p.Hash)
	}
}

func TestLoadSpecPointsAndNoGrid(t *testing.T) {
	p, err := LoadSpec("pts.yaml", []byte(`
points:
  - {market.take_rate_bps: 0}
  - {market.take_rate_bps: 200, "providers[0].count": 30}
replicates: 2
metrics: [orders.fill_rate]
`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Params, ",") != "market.take_rate_bps,providers[0].count" || p.Points[0].Values[1] != "" {
		t.Errorf("params %v, point 0 %v", p.Params, p.Points[0].Values)
	}
	if got := p.Overrides(0); len(got) != 1 {
		t.Errorf("a key a point leaves out is not overridden: %v", got)
	}
	p, err = LoadSpec("reps.yaml", []byte("replicates: 4\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Points) != 1 || len(p.Runs()) != 4 || p.Label(0) != "base scenario" {
		t.Errorf("no grid: %d points, %d runs", len(p.Points), len(p.Runs()))
	}
}

func TestLoadSpecErrors(t *testing.T) {
	cases := []struct {
		name, spec string
		want       []string // substrings of the error, in order of lines
	}{
		{"unknown key with suggestion", "replicate: 3\n", []string{`x.yaml:1:1: replicate: unknown key; did you mean "replicates"?`}},
		{"grid value not a list", "grid:\n  market.take_rate_bps: 5\n", []string{"x.yaml:2:25: grid.market.take_rate_bps: want a non-empty list"}},
		{"duplicate grid value", "grid:\n  market.take_rate_bps: [1, 2, 1]\n", []string{"x.yaml:2:32: grid.market.take_rate_bps: value 1 is listed twice"}},
		{"grid and points", "grid: {market.take_rate_bps: [1]}\npoints: [{market.take_rate_bps: 2}]\n", []string{"x.yaml:2:9: points: a spec has either grid or points"}},
		{"duplicate point", "points:\n  - {market.take_rate_bps: 1}\n  - {market.take_rate_bps: 1}\n", []string{"x.yaml:3:5: points[1]: is the same point as points[0]"}},
		{"metric typo", "metrics: [orders.fill_rat]\n", []string{`x.yaml:1:11: metrics[0]: summary.json has no key "orders.fill_rat"; did you mean "fill_rate"?`}},
		{"metric group", "metrics: [orders]\n", []string{"x.yaml:1:11: metrics[0]: orders is a group of figures"}},
		{"replicates zero", "replicates: 0\n", []string{`x.yaml:1:13: replicates: "0" is not a whole number from 1`}},
		{"bad until", "until: soon\n", []string{`x.yaml:1:8: until: "soon" is not a positive duration`}},
		{"unknown scenario", "scenario: nope\n", []string{`x.yaml:1:11: scenario: "nope" is not a shipped scenario`}},
		{"missing scenario file", "scenario: ./nope.yaml\n", []string{"x.yaml:1:11: scenario: cannot read nope.yaml"}},
		{"bad value placed in the spec", "grid:\n  market.take_rate_bps: [0, lots]\n", []string{"x.yaml:2:29: market.take_rate_bps:"}},
		{"unknown scenario key placed in the spec", "set:\n  market.take_rate: 5\n", []string{`x.yaml:2:21: market.take_rate: unknown key; did you mean "take_rate_bps"?`}},
		{"syntax", "grid: [\n", []string{"x.yaml:"}},
		{"two problems at once", "replicates: x\nseed: -1\n", []string{"x.yaml:1:13: replicates", "x.yaml:2:7: seed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadSpec("x.yaml", []byte(c.spec))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrSpec) {
				t.Errorf("error does not match ErrSpec: %v", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) < len(c.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(lines), len(c.want), err)
			}
			for i, w := range c.want {
				if !strings.Contains(lines[i], w) {
					t.Errorf("problem %d:\n got %s\nwant %s", i, lines[i], w)
				}
			}
		})
	}
}

func TestMetricValue(t *testing.T) {
	s, err := decodeSummary([]byte(`{"orders": {"fill_rate": 0.5}, "providers": {"revenue": "12.500000000000000000"}, "l": [1, {"x": 2}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]float64{"orders.fill_rate": 0.5, "providers.revenue": 12.5, "l[1].x": 2} {
		if got, err := metricValue(s, path); err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", path, got, err, want)
		}
	}
	if _, err := metricValue(s, "orders.nope"); !errors.Is(err, ErrMetric) {
		t.Errorf("missing key: %v", err)
	}
}
