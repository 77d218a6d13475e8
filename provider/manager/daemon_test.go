package manager

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/bidengine"
	"github.com/akash-market/akash/provider/gateway"
	"github.com/akash-market/akash/provider/inventory"
	"github.com/akash-market/akash/provider/metrics"
	"github.com/akash-market/akash/provider/pricing"
	"github.com/akash-market/akash/runtime"
	"github.com/akash-market/akash/runtime/testimage"
)

// These tests run the daemon on the real Docker Engine (skipping only when
// none answers) against an in-memory chain (memChain).

func dockerOrSkip(t *testing.T) (*client.Client, string) {
	t.Helper()
	return testimage.Engine(t, "these tests run the daemon on a Docker Engine")
}

func helloSDL(image string) string {
	return fmt.Sprintf(`version: "2.0"
services:
  web:
    image: %[1]s
    env: [HELLO_MESSAGE=from-the-daemon-test]
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
  api:
    image: %[1]s
    args: ["--listen", ":9090"]
    expose:
      - port: 9090
        to: [{service: web}]
profiles:
  compute:
    small:
      resources: {cpu: {units: 0.25}, memory: {size: 64Mi}, storage: {size: 128Mi}}
  placement:
    dc:
      pricing:
        small: {denom: uakt, amount: 10}
deployment:
  web: {dc: {profile: small, count: 1}}
  api: {dc: {profile: small, count: 1}}
`, image)
}

type daemon struct {
	t        *testing.T
	cli      *client.Client
	chain    *memChain
	pc       providerChain
	rt       *runtime.Docker
	store    *gateway.DirStore
	me       string
	prov     certgen.Account
	tenant   certgen.Account
	roots    *tunnelcert.MemRoots
	mgr      *Manager
	metrics  *metrics.Metrics
	inv      *inventory.Inventory
	addr     string
	stop     func()
	peers    ManifestPeers                          // Config.Peers (nil: the tenant must send the manifest here)
	overlay  Overlay                                // Config.Overlay (nil: no tunnels)
	inFlight int                                    // Config.TxInFlight (0: the default)
	logTo    io.Writer                              // also gets the daemon's log (Info and up)
	onFetch  func(did market.DeploymentID, h int64) // Manager.onFetch
}

