package manager

import (
	"context"
	"crypto"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/overlay/tunnel"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/overlaylink"
	"github.com/akash-market/akash/runtime"
)

func splitSDL(img string) string {
	return fmt.Sprintf(`version: "2.0"
services:
  web:
    image: %[1]s
    args: ["--allow-fetch"]
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
  api:
    image: %[1]s
    args: ["--listen", ":9090"]
    env: [HELLO_MESSAGE=api-at-the-daemon]
    expose:
      - port: 9090
        to: [{service: web}]
profiles:
  compute:
    small:
      resources: {cpu: {units: 0.25}, memory: {size: 64Mi}, storage: {size: 128Mi}}
  placement:
    east: {pricing: {small: {denom: uakt, amount: 10}}}
    west: {pricing: {small: {denom: uakt, amount: 10}}}
deployment:
  api: {east: {profile: small, count: 1}}
  web: {west: {profile: small, count: 1}}
`, img)
}

// TestDaemonOpensAndClosesTunnels: the daemon (provider B) wins api's group
// of a deployment whose web runs at provider A (its own runtime and tunnels
// on the same engine). After the tenant's manifest the daemon opens its end
// of web -> api:9090 by itself (retrying each block until A's lease is on
// chain), web reaches api through the tunnel, and when the chain closes B's
// lease the daemon removes its route: web's requests no longer get through.
func TestDaemonOpensAndClosesTunnels(t *testing.T) {
	d := newDaemon(t)
	cli, img := dockerOrSkip(t)
	man, err := manifest.Parse("split.yaml", []byte(splitSDL(img)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tenant := d.tenant.X509.Subject.CommonName
	provA := "akash1tunA" + randHex(4)
	acctA := newTestAccount(t, provA)
	d.roots.Add(provA, acctA.X509)
	chain := hostsChain{providerChain: d.pc, hosts: map[string]string{}}
	v := tunnelcert.Verifier{Roots: d.roots}
	epA, err := tunnel.Listen("127.0.0.1:0", v, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { epA.Close() })
	epB, err := tunnel.Listen("127.0.0.1:0", v, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { epB.Close() })
	endpoints := map[string]string{provA: epA.Addr().String(), d.me: epB.Addr().String()}
	peer := func(_ context.Context, p string) (string, error) { return endpoints[p], nil }
	tunA := &overlaylink.Tunnels{Self: provA, Chain: chain, Endpoint: epA, PeerEndpoint: peer,
		Issuer: tunnelcert.Issuer{Provider: provA, Root: acctA.X509, Key: acctA.TLS.PrivateKey.(crypto.Signer)},
		Attach: overlaylink.DockerAttach{Net: runtime.NewNetworks(cli)}, Template: tunnel.Config{Verifier: v, DialTimeout: 2 * time.Second}}
	t.Cleanup(tunA.CloseAll)
	tunB := &overlaylink.Tunnels{Self: d.me, Chain: chain, Endpoint: epB, PeerEndpoint: peer,
		Issuer: tunnelcert.Issuer{Provider: d.me, Root: d.prov.X509, Key: d.prov.TLS.PrivateKey.(crypto.Signer)},
		Attach: overlaylink.DockerAttach{Net: runtime.NewNetworks(cli)}, Template: tunnel.Config{Verifier: v, DialTimeout: 2 * time.Second}}
	t.Cleanup(tunB.CloseAll)
	ov := &countingOverlay{Overlay: tunB}
	d.overlay = ov
	d.start()

	// The daemon wins group 1 (east: api).
	o := orderFor(t, man, tenant, 1, d.chain.at())
	d.chain.addOrder(o, man)
	waitFor(t, "a bid", 5*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return len(d.chain.bids[o.ID]) == 1
	})
	d.chain.advance(3)
	lidB, ok := d.chain.match(o.ID)
	if !ok {
		t.Fatal("no lease")
	}
	if code, body := d.tenantDo(http.MethodPut, fmt.Sprintf("/deployment/%s/1/manifest", tenant), []byte(splitSDL(img))); code != http.StatusAccepted {
		t.Fatalf("PUT manifest: %d %s", code, body)
	}
	// web's group is not leased yet: the daemon tries (when the manifest
	// runs, then once a block) and opens nothing. Every try until A's lease
	// below sees that state; wait for one to end rather than for a while.
	d.chain.advance(2)
	waitFor(t, "a try to open the tunnels", 30*time.Second, func() bool { return ov.done.Load() >= 1 })
	if n := len(tunB.Stats()); n != 0 || ov.links.Load() != 0 {
		t.Fatalf("%d links open (%d reported) before web's group has a lease", n, ov.links.Load())
	}
	// A wins group 2 (west: web) and runs it.
	lidA := lidB
	lidA.GSeq, lidA.Provider = 2, provA
	d.chain.mu.Lock()
	dep := d.chain.deployments[lidB.DeploymentID]
	dep.Leases = append(dep.Leases, lidA)
	d.chain.deployments[lidB.DeploymentID] = dep
	d.chain.mu.Unlock()
	rtA, err := runtime.NewDocker(ctx, runtime.Options{Provider: provA, Client: cli})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = rtA.Reconcile(context.Background(), nil) })
	refA := runtime.LeaseRef{Owner: lidA.Owner, DSeq: lidA.DSeq, GSeq: lidA.GSeq, OSeq: lidA.OSeq, Provider: provA}
	if _, err := rtA.Deploy(ctx, runtime.LeaseSpec{Lease: refA, Manifest: man}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waitFor(t, "the daemon to open its end", 20*time.Second, func() bool {
		d.chain.advance(1)
		st := tunB.Stats()
		return len(st) == 1 && st[0].Role == "server"
	})
	t.Logf("A's lease on chain -> the daemon's route open: %s", time.Since(start))
	waitFor(t, "A to open its end", 20*time.Second, func() bool {
		n, err := tunA.Open(ctx, lidA, man)
		return err == nil && n == 1
	})
	listen := tunA.Stats()[0].Local
	var web string
	waitFor(t, "web's global expose", 20*time.Second, func() bool {
		s, err := rtA.Status(ctx, refA)
		if err == nil && s.Ready() && len(s.Endpoints()) == 1 {
			web = s.Endpoints()[0].Address()
		}
		return web != ""
	})
	fetch := func() (int, string) {
		// A new connection each time: kept-alive streams outlive a route.
		c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get("http://" + web + "/fetch?timeout=2s&url=" + url.QueryEscape("http://"+listen+"/"))
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	var code int
	var body string
	waitFor(t, "web -> api through the tunnel", 20*time.Second, func() bool {
		code, body = fetch()
		return code == 200 && strings.Contains(body, "api-at-the-daemon")
	})

	// The chain closes the daemon's lease: teardown, then its route goes.
	d.chain.closeLease(lidB, lease.Closure{Reason: lease.ReasonTenantClosed})
	waitFor(t, "the daemon to close its end", 30*time.Second, func() bool { return len(tunB.Stats()) == 0 })
	if code, body = fetch(); code == 200 {
		t.Fatalf("web still reaches api after the lease closed: %q", body)
	}
}

// countingOverlay counts the daemon's finished tries to open tunnels.
type countingOverlay struct {
	Overlay
	done  atomic.Int64 // Opens returned
	links atomic.Int64 // links the last Open reported
}

func (o *countingOverlay) Open(ctx context.Context, lease market.LeaseID, m *manifest.Manifest) (int, error) {
	n, err := o.Overlay.Open(ctx, lease, m)
	o.links.Store(int64(n))
	o.done.Add(1)
	return n, err
}
