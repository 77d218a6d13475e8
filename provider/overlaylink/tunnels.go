package overlaylink

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/tunnel"
	"github.com/akash-market/akash/overlay/tunnelcert"
)

// DefaultTunnelPort is where a provider's tunnel endpoint listens, on the
// host of its registered host URI, unless PeerEndpoint says otherwise (e.g.
// GatewayEndpoints, which asks the provider's gateway and falls back to
// this when the gateway does not say). The registry holds one URI per
// provider; a fixed port next to the gateway needs no new chain field.
const DefaultTunnelPort = 8444

// Attach places a deployment's link ends on this provider's host: where the
// client end of a link listens for the lease's workloads (in production an
// address in the lease network that the server service's name resolves
// to), and where the server workload of a link answers.
type Attach interface {
	Listen(ctx context.Context, lease market.LeaseID, l overlay.Link) (string, error)
	Target(ctx context.Context, lease market.LeaseID, l overlay.Link) (string, error)
}

// SourceNetworks is an Attach that also says which networks' workloads may
// use a client end (tunnel.Config.From): an address on a bridge's host side
// is reachable from every container on the host, so the listener has to
// check the source itself.
type SourceNetworks interface {
	From(ctx context.Context, lease market.LeaseID, l overlay.Link) ([]netip.Prefix, error)
}

// Tunnels runs this provider's share of the overlay: per deployment whose
// services sit at several providers, one tunnel.Set on the provider's one
// Endpoint, with certificates issued under its account root.
type Tunnels struct {
	Self     string
	Chain    Chain
	Endpoint *tunnel.Endpoint
	Issuer   tunnelcert.Issuer
	Attach   Attach
	// PeerEndpoint returns a provider's tunnel endpoint (host:port), e.g.
	// (*GatewayEndpoints).Endpoint; nil means the host of its host URI and
	// DefaultTunnelPort.
	PeerEndpoint func(ctx context.Context, provider string) (string, error)
	CertTTL      time.Duration // default 24h
	// Template: Verifier (roots on chain), timeouts, probe period, backoff.
	Template tunnel.Config

	mu   sync.Mutex
	sets map[market.DeploymentID]*deploymentSet
}

type deploymentSet struct {
	version [32]byte
	set     *tunnel.Set
	links   int
}

// ErrNotAllLeased: a group of the deployment has no active lease yet, so the
// placement of its services is unknown; try again on a later block.
var ErrNotAllLeased = errors.New("not every group of the deployment is leased yet")