func newTestAccount(t *testing.T, addr string) certgen.Account {
	a, err := certgen.New(addr, time.Hour, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// start runs a daemon (manager + gateway) for provider d.me over d.chain;
// stop cancels it (as a crash would: nothing is flushed on the way out).
func (d *daemon) start() {
	t := d.t
	rc, err := pricing.RateCardConfig{Denom: "uakt", CPU: "1", Memory: "0.1", MarginBPS: 1000}.Build()
	if err != nil {
		t.Fatal(err)
	}
	d.inv, err = inventory.New([]inventory.Pool{{Name: "main", Capacity: inventory.Resources{CPUMillis: 2000, MemoryBytes: 2 << 30, StorageBytes: 10 << 30}}})
	if err != nil {
		t.Fatal(err)
	}
	d.metrics = metrics.New()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if d.logTo != nil {
		w := d.logTo
		if testing.Verbose() {
			w = io.MultiWriter(w, os.Stderr)
		}
		log = slog.New(slog.NewTextHandler(w, nil))
	}
	d.mgr, err = New(Config{
		Engine: bidengine.Config{
			Provider: d.me, Deposit: money.Coin{Denom: "uakt", Amount: money.NewDec(5)},
			ManifestTimeout: 5, WithdrawPeriod: 3, StallAfter: 6, BidRetries: 1,
		},
		Inventory: d.inv, Pricing: rc, Chain: d.pc, Runtime: d.rt, Store: d.store, Metrics: d.metrics, Log: log,
		CatchupEvery: 300 * time.Millisecond, Resubscribe: 50 * time.Millisecond,
		Peers: d.peers, PeerFetchAfter: 2, Overlay: d.overlay, TxInFlight: d.inFlight,
	})
	if err != nil {
		t.Fatal(err)
	}
	d.mgr.onFetch = d.onFetch
	gw, err := gateway.New(gateway.Config{Provider: d.me, Cert: d.prov.TLS, Chain: d.pc, Certs: d.roots, Backend: d.mgr, Store: d.store, Metrics: d.metrics, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d.addr = l.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan error, 1)
	go func() { runDone <- d.mgr.Run(ctx) }()
	go func() { _ = gw.Serve(l) }()
	select {
	case <-d.mgr.Started():
	case err := <-runDone:
		t.Fatalf("daemon did not start: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("daemon did not start in 30s")
	}
	var once sync.Once
	d.stop = func() {
		once.Do(func() {
			cancel()
			sctx, scancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer scancel()
			_ = gw.Shutdown(sctx)
			select { // Run returns once teardowns in flight are done
			case <-runDone:
			case <-time.After(TeardownGrace + 5*time.Second):
				t.Error("Run did not return after its context ended")
			}
		})
	}
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < timeout {
		if cond() {
			return time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s", timeout, what)
	return 0
}

func (d *daemon) tenantDo(method, path string, body []byte) (int, string) {
	d.t.Helper()
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: gateway.ClientTLSConfig(d.tenant.TLS, d.prov.X509)}}
	req, _ := http.NewRequest(method, "https://"+d.addr+path, strings.NewReader(string(body)))
	resp, err := c.Do(req)
	if err != nil {
		d.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (d *daemon) leaseObjects(id market.LeaseID) (containers, networks int) {
	d.t.Helper()
	f := filters.NewArgs(filters.Arg("label", runtime.LabelLease+"="+ref(id).String()))
	cs, err := d.cli.ContainerList(context.Background(), container.ListOptions{All: true, Filters: f})
	if err != nil {
		d.t.Fatal(err)
	}
	ns, err := d.cli.NetworkList(context.Background(), network.ListOptions{Filters: f})
	if err != nil {
		d.t.Fatal(err)
	}
	return len(cs), len(ns)
}

func newDaemon(t *testing.T) *daemon {
	cli, _ := dockerOrSkip(t)
	d := &daemon{t: t, cli: cli, me: "akash1dprov" + randHex(4), chain: newMemChain(100), roots: tunnelcert.NewMemRoots()}
	d.pc = providerChain{memChain: d.chain, provider: d.me}
	var err error
	d.rt, err = runtime.NewDocker(context.Background(), runtime.Options{Provider: d.me, Client: cli})
	if err != nil {
		t.Fatal(err)
	}
	d.store, err = gateway.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d.prov = newTestAccount(t, d.me)
	d.tenant = newTestAccount(t, "akash1tenant"+randHex(4))
	d.roots.Add(d.me, d.prov.X509)
	d.roots.Add(d.tenant.X509.Subject.CommonName, d.tenant.X509)
	t.Cleanup(func() {
		if d.stop != nil {
			d.stop()
		}
		// Leave nothing behind on the engine, whatever the test did.
		_, _ = d.rt.Reconcile(context.Background(), nil)
	})
	return d
}

func orderFor(t *testing.T, m *manifest.Manifest, owner string, dseq uint64, open int64) market.Order {
	g := m.Groups()[0]
	id := market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: owner, DSeq: dseq}, GSeq: 1}, OSeq: 1}
	o, err := market.NewOrder(id, g, market.Terms{OpenHeight: open, CloseHeight: open + 3})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestDaemonLeaseLifecycle: order -> bid -> lease -> manifest over mTLS ->
// containers answer -> withdrawals -> restart with an orphan -> adopt and
// remove the orphan -> tenant close -> nothing left.
func TestDaemonLeaseLifecycle(t *testing.T) {
	d := newDaemon(t)
	_, img := dockerOrSkip(t)
	sdl := []byte(helloSDL(img))
	man, err := manifest.Parse("hello.yaml", sdl)
	if err != nil {
		t.Fatal(err)
	}
	tenant := d.tenant.X509.Subject.CommonName
	d.start()

	// An order appears: the daemon bids on it in the same block.
	o := orderFor(t, man, tenant, 1, d.chain.at())
	d.chain.addOrder(o, man)
	bidLatency := waitFor(t, "a bid", 5*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return len(d.chain.bids[o.ID]) == 1
	})
	bidID := market.BidID{OrderID: o.ID, Provider: d.me}
	d.chain.mu.Lock()
	h, price := d.chain.bidHeights[bidID], d.chain.bids[o.ID][0].Price
	d.chain.mu.Unlock()
	if h != o.OpenHeight {
		t.Fatalf("bid placed at height %d, order opened at %d: want the same block", h, o.OpenHeight)
	}
	t.Logf("bid %s %s after %s (same block)", bidID, price, bidLatency)

	d.chain.advance(3)
	lid, ok := d.chain.match(o.ID)
	if !ok || lid.Provider != d.me {
		t.Fatalf("match: %v %v", lid, ok)
	}
	waitFor(t, "lease won", 5*time.Second, func() bool { return metrics.Value(d.metrics.BidsWon) == 1 })

	// The tenant sends the manifest; containers run.
	start := time.Now()
	code, body := d.tenantDo(http.MethodPut, fmt.Sprintf("/deployment/%s/1/manifest", tenant), sdl)
	if code != http.StatusAccepted {
		t.Fatalf("PUT manifest: %d %s", code, body)
	}
	var st runtime.Status
	waitFor(t, "containers running", 20*time.Second, func() bool {
		st, err = d.rt.Status(context.Background(), ref(lid))
		return err == nil && st.Ready()
	})
	t.Logf("lease -> all containers running: %s", time.Since(start))
	eps := st.Endpoints()
	if len(eps) != 1 {
		t.Fatalf("endpoints %v, want web's one", eps)
	}
	// "Ready" is the engine's running state; the server inside may take a
	// moment more to accept, and the published port to forward.
	var hello []byte
	answered := waitFor(t, "the global expose to answer", 10*time.Second, func() bool {
		resp, err := http.Get("http://" + eps[0].Address() + "/")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		hello, _ = io.ReadAll(resp.Body)
		return resp.StatusCode == 200
	})
	t.Logf("running -> global expose answers HTTP: %s", answered)
	if !strings.Contains(string(hello), "from-the-daemon-test") {
		t.Fatalf("global expose answered %q", hello)
	}
	code, body = d.tenantDo(http.MethodGet, fmt.Sprintf("/lease/%s/1/1/1/status", tenant), nil)
	if code != 200 || !strings.Contains(body, `"ready":true`) {
		t.Fatalf("status over the gateway: %d %s", code, body)
	}

	// Blocks pass: the manifest arrived, so no timeout close; withdrawals
	// come every 3 blocks.
	d.chain.advance(7)
	waitFor(t, "two withdrawals", 5*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return d.chain.withdrawals[lid] >= 2
	})
	if !d.chain.hasLease(lid) {
		t.Fatal("lease with a manifest was closed")
	}

	// Crash; meanwhile an orphan appears (a lease that closed while the
	// daemon was down still has containers).
	containersBefore, _ := d.leaseObjects(lid)
	d.stop()
	orphan := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: tenant, DSeq: 99}, GSeq: 1}, OSeq: 1}, Provider: d.me}
	if _, err := d.rt.Deploy(context.Background(), runtime.LeaseSpec{Lease: ref(orphan), Manifest: man}); err != nil {
		t.Fatal(err)
	}
	d.chain.advance(2)
	d.start()
	if n, _ := d.leaseObjects(orphan); n != 0 {
		t.Fatalf("orphan lease still has %d containers after restart", n)
	}
	if n, _ := d.leaseObjects(lid); n != containersBefore {
		t.Fatalf("lease has %d containers after restart, had %d (duplicated or lost)", n, containersBefore)
	}
	if got := metrics.Value(d.metrics.ReconcileActions.WithLabelValues("remove", runtime.ObjContainer)); got != 2 {
		t.Fatalf("reconcile removed %v containers, want the orphan's 2", got)
	}
	// A withdrawal lands only on an open lease, and the daemon sends its
	// txs in the order it decides them: a close decided before the next
	// withdrawal would be on chain by then.
	d.chain.mu.Lock()
	withdrawn := d.chain.withdrawals[lid]
	d.chain.mu.Unlock()
	d.chain.advance(6)
	waitFor(t, "a withdrawal after the restart", 10*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return d.chain.withdrawals[lid] > withdrawn
	})
	if !d.chain.hasLease(lid) {
		t.Fatal("restarted daemon closed a lease whose manifest it holds")
	}

	// The tenant closes and the daemon is stopped (SIGTERM) right after the
	// close event: the teardown still finishes before Run returns, so
	// nothing of the lease is left.
	d.chain.closeLease(lid, lease.Closure{Reason: lease.ReasonTenantClosed, Detail: "done"})
	waitFor(t, "close seen", 5*time.Second, func() bool { return metrics.Value(d.metrics.LeasesClosed.WithLabelValues("tenant-closed")) == 1 })
	d.stop()
	if c, n := d.leaseObjects(lid); c != 0 || n != 0 {
		t.Fatalf("after stop: %d containers, %d networks of the closed lease remain", c, n)
	}
}

