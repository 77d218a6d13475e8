// Package daemon assembles `akash-node provider run`: config, certificate,
// chain client, Docker runtime, inventory, pricing, bid engine loop
// (provider/manager), mTLS gateway and /metrics, and runs them until the
// context ends.
package daemon

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/overlay/manifestpeer"
	"github.com/akash-market/akash/overlay/tunnel"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/chainclient"
	"github.com/akash-market/akash/provider/config"
	"github.com/akash-market/akash/provider/gateway"
	"github.com/akash-market/akash/provider/inventory"
	"github.com/akash-market/akash/provider/manager"
	"github.com/akash-market/akash/provider/metrics"
	"github.com/akash-market/akash/provider/overlaylink"
	"github.com/akash-market/akash/runtime"
)

// Options are the command's flags.
type Options struct {
	Home          string // node home: certs/, provider/<address>/manifests/
	ConfigFile    string // provider.yaml
	GatewayListen string // e.g. 0.0.0.0:8443
	MetricsListen string // e.g. 127.0.0.1:9102; "" = off (also serves /tunnels)
	// TunnelListen is the overlay's tunnel endpoint, e.g. 0.0.0.0:8444;
	// "" = no tunnels. Peers learn where to dial it from the gateway
	// (TunnelAdvertise).
	TunnelListen string
	// TunnelContainer, when the daemon runs in a container of the engine it
	// drives, names that container: tunnel ends then join the lease networks
	// through it (overlaylink.ContainerAttach) instead of listening on the
	// bridges' host addresses (overlaylink.DockerAttach).
	TunnelContainer string
	// TunnelAdvertise is the tunnel endpoint peers dial (host:port), served
	// to them by the gateway; "" = the host of the host URI and the port of
	// TunnelListen.
	TunnelAdvertise string
	PublicHost      string // host tenants reach global exposes at
	Chain           *chainclient.Client
	Provider        string // the key's address
	Log             *slog.Logger
	// Register: create/update the provider registration and publish the
	// certificate before running (default on).
	Register bool
}

