package manager

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

// Overlay opens and closes the tunnels of deployments whose services sit at
// several providers (provider/overlaylink.Tunnels).
type Overlay interface {
	// Open opens this provider's link ends of the lease's deployment for
	// the manifest (idempotent per manifest version) and returns how many
	// it holds. An error means "try again later" (e.g. a group not leased
	// yet, a container not running yet).
	Open(ctx context.Context, lease market.LeaseID, m *manifest.Manifest) (int, error)
	// Close closes the deployment's link ends.
	Close(id market.DeploymentID) error
}

// overlayState is what the daemon wants open; it is shared by the gateway's
// Deploy calls, the peer fetches and the loop, hence its own lock.
type overlayState struct {
	mu      sync.Mutex
	want    map[market.DeploymentID]overlayWant
	pending map[market.DeploymentID]bool // an Open in flight
	wg      sync.WaitGroup
}

type overlayWant struct {
	lease  market.LeaseID
	man    *manifest.Manifest
	opened bool
}

// overlayDeployed records that a lease's manifest runs: its deployment's
// tunnels should be open (tried now, and on every block until they are).
func (m *Manager) overlayDeployed(ctx context.Context, id market.LeaseID, man *manifest.Manifest) {
	if m.cfg.Overlay == nil {
		return
	}
	o := &m.overlay
	o.mu.Lock()
	if w, ok := o.want[id.DeploymentID]; ok && w.man.Version() == man.Version() {
		o.mu.Unlock()
		return
	}
	o.want[id.DeploymentID] = overlayWant{lease: id, man: man}
	o.mu.Unlock()
	m.overlayTry(ctx)
}

// overlayTry starts an Open for each deployment whose tunnels are wanted and
// not open, one at a time per deployment.
func (m *Manager) overlayTry(ctx context.Context) {
	if m.cfg.Overlay == nil || ctx.Err() != nil {
		return
	}
	o := &m.overlay
	o.mu.Lock()
	defer o.mu.Unlock()
	for did, w := range o.want {
		if w.opened || o.pending[did] {
			continue
		}
		o.pending[did] = true
		o.wg.Add(1)
		go func() {
			defer o.wg.Done()
			octx, cancel := context.WithTimeout(ctx, 30*time.Second)
			n, err := m.cfg.Overlay.Open(octx, w.lease, w.man)
			cancel()
			o.mu.Lock()
			delete(o.pending, did)
			cur, still := o.want[did]
			if still && cur.man.Version() == w.man.Version() && err == nil {
				cur.opened = true
				o.want[did] = cur
			}
			o.mu.Unlock()
			switch {
			case err != nil && !errors.Is(err, context.Canceled):
				m.log.Debug("overlay not open yet; trying again next block", "deployment", did, "err", err)
			case err == nil && !still:
				_ = m.cfg.Overlay.Close(did) // closed while opening
			case err == nil && n > 0:
				m.log.Info("overlay open", "deployment", did, "links", n)
			}
		}()
	}
}

// overlayClosed closes a deployment's tunnels once no lease of it is left.
func (m *Manager) overlayClosed(did market.DeploymentID) {
	if m.cfg.Overlay == nil {
		return
	}
	m.overlay.mu.Lock()
	delete(m.overlay.want, did)
	m.overlay.mu.Unlock()
	if err := m.cfg.Overlay.Close(did); err != nil {
		m.log.Warn("close overlay", "deployment", did, "err", err)
	}
}