// Open plans the deployment's links from the chain's leases and the
// manifest's topology and opens those with an end here. It is idempotent for
// one manifest version; a new version replaces the deployment's tunnels. It
// returns how many links this provider holds (0: nothing crosses providers
// here).
func (t *Tunnels) Open(ctx context.Context, lease market.LeaseID, man *manifest.Manifest) (int, error) {
	did := lease.DeploymentID
	t.mu.Lock()
	cur := t.sets[did]
	t.mu.Unlock()
	if cur != nil && cur.version == man.Version() {
		return cur.links, nil
	}
	d, err := t.Chain.Deployment(ctx, did)
	if err != nil {
		return 0, fmt.Errorf("tunnels of %s: read the deployment: %w", did, err)
	}
	groups := man.Groups()
	winner := map[string]string{}
	for _, l := range d.Leases {
		if l.GSeq < 1 || int(l.GSeq) > len(groups) {
			return 0, fmt.Errorf("tunnels of %s: lease %s names group %d; the manifest has %d", did, l, l.GSeq, len(groups))
		}
		winner[groups[l.GSeq-1].Name] = l.Provider
	}
	for _, g := range groups {
		if winner[g.Name] == "" {
			return 0, fmt.Errorf("tunnels of %s: group %q: %w", did, g.Name, ErrNotAllLeased)
		}
	}
	placement, err := overlay.PlacementFromGroups(groups, winner)
	if err != nil {
		return 0, err
	}
	dep := overlay.DeploymentID{Owner: did.Owner, DSeq: did.DSeq}
	plan, err := overlay.PlanLinks(dep, man.Topology(), placement)
	if err != nil {
		return 0, err
	}
	clients, servers := plan.ClientLinks(t.Self), plan.ServerLinks(t.Self)
	// A provider may hold several groups of the deployment: each end sits
	// in the networks of the lease whose group runs its local service.
	leaseOf := map[string]market.LeaseID{}
	for _, l := range d.Leases {
		if l.Provider == t.Self {
			for _, svc := range groups[l.GSeq-1].Services {
				leaseOf[svc] = l
			}
		}
	}
	holder := func(svc string) market.LeaseID {
		if l, ok := leaseOf[svc]; ok {
			return l
		}
		return lease
	}
	// The Wiring callbacks cannot fail: resolve every address first.
	listen, target, peers := map[string]string{}, map[string]string{}, map[string]string{}
	from := map[string][]netip.Prefix{}
	for _, l := range clients {
		if listen[l.String()], err = t.Attach.Listen(ctx, holder(l.Conn.From), l); err != nil {
			return 0, fmt.Errorf("tunnels of %s: link %s: listen address: %w", did, l, err)
		}
		if sn, ok := t.Attach.(SourceNetworks); ok {
			if from[l.String()], err = sn.From(ctx, holder(l.Conn.From), l); err != nil {
				return 0, fmt.Errorf("tunnels of %s: link %s: source networks: %w", did, l, err)
			}
		}
		if _, ok := peers[l.Server]; !ok {
			if peers[l.Server], err = t.peerEndpoint(ctx, l.Server); err != nil {
				return 0, fmt.Errorf("tunnels of %s: link %s: endpoint of %s: %w", did, l, l.Server, err)
			}
		}
	}
	for _, l := range servers {
		if target[l.String()], err = t.Attach.Target(ctx, holder(l.Conn.To), l); err != nil {
			return 0, fmt.Errorf("tunnels of %s: link %s: workload address: %w", did, l, err)
		}
	}
	ttl := t.CertTTL
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	// The old version's routes and listeners go first: the new ones reuse
	// the names (SNI) and often the addresses.
	t.Close(did)
	set, err := tunnel.OpenSet(plan, t.Endpoint, tunnel.Wiring{
		Self:   t.Self,
		Listen: func(l overlay.Link) string { return listen[l.String()] },
		From:   func(l overlay.Link) []netip.Prefix { return from[l.String()] },
		Target: func(l overlay.Link) string { return target[l.String()] },
		// A replaced replica has a new address: ask the runtime again.
		Resolve: func(l overlay.Link) func(context.Context) (string, error) {
			return func(ctx context.Context) (string, error) { return t.Attach.Target(ctx, holder(l.Conn.To), l) }
		},
		Peer: func(p string) (string, error) { return peers[p], nil },
		// A peer that moved advertises its new endpoint on its gateway.
		LookupPeer: t.peerEndpoint,
		Cert: func(l overlay.Link) tunnel.CertSource {
			return &tunnelcert.Renewer{Issuer: t.Issuer, Link: l, TTL: ttl}
		},
		Template: t.Template,
	})
	if err != nil {
		return 0, fmt.Errorf("tunnels of %s: %w", did, err)
	}
	n := len(clients) + len(servers)
	t.mu.Lock()
	if t.sets == nil {
		t.sets = map[market.DeploymentID]*deploymentSet{}
	}
	t.sets[did] = &deploymentSet{version: man.Version(), set: set, links: n}
	t.mu.Unlock()
	return n, nil
}

func (t *Tunnels) peerEndpoint(ctx context.Context, provider string) (string, error) {
	if t.PeerEndpoint != nil {
		return t.PeerEndpoint(ctx, provider)
	}
	uri, err := t.Chain.HostURI(ctx, provider)
	if err != nil {
		return "", err
	}
	return hostURIEndpoint(provider, uri)
}

// hostURIEndpoint is the endpoint a provider has when it advertises none:
// the host of its registered host URI and DefaultTunnelPort.
func hostURIEndpoint(provider, uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Hostname() == "" {
		return "", fmt.Errorf("provider %s: host URI %q has no host; want https://host:port", provider, uri)
	}
	return net.JoinHostPort(u.Hostname(), strconv.Itoa(DefaultTunnelPort)), nil
}

// Close closes a deployment's tunnels and routes (its last lease here closed).
func (t *Tunnels) Close(did market.DeploymentID) error {
	t.mu.Lock()
	cur := t.sets[did]
	delete(t.sets, did)
	t.mu.Unlock()
	if cur == nil {
		return nil
	}
	return cur.set.Close()
}

// CloseAll closes every deployment's tunnels (the daemon stops).
func (t *Tunnels) CloseAll() {
	t.mu.Lock()
	ids := make([]market.DeploymentID, 0, len(t.sets))
	for id := range t.sets {
		ids = append(ids, id)
	}
	t.mu.Unlock()
	for _, id := range ids {
		_ = t.Close(id)
	}
}

// Stats are every link's stats (client tunnels and served routes), by link.
func (t *Tunnels) Stats() []tunnel.Stats {
	t.mu.Lock()
	sets := make([]*tunnel.Set, 0, len(t.sets))
	for _, s := range t.sets {
		sets = append(sets, s.set)
	}
	t.mu.Unlock()
	var out []tunnel.Stats
	for _, s := range sets {
		out = append(out, s.Stats()...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Link != out[j].Link {
			return out[i].Link < out[j].Link
		}
		return out[i].Role < out[j].Role
	})
	return out
}