// TestDaemonManifestTimeout: a lease without a manifest is closed with the
// manifest-timeout reason and its capacity comes back.
func TestDaemonManifestTimeout(t *testing.T) {
	d := newDaemon(t)
	_, img := dockerOrSkip(t)
	man, _ := manifest.Parse("hello.yaml", []byte(helloSDL(img)))
	d.start()
	o := orderFor(t, man, "akash1tenantx", 2, d.chain.at())
	d.chain.addOrder(o, man)
	waitFor(t, "a bid", 5*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return len(d.chain.bids[o.ID]) == 1
	})
	d.chain.advance(3)
	lid, _ := d.chain.match(o.ID)
	opened := d.chain.at()
	d.chain.advance(5) // 5 blocks after the lease opened
	waitFor(t, "close by the provider", 5*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		_, ok := d.chain.closed[lid]
		return ok
	})
	d.chain.mu.Lock()
	cl, decided := d.chain.closed[lid], d.chain.closeAt[lid]
	d.chain.mu.Unlock()
	// Not before the timeout: the engine decided the close at the fifth
	// block, whenever the close then landed.
	if decided != opened+5 {
		t.Fatalf("close decided at height %d; want %d, 5 blocks after the lease opened at %d", decided, opened+5, opened)
	}
	if cl.Reason != lease.ReasonManifestTimeout || !strings.Contains(cl.Detail, "no manifest within 5 blocks") {
		t.Fatalf("closure %+v", cl)
	}
	waitFor(t, "capacity back", 5*time.Second, func() bool {
		// The inventory belongs to the loop; read it through the gauge.
		return metrics.Value(d.metrics.LeasesActive.WithLabelValues("awaiting-manifest")) == 0 &&
			metrics.Value(d.metrics.LeasesClosed.WithLabelValues("manifest-timeout")) == 1
	})
}

