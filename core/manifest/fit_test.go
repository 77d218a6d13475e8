package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akash-market/akash/internal/sdlcorpus"

	"github.com/akash-market/akash/core/money"
)

func fitGroup(edit func(g *Group)) Group {
	g := Group{
		Name:         "westcoast",
		Requirements: PlacementRequirements{Attributes: Attributes{{Key: "region", Value: "us-west"}}},
		Units: []ResourceUnit{
			{Profile: "web", Count: 1, Resources: Resources{CPUMillis: 250, MemoryBytes: 64 << 20,
				Storage: []StorageVolume{{Name: "default", Bytes: 512 << 20}}}},
			{Profile: "db", Count: 1, Resources: Resources{CPUMillis: 1000, MemoryBytes: 1 << 30,
				Storage: []StorageVolume{{Name: "data", Bytes: 10 << 30, Attributes: Attributes{{Key: "persistent", Value: "true"}}}, {Name: "default", Bytes: 1 << 30}}}},
		},
		Services: []string{"db", "web"},
		Exposes: []Expose{
			{Service: "db", Port: 5432, Proto: "TCP", ToService: "web"},
			{Service: "web", Port: 8080, ExternalPort: 80, Proto: "TCP", Global: true},
		},
	}
	if edit != nil {
		edit(&g)
	}
	return g
}

func TestFitsOrder(t *testing.T) {
	ordered := fitGroup(nil)
	for _, tc := range []struct {
		name string
		edit func(g *Group)
		want []string // substrings of the error; none: fits
	}{
		{name: "same group", edit: nil},
		{name: "fewer replicas", edit: func(g *Group) { g.Units[0].Count = 0 }},
		{name: "profile renamed, same resources", edit: func(g *Group) { g.Units[0].Profile = "frontend" }},
		{name: "units split per service", edit: func(g *Group) {
			// Akash's grouping: one unit per service even when they share resources.
			web := g.Units[0]
			g.Units = append(g.Units, web)
			g.Units[0].Count, g.Units[2].Count = 0, 1
		}},
		{name: "prices differ", edit: func(g *Group) { g.Units[0].Price = money.Coin{Denom: "uakt", Amount: money.NewDec(999)} }},
		{name: "more replicas", edit: func(g *Group) { g.Units[0].Count = 3 },
			want: []string{"profile web: 3 replica(s) of cpu 0.25, memory 64Mi, storage default=512Mi, but the order has 1 such replica(s) left"}},
		{name: "two units share the ordered pool", edit: func(g *Group) {
			web := g.Units[0]
			web.Profile = "web2"
			g.Units = append(g.Units, web)
		}, want: []string{"profile web2: 1 replica(s)", "has 0 such replica(s) left"}},
		{name: "bigger replica", edit: func(g *Group) {
			g.Units[0].Resources.CPUMillis = 2000
			g.Units[0].Resources.MemoryBytes = 2 << 30
		}, want: []string{"no ordered replica has these resources (cpu 2 (ordered 0.25), memory 2Gi (ordered 64Mi))"}},
		{name: "smaller replica differs", edit: func(g *Group) { g.Units[1].Resources.CPUMillis = 500 },
			want: []string{"profile db", "cpu 0.5 (ordered 1)"}},
		{name: "storage made persistent", edit: func(g *Group) {
			g.Units[0].Resources.Storage = []StorageVolume{{Name: "default", Bytes: 512 << 20, Attributes: Attributes{{Key: "persistent", Value: "true"}}}}
		}, want: []string{"storage default=512Mi persistent:true (ordered default=512Mi)"}},
		{name: "gpu added", edit: func(g *Group) { g.Units[0].Resources.GPU.Units = 1 }, want: []string{"gpu 1 (ordered 0)"}},
		{name: "bandwidth added", edit: func(g *Group) { g.Units[0].Resources.BandwidthBps = 10 << 20 }, want: []string{"bandwidth 10Mi/s (ordered 0/s)"}},
		{name: "another placement", edit: func(g *Group) { g.Name = "eastcoast" },
			want: []string{`group "westcoast"`, `the manifest's placement is "eastcoast", the leased group's "westcoast"`}},
		{name: "requirements changed", edit: func(g *Group) { g.Requirements.Attributes[0].Value = "us-east" },
			want: []string{"placement requirements {region=us-east} differ from the ordered {region=us-west}"}},
		{name: "signer changed", edit: func(g *Group) { g.Requirements.SignedBy.AnyOf = []string{"akash1auditor"} },
			want: []string{"signedBy.anyOf=akash1auditor"}},
		{name: "more published ports", edit: func(g *Group) {
			g.Exposes = append(g.Exposes, Expose{Service: "db", Port: 5432, Proto: "TCP", Global: true})
		}, want: []string{"2 port(s) published to the internet, the order had 1"}},
		{name: "a leased IP named", edit: func(g *Group) { g.Exposes[1].IP = "myip" },
			want: []string{"1 leased IP(s) named, the order had 0"}},
		{name: "every problem at once", edit: func(g *Group) {
			g.Name = "eastcoast"
			g.Units[0].Count = 5
			g.Units[1].Resources.MemoryBytes = 4 << 30
		}, want: []string{"placement", "profile web: 5 replica(s)", "memory 4Gi (ordered 1Gi)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := fitGroup(func(g *Group) {
				// Deep-copy what edits change, so the ordered group stays as it is.
				g.Units = append([]ResourceUnit(nil), g.Units...)
				g.Exposes = append([]Expose(nil), g.Exposes...)
				g.Requirements.Attributes = append(Attributes(nil), g.Requirements.Attributes...)
				if tc.edit != nil {
					tc.edit(g)
				}
			})
			err := FitsOrder(ordered, got)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("refused a group that fits: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted; want an error containing %q", tc.want)
			}
			var fe *FitError
			if !errors.Is(err, ErrExceedsOrder) || !errors.As(err, &fe) {
				t.Fatalf("error %v does not wrap ErrExceedsOrder as a *FitError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n  %v\nlacks %q", err, w)
				}
			}
		})
	}
}

