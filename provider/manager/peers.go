package manager

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

// ManifestPeers fetches a deployment's manifest from the other providers of
// its leases (provider/overlaylink over overlay/manifestpeer). It returns
// the canonical bytes only once their manifest version (core/manifest
// Version) equals the version on chain.
type ManifestPeers interface {
	Fetch(ctx context.Context, id market.DeploymentID) ([]byte, error)
}

// DefaultPeerFetchAfter is how many blocks a lease waits for its tenant to
// send the manifest before the daemon asks the deployment's other providers.
const DefaultPeerFetchAfter = 2

type peerFetch struct {
	id  market.DeploymentID
	err error
}

// awaitManifest notes a lease of this provider whose manifest has not come
// yet (the peers are asked PeerFetchAfter blocks after opened).
func (m *Manager) awaitManifest(id market.LeaseID, opened int64) {
	if m.cfg.Peers == nil || id.Provider != m.cfg.Engine.Provider {
		return
	}
	if _, err := m.cfg.Store.Get(id.DeploymentID); err == nil {
		return
	}
	if _, ok := m.awaiting[id]; !ok {
		m.awaiting[id] = opened
	}
}

// pullManifests asks the peers for the manifests still missing at height h:
// one fetch per deployment at a time, again every PeerFetchAfter blocks
// until it comes (from the tenant or a peer) or the lease ends.
func (m *Manager) pullManifests(ctx context.Context, h int64) {
	if m.cfg.Peers == nil {
		return
	}
	after := m.cfg.PeerFetchAfter
	due := map[market.DeploymentID][]market.LeaseID{}
	for id, opened := range m.awaiting {
		did := id.DeploymentID
		if _, err := m.cfg.Store.Get(did); err == nil {
			delete(m.awaiting, id) // the tenant's upload landed meanwhile
			continue
		}
		if h < opened+after || m.fetching[did] || h < m.lastFetch[did]+after {
			continue
		}
		due[did] = append(due[did], id)
	}
	for did := range m.fetchWarned {
		if !m.awaitingAny(did) {
			delete(m.fetchWarned, did)
			delete(m.lastFetch, did)
		}
	}
	for did, leases := range due {
		m.fetching[did] = true
		m.lastFetch[did] = h
		if m.onFetch != nil {
			m.onFetch(did, h)
		}
		m.fetches.Add(1)
		go func() {
			defer m.fetches.Done()
			err := m.fetchAndDeploy(ctx, did, leases)
			select {
			case m.fetched <- peerFetch{id: did, err: err}:
			case <-ctx.Done():
			}
		}()
	}
}

func (m *Manager) awaitingAny(did market.DeploymentID) bool {
	for id := range m.awaiting {
		if id.DeploymentID == did {
			return true
		}
	}
	return false
}

// fetchAndDeploy gets the manifest from the peers, deploys the leases that
// waited for it and then keeps it (so it is served to later askers in turn;
// like a tenant's upload, a manifest that cannot run here is not kept).
func (m *Manager) fetchAndDeploy(ctx context.Context, did market.DeploymentID, leases []market.LeaseID) error {
	fctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	raw, err := m.cfg.Peers.Fetch(fctx, did)
	if err != nil {
		return err
	}
	man, err := manifest.Parse("manifest of "+did.String()+" from a peer", raw)
	if err != nil {
		return err
	}
	var errs []error
	deployed := 0
	for _, l := range leases {
		if err := m.Deploy(ctx, l, man); err != nil {
			errs = append(errs, fmt.Errorf("lease %s: %w", l, err))
			continue
		}
		deployed++
	}
	if deployed > 0 {
		if err := m.cfg.Store.Put(did, man.Canonical()); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// peerFetched records a fetch's outcome in the loop.
func (m *Manager) peerFetched(r peerFetch) {
	delete(m.fetching, r.id)
	if r.err != nil {
		m.peerFetches.WithLabelValues("error").Inc()
		// Once per deployment and reason: the fetch is tried every few
		// blocks until the manifest comes or the lease ends.
		if m.fetchWarned[r.id] != r.err.Error() {
			m.fetchWarned[r.id] = r.err.Error()
			m.log.Warn("manifest not fetched from peers; asking again every few blocks (said once until the reason changes)", "deployment", r.id, "err", r.err)
		} else {
			m.log.Debug("manifest not fetched from peers", "deployment", r.id, "err", r.err)
		}
		return
	}
	delete(m.lastFetch, r.id)
	delete(m.fetchWarned, r.id)
	m.log.Info("manifest fetched from a peer provider and deployed", "deployment", r.id)
	m.peerFetches.WithLabelValues("ok").Inc()
}
