package manager

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/overlay/manifestpeer"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/gateway"
	"github.com/akash-market/akash/provider/metrics"
	"github.com/akash-market/akash/provider/overlaylink"
)

// hostsChain adds the provider registry's host URIs to the daemon's chain view.
type hostsChain struct {
	providerChain
	hosts map[string]string
}

func (c hostsChain) HostURI(_ context.Context, p string) (string, error) {
	h, ok := c.hosts[p]
	if !ok {
		return "", fmt.Errorf("provider %s not registered", p)
	}
	return h, nil
}

// noRuntime is provider A's backend: A only serves the manifest it holds
// here (its own containers are not what this test is about).
type noRuntime struct{}

func (noRuntime) Deploy(context.Context, market.LeaseID, *manifest.Manifest) error { return nil }
func (noRuntime) Status(context.Context, market.LeaseID) (any, error) {
	return nil, gateway.ErrNotFound
}
func (noRuntime) Logs(context.Context, market.LeaseID, gateway.LogOptions) (io.ReadCloser, error) {
	return nil, gateway.ErrNotFound
}

// TestDaemonManifestFromPeer: the tenant sent the manifest only to provider
// A (a real gateway on 127.0.0.1 over the same chain); the daemon, provider
// B, has a lease of the deployment and no manifest: two blocks later it
// fetches it from A over mutual TLS, checks it against the version on
// chain, stores and deploys it, and the lease does not time out. A tampered
// copy at A is refused: that lease gets no containers and times out.
func TestDaemonManifestFromPeer(t *testing.T) {
	d := newDaemon(t)
	_, img := dockerOrSkip(t)
	man, err := manifest.Parse("hello.yaml", []byte(helloSDL(img)))
	if err != nil {
		t.Fatal(err)
	}
	tenant := d.tenant.X509.Subject.CommonName

	// Provider A: its account on chain, its gateway, its manifest store.
	provA := "akash1provA" + randHex(4)
	acctA := newTestAccount(t, provA)
	d.roots.Add(provA, acctA.X509)
	storeA, err := gateway.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	gwA, err := gateway.New(gateway.Config{Provider: provA, Cert: acctA.TLS, Chain: d.pc, Certs: d.roots, Backend: noRuntime{}, Store: storeA,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	la, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = gwA.Serve(la) }()
	t.Cleanup(func() { _ = gwA.Shutdown(context.Background()) })

	d.peers = overlaylink.ManifestPeers{
		Self:    d.me,
		Chain:   hostsChain{providerChain: d.pc, hosts: map[string]string{provA: "https://" + la.Addr().String()}},
		Fetcher: manifestpeer.Fetcher{Verifier: tunnelcert.Verifier{Roots: d.roots}, Cert: d.prov.TLS, Timeout: 5 * time.Second},
	}
	var fetchMu sync.Mutex
	fetchedAt := map[market.DeploymentID][]int64{} // heights the daemon asked the peers at
	d.onFetch = func(did market.DeploymentID, h int64) {
		fetchMu.Lock()
		defer fetchMu.Unlock()
		fetchedAt[did] = append(fetchedAt[did], h)
	}
	d.start()

	// openLease opens a deployment whose group 1 the daemon wins and whose
	// group 2 A holds, and gives A body as the manifest the tenant sent it.
	openLease := func(dseq uint64, body []byte) market.LeaseID {
		lid := d.winLease(man, tenant, dseq)
		d.chain.mu.Lock()
		dep := d.chain.deployments[lid.DeploymentID]
		idA := lid
		idA.GSeq, idA.Provider = 2, provA
		dep.Leases = append(dep.Leases, idA)
		d.chain.deployments[lid.DeploymentID] = dep
		d.chain.mu.Unlock()
		if err := storeA.Put(lid.DeploymentID, body); err != nil {
			t.Fatal(err)
		}
		return lid
	}

	good := openLease(1, man.Canonical())
	opened := d.chain.at()
	start := time.Now()
	d.chain.advance(2) // 2 blocks after the lease opened
	waitFor(t, "containers of the fetched manifest running", 30*time.Second, func() bool {
		st, err := d.rt.Status(context.Background(), ref(good))
		return err == nil && st.Ready()
	})
	t.Logf("2 blocks -> containers of the fetched manifest running: %s", time.Since(start))
	fetchMu.Lock()
	asked := fetchedAt[good.DeploymentID]
	fetchMu.Unlock()
	if len(asked) != 1 || asked[0] != opened+2 {
		t.Fatalf("the peers were asked at heights %v; want once, at %d (PeerFetchAfter 2 blocks after the lease opened at %d)", asked, opened+2, opened)
	}
	// Kept once it runs (the store is written after the deploy returns).
	waitFor(t, "the fetched manifest kept in the store", 5*time.Second, func() bool {
		got, err := d.store.Get(good.DeploymentID)
		return err == nil && bytes.Equal(got, man.Canonical())
	})
	// The engine hears of the manifest through the loop (Deploy's message
	// races the block events): wait for it before passing the timeout.
	waitFor(t, "the engine to count the lease as running", 5*time.Second, func() bool {
		return metrics.Value(d.metrics.LeasesActive.WithLabelValues("running")) == 1
	})
	d.chain.advance(4) // past the manifest timeout (5 blocks)

	tampered := bytes.Replace(man.Canonical(), []byte("from-the-daemon-test"), []byte("from-a-tampering-peer"), 1)
	if bytes.Equal(tampered, man.Canonical()) {
		t.Fatal("tampering changed nothing")
	}
	bad := openLease(2, tampered)
	d.chain.advance(5)
	waitFor(t, "the lease with only a tampered copy to fetch timing out", 10*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		cl, ok := d.chain.closed[bad]
		return ok && cl.Reason == lease.ReasonManifestTimeout
	})
	// The daemon sends its closes in the order it decides them; a timeout
	// of the good lease would have come before the bad one's, and so would
	// be on chain by now.
	d.chain.mu.Lock()
	_, closed := d.chain.closed[good]
	d.chain.mu.Unlock()
	if closed {
		t.Fatal("the lease whose manifest came from a peer timed out")
	}
	if _, err := d.rt.Status(context.Background(), ref(bad)); err == nil {
		t.Fatal("the tampered manifest was deployed")
	}
	if _, err := d.store.Get(bad.DeploymentID); err == nil {
		t.Fatal("the tampered manifest was stored")
	}
	// The refused fetch is counted when it returns to the loop, which may
	// be after the timeout's close.
	waitFor(t, "the refused fetch counted", 10*time.Second, func() bool {
		return metrics.Value(d.mgr.peerFetches.WithLabelValues("error")) >= 1
	})
	if n := metrics.Value(d.mgr.peerFetches.WithLabelValues("ok")); n != 1 {
		t.Fatalf("manifest_peer_fetches_total{result=ok} = %v, want 1", n)
	}
}
