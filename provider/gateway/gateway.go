// Package gateway is the provider's HTTPS endpoint for tenants and fellow
// providers, with mutual TLS: every client presents the certificate its
// account registered in the chain's cert module, and every request is
// authorised against the chain (who owns the deployment, which providers
// hold its leases, which manifest version it recorded).
//
// Routes (owner = tenant address, ids as on chain):
//
//	PUT /deployment/{owner}/{dseq}/manifest          tenant, manager or fellow provider: send the manifest
//	GET /deployment/{owner}/{dseq}/manifest          fellow provider or tenant: fetch it (peer distribution)
//	GET /v1/deployments/{owner}/{dseq}/manifest      the same, for overlay/manifestpeer.Fetcher
//	GET /lease/{owner}/{dseq}/{gseq}/{oseq}/status   tenant or manager: per-service status and endpoints
//	GET /lease/{owner}/{dseq}/{gseq}/{oseq}/logs     tenant: ?follow=1&tail=N&service=S
//	GET /v1/overlay/endpoint                         any account on chain: this provider's tunnel endpoint
//
// A manager is a management key acting for the tenant: its certificate is on
// chain under its own account, and the tenant's live manage-deployments grant
// to it created the deployment (Config.Grants, dtypes.ManageGrant.ActsFor).
//
// Errors are JSON {"error": "..."} with a message that says what was wrong
// and what would be right.
package gateway

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	"github.com/akash-market/akash/overlay/manifestpeer"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/metrics"
)

// Chain is what the gateway reads from the chain.
type Chain interface {
	// Deployment returns the deployment's on-chain state: its manifest
	// version and its active leases. It returns an error wrapping
	// ErrNotFound when the deployment does not exist.
	Deployment(ctx context.Context, id market.DeploymentID) (Deployment, error)
}

// Deployment is the chain's view of one deployment.
type Deployment struct {
	ID      market.DeploymentID
	Version [32]byte         // sha256 of the canonical manifest (core/manifest Version)
	Active  bool             // not closed
	Leases  []market.LeaseID // active leases only
	// Groups are the groups the deployment ordered, in gseq order
	// (Groups[i] is gseq i+1): what its leases pay for. A manifest is run
	// for a lease only if its group at that gseq fits (manifest.FitsOrder).
	Groups []manifest.Group
}

// Grants reads deployment management grants from the chain (authz grants
// of x/deployment's ManageDeploymentsAuthorization). The gateway only loads
// a grant and asks the deployment module's rule (dtypes.ManageGrant.ActsFor)
// whether the caller may act for the owner.
type Grants interface {
	// ManageGrant is owner's grant to grantee as the chain holds it now: an
	// empty ManageGrant when there is none (never given, or revoked).
	ManageGrant(ctx context.Context, owner, grantee string) (dtypes.ManageGrant, error)
}

// Backend runs what the gateway accepts (implemented by provider/manager
// over the runtime).
type Backend interface {
	// Deploy runs the accepted manifest for one of this provider's leases.
	// It may return before the containers run; status shows progress.
	Deploy(ctx context.Context, lease market.LeaseID, m *manifest.Manifest) error
	// Status returns a JSON-encodable status of the lease's workload.
	Status(ctx context.Context, lease market.LeaseID) (any, error)
	// Logs streams the lease's logs until ctx ends or the reader is closed.
	Logs(ctx context.Context, lease market.LeaseID, opt LogOptions) (io.ReadCloser, error)
}

// RefusalRecorder is implemented by a Backend that wants to hear why a
// manifest sent for one of its leases was refused before Deploy (409: its
// version; 422: its group exceeds the order; a Deploy that fails knows its
// own cause): a lease that
// never gets a manifest it can run is then closed naming that cause, so the
// tenant sees on chain why its deployment ended (provider/manager does).
type RefusalRecorder interface {
	ManifestRefused(lease market.LeaseID, why string)
}

// LogOptions are the logs route's query parameters.
type LogOptions struct {
	Service string
	Tail    int
	Follow  bool
}

// ErrNotFound: the chain has no such deployment / the backend no such lease.
var ErrNotFound = errors.New("not found")

// ErrUnrunnable is wrapped by a Backend's Deploy error when the manifest is
// valid but cannot run here as written (e.g. an image the provider does not
// have): the client gets 422 and the message, not a server error.
var ErrUnrunnable = errors.New("manifest cannot run on this provider")