// TestDaemonCatchesUpAfterGap: orders created while the event stream is
// broken are bid on after it comes back, exactly once; a daemon whose bids
// all fail says it stalled.
func TestDaemonCatchesUpAfterGap(t *testing.T) {
	d := newDaemon(t)
	_, img := dockerOrSkip(t)
	man, _ := manifest.Parse("hello.yaml", []byte(helloSDL(img)))
	d.start()
	d.chain.breakStream()
	o := orderFor(t, man, "akash1tenanty", 3, d.chain.at())
	d.chain.mu.Lock()
	d.chain.orders[o.ID] = o
	d.chain.open[o.ID] = true
	d.chain.mu.Unlock()
	waitFor(t, "catch-up bid", 5*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return len(d.chain.bids[o.ID]) == 1
	})
	// Several catch-ups later, still one bid, and the daemon counted the
	// miss. The loop runs one catch-up at a time: when the chain answers the
	// third query after the bid, two whole catch-ups have been handled.
	d.chain.mu.Lock()
	after := d.chain.snapshots
	d.chain.mu.Unlock()
	waitFor(t, "two more catch-ups", 10*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return d.chain.snapshots >= after+3
	})
	d.chain.mu.Lock()
	n := len(d.chain.bids[o.ID])
	d.chain.mu.Unlock()
	if n != 1 || metrics.Value(d.metrics.BidsPlaced) != 1 {
		t.Fatalf("bids on chain %d, placed %v: want exactly one", n, metrics.Value(d.metrics.BidsPlaced))
	}
	if metrics.Value(d.metrics.OrdersMissed) != 1 {
		t.Fatalf("orders_missed_total = %v", metrics.Value(d.metrics.OrdersMissed))
	}

	// Now every bid fails (e.g. the account cannot pay deposits).
	d.chain.mu.Lock()
	d.chain.rejectBids = fmt.Errorf("%w: insufficient funds: 0uakt < 5uakt deposit", ErrRejected)
	d.chain.mu.Unlock()
	o2 := orderFor(t, man, "akash1tenanty", 4, d.chain.at())
	o2.CloseHeight = o2.OpenHeight + 20
	d.chain.addOrder(o2, man)
	waitFor(t, "failed bid", 5*time.Second, func() bool { return metrics.Value(d.metrics.BidsFailed.WithLabelValues("rejected")) == 1 })
	d.chain.advance(7)
	waitFor(t, "stall signal", 5*time.Second, func() bool { return metrics.Value(d.metrics.BiddingStalled) == 1 })
}

