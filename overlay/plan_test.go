package overlay

import (
	"reflect"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/manifest"
)

func conn(from, to string, port uint32, proto string) manifest.Connection {
	return manifest.Connection{From: from, To: to, Port: port, Proto: proto}
}

func TestPlanLinks(t *testing.T) {
	dep := DeploymentID{Owner: "akash1tenant", DSeq: 7}
	webDB := conn("web", "db", 5432, "TCP")
	webCache := conn("web", "cache", 6379, "TCP")
	apiDB := conn("api", "db", 5432, "TCP")
	for _, tc := range []struct {
		name      string
		topo      manifest.Topology
		placement Placement
		want      Plan
		wantErr   string
	}{
		{
			name:      "across providers: one link",
			topo:      manifest.Topology{Allowed: []manifest.Connection{webDB}},
			placement: Placement{"web": "provA", "db": "provB"},
			want:      Plan{Tunnels: []Link{{Deployment: dep, Conn: webDB, Client: "provA", Server: "provB"}}},
		},
		{
			name:      "same provider: local, no tunnel",
			topo:      manifest.Topology{Allowed: []manifest.Connection{webDB}},
			placement: Placement{"web": "provA", "db": "provA"},
			want:      Plan{Local: []manifest.Connection{webDB}},
		},
		{
			name:      "mixed, deterministic order whatever the input order",
			topo:      manifest.Topology{Allowed: []manifest.Connection{webDB, apiDB, webCache}},
			placement: Placement{"web": "provA", "api": "provB", "db": "provB", "cache": "provC"},
			want: Plan{
				Tunnels: []Link{
					{Deployment: dep, Conn: webCache, Client: "provA", Server: "provC"},
					{Deployment: dep, Conn: webDB, Client: "provA", Server: "provB"},
				},
				Local: []manifest.Connection{apiDB},
			},
		},
		{
			name:      "global exposes are not tunnels",
			topo:      manifest.Topology{Global: []manifest.Expose{{Service: "web", Port: 80, Proto: "TCP", Global: true}}},
			placement: Placement{"web": "provA", "db": "provB"},
			want:      Plan{},
		},
		{
			name:      "denied by default: no allowed connection, no link",
			topo:      manifest.Topology{},
			placement: Placement{"web": "provA", "db": "provB"},
			want:      Plan{},
		},
		{
			name:      "unplaced service",
			topo:      manifest.Topology{Allowed: []manifest.Connection{webDB}},
			placement: Placement{"web": "provA"},
			wantErr:   `service "db" has no provider`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PlanLinks(dep, tc.topo, tc.placement)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("plan\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestPlanFromManifest(t *testing.T) {
	m, err := manifest.Parse("deploy.yaml", []byte(twoTierSDL))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := PlacementFromGroups(m.Groups(), map[string]string{"west": "provA", "east": "provB"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := PlanLinks(DeploymentID{Owner: "akash1tenant", DSeq: 1}, m.Topology(), pl)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tunnels) != 1 || ConnString(p.Tunnels[0].Conn) != "web->db:5432/tcp" {
		t.Fatalf("tunnels = %+v, want exactly web->db:5432/tcp", p.Tunnels)
	}
	// db -> web is not allowed by the manifest: no link, whatever the placement.
	for _, l := range p.Tunnels {
		if l.Conn.From == "db" {
			t.Fatalf("denied connection planned: %v", l)
		}
	}
	if got := p.ClientLinks("provA"); len(got) != 1 {
		t.Fatalf("provA client links = %v", got)
	}
	if got := p.ServerLinks("provA"); len(got) != 0 {
		t.Fatalf("provA server links = %v", got)
	}
	if got := p.ServerLinks("provB"); len(got) != 1 {
		t.Fatalf("provB server links = %v", got)
	}
}

func TestPlacementFromGroups(t *testing.T) {
	groups := []manifest.Group{{Name: "west", Services: []string{"web"}}, {Name: "east", Services: []string{"db", "web"}}}
	if _, err := PlacementFromGroups(groups, map[string]string{"west": "provA", "east": "provB"}); err == nil || !strings.Contains(err.Error(), `service "web" runs in groups at providers`) {
		t.Fatalf("err = %v, want a two-provider refusal", err)
	}
	pl, err := PlacementFromGroups(groups, map[string]string{"west": "provA", "east": "provA"})
	if err != nil || pl["web"] != "provA" || pl["db"] != "provA" {
		t.Fatalf("placement = %v, %v", pl, err)
	}
	if _, err := PlacementFromGroups(groups, map[string]string{"west": "provA"}); err == nil || !strings.Contains(err.Error(), `group "east" has no provider`) {
		t.Fatalf("err = %v, want missing group", err)
	}
}

const twoTierSDL = `
version: "2.0"
services:
  web:
    image: akash-test/hello:1
    expose:
      - port: 80
        to:
          - global: true
  db:
    image: akash-test/hello:1
    expose:
      - port: 5432
        to:
          - service: web
profiles:
  compute:
    small:
      resources:
        cpu: {units: 0.5}
        memory: {size: 256Mi}
        storage: {size: 1Gi}
  placement:
    west:
      pricing:
        small: {denom: uakt, amount: 10}
    east:
      pricing:
        small: {denom: uakt, amount: 10}
deployment:
  web:
    west: {profile: small, count: 1}
  db:
    east: {profile: small, count: 1}
`