func TestFitsOrders(t *testing.T) {
	b, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse("example.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	if err := FitsOrders(m.Groups(), m.Groups()); err != nil {
		t.Fatalf("a manifest does not fit its own groups: %v", err)
	}
	bigger, err := Parse("bigger.yaml", []byte(strings.Replace(string(b), "count: 2", "count: 3", 1)))
	if err != nil {
		t.Fatal(err)
	}
	err = FitsOrders(m.Groups(), bigger.Groups())
	if !errors.Is(err, ErrExceedsOrder) || !strings.Contains(err.Error(), "gseq 2: group \"edge\": profile web: 3 replica(s)") {
		t.Fatalf("3 web replicas where 2 were ordered: got %v", err)
	}
	err = FitsOrders(m.Groups(), m.Groups()[:1])
	if !errors.Is(err, ErrExceedsOrder) || !strings.Contains(err.Error(), "the manifest has 1 group(s) (core), the deployment ordered 2 (core, edge)") {
		t.Fatalf("a group removed: got %v", err)
	}
}

// TestFitsOrderCorpus: on every real manifest of the corpus each group fits
// itself, and the same group with one more replica, or its first unit one
// millicore bigger, does not.
func TestFitsOrderCorpus(t *testing.T) {
	dir, files := sdlcorpus.Load(t)
	checked := 0
	for _, f := range files {
		if !f.OK {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, f.File))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Parse(f.File, data)
		if err != nil {
			continue // the corpus test reports parser disagreements
		}
		if err := FitsOrders(m.Groups(), m.Groups()); err != nil {
			t.Errorf("%s: groups do not fit themselves: %v", f.File, err)
		}
		for _, g := range m.Groups() {
			more := g
			more.Units = append([]ResourceUnit(nil), g.Units...)
			more.Units[0].Count++
			bigger := g
			bigger.Units = append([]ResourceUnit(nil), g.Units...)
			bigger.Units[0].Resources.CPUMillis++
			for what, got := range map[string]Group{"one more replica": more, "a bigger replica": bigger} {
				if err := FitsOrder(g, got); !errors.Is(err, ErrExceedsOrder) {
					t.Errorf("%s group %s with %s: %v, want refused", f.File, g.Name, what, err)
				}
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no corpus group checked")
	}
	t.Logf("%d groups checked", checked)
}
