package gateway

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/metrics"
)

const (
	tenant   = "akash1tenant"
	provider = "akash1provider"
	fellow   = "akash1fellow"
	stranger = "akash1stranger"
)

// account is a key pair and its self-signed certificate, as the cert
// module holds them.
type account struct {
	tls  tls.Certificate
	x509 *x509.Certificate
}

func newAccount(t *testing.T, cn string) account {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return account{tls: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}, x509: c}
}

// memChain is the chain's deployment view held in memory for the gateway's
// own tests (the chain modules are tested on their own).
type memChain struct {
	mu sync.Mutex
	d  map[market.DeploymentID]Deployment
}

func (c *memChain) Deployment(_ context.Context, id market.DeploymentID) (Deployment, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.d[id]
	if !ok {
		return Deployment{}, fmt.Errorf("deployment %s: %w", id, ErrNotFound)
	}
	return d, nil
}

// recBackend records deploys and serves a status and a log stream.
type recBackend struct {
	mu       sync.Mutex
	deployed map[market.LeaseID][32]byte
	refused  map[market.LeaseID]string // RefusalRecorder: the last cause per lease
	logs     chan string               // follow-mode lines; closed to end the stream
}

func (b *recBackend) ManifestRefused(l market.LeaseID, why string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.refused == nil {
		b.refused = map[market.LeaseID]string{}
	}
	b.refused[l] = why
}

func (b *recBackend) refusal(l market.LeaseID) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.refused[l]
}

func (b *recBackend) Deploy(_ context.Context, l market.LeaseID, m *manifest.Manifest) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.deployed[l] = m.Version()
	return nil
}

func (b *recBackend) Status(_ context.Context, l market.LeaseID) (any, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.deployed[l]; !ok {
		return nil, ErrNotFound
	}
	return map[string]string{"lease": l.String(), "state": "running"}, nil
}

func (b *recBackend) Logs(ctx context.Context, l market.LeaseID, opt LogOptions) (io.ReadCloser, error) {
	if !opt.Follow {
		return io.NopCloser(strings.NewReader(fmt.Sprintf("web-0 | tail=%d\n", opt.Tail))), nil
	}
	pr, pw := io.Pipe()
	go func() {
		for {
			select {
			case line, ok := <-b.logs:
				if !ok {
					pw.Close()
					return
				}
				if _, err := pw.Write([]byte(line)); err != nil {
					return
				}
			case <-ctx.Done():
				pw.CloseWithError(ctx.Err())
				return
			}
		}
	}()
	return pr, nil
}

type fixture struct {
	t        *testing.T
	addr     string
	server   account
	accounts map[string]account
	roots    *tunnelcert.MemRoots
	chain    *memChain
	backend  *recBackend
	store    *DirStore
	metrics  *metrics.Metrics
	yaml     []byte
	man      *manifest.Manifest
	did      market.DeploymentID
	ours     market.LeaseID
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, nil)
}

// newFixtureWith lets edit change the gateway's config before New.
func newFixtureWith(t *testing.T, edit func(*Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, accounts: map[string]account{}, roots: tunnelcert.NewMemRoots(), metrics: metrics.New()}
	for _, who := range []string{tenant, provider, fellow, stranger} {
		a := newAccount(t, who)
		f.accounts[who] = a
		f.roots.Add(who, a.x509)
	}
	f.server = f.accounts[provider]
	var err error
	f.yaml, err = os.ReadFile("../../core/manifest/testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f.man, err = manifest.Parse("example.yaml", f.yaml)
	if err != nil {
		t.Fatal(err)
	}
	f.did = market.DeploymentID{Owner: tenant, DSeq: 42}
	gid := func(g uint32) market.OrderID {
		return market.OrderID{GroupID: market.GroupID{DeploymentID: f.did, GSeq: g}, OSeq: 1}
	}
	f.ours = market.LeaseID{OrderID: gid(2), Provider: provider}
	f.chain = &memChain{d: map[market.DeploymentID]Deployment{f.did: {
		ID: f.did, Version: f.man.Version(), Active: true, Groups: f.man.Groups(),
		Leases: []market.LeaseID{{OrderID: gid(1), Provider: fellow}, f.ours},
	}}}
	f.backend = &recBackend{deployed: map[market.LeaseID][32]byte{}, logs: make(chan string)}
	f.store, err = NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Provider: provider, Cert: f.server.tls, Chain: f.chain, Certs: f.roots, Backend: f.backend, Store: f.store, Metrics: f.metrics,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return f
}

// client speaks as account a (with its real certificate and key).
func (f *fixture) client(a account) *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: ClientTLSConfig(a.tls, f.server.x509)}}
}