// TestDaemonMissingImage: a manifest naming an image the engine lacks is
// refused with 422 and the image's name; nothing of the lease is left.
func TestDaemonMissingImage(t *testing.T) {
	d := newDaemon(t)
	sdl := []byte(helloSDL("akash-test/not-loaded-anywhere:1"))
	man, err := manifest.Parse("missing.yaml", sdl)
	if err != nil {
		t.Fatal(err)
	}
	tenant := d.tenant.X509.Subject.CommonName
	d.start()
	o := orderFor(t, man, tenant, 5, d.chain.at())
	d.chain.addOrder(o, man)
	waitFor(t, "a bid", 5*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return len(d.chain.bids[o.ID]) == 1
	})
	d.chain.advance(3)
	lid, _ := d.chain.match(o.ID)
	waitFor(t, "lease won", 5*time.Second, func() bool { return metrics.Value(d.metrics.BidsWon) == 1 })
	code, body := d.tenantDo(http.MethodPut, fmt.Sprintf("/deployment/%s/5/manifest", tenant), sdl)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "akash-test/not-loaded-anywhere:1") || !strings.Contains(body, "does not pull images") {
		t.Fatalf("PUT with a missing image: %d %s", code, body)
	}
	if c, n := d.leaseObjects(lid); c != 0 {
		t.Fatalf("a refused deploy left %d containers (%d networks)", c, n)
	}
	// Not kept either: a restarted daemon would otherwise try to run it.
	if _, err := d.store.Get(lid.DeploymentID); !errors.Is(err, gateway.ErrNotFound) {
		t.Fatalf("a manifest that cannot run was stored (get: %v)", err)
	}
	// No runnable manifest follows: the close the provider sends at the
	// manifest timeout names why the manifest was refused.
	d.chain.advance(6) // ManifestTimeout 5
	waitFor(t, "the lease closed", 10*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		_, ok := d.chain.closed[lid]
		return ok
	})
	d.chain.mu.Lock()
	cl := d.chain.closed[lid]
	d.chain.mu.Unlock()
	if cl.Reason != lease.ReasonManifestTimeout || !strings.HasPrefix(cl.Detail, "manifest refused: ") || !strings.Contains(cl.Detail, "akash-test/not-loaded-anywhere:1") {
		t.Fatalf("close %q, want manifest-timeout whose detail starts with the refusal naming the missing image", cl.String())
	}
	t.Logf("close on chain: %s", cl)
}