// Run runs the daemon until ctx ends.
func Run(ctx context.Context, o Options) error {
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	if err := o.checkListeners(); err != nil {
		return err
	}
	raw, err := os.ReadFile(o.ConfigFile)
	if err != nil {
		return fmt.Errorf("provider config: %w (write one like `akash-node provider run --help` shows)", err)
	}
	cfg, err := config.Parse(o.ConfigFile, raw)
	if err != nil {
		return err
	}
	cfg.Engine.Provider = o.Provider
	acct, err := certgen.Load(o.Home, o.Provider)
	if err != nil {
		return err
	}
	if o.Register {
		if did, err := o.Chain.PublishCert(ctx, acct); err != nil {
			return fmt.Errorf("publish the provider certificate: %w", err)
		} else if did {
			log.Info("certificate published on chain", "serial", acct.X509.SerialNumber)
		}
		what, err := o.Chain.EnsureProvider(ctx, cfg.HostURI, cfg.Attributes)
		if err != nil {
			return fmt.Errorf("provider registration: %w", err)
		}
		log.Info("provider registration", "provider", o.Provider, "result", what, "host-uri", cfg.HostURI)
		if cfg.Stake.Denom != "" {
			amt, ok := sdkmath.NewIntFromString(cfg.Stake.Amount.ShortString())
			if !ok {
				return fmt.Errorf("stake %s: not a whole amount", cfg.Stake)
			}
			bonded, err := o.Chain.EnsureStake(ctx, sdk.NewCoin(cfg.Stake.Denom, amt))
			if err != nil {
				return fmt.Errorf("bond stake %s: %w", cfg.Stake, err)
			}
			log.Info("stake", "target", cfg.Stake.String(), "bonded-now", bonded.String())
		}
	}
	if rep, err := o.Chain.Reputation(ctx); err == nil {
		cfg.Engine.Reputation = rep
	} else {
		log.Warn("reputation query failed; offering reputation 0 (orders that require more are skipped)", "err", err)
	}
	inv, err := inventory.New(cfg.Pools)
	if err != nil {
		return err
	}
	// A daemon on the Docker host listens for a remote service S on the
	// gateway of the lease's network for S; the runtime names that address S
	// in the clients' hosts files. Inside a container the daemon holds the
	// network alias S itself, which a hosts entry would shadow.
	rt, err := runtime.NewDocker(ctx, runtime.Options{
		Provider:           o.Provider,
		PublicHost:         o.PublicHost,
		RemoteServiceHosts: o.TunnelListen != "" && o.TunnelContainer == "",
		Images:             cfg.Containers.Images,
		Capabilities:       cfg.Containers.Capabilities,
		Isolation:          cfg.Containers.Isolation,
	})
	if err != nil {
		return fmt.Errorf("docker runtime: %w", err)
	}
	defer rt.Close()
	log.Info("docker runtime", "isolation", rt.Isolation(), "image-allow-list", len(cfg.Containers.Images), "ephemeral-size-limit", rt.Storage().EphemeralLimit)
	if w := IsolationWarning(rt.Isolation()); w != "" {
		log.Warn(w, "isolation", rt.Isolation())
	}
	// One store per provider address: two daemons sharing a home (a devnet)
	// must not see, or delete, each other's manifests.
	store, err := gateway.NewDirStore(filepath.Join(o.Home, "provider", o.Provider, "manifests"))
	if err != nil {
		return err
	}
	if n, err := adoptOldManifests(filepath.Join(o.Home, "provider", "manifests"), store); err != nil {
		return err
	} else if n > 0 {
		log.Info("manifests copied from the shared store of earlier versions; the reconcile drops those of other providers", "count", n)
	}
	// Sealed bids' prices and salts, kept from before the commit is sent
	// until the order is decided: a restart between commit and reveal
	// still reveals.
	sealed, err := manager.OpenFileSealedStore(filepath.Join(o.Home, "provider", o.Provider, "sealed-bids"))
	if err != nil {
		return err
	}
	m := metrics.New()
	// Roots on chain, cached: every peer stream and manifest fetch checks them.
	roots := &tunnelcert.CachedRoots{Source: o.Chain, TTL: 30 * time.Second}
	peers := overlaylink.ManifestPeers{
		Self:    o.Provider,
		Chain:   overlaylink.Registry{Querier: o.Chain},
		Fetcher: manifestpeer.Fetcher{Verifier: tunnelcert.Verifier{Roots: roots}, Cert: acct.TLS},
	}
	mcfg := manager.Config{
		Engine: cfg.Engine, Inventory: inv, Pricing: cfg.Pricing, Chain: o.Chain,
		Runtime: rt, Store: store, Metrics: m, Log: log, Peers: peers, Sealed: sealed,
	}
	var tunnels *overlaylink.Tunnels
	var advertise string // the tunnel endpoint the gateway tells peers
	if o.TunnelListen != "" {
		verifier := tunnelcert.Verifier{Roots: roots}
		ep, err := tunnel.Listen(o.TunnelListen, verifier, 5*time.Second)
		if err != nil {
			return fmt.Errorf("tunnel endpoint: %w (set --tunnel-listen to a free address, or \"\" for no tunnels)", err)
		}
		defer ep.Close()
		key, ok := acct.TLS.PrivateKey.(crypto.Signer)
		if !ok {
			return errors.New("the provider's certificate key cannot sign tunnel certificates")
		}
		var attach overlaylink.Attach = overlaylink.DockerAttach{Net: rt.Networks()}
		if o.TunnelContainer != "" {
			attach = overlaylink.ContainerAttach{Net: rt.Networks(), Self: o.TunnelContainer}
		}
		if advertise, err = o.tunnelAdvertise(cfg.HostURI, ep.Addr()); err != nil {
			return err
		}
		endpoints := &overlaylink.GatewayEndpoints{Chain: peers.Chain, Verifier: verifier, Cert: acct.TLS}
		tunnels = &overlaylink.Tunnels{
			Self: o.Provider, Chain: peers.Chain, Endpoint: ep, PeerEndpoint: endpoints.Endpoint,
			Issuer:   tunnelcert.Issuer{Provider: o.Provider, Root: acct.X509, Key: key},
			Attach:   attach,
			Template: tunnel.Config{Verifier: verifier},
		}
		defer tunnels.CloseAll()
		if err := m.Registry.Register(tunnel.Collector{Snapshot: tunnels.Stats}); err != nil {
			return fmt.Errorf("tunnel metrics: %w", err)
		}
		mcfg.Overlay = tunnels
		log.Info("tunnel endpoint listening", "addr", ep.Addr().String(), "advertised", advertise)
	}
	mgr, err := manager.New(mcfg)
	if err != nil {
		return err
	}
	gw, err := gateway.New(gateway.Config{Provider: o.Provider, Cert: acct.TLS, Chain: o.Chain, Certs: o.Chain, Grants: o.Chain, Backend: mgr, Store: store, Metrics: m, Log: log, TunnelEndpoint: advertise})
	if err != nil {
		return err
	}
	gl, err := net.Listen("tcp", o.GatewayListen)
	if err != nil {
		return fmt.Errorf("gateway listen %s: %w", o.GatewayListen, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 3)
	mgrDone := make(chan error, 1)
	go func() { mgrDone <- mgr.Run(ctx) }()
	go func() {
		if err := gw.Serve(gl); err != nil {
			errs <- fmt.Errorf("gateway: %w", err)
		}
	}()
	var ms *http.Server
	if o.MetricsListen != "" {
		mux := http.NewServeMux()
		mux.Handle("/metrics", m.Handler())
		mux.Handle("/tunnels", overlaylink.StatsHandler(tunnels))
		ms = &http.Server{Addr: o.MetricsListen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := ms.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs <- fmt.Errorf("metrics listen %s: %w", o.MetricsListen, err)
			}
		}()
	}
	log.Info("provider daemon starting", "provider", o.Provider, "gateway", gl.Addr().String(), "metrics", o.MetricsListen, "pools", len(cfg.Pools))
	var runErr error
	mgrStopped := false
	select {
	case <-ctx.Done():
	case runErr = <-errs:
	case runErr = <-mgrDone:
		mgrStopped = true
	}
	cancel()
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	_ = gw.Shutdown(sctx)
	if ms != nil {
		_ = ms.Shutdown(sctx)
	}
	if !mgrStopped {
		// The loop finishes teardowns in flight (up to manager.TeardownGrace).
		if err := <-mgrDone; runErr == nil {
			runErr = err
		}
	}
	log.Info("provider daemon stopped")
	return runErr
}