func (f *fixture) do(a account, method, path string, body []byte) (int, string) {
	return f.doT(f.t, a, method, path, body)
}

func (f *fixture) doT(t *testing.T, a account, method, path string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, "https://"+f.addr+path, strings.NewReader(string(body)))
	resp, err := f.client(a).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (f *fixture) manifestPath() string {
	return fmt.Sprintf("/deployment/%s/%d/manifest", f.did.Owner, f.did.DSeq)
}
func (f *fixture) leasePath(what string) string {
	return fmt.Sprintf("/lease/%s/%d/%d/%d/%s", tenant, f.did.DSeq, f.ours.GSeq, f.ours.OSeq, what)
}

func TestTenantSendsManifest(t *testing.T) {
	f := newFixture(t)
	code, body := f.do(f.accounts[tenant], http.MethodPut, f.manifestPath(), f.yaml)
	if code != http.StatusAccepted {
		t.Fatalf("PUT as tenant: %d %s", code, body)
	}
	var resp struct {
		Leases  []string
		Version string
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil || len(resp.Leases) != 1 || resp.Leases[0] != f.ours.String() {
		t.Fatalf("response %s (%v): want our one lease", body, err)
	}
	if v, ok := f.backend.deployed[f.ours]; !ok || v != f.man.Version() {
		t.Fatalf("backend did not deploy the lease with the manifest: %v", f.backend.deployed)
	}
	if got, _ := f.store.Get(f.did); string(got) != string(f.man.Canonical()) {
		t.Fatalf("stored manifest is not the canonical form")
	}
	if got := metrics.Value(f.metrics.ManifestsReceived); got != 1 {
		t.Fatalf("manifests_received_total = %v", got)
	}
	// The canonical form is itself a manifest with the same version.
	if code, body := f.do(f.accounts[tenant], http.MethodPut, f.manifestPath(), f.man.Canonical()); code != http.StatusAccepted {
		t.Fatalf("PUT canonical form: %d %s", code, body)
	}
}

func TestRefusals(t *testing.T) {
	f := newFixture(t)
	tampered := []byte(strings.Replace(string(f.yaml), "LOG_LEVEL=info", "LOG_LEVEL=debug", 1))

	// A certificate whose CN and serial match the tenant's on-chain one but
	// with another key: a forgery.
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	orig := f.accounts[tenant].x509
	forgedTmpl := &x509.Certificate{SerialNumber: orig.SerialNumber, Subject: orig.Subject, NotBefore: orig.NotBefore, NotAfter: orig.NotAfter,
		KeyUsage: orig.KeyUsage, ExtKeyUsage: orig.ExtKeyUsage, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, forgedTmpl, forgedTmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	fc, _ := x509.ParseCertificate(der)
	forged := account{tls: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: fc}, x509: fc}

	notOnChain := newAccount(t, tenant) // the tenant's address, but never registered

	revoked := newAccount(t, "akash1revoked")
	f.roots.Add("akash1revoked", revoked.x509)
	f.roots.Revoke("akash1revoked", revoked.x509.SerialNumber)

	for _, tc := range []struct {
		name   string
		who    account
		method string
		path   string
		body   []byte
		code   int
		want   string
	}{
		{"other account", f.accounts[stranger], http.MethodPut, f.manifestPath(), f.yaml, 403, "account akash1stranger may not send the manifest"},
		{"cert not on chain", notOnChain, http.MethodPut, f.manifestPath(), f.yaml, 401, "is not on chain"},
		{"revoked cert", revoked, http.MethodPut, f.manifestPath(), f.yaml, 401, "was revoked on chain"},
		{"forged cert", forged, http.MethodPut, f.manifestPath(), f.yaml, 401, "differs from the one on chain"},
		{"tampered manifest", f.accounts[tenant], http.MethodPut, f.manifestPath(), tampered, 409, "differs from deployment akash1tenant/42's version"},
		{"not a manifest", f.accounts[tenant], http.MethodPut, f.manifestPath(), []byte("services: [1"), 400, "manifest of akash1tenant/42"},
		{"unknown deployment", f.accounts[tenant], http.MethodPut, "/deployment/akash1tenant/7/manifest", f.yaml, 404, "deployment akash1tenant/7 is not on chain"},
		{"status by a fellow provider", f.accounts[fellow], http.MethodGet, f.leasePath("status"), nil, 403, "is not the tenant of lease"},
		{"status of a lease not ours", f.accounts[tenant], http.MethodGet, "/lease/akash1tenant/42/1/1/status", nil, 404, "is not an active lease of provider akash1provider"},
		{"manifest fetch by a stranger", f.accounts[stranger], http.MethodGet, f.manifestPath(), nil, 403, "is not a participant"},
		{"bad dseq", f.accounts[tenant], http.MethodGet, "/lease/akash1tenant/x/1/1/status", nil, 400, "is not an unsigned number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := f.doT(t, tc.who, tc.method, tc.path, tc.body)
			if code != tc.code || !strings.Contains(body, tc.want) {
				t.Fatalf("%s %s: %d %s; want %d containing %q", tc.method, tc.path, code, body, tc.code, tc.want)
			}
		})
	}
	if len(f.backend.deployed) != 0 {
		t.Fatalf("a refused manifest was deployed: %v", f.backend.deployed)
	}
	if got := metrics.Value(f.metrics.ManifestsRejected.WithLabelValues("version")); got != 1 {
		t.Fatalf("manifests_rejected_total{reason=version} = %v", got)
	}
	f.backend.mu.Lock()
	refused := f.backend.refused
	f.backend.mu.Unlock()
	if len(refused) != 1 {
		t.Fatalf("refusals recorded %v, want the tampered manifest's on the one lease", refused)
	}
	for l, why := range refused {
		if !strings.Contains(why, "differs from the version") {
			t.Fatalf("refusal of %s: %q, want the version", l, why)
		}
	}
	if got := metrics.Value(f.metrics.ManifestsRejected.WithLabelValues("auth")); got != 3 {
		t.Fatalf("manifests_rejected_total{reason=auth} = %v, want 3", got)
	}
}