// winLease opens an order for m's first group, lets the daemon bid and
// matches it: the daemon holds the lease.
func (d *daemon) winLease(m *manifest.Manifest, tenant string, dseq uint64) market.LeaseID {
	t := d.t
	t.Helper()
	o := orderFor(t, m, tenant, dseq, d.chain.at())
	d.chain.addOrder(o, m)
	waitFor(t, "a bid", 5*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return len(d.chain.bids[o.ID]) == 1
	})
	d.chain.advance(3)
	lid, ok := d.chain.match(o.ID)
	if !ok || lid.Provider != d.me {
		t.Fatalf("match of %s: %v %v", o.ID, lid, ok)
	}
	return lid
}

// TestDaemonStartsDespiteAnUnrunnableLease: a stored manifest whose image
// is gone from the engine (the operator removed it while the daemon was
// down) used to make every start fail. Now the daemon starts, keeps the
// other lease running, closes that one with the reason, drops its
// manifest and its containers.
func TestDaemonStartsDespiteAnUnrunnableLease(t *testing.T) {
	d := newDaemon(t)
	cli, img := dockerOrSkip(t)
	ctx := context.Background()
	vanishing := "akash-test/vanishing:" + randHex(4)
	if err := cli.ImageTag(ctx, img, vanishing); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = cli.ImageRemove(context.Background(), vanishing, image.RemoveOptions{}) })
	tenant := d.tenant.X509.Subject.CommonName
	good, bad := []byte(helloSDL(img)), []byte(helloSDL(vanishing))
	goodMan, err := manifest.Parse("good.yaml", good)
	if err != nil {
		t.Fatal(err)
	}
	badMan, err := manifest.Parse("bad.yaml", bad)
	if err != nil {
		t.Fatal(err)
	}
	d.start()
	goodLease, badLease := d.winLease(goodMan, tenant, 21), d.winLease(badMan, tenant, 22)
	for _, x := range []struct {
		dseq uint64
		sdl  []byte
	}{{21, good}, {22, bad}} {
		if code, body := d.tenantDo(http.MethodPut, fmt.Sprintf("/deployment/%s/%d/manifest", tenant, x.dseq), x.sdl); code != http.StatusAccepted {
			t.Fatalf("PUT manifest of dseq %d: %d %s", x.dseq, code, body)
		}
	}
	goodContainers, _ := d.leaseObjects(goodLease)
	d.stop()
	if _, err := cli.ImageRemove(ctx, vanishing, image.RemoveOptions{}); err != nil {
		t.Fatalf("untag %s: %v", vanishing, err)
	}

	d.start() // fails the test if Run returns an error
	waitFor(t, "the provider to close the unrunnable lease", 10*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		_, ok := d.chain.closed[badLease]
		return ok
	})
	cl, _ := d.chain.closure(badLease)
	if cl.Reason != lease.ReasonProviderClosed || !strings.Contains(cl.Detail, "cannot run on this provider") || !strings.Contains(cl.Detail, vanishing) {
		t.Fatalf("closure of the unrunnable lease: %s; want provider-closed naming %s", cl, vanishing)
	}
	if _, err := d.store.Get(badLease.DeploymentID); !errors.Is(err, gateway.ErrNotFound) {
		t.Fatalf("the unrunnable lease's manifest is still stored (get: %v)", err)
	}
	if c, _ := d.leaseObjects(badLease); c != 0 {
		t.Fatalf("the unrunnable lease kept %d containers", c)
	}
	if c, _ := d.leaseObjects(goodLease); c != goodContainers {
		t.Fatalf("the other lease has %d containers, had %d", c, goodContainers)
	}
	if _, closed := d.chain.closure(goodLease); closed {
		t.Fatal("the runnable lease was closed too")
	}
}
