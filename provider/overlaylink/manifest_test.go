package overlaylink

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/overlay/manifestpeer"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/gateway"
)

const twoTierSDL = `
version: "2.0"
services:
  web:
    image: akash-test/hello:1
    expose:
      - port: 80
        to: [{global: true}]
  db:
    image: akash-test/hello:1
    expose:
      - port: 5432
        to: [{service: web}]
profiles:
  compute:
    small:
      resources: {cpu: {units: 0.5}, memory: {size: 256Mi}, storage: {size: 1Gi}}
  placement:
    west: {pricing: {small: {denom: uakt, amount: 10}}}
    east: {pricing: {small: {denom: uakt, amount: 10}}}
deployment:
  web: {west: {profile: small, count: 1}}
  db: {east: {profile: small, count: 1}}
`

// memChain is the chain's deployment and provider-registry view held in
// memory (the chain modules have their own tests on the real app).
type memChain struct {
	mu    sync.Mutex
	deps  map[market.DeploymentID]gateway.Deployment
	hosts map[string]string
}

func (c *memChain) Deployment(_ context.Context, id market.DeploymentID) (gateway.Deployment, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.deps[id]
	if !ok {
		return d, fmt.Errorf("deployment %s: %w", id, gateway.ErrNotFound)
	}
	return d, nil
}

func (c *memChain) HostURI(_ context.Context, provider string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.hosts[provider]
	if !ok {
		return "", fmt.Errorf("provider %s is not registered", provider)
	}
	return h, nil
}

// recorder is a gateway.Backend that records the deploys it is asked for
// (these tests are about who may get the manifest, not about containers;
// the daemon's Docker tests run the real runtime).
type recorder struct {
	mu       sync.Mutex
	deployed []market.LeaseID
}

func (r *recorder) Deploy(_ context.Context, l market.LeaseID, _ *manifest.Manifest) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deployed = append(r.deployed, l)
	return nil
}
func (r *recorder) Status(context.Context, market.LeaseID) (any, error) {
	return nil, gateway.ErrNotFound
}
func (r *recorder) Logs(context.Context, market.LeaseID, gateway.LogOptions) (io.ReadCloser, error) {
	return nil, gateway.ErrNotFound
}

type provider struct {
	addr     string
	acct     certgen.Account
	store    *gateway.DirStore
	back     *recorder
	url      string
	requests atomic.Int64 // requests its gateway answered
}

// world is a chain in memory, its cert module (MemRoots) and providers each
// running a real gateway on 127.0.0.1 with real mutual TLS.
type world struct {
	t     *testing.T
	chain *memChain
	roots *tunnelcert.MemRoots
}

func newWorld(t *testing.T) *world {
	return &world{t: t, chain: &memChain{deps: map[market.DeploymentID]gateway.Deployment{}, hosts: map[string]string{}}, roots: tunnelcert.NewMemRoots()}
}

func (w *world) account(addr string) certgen.Account {
	a, err := certgen.New(addr, 24*time.Hour, "127.0.0.1")
	if err != nil {
		w.t.Fatal(err)
	}
	w.roots.Add(addr, a.X509)
	return a
}

func (w *world) provider(addr string) *provider { return w.providerWith(addr, nil) }

// providerWith lets edit change the gateway's config before New (e.g. its
// advertised tunnel endpoint).
func (w *world) providerWith(addr string, edit func(*gateway.Config)) *provider {
	t := w.t
	p := &provider{addr: addr, acct: w.account(addr), back: &recorder{}}
	var err error
	if p.store, err = gateway.NewDirStore(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	cfg := gateway.Config{Provider: addr, Cert: p.acct.TLS, Chain: w.chain, Certs: w.roots, Backend: p.back, Store: p.store,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if edit != nil {
		edit(&cfg)
	}
	gw, err := gateway.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// The gateway's routes and TLS, served here to count requests (the
	// endpoint cache's test counts them).
	p.url = serveTLS(t, l, gw.TLSConfig(), http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		p.requests.Add(1)
		gw.Handler().ServeHTTP(rw, r)
	}))
	w.register(addr, p.url)
	return p
}

// serveTLS serves h on l with cfg until the test ends and returns its
// https:// URL.
func serveTLS(t *testing.T, l net.Listener, cfg *tls.Config, h http.Handler) string {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go func() { _ = srv.Serve(tls.NewListener(l, cfg)) }()
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return "https://" + l.Addr().String()
}

// register sets provider's host URI in the chain's provider registry.
func (w *world) register(provider, uri string) {
	w.chain.mu.Lock()
	w.chain.hosts[provider] = uri
	w.chain.mu.Unlock()
}

