package tunnelcert

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"math/big"
	"sync"
)

// RootStore answers what the chain's cert module knows: the root certificate
// that owner registered under serial, and whether it was revoked. It returns
// ErrRootNotFound when owner has no such certificate. The provider daemon
// implements it with cert module queries (a short cache is fine: the tunnel
// asks on every new stream).
type RootStore interface {
	Root(ctx context.Context, owner string, serial *big.Int) (Root, error)
}

// Root is one certificate on chain.
type Root struct {
	Cert    *x509.Certificate
	Revoked bool
}

// ErrRootNotFound: the owner has no certificate with that serial on chain.
var ErrRootNotFound = errors.New("tunnelcert: root certificate not on chain")

// MemRoots is a RootStore held in memory: the set of roots a process was given
// (e.g. the akash-tunnel binary's configuration, or a snapshot of the chain).
type MemRoots struct {
	mu    sync.RWMutex
	roots map[string][]Root // by owner
}

// NewMemRoots makes an empty MemRoots.
func NewMemRoots() *MemRoots { return &MemRoots{roots: map[string][]Root{}} }

// Add registers cert as owner's root (not revoked). Adding the same
// certificate again is a no-op.
func (m *MemRoots) Add(owner string, cert *x509.Certificate) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.roots[owner] {
		if bytes.Equal(r.Cert.Raw, cert.Raw) {
			return
		}
	}
	m.roots[owner] = append(m.roots[owner], Root{Cert: cert})
}

// Revoke marks owner's root with serial revoked; it reports whether one was found.
func (m *MemRoots) Revoke(owner string, serial *big.Int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, r := range m.roots[owner] {
		if r.Cert.SerialNumber.Cmp(serial) == 0 {
			m.roots[owner][i].Revoked = true
			return true
		}
	}
	return false
}

// Root implements RootStore.
func (m *MemRoots) Root(_ context.Context, owner string, serial *big.Int) (Root, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, r := range m.roots[owner] {
		if r.Cert.SerialNumber.Cmp(serial) == 0 {
			return r, nil
		}
	}
	return Root{}, ErrRootNotFound
}