func TestNoClientCertificateFailsHandshake(t *testing.T) {
	f := newFixture(t)
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
		MinVersion: tls.VersionTLS13, InsecureSkipVerify: true, //nolint:gosec // test: no client cert on purpose
	}}}
	resp, err := c.Get("https://" + f.addr + f.manifestPath())
	if err == nil {
		resp.Body.Close()
		t.Fatalf("request without a client certificate got %d; want a failed handshake", resp.StatusCode)
	}
}

func TestClientPinsProviderCertificate(t *testing.T) {
	f := newFixture(t)
	impostor := newAccount(t, provider)
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: ClientTLSConfig(f.accounts[tenant].tls, impostor.x509)}}
	_, err := c.Get("https://" + f.addr + f.manifestPath())
	if err == nil || !strings.Contains(err.Error(), "not the one registered on chain") {
		t.Fatalf("client talking to a provider whose cert is not the pinned one: %v", err)
	}
}

func TestFellowProviderPassesManifest(t *testing.T) {
	f := newFixture(t)
	// Only the fellow provider sends it here (issue 8: peers pass manifests).
	if code, body := f.do(f.accounts[fellow], http.MethodPut, f.manifestPath(), f.man.Canonical()); code != http.StatusAccepted {
		t.Fatalf("PUT by fellow: %d %s", code, body)
	}
	code, body := f.do(f.accounts[fellow], http.MethodGet, f.manifestPath(), nil)
	if code != 200 || body != string(f.man.Canonical()) {
		t.Fatalf("GET by fellow: %d %q", code, body)
	}
	m, err := manifest.Parse("fetched", []byte(body))
	if err != nil || m.Version() != f.man.Version() {
		t.Fatalf("fetched manifest does not verify: %v", err)
	}
}

func TestManifestNotYetReceived(t *testing.T) {
	f := newFixture(t)
	code, body := f.do(f.accounts[fellow], http.MethodGet, f.manifestPath(), nil)
	if code != 404 || !strings.Contains(body, "has not received the manifest") {
		t.Fatalf("%d %s", code, body)
	}
	code, body = f.do(f.accounts[tenant], http.MethodGet, f.leasePath("status"), nil)
	if code != 404 || !strings.Contains(body, "send its manifest") {
		t.Fatalf("status before manifest: %d %s", code, body)
	}
}

func TestStatusAndLogs(t *testing.T) {
	f := newFixture(t)
	f.do(f.accounts[tenant], http.MethodPut, f.manifestPath(), f.yaml)
	code, body := f.do(f.accounts[tenant], http.MethodGet, f.leasePath("status"), nil)
	if code != 200 || !strings.Contains(body, `"state":"running"`) {
		t.Fatalf("status: %d %s", code, body)
	}
	code, body = f.do(f.accounts[tenant], http.MethodGet, f.leasePath("logs?tail=5"), nil)
	if code != 200 || body != "web-0 | tail=5\n" {
		t.Fatalf("logs: %d %q", code, body)
	}
	if code, body := f.do(f.accounts[tenant], http.MethodGet, f.leasePath("logs?tail=-1"), nil); code != 400 {
		t.Fatalf("bad tail: %d %s", code, body)
	}
}