// Config sets up a gateway.
type Config struct {
	Provider string          // this provider's address
	Cert     tls.Certificate // this provider's certificate (its root on chain)
	Chain    Chain
	Certs    tunnelcert.RootStore // the cert module: client certificates on chain
	// Grants admits management keys: a caller holding the owner's live
	// manage-deployments grant that created the deployment may send its
	// manifest and read its leases' status. Nil: only the owner (and
	// fellow providers, for the manifest) may.
	Grants  Grants
	Backend Backend
	Store   ManifestStore
	Metrics *metrics.Metrics // nil: no metrics
	// MaxManifestBytes bounds a PUT body; 0 means 1 MiB.
	MaxManifestBytes int64
	Now              func() time.Time // time.Now when nil
	// TunnelEndpoint is the host:port other providers dial to reach this
	// provider's overlay tunnel endpoint, served on
	// manifestpeer.EndpointRoute; empty: the route answers 404 (no tunnels
	// here, and askers fall back to the host URI's host and port 8444).
	TunnelEndpoint string
	// Log receives TLS handshake failures and server errors; slog.Default() when nil.
	Log *slog.Logger
}

// Server is the gateway.
type Server struct {
	cfg  Config
	mux  *http.ServeMux
	http *http.Server
}

// New checks the config and builds the server (not yet listening).
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Provider == "":
		return nil, errors.New("gateway: provider address is empty")
	case cfg.Chain == nil || cfg.Certs == nil || cfg.Backend == nil || cfg.Store == nil:
		return nil, errors.New("gateway: Chain, Certs, Backend and Store are required")
	case len(cfg.Cert.Certificate) == 0:
		return nil, errors.New("gateway: no server certificate; load the provider's certificate and key (akash-node tx cert create ...)")
	}
	if cfg.TunnelEndpoint != "" {
		if err := CheckTunnelEndpoint(cfg.TunnelEndpoint); err != nil {
			return nil, fmt.Errorf("gateway: %w", err)
		}
	}
	if cfg.MaxManifestBytes == 0 {
		cfg.MaxManifestBytes = 1 << 20
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux()}
	s.mux.HandleFunc("PUT /deployment/{owner}/{dseq}/manifest", s.auth(s.putManifest))
	s.mux.HandleFunc("GET /deployment/{owner}/{dseq}/manifest", s.auth(s.getManifest))
	// The same, on the path overlay/manifestpeer's Fetcher asks fellow
	// providers at (the daemon fetches missing manifests from its peers).
	s.mux.HandleFunc(manifestpeer.Route, s.auth(s.getManifest))
	s.mux.HandleFunc("GET /lease/{owner}/{dseq}/{gseq}/{oseq}/status", s.auth(s.leaseStatus))
	s.mux.HandleFunc("GET /lease/{owner}/{dseq}/{gseq}/{oseq}/logs", s.auth(s.leaseLogs))
	s.mux.HandleFunc(manifestpeer.EndpointRoute, s.auth(s.tunnelEndpoint))
	s.http = &http.Server{
		Handler:           s.mux,
		TLSConfig:         s.TLSConfig(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(cfg.Log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// TLSConfig is the server side: TLS 1.3, the provider's certificate, and a
// client certificate required. Certificates are self-signed per account (as
// in Akash), so the chain, not a CA, vouches for them: the handshake proves
// the client holds the key, and auth checks the certificate is the one its
// CN's account registered and has not revoked.
func (s *Server) TLSConfig() *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{s.cfg.Cert},
		ClientAuth:   tls.RequireAnyClientCert,
	}
}

// Handler is the routes without TLS, for embedding in another server.
func (s *Server) Handler() http.Handler { return s.mux }

// Serve accepts connections on l (a plain TCP listener; TLS is added here)
// until Shutdown.
func (s *Server) Serve(l net.Listener) error {
	err := s.http.Serve(tls.NewListener(l, s.http.TLSConfig))
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops the server, waiting for requests in flight (log streams end
// with their context).
func (s *Server) Shutdown(ctx context.Context) error { return s.http.Shutdown(ctx) }

// ClientTLSConfig is what a tenant or a fellow provider uses to call a
// gateway: its own certificate, and the provider's certificate pinned (its
// root on chain, fetched by the caller) instead of a CA pool. The server name
// is not checked against DNS: the pinned certificate is the identity.
func ClientTLSConfig(own tls.Certificate, provider *x509.Certificate) *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS13,
		Certificates:       []tls.Certificate{own},
		InsecureSkipVerify: true, // replaced by the pin below
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errors.New("gateway: provider sent no certificate")
			}
			if provider == nil || !bytesEqual(raw[0], provider.Raw) {
				return errors.New("gateway: the provider's certificate is not the one registered on chain for it; refusing to send anything")
			}
			return nil
		},
	}
}

func bytesEqual(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
