package overlaylink

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/manifestpeer"
	"github.com/akash-market/akash/provider/gateway"
)

// Chain is what the overlay reads from the chain: a deployment's version
// and active leases (as the gateway reads them) and a provider's gateway
// URI from the provider registry.
type Chain interface {
	gateway.Chain
	// HostURI returns the provider's registered gateway, e.g.
	// https://provider.example:8443.
	HostURI(ctx context.Context, provider string) (string, error)
}

// ManifestPeers fetches a deployment's manifest from the other providers
// holding its leases, over mutual TLS with this provider's account
// certificate, and returns it only if its manifest version is the one on chain
// (manifestpeer.Fetcher checks that and the peers' certificates).
type ManifestPeers struct {
	Self    string // this provider's address: never asked
	Chain   Chain
	Fetcher manifestpeer.Fetcher // Verifier and Cert set; Chain is filled in per call
}

// Fetch asks the deployment's fellow providers in address order and
// returns the first copy whose hash is the version on chain.
func (p ManifestPeers) Fetch(ctx context.Context, id market.DeploymentID) ([]byte, error) {
	d, err := p.Chain.Deployment(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("manifest of %s from peers: read the deployment: %w", id, err)
	}
	if !d.Active {
		return nil, fmt.Errorf("manifest of %s from peers: the deployment is closed", id)
	}
	var (
		peers []manifestpeer.Peer
		errs  []error
	)
	for _, prov := range leaseProviders(d) {
		if prov == p.Self {
			continue
		}
		uri, err := p.Chain.HostURI(ctx, prov)
		if err != nil {
			errs = append(errs, fmt.Errorf("provider %s: host URI: %w", prov, err))
			continue
		}
		peers = append(peers, manifestpeer.Peer{Address: prov, URL: uri})
	}
	if len(peers) == 0 {
		errs = append(errs, fmt.Errorf("deployment %s has no other provider to ask (leases: %v)", id, d.Leases))
		return nil, fmt.Errorf("manifest of %s from peers: %w", id, errors.Join(errs...))
	}
	f := p.Fetcher
	f.Chain = deploymentChain{d}
	data, err := f.Fetch(ctx, overlay.DeploymentID{Owner: id.Owner, DSeq: id.DSeq}, peers)
	if err != nil {
		return nil, errors.Join(append(errs, err)...)
	}
	// The hash binds the copy to the deployment, not to what was paid: the
	// groups this provider would run must fit their orders, as the gateway
	// requires of a tenant's upload.
	m, err := manifest.Parse("manifest of "+id.String()+" from a peer", data)
	if err != nil {
		return nil, err
	}
	for _, l := range d.Leases {
		if l.Provider != p.Self {
			continue
		}
		if err := gateway.FitsLease(d, m, l); err != nil {
			return nil, fmt.Errorf("manifest of %s from peers: lease %s: %w", id, l, err)
		}
	}
	return data, nil
}

// deploymentChain answers manifestpeer.Chain from one read of the deployment
// (the fetch needs its version and its providers; one query gives both).
type deploymentChain struct{ d gateway.Deployment }

func (c deploymentChain) Version(context.Context, overlay.DeploymentID) ([32]byte, error) {
	return c.d.Version, nil
}

func (c deploymentChain) Providers(context.Context, overlay.DeploymentID) ([]string, error) {
	return leaseProviders(c.d), nil
}

// leaseProviders returns the providers of d's active leases, sorted, each once.
func leaseProviders(d gateway.Deployment) []string {
	var out []string
	for _, l := range d.Leases {
		out = append(out, l.Provider)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