// deployment records m's deployment with one lease per provider, in order:
// the i-th on gseq i+1 (wrapping round m's groups, on a later oseq).
func (w *world) deployment(owner string, dseq uint64, m *manifest.Manifest, providers ...string) market.DeploymentID {
	id := market.DeploymentID{Owner: owner, DSeq: dseq}
	d := gateway.Deployment{ID: id, Version: m.Version(), Active: true, Groups: m.Groups()}
	n := len(m.Groups())
	for i, p := range providers {
		gid := market.GroupID{DeploymentID: id, GSeq: uint32(i%n + 1)}
		d.Leases = append(d.Leases, market.LeaseID{OrderID: market.OrderID{GroupID: gid, OSeq: uint32(i/n + 1)}, Provider: p})
	}
	w.chain.mu.Lock()
	w.chain.deps[id] = d
	w.chain.mu.Unlock()
	return id
}

func (w *world) peers(p *provider) ManifestPeers {
	return ManifestPeers{Self: p.addr, Chain: w.chain, Fetcher: manifestpeer.Fetcher{Verifier: tunnelcert.Verifier{Roots: w.roots}, Cert: p.acct.TLS, Timeout: 5 * time.Second}}
}

// putAsTenant sends the manifest to one provider's gateway as the tenant does.
func putAsTenant(t *testing.T, tenant certgen.Account, p *provider, id market.DeploymentID, body []byte) {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: gateway.ClientTLSConfig(tenant.TLS, p.acct.X509)}}
	req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/deployment/%s/%d/manifest", p.url, id.Owner, id.DSeq), bytes.NewReader(body))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("tenant PUT to %s: %d %s", p.addr, resp.StatusCode, msg)
	}
}

// TestManifestFromPeers: the tenant sends the manifest only to provider A;
// B gets it from A through A's real gateway, checked against the version on
// chain; a tampered copy, a non-participant, and a deployment nobody holds
// yet get nothing.
func TestManifestFromPeers(t *testing.T) {
	m, err := manifest.Parse("deploy.yaml", []byte(twoTierSDL))
	if err != nil {
		t.Fatal(err)
	}
	good := m.Canonical()
	tampered := bytes.Replace(bytes.Clone(good), []byte("5432"), []byte("5433"), 1)
	w := newWorld(t)
	const owner = "akash1tenant"
	tenant := w.account(owner)
	// Address order is the order peers are asked in: the tamperer first.
	bad := w.provider("akash1prov0bad")
	a := w.provider("akash1provA")
	b := w.provider("akash1provB")
	outsider := w.provider("akash1outsider")

	dep := w.deployment(owner, 7, m, bad.addr, a.addr, b.addr)
	putAsTenant(t, tenant, a, dep, good)
	if err := bad.store.Put(dep, tampered); err != nil {
		t.Fatal(err)
	}
	onlyBad := w.deployment(owner, 8, m, bad.addr, b.addr)
	if err := bad.store.Put(onlyBad, tampered); err != nil {
		t.Fatal(err)
	}
	nobody := w.deployment(owner, 9, m, a.addr, b.addr)
	alone := w.deployment(owner, 10, m, b.addr)

	ctx := context.Background()
	for _, tc := range []struct {
		name string
		who  *provider
		dep  market.DeploymentID
		want error // nil: the good manifest
	}{
		{"B skips the tampered copy and takes A's", b, dep, nil},
		{"B refuses a tampered copy", b, onlyBad, manifestpeer.ErrVersionMismatch},
		{"a provider without a lease gets nothing", outsider, dep, manifestpeer.ErrNotParticipant},
		{"no peer holds it yet", b, nobody, manifestpeer.ErrNotHeld},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := w.peers(tc.who).Fetch(ctx, tc.dep)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, good) {
					t.Fatal("fetched bytes differ from the manifest the tenant sent")
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if got != nil {
				t.Fatal("bytes returned with an error")
			}
		})
	}
	t.Run("a deployment with no other provider", func(t *testing.T) {
		if _, err := w.peers(b).Fetch(ctx, alone); err == nil {
			t.Fatal("fetched with nobody to ask")
		}
	})
	t.Run("a closed deployment", func(t *testing.T) {
		w.chain.mu.Lock()
		d := w.chain.deps[nobody]
		d.Active = false
		w.chain.deps[nobody] = d
		w.chain.mu.Unlock()
		if _, err := w.peers(b).Fetch(ctx, nobody); err == nil {
			t.Fatal("fetched for a closed deployment")
		}
	})
	t.Run("the fetched copy is served onward", func(t *testing.T) {
		// B stores what it fetched (as the daemon does); C, a later
		// participant, gets it from B when A is gone.
		if err := b.store.Put(dep, good); err != nil {
			t.Fatal(err)
		}
		c := w.provider("akash1provC")
		d2 := w.deployment(owner, 11, m, b.addr, c.addr)
		if err := b.store.Put(d2, good); err != nil {
			t.Fatal(err)
		}
		got, err := w.peers(c).Fetch(ctx, d2)
		if err != nil || !bytes.Equal(got, good) {
			t.Fatalf("C from B: %v", err)
		}
	})
}