// tunnelAdvertise is the endpoint peers dial: --tunnel-advertise, or the host
// of the registered host URI with the port the endpoint listens on.
func (o Options) tunnelAdvertise(hostURI string, listening net.Addr) (string, error) {
	if o.TunnelAdvertise != "" {
		if err := gateway.CheckTunnelEndpoint(o.TunnelAdvertise); err != nil {
			return "", fmt.Errorf("--tunnel-advertise: %w", err)
		}
		return o.TunnelAdvertise, nil
	}
	u, err := url.Parse(hostURI)
	if err != nil || u.Hostname() == "" {
		return "", fmt.Errorf("host-uri %q has no host to advertise the tunnel endpoint at; set --tunnel-advertise host:port", hostURI)
	}
	_, port, err := net.SplitHostPort(listening.String())
	if err != nil {
		return "", fmt.Errorf("tunnel endpoint address %s: %w", listening, err)
	}
	return net.JoinHostPort(u.Hostname(), port), nil
}

// checkListeners refuses, for a daemon inside a container that joins lease
// networks (TunnelContainer), listeners on a wildcard address: the workloads
// on those networks would reach the gateway, the tunnel endpoint and the
// metrics at the daemon's address there, a connection no topology allowed.
func (o Options) checkListeners() error {
	if o.TunnelContainer == "" {
		return nil
	}
	if o.TunnelListen == "" {
		return fmt.Errorf("--tunnel-container %q needs --tunnel-listen: it says where the tunnel ends go, and there are no tunnels without an endpoint", o.TunnelContainer)
	}
	for _, l := range []struct{ flag, addr string }{
		{"--gateway-listen", o.GatewayListen}, {"--tunnel-listen", o.TunnelListen}, {"--metrics-listen", o.MetricsListen},
	} {
		if l.addr == "" {
			continue
		}
		host, _, err := net.SplitHostPort(l.addr)
		if err != nil {
			return fmt.Errorf("%s %q: %w (want host:port)", l.flag, l.addr, err)
		}
		if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
			return fmt.Errorf("%s %q with --tunnel-container: the daemon's container joins lease networks, where a wildcard listener is reachable by the tenants' workloads; give the address of the container's own network interface, e.g. 172.30.0.10%s", l.flag, l.addr, l.addr[strings.LastIndex(l.addr, ":"):])
		}
	}
	return nil
}

// adoptOldManifests copies the manifests an earlier version kept in
// <home>/provider/manifests into the provider's own store when that is
// empty, so that an upgrade does not mistake running leases for leases
// without a manifest. The start-up reconcile deletes the copies of
// deployments this provider does not serve.
func adoptOldManifests(oldDir string, store *gateway.DirStore) (int, error) {
	old := &gateway.DirStore{Dir: oldDir}
	ids, err := old.List()
	if err != nil || len(ids) == 0 {
		return 0, nil // no old store
	}
	if have, err := store.List(); err != nil || len(have) > 0 {
		return 0, err
	}
	for _, id := range ids {
		b, err := old.Get(id)
		if err != nil {
			return 0, fmt.Errorf("copy manifest %s from %s: %w", id, oldDir, err)
		}
		if err := store.Put(id, b); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// IsolationWarning is what the daemon says at start about a lease isolation
// mode that does not hold at every instant ("" for one that does). Under
// containers.isolation: docker only Docker's own rules separate leases, and
// Docker 20.10 deletes and re-inserts its FORWARD jump rules whenever any
// network is created: for that moment a new connection from one lease to
// another is forwarded (CI saw one answered for a few hundred ms).
func IsolationWarning(mode string) string {
	if mode != runtime.IsolationDocker {
		return ""
	}
	return "containers.isolation is docker: leases are isolated by Docker's own rules only, which lapse " +
		"for a moment whenever any network is created (a tenant's container can then open a connection to " +
		"another tenant's); for production run the daemon in the Docker host's network namespace as root " +
		"(on the host, or in a container with --network host --cap-add NET_ADMIN --cap-add NET_RAW, an " +
		"iptables of the host's backend in its image, and /run/xtables.lock mounted) and set " +
		"containers.isolation: iptables (see docs/runtime.md, \"Networks and isolation\")"
}
