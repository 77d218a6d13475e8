package tunnel

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"sync"

	"github.com/akash-market/akash/overlay"
)

// Wiring tells a Set where each link's ends live on this provider.
type Wiring struct {
	// Self is this provider's address.
	Self string
	// Listen is the local address for a link this provider is the client
	// of: in production an address in the lease network that the server
	// service's name resolves to, with the link's port.
	Listen func(overlay.Link) string
	// From, if set, are the source networks allowed to use a client
	// link's listener (Config.From); nil = any source.
	From func(overlay.Link) []netip.Prefix
	// Target is the server workload's address for a link this provider
	// serves.
	Target func(overlay.Link) string
	// Resolve, if set, gives a served link's Route.Resolve: how to find
	// the workload again after a failed dial.
	Resolve func(overlay.Link) func(context.Context) (string, error)
	// Peer is the tunnel endpoint (host:port) of a provider.
	Peer func(provider string) (string, error)
	// LookupPeer, if set, finds a provider's endpoint again after a dial
	// to it failed (Config.ResolvePeer): the provider moved.
	LookupPeer func(ctx context.Context, provider string) (string, error)
	// Cert returns this provider's certificate source for a link.
	Cert func(overlay.Link) CertSource
	// Template holds the remaining client settings (Verifier, timeouts,
	// backoff); its Link, Listen, Peer and Cert are filled per link.
	Template Config
}

// Set is one provider's share of one deployment's plan: a Tunnel per link it
// is the client of, a Route on its Endpoint per link it serves, and nothing
// for any other pair of services.
type Set struct {
	ep      *Endpoint
	mu      sync.Mutex
	tunnels []*Tunnel
	served  []overlay.Link
}

// OpenSet opens plan's links that involve w.Self. On error it closes what it
// opened and returns the first error.
func OpenSet(plan overlay.Plan, ep *Endpoint, w Wiring) (*Set, error) {
	s := &Set{ep: ep}
	for _, l := range plan.ServerLinks(w.Self) {
		r := Route{Link: l, Target: w.Target(l), Cert: w.Cert(l)}
		if w.Resolve != nil {
			r.Resolve = w.Resolve(l)
		}
		if err := ep.Add(r); err != nil {
			s.Close()
			return nil, err
		}
		s.served = append(s.served, l)
	}
	for _, l := range plan.ClientLinks(w.Self) {
		peer, err := w.Peer(l.Server)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("tunnel: link %s: peer endpoint of %s: %w", l, l.Server, err)
		}
		cfg := w.Template
		cfg.Link, cfg.Listen, cfg.Peer, cfg.Cert = l, w.Listen(l), peer, w.Cert(l)
		if w.From != nil {
			cfg.From = w.From(l)
		}
		if w.LookupPeer != nil {
			server := l.Server
			cfg.ResolvePeer = func(ctx context.Context) (string, error) { return w.LookupPeer(ctx, server) }
		}
		t, err := Open(cfg)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.tunnels = append(s.tunnels, t)
	}
	return s, nil
}

// Tunnels are the client ends this provider runs, in plan order.
func (s *Set) Tunnels() []*Tunnel {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Tunnel(nil), s.tunnels...)
}

// Stats are every tunnel's and served route's stats, ordered by link then role.
func (s *Set) Stats() []Stats {
	var out []Stats
	for _, t := range s.Tunnels() {
		out = append(out, t.Stats())
	}
	served := map[string]bool{}
	s.mu.Lock()
	for _, l := range s.served {
		served[l.String()] = true
	}
	s.mu.Unlock()
	for _, st := range s.ep.Stats() {
		if served[st.Link] {
			out = append(out, st)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Link < out[j].Link })
	return out
}

// Close removes the routes and closes the tunnels.
func (s *Set) Close() error {
	s.mu.Lock()
	tunnels, served := s.tunnels, s.served
	s.tunnels, s.served = nil, nil
	s.mu.Unlock()
	for _, l := range served {
		s.ep.Remove(l)
	}
	var errs []error
	for _, t := range tunnels {
		errs = append(errs, t.Close())
	}
	return errors.Join(errs...)
}