func TestLogsFollowStreams(t *testing.T) {
	f := newFixture(t)
	f.do(f.accounts[tenant], http.MethodPut, f.manifestPath(), f.yaml)
	req, _ := http.NewRequest(http.MethodGet, "https://"+f.addr+f.leasePath("logs?follow=1"), nil)
	resp, err := f.client(f.accounts[tenant]).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	// Each line must arrive while the stream is still open (flushed), not
	// at the end.
	for i := 0; i < 3; i++ {
		line := fmt.Sprintf("web-0 | request %d\n", i)
		f.backend.logs <- line
		buf := make([]byte, len(line))
		if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != line {
			t.Fatalf("line %d: %q %v", i, buf, err)
		}
	}
	close(f.backend.logs)
	if rest, err := io.ReadAll(resp.Body); err != nil || len(rest) != 0 {
		t.Fatalf("after the stream ends: %q %v", rest, err)
	}
}

func TestDirStore(t *testing.T) {
	s, err := NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	id := market.DeploymentID{Owner: "akash1abc", DSeq: 7}
	if _, err := s.Get(id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of nothing: %v", err)
	}
	if err := s.Put(id, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	ids, _ := s.List()
	if len(ids) != 1 || ids[0] != id {
		t.Fatalf("List: %v", ids)
	}
	if err := s.Put(market.DeploymentID{Owner: "../etc", DSeq: 1}, nil); err == nil {
		t.Fatal("an owner with a path separator must be refused")
	}
	if err := s.Delete(id); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(id); err != nil {
		t.Fatal("second delete:", err)
	}
}

// TestTunnelEndpointRoute: any account with its certificate on chain (here
// one holding no lease with this provider) learns the advertised tunnel
// endpoint; a certificate not on chain does not; a gateway without one says
// so with 404; New refuses an endpoint a peer could not dial.
func TestTunnelEndpointRoute(t *testing.T) {
	const path = "/v1/overlay/endpoint"
	f := newFixtureWith(t, func(c *Config) { c.TunnelEndpoint = "tunnel.provider.example:9444" })
	code, body := f.do(f.accounts[stranger], http.MethodGet, path, nil)
	var got TunnelEndpoint
	if err := json.Unmarshal([]byte(body), &got); code != 200 || err != nil {
		t.Fatalf("GET %s as an account without a lease: %d %s (%v); want 200 and JSON", path, code, body, err)
	}
	if want := (TunnelEndpoint{Provider: provider, Endpoint: "tunnel.provider.example:9444"}); got != want {
		t.Fatalf("answer %+v, want %+v", got, want)
	}
	if code, body := f.do(newAccount(t, stranger), http.MethodGet, path, nil); code != 401 || !strings.Contains(body, "is not on chain") {
		t.Fatalf("GET with a certificate not on chain: %d %s; want 401", code, body)
	}
	none := newFixture(t)
	if code, body := none.do(none.accounts[fellow], http.MethodGet, path, nil); code != 404 || !strings.Contains(body, "this provider runs no tunnel endpoint") {
		t.Fatalf("GET from a gateway without a tunnel endpoint: %d %s; want 404 saying so", code, body)
	}
	for _, bad := range []string{"0.0.0.0:8444", "[::]:8444", "provider.example", ":8444", "provider.example:0", "provider.example:65536", "provider.example:https"} {
		a := f.accounts[provider]
		_, err := New(Config{Provider: provider, Cert: a.tls, Chain: f.chain, Certs: f.roots, Backend: f.backend, Store: f.store, TunnelEndpoint: bad})
		if err == nil || !strings.Contains(err.Error(), "tunnel endpoint") {
			t.Errorf("New with TunnelEndpoint %q: %v; want a refusal naming the tunnel endpoint", bad, err)
		}
	}
}

// TestNoOrderedGroupRunsNothing: when the chain's answer lacks the lease's
// ordered group the manifest cannot be checked, so nothing runs (503).
func TestNoOrderedGroupRunsNothing(t *testing.T) {
	f := newFixture(t)
	f.chain.mu.Lock()
	d := f.chain.d[f.did]
	d.Groups = d.Groups[:1] // our lease is on gseq 2
	f.chain.d[f.did] = d
	f.chain.mu.Unlock()
	code, body := f.do(f.accounts[tenant], http.MethodPut, f.manifestPath(), f.yaml)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "no ordered group for the lease (gseq 2, 1 group(s) known)") {
		t.Fatalf("PUT with the lease's group unknown: %d %s", code, body)
	}
	if len(f.backend.deployed) != 0 {
		t.Fatalf("deployed without a check: %v", f.backend.deployed)
	}
}
