package manifestpeer

import (
	"context"
	"errors"

	"github.com/akash-market/akash/overlay"
)

// Chain is what the exchange reads from the chain. The provider daemon
// implements it with deployment and market queries.
type Chain interface {
	// Version is the deployment's manifest version on chain
	// (core/manifest Version).
	Version(ctx context.Context, dep overlay.DeploymentID) ([32]byte, error)
	// Providers are the providers holding an active lease on dep.
	Providers(ctx context.Context, dep overlay.DeploymentID) ([]string, error)
}

// Store holds the manifests this provider received (from the tenant or a peer).
type Store interface {
	// Manifest returns dep's canonical manifest, or ok=false when not held.
	Manifest(ctx context.Context, dep overlay.DeploymentID) (data []byte, ok bool, err error)
}

// Errors the Fetcher returns, wrapped with the peer and deployment.
var (
	ErrVersionMismatch = errors.New("manifestpeer: manifest hash differs from the version on chain")
	ErrNotParticipant  = errors.New("manifestpeer: requester is not a participant of the deployment")
	ErrNotHeld         = errors.New("manifestpeer: peer does not hold the manifest")
	ErrTooLarge        = errors.New("manifestpeer: manifest larger than the limit")
)

// MaxManifestBytes bounds a manifest on the wire.
const MaxManifestBytes = 4 << 20

// IsParticipant reports whether addr may read dep's manifest: its owner or a
// provider with an active lease on it.
func IsParticipant(ctx context.Context, c Chain, dep overlay.DeploymentID, addr string) (bool, error) {
	if addr == dep.Owner {
		return true, nil
	}
	provs, err := c.Providers(ctx, dep)
	if err != nil {
		return false, err
	}
	for _, p := range provs {
		if p == addr {
			return true, nil
		}
	}
	return false, nil
}
