package manifestpeer

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/tunnelcert"
)

// Peer is a provider's gateway.
type Peer struct {
	Address string // the provider's on-chain address
	URL     string // its gateway, e.g. https://p1.example:8443
}

// Fetcher asks peers for a deployment's manifest.
type Fetcher struct {
	Verifier tunnelcert.Verifier
	Chain    Chain
	// Cert is this participant's certificate (its on-chain root, or a leaf
	// under it) with the key.
	Cert    tls.Certificate
	Timeout time.Duration // per peer; default 10s
}

// Fetch returns dep's manifest from the first of peers that serves a copy
// matching the version on chain. Every failure (unreachable, refused, not
// held, tampered) moves on to the next peer; when none serves it, the error
// lists each peer's reason.
func (f Fetcher) Fetch(ctx context.Context, dep overlay.DeploymentID, peers []Peer) ([]byte, error) {
	want, err := f.Chain.Version(ctx, dep)
	if err != nil {
		return nil, fmt.Errorf("manifestpeer: deployment %s: version on chain: %w", dep, err)
	}
	if len(peers) == 0 {
		return nil, fmt.Errorf("manifestpeer: deployment %s: no peer to ask", dep)
	}
	var errs []error
	for _, p := range peers {
		data, err := f.fetchOne(ctx, dep, p, want)
		if err == nil {
			return data, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

func (f Fetcher) fetchOne(ctx context.Context, dep overlay.DeploymentID, p Peer, want [32]byte) ([]byte, error) {
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tr := &http.Transport{TLSClientConfig: ClientTLSConfig(ctx, f.Verifier, f.Cert, p), ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	url := fmt.Sprintf("%s/v1/deployments/%s/%d/manifest", strings.TrimSuffix(p.URL, "/"), dep.Owner, dep.DSeq)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("manifestpeer: peer %s: %w", p.Address, err)
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("manifestpeer: peer %s (%s): %w", p.Address, p.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxManifestBytes+1))
	if err != nil {
		return nil, fmt.Errorf("manifestpeer: peer %s: read body: %w", p.Address, err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusForbidden, http.StatusUnauthorized:
		return nil, fmt.Errorf("%w: peer %s says: %s", ErrNotParticipant, p.Address, strings.TrimSpace(string(body)))
	case http.StatusNotFound:
		return nil, fmt.Errorf("%w: peer %s, deployment %s", ErrNotHeld, p.Address, dep)
	default:
		return nil, fmt.Errorf("manifestpeer: peer %s: HTTP %d: %s", p.Address, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	if len(body) > MaxManifestBytes {
		return nil, fmt.Errorf("%w: peer %s sent more than %d bytes", ErrTooLarge, p.Address, MaxManifestBytes)
	}
	m, err := manifest.Parse("manifest from "+p.Address, body)
	if err != nil {
		return nil, fmt.Errorf("%w: peer %s, deployment %s: the manifest does not parse: %v", ErrVersionMismatch, p.Address, dep, err)
	}
	if got := m.Version(); got != want {
		return nil, fmt.Errorf("%w: peer %s, deployment %s: version %s, on chain %s", ErrVersionMismatch, p.Address, dep,
			hex.EncodeToString(got[:]), hex.EncodeToString(want[:]))
	}
	return body, nil
}

// ClientTLSConfig is the client side of a call to a fellow provider's
// gateway: mutual TLS with own (this participant's certificate and key), and
// the handshake succeeds only if the gateway shows a chain to p.Address's
// root on chain, not revoked (an error wrapping tunnelcert.ErrWrongProvider
// when it is another provider's). ctx bounds the root look-ups made during
// the handshake: build one config per call.
func ClientTLSConfig(ctx context.Context, v tunnelcert.Verifier, own tls.Certificate, p Peer) *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{own},
		// The peer's certificate chains to its root on chain, not to a
		// system CA: VerifyConnection checks it is that provider's.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			who, err := v.VerifyParticipant(ctx, cs.PeerCertificates)
			if err != nil {
				return err
			}
			if who != p.Address {
				return fmt.Errorf("%w: gateway %s answered as %s, want %s", tunnelcert.ErrWrongProvider, p.URL, who, p.Address)
			}
			return nil
		},
	}
}

// ServerTLSConfig is a gateway's TLS configuration for the Handler: it shows
// cert and asks every client for its certificate, which the Handler verifies.
func ServerTLSConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAnyClientCert,
	}
}
