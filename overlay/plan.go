package overlay

import (
	"fmt"
	"sort"
	"strings"

	"github.com/akash-market/akash/core/manifest"
)

// DeploymentID names a deployment on chain: its owner's address and sequence.
type DeploymentID struct {
	Owner string
	DSeq  uint64
}

func (d DeploymentID) String() string { return fmt.Sprintf("%s/%d", d.Owner, d.DSeq) }

// Placement says which provider (by address) runs each service of a deployment.
type Placement map[string]string

// Link is one allowed connection whose two ends run at different providers:
// the provider running Conn.From (Client) carries it to the provider running
// Conn.To (Server). One Link is one tunnel.
type Link struct {
	Deployment DeploymentID
	Conn       manifest.Connection
	Client     string // provider address running Conn.From
	Server     string // provider address running Conn.To
}

// Plan is what a deployment's topology means for the overlay once placed.
type Plan struct {
	// Tunnels are the allowed connections across providers, in the topology's
	// order (From, To, Port, Proto).
	Tunnels []Link
	// Local are the allowed connections whose two ends share a provider: the
	// provider's runtime wires them inside its lease network, no tunnel.
	Local []manifest.Connection
}

// PlanLinks computes the overlay plan of deployment dep: every connection
// topo allows becomes a Link when its two services sit at different providers
// of placement, or a Local connection when they share one. Global exposes are
// not connections between workloads and never become tunnels. A service that
// the topology names but placement does not place is an error, because its
// connection could then be neither carried nor refused knowingly.
func PlanLinks(dep DeploymentID, topo manifest.Topology, placement Placement) (Plan, error) {
	if dep.Owner == "" {
		return Plan{}, fmt.Errorf("overlay: deployment owner is empty; want the tenant's address")
	}
	var p Plan
	for _, c := range topo.Allowed {
		from, ok := placement[c.From]
		if !ok || from == "" {
			return Plan{}, fmt.Errorf("overlay: deployment %s: connection %s: service %q has no provider in the placement; place every service the topology names", dep, ConnString(c), c.From)
		}
		to, ok := placement[c.To]
		if !ok || to == "" {
			return Plan{}, fmt.Errorf("overlay: deployment %s: connection %s: service %q has no provider in the placement; place every service the topology names", dep, ConnString(c), c.To)
		}
		if from == to {
			p.Local = append(p.Local, c)
			continue
		}
		p.Tunnels = append(p.Tunnels, Link{Deployment: dep, Conn: c, Client: from, Server: to})
	}
	// topo.Allowed is sorted already; sorting again keeps the promise even for
	// a hand-built Topology.
	sort.SliceStable(p.Tunnels, func(i, j int) bool { return connLess(p.Tunnels[i].Conn, p.Tunnels[j].Conn) })
	sort.SliceStable(p.Local, func(i, j int) bool { return connLess(p.Local[i], p.Local[j]) })
	return p, nil
}

// ClientLinks are the links that provider runs the client end of: it listens
// locally for them.
func (p Plan) ClientLinks(provider string) []Link {
	return p.filter(func(l Link) bool { return l.Client == provider })
}

// ServerLinks are the links that provider terminates: it accepts them and
// forwards to its workload.
func (p Plan) ServerLinks(provider string) []Link {
	return p.filter(func(l Link) bool { return l.Server == provider })
}

func (p Plan) filter(keep func(Link) bool) []Link {
	var out []Link
	for _, l := range p.Tunnels {
		if keep(l) {
			out = append(out, l)
		}
	}
	return out
}

// PlacementFromGroups turns "which provider won which group" (group name =
// the manifest's placement name) into a service placement. A service deployed
// in two groups won by different providers is refused: the overlay gives each
// service one stable address, which would have to pick one of them.
func PlacementFromGroups(groups []manifest.Group, winner map[string]string) (Placement, error) {
	out := Placement{}
	for _, g := range groups {
		prov, ok := winner[g.Name]
		if !ok || prov == "" {
			return nil, fmt.Errorf("overlay: group %q has no provider; every group of the deployment needs a lease first", g.Name)
		}
		for _, s := range g.Services {
			if prev, ok := out[s]; ok && prev != prov {
				return nil, fmt.Errorf("overlay: service %q runs in groups at providers %s and %s; the overlay supports one provider per service (deploy it in one placement)", s, prev, prov)
			}
			out[s] = prov
		}
	}
	return out, nil
}

// ConnString prints a connection as from->to:port/proto.
func ConnString(c manifest.Connection) string {
	return fmt.Sprintf("%s->%s:%d/%s", c.From, c.To, c.Port, strings.ToLower(c.Proto))
}

func (l Link) String() string { return l.Deployment.String() + "/" + ConnString(l.Conn) }

func connLess(a, b manifest.Connection) bool {
	switch {
	case a.From != b.From:
		return a.From < b.From
	case a.To != b.To:
		return a.To < b.To
	case a.Port != b.Port:
		return a.Port < b.Port
	}
	return a.Proto < b.Proto
}
