package manager

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/provider/gateway"
	"github.com/akash-market/akash/runtime"
)

var (
	_ gateway.Backend         = (*Manager)(nil)
	_ gateway.RefusalRecorder = (*Manager)(nil)
)

// ManifestRefused implements gateway.RefusalRecorder: the engine keeps the
// cause, and a manifest-timeout close of the lease names it.
func (m *Manager) ManifestRefused(id market.LeaseID, why string) {
	m.log.Info("manifest refused", "lease", id, "why", why)
	select {
	case m.refusals <- refusal{id, why}:
	default:
		m.log.Warn("manifest refusal not recorded: the daemon's loop is busy", "lease", id)
	}
}

// refusalCause is the short form of why a manifest cannot run here, for a
// lease close's detail (the chain keeps 256 bytes; the gateway's answer
// has the long form with what to do).
func refusalCause(err error) string {
	var missing *runtime.ImageNotPresentError
	if errors.As(err, &missing) {
		return "image(s) not on this provider's engine (it pulls from no registry): " + strings.Join(missing.Uses, "; ")
	}
	s := err.Error()
	if _, rest, ok := strings.Cut(s, ": "); ok && strings.HasPrefix(s, "lease ") {
		s = rest
	}
	return s
}

type refusal struct {
	id  market.LeaseID
	why string
}

// Deploy implements gateway.Backend: it runs the lease's group of the
// manifest on the runtime (creating what is missing, adopting what runs)
// and tells the engine the manifest arrived, which stops its timeout.
func (m *Manager) Deploy(ctx context.Context, id market.LeaseID, man *manifest.Manifest) error {
	acts, err := m.cfg.Runtime.Deploy(ctx, runtime.LeaseSpec{Lease: ref(id), Manifest: man})
	m.countRuntime(acts)
	if errors.Is(err, runtime.ErrUnrunnable) {
		m.ManifestRefused(id, refusalCause(err))
	}
	if errors.Is(err, runtime.ErrImageNotPresent) {
		return fmt.Errorf("%w: %v (the provider does not pull images; ask its operator to load it, or use an image it has)", gateway.ErrUnrunnable, err)
	}
	if errors.Is(err, runtime.ErrUnrunnable) {
		return fmt.Errorf("%w: %v", gateway.ErrUnrunnable, err)
	}
	if err != nil {
		return err
	}
	m.log.Info("manifest deployed", "lease", id, "version", runtime.VersionHex(man), "actions", len(acts))
	m.overlayDeployed(context.WithoutCancel(ctx), id, man)
	select {
	case m.manifests <- id:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Status implements gateway.Backend.
func (m *Manager) Status(ctx context.Context, id market.LeaseID) (any, error) {
	st, err := m.cfg.Runtime.Status(ctx, ref(id))
	if errors.Is(err, runtime.ErrNoLease) {
		return nil, fmt.Errorf("%w: %v", gateway.ErrNotFound, err)
	}
	if err != nil {
		return nil, err
	}
	return LeaseStatus{Lease: id.String(), Ready: st.Ready(), Services: st.Services}, nil
}

// LeaseStatus is the gateway's status document for one lease.
type LeaseStatus struct {
	Lease    string                  `json:"lease"`
	Ready    bool                    `json:"ready"`
	Services []runtime.ServiceStatus `json:"services"`
}

// Logs implements gateway.Backend.
func (m *Manager) Logs(ctx context.Context, id market.LeaseID, opt gateway.LogOptions) (io.ReadCloser, error) {
	rc, err := m.cfg.Runtime.Logs(ctx, ref(id), runtime.LogOptions{Service: opt.Service, Tail: opt.Tail, Follow: opt.Follow})
	if errors.Is(err, runtime.ErrNoLease) {
		return nil, fmt.Errorf("%w: %v", gateway.ErrNotFound, err)
	}
	return rc, err
}
