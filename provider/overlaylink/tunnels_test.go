package overlaylink

import (
	"bufio"
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/tunnel"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/gateway"
)

// loopbackAttach places link ends on 127.0.0.1: client ends on a free port,
// server ends at the workload servers the test runs (the daemon's Docker
// attach puts them in the lease's networks instead).
type loopbackAttach struct{ workloads map[string]string } // service -> host:port

func (a loopbackAttach) Listen(context.Context, market.LeaseID, overlay.Link) (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func (a loopbackAttach) Target(_ context.Context, _ market.LeaseID, l overlay.Link) (string, error) {
	addr, ok := a.workloads[l.Conn.To]
	if !ok {
		return "", fmt.Errorf("no workload %s", l.Conn.To)
	}
	return addr, nil
}

// echoServer answers each line with "<name>: <line>".
func echoServer(t *testing.T, name string) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if _, err := io.WriteString(c, name+": "+line); err != nil {
						return
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

func ask(addr, line string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, line+"\n"); err != nil {
		return "", err
	}
	got, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(got), err
}

// TestTunnelsAcrossProviders: web (group west, won by A) may reach db
// (group east, won by B) on 5432. Each provider plans from the chain's
// leases, issues its tunnel certificates under its account root, and opens
// its end on its own endpoint; web's request to the client end reaches db
// through a real mutual-TLS tunnel. Nothing else is planned (db -> web has
// no listener), a deployment not fully leased opens nothing, and closing the
// deployment removes listener and route.
func TestTunnelsAcrossProviders(t *testing.T) {
	m, err := manifest.Parse("deploy.yaml", []byte(twoTierSDL))
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	const owner = "akash1tenant"
	_ = w.account(owner)
	type prov struct {
		addr string
		acct certgen.Account
		ep   *tunnel.Endpoint
		tun  *Tunnels
	}
	endpoints := map[string]string{}
	newProv := func(addr string, workloads map[string]string) *prov {
		p := &prov{addr: addr, acct: w.account(addr)}
		v := tunnelcert.Verifier{Roots: &tunnelcert.CachedRoots{Source: w.roots, TTL: time.Second}}
		p.ep, err = tunnel.Listen("127.0.0.1:0", v, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.ep.Close() })
		endpoints[addr] = p.ep.Addr().String()
		p.tun = &Tunnels{
			Self: addr, Chain: w.chain, Endpoint: p.ep,
			Issuer:       tunnelcert.Issuer{Provider: addr, Root: p.acct.X509, Key: p.acct.TLS.PrivateKey.(crypto.Signer)},
			Attach:       loopbackAttach{workloads: workloads},
			PeerEndpoint: func(_ context.Context, p string) (string, error) { return endpoints[p], nil },
			Template:     tunnel.Config{Verifier: v, DialTimeout: 2 * time.Second, ProbeEvery: time.Second},
		}
		t.Cleanup(p.tun.CloseAll)
		return p
	}
	a := newProv("akash1provA", nil)
	b := newProv("akash1provB", map[string]string{"db": echoServer(t, "db")})

	did := market.DeploymentID{Owner: owner, DSeq: 3}
	// Groups are in manifest order, GSeq 1 = east (db), GSeq 2 = west (web).
	if g := m.Groups(); g[0].Name != "east" || g[1].Name != "west" {
		t.Fatalf("groups %v", g)
	}
	leaseB := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: did, GSeq: 1}, OSeq: 1}, Provider: b.addr}
	leaseA := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: did, GSeq: 2}, OSeq: 1}, Provider: a.addr}
	// Only B's lease so far: where web runs is unknown.
	w.deployment(owner, 3, m, b.addr)
	if _, err := b.tun.Open(context.Background(), leaseB, m); !errors.Is(err, ErrNotAllLeased) {
		t.Fatalf("open with one group leased: err %v, want ErrNotAllLeased", err)
	}
	w.deployment(owner, 3, m, b.addr, a.addr)
	start := time.Now()
	for _, x := range []struct {
		p *prov
		l market.LeaseID
	}{{b, leaseB}, {a, leaseA}} {
		n, err := x.p.tun.Open(context.Background(), x.l, m)
		if err != nil || n != 1 {
			t.Fatalf("%s: open: %d links, %v; want 1", x.p.addr, n, err)
		}
	}
	st := a.tun.Stats()
	if len(st) != 1 || st[0].Role != "client" || st[0].Peer != b.addr || !strings.Contains(st[0].Link, "web->db:5432") {
		t.Fatalf("A's links: %+v; want one client link web->db:5432 to B", st)
	}
	var got string
	for deadline := time.Now().Add(10 * time.Second); ; {
		got, err = ask(st[0].Local, "hello")
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil || got != "db: hello" {
		t.Fatalf("web -> db through the tunnel: %q, %v", got, err)
	}
	t.Logf("open -> first answer through the tunnel: %s", time.Since(start))
	if sb := b.tun.Stats(); len(sb) != 1 || sb[0].Role != "server" || sb[0].Streams < 1 {
		t.Fatalf("B's links: %+v; want one served route that carried a stream", sb)
	}
	// Operators see it: /tunnels, the table, and Prometheus.
	srv := httptest.NewServer(StatsHandler(a.tun))
	defer srv.Close()
	got2, err := GetStats(context.Background(), strings.TrimPrefix(srv.URL, "http://"))
	if err != nil || len(got2) != 1 || got2[0].State != tunnel.Up || got2[0].BytesOut == 0 {
		t.Fatalf("/tunnels: %+v, %v; want one link up that carried bytes", got2, err)
	}
	var table strings.Builder
	if err := PrintStats(&table, got2); err != nil || !strings.Contains(table.String(), "web->db:5432/tcp") || !strings.Contains(table.String(), "up") {
		t.Fatalf("table:\n%s", table.String())
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(tunnel.Collector{Snapshot: a.tun.Stats})
	fams, err := reg.Gather()
	var streams float64
	for _, f := range fams {
		if f.GetName() == "akash_overlay_tunnel_streams_total" && len(f.GetMetric()) == 1 {
			streams = f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	if err != nil || streams < 1 {
		t.Fatalf("akash_overlay_tunnel_streams_total = %v (%v), want >= 1", streams, err)
	}
	// The same version again changes nothing.
	if n, err := a.tun.Open(context.Background(), leaseA, m); err != nil || n != 1 || len(a.tun.Stats()) != 1 {
		t.Fatalf("second open: %d %v", n, err)
	}
	// The lease closes: listener and route go.
	if err := a.tun.Close(did); err != nil {
		t.Fatal(err)
	}
	if err := b.tun.Close(did); err != nil {
		t.Fatal(err)
	}
	if _, err := ask(st[0].Local, "again"); err == nil {
		t.Fatal("the client end still answers after close")
	}
	if len(a.tun.Stats())+len(b.tun.Stats()) != 0 {
		t.Fatal("stats still list links after close")
	}
}

// TestTunnelsEndpointFromGateway: B's tunnel endpoint listens on a random
// port (not 8444) and B's gateway advertises it; A's Tunnels learns it
// through B's real gateway (GatewayEndpoints as PeerEndpoint) and web at A
// reaches db at B through the tunnel.
func TestTunnelsEndpointFromGateway(t *testing.T) {
	m, err := manifest.Parse("deploy.yaml", []byte(twoTierSDL))
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	const owner = "akash1tenant"
	_ = w.account(owner)
	v := tunnelcert.Verifier{Roots: &tunnelcert.CachedRoots{Source: w.roots, TTL: time.Second}}
	type prov struct {
		gw  *provider
		ep  *tunnel.Endpoint
		tun *Tunnels
	}
	newProv := func(addr string, workloads map[string]string) *prov {
		p := &prov{}
		if p.ep, err = tunnel.Listen("127.0.0.1:0", v, 2*time.Second); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.ep.Close() })
		p.gw = w.providerWith(addr, func(c *gateway.Config) { c.TunnelEndpoint = p.ep.Addr().String() })
		ge := &GatewayEndpoints{Chain: w.chain, Verifier: v, Cert: p.gw.acct.TLS, Timeout: 5 * time.Second}
		p.tun = &Tunnels{
			Self: addr, Chain: w.chain, Endpoint: p.ep,
			Issuer:       tunnelcert.Issuer{Provider: addr, Root: p.gw.acct.X509, Key: p.gw.acct.TLS.PrivateKey.(crypto.Signer)},
			Attach:       loopbackAttach{workloads: workloads},
			PeerEndpoint: ge.Endpoint,
			Template:     tunnel.Config{Verifier: v, DialTimeout: 2 * time.Second, ProbeEvery: time.Second},
		}
		t.Cleanup(p.tun.CloseAll)
		return p
	}
	a := newProv("akash1provA", nil)
	b := newProv("akash1provB", map[string]string{"db": echoServer(t, "db")})
	if _, port, _ := net.SplitHostPort(b.ep.Addr().String()); port == strconv.Itoa(DefaultTunnelPort) {
		t.Skip("the random port happened to be 8444; the test would not show the port is learned")
	}
	// Nothing answers at B's host and 8444 by the fallback: the tunnel can
	// only work through the learned endpoint.
	if c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(DefaultTunnelPort)), time.Second); err == nil {
		c.Close()
		t.Logf("note: something listens on 127.0.0.1:%d on this machine; it is not B's endpoint", DefaultTunnelPort)
	}

	did := market.DeploymentID{Owner: owner, DSeq: 4}
	leaseB := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: did, GSeq: 1}, OSeq: 1}, Provider: b.gw.addr}
	leaseA := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: did, GSeq: 2}, OSeq: 1}, Provider: a.gw.addr}
	w.deployment(owner, 4, m, b.gw.addr, a.gw.addr)
	start := time.Now()
	for _, x := range []struct {
		p *prov
		l market.LeaseID
	}{{b, leaseB}, {a, leaseA}} {
		if n, err := x.p.tun.Open(context.Background(), x.l, m); err != nil || n != 1 {
			t.Fatalf("%s: open: %d links, %v; want 1", x.p.gw.addr, n, err)
		}
	}
	st := a.tun.Stats()
	if len(st) != 1 || st[0].Role != "client" || st[0].Peer != b.gw.addr {
		t.Fatalf("A's links: %+v; want one client link to B", st)
	}
	var got string
	for deadline := time.Now().Add(10 * time.Second); ; {
		got, err = ask(st[0].Local, "hello")
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil || got != "db: hello" {
		t.Fatalf("web -> db through the tunnel to B's learned endpoint %s: %q, %v", b.ep.Addr(), got, err)
	}
	t.Logf("B's endpoint %s learned from its gateway; open -> first answer through the tunnel: %s", b.ep.Addr(), time.Since(start))
	if n := b.gw.requests.Load(); n != 1 {
		t.Fatalf("B's gateway answered %d requests; want 1 (A asked its endpoint once)", n)
	}
	if sb := b.tun.Stats(); len(sb) != 1 || sb[0].Role != "server" || sb[0].Streams < 1 {
		t.Fatalf("B's links: %+v; want one served route that carried a stream", sb)
	}
}
