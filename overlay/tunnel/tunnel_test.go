package tunnel

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/internal/testpki"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/prometheus/client_golang/prometheus"
)

func TestEchoThroughTunnel(t *testing.T) {
	w := newWorld(t)
	w.serve(webDB, echoServer(t))
	tn := w.open(webDB, "", nil)
	waitUp(t, tn, 3*time.Second)

	msg := make([]byte, 1<<20)
	rand.Read(msg)
	got, err := roundTrip(tn.Addr().String(), msg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("echo returned %d bytes, want the %d sent", len(got), len(msg))
	}
	waitFor(t, 2*time.Second, "stream to end", func() bool { return tn.Stats().ActiveStreams == 0 })
	st := tn.Stats()
	if st.State != Up || st.BytesOut != uint64(len(msg)) || st.BytesIn != uint64(len(msg)) || st.Streams != 1 || st.SetupTime <= 0 {
		t.Fatalf("client stats %+v", st)
	}
	srv := w.ep[provB].Stats()
	if len(srv) != 1 || srv[0].BytesOut != uint64(len(msg)) || srv[0].Streams != 1 || srv[0].Refused != 0 {
		t.Fatalf("server stats %+v", srv)
	}
}

func TestWorkloadDownIsReportedNotDown(t *testing.T) {
	w := newWorld(t)
	// A target nobody listens on: the tunnel is fine, the workload is not.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	w.serve(webDB, dead)
	tn := w.open(webDB, "", nil)
	waitUp(t, tn, 3*time.Second)
	got, _ := roundTrip(tn.Addr().String(), []byte("hi"))
	if len(got) != 0 {
		t.Fatalf("got %q from a dead workload", got)
	}
	waitFor(t, 2*time.Second, "error counted", func() bool { return tn.Stats().Errors > 0 })
	if st := tn.Stats(); st.State != Up || !strings.Contains(st.LastError, "workload") {
		t.Fatalf("stats %+v; want Up with the workload's error", st)
	}
}

// TestOnlyAllowedConnectionsGetListeners opens both providers' shares of a
// plan where web -> db is allowed and db -> web is not.
func TestOnlyAllowedConnectionsGetListeners(t *testing.T) {
	w := newWorld(t)
	topo := manifest.Topology{Allowed: []manifest.Connection{webDB.Conn}}
	plan, err := overlay.PlanLinks(dep, topo, overlay.Placement{"web": provA, "db": provB})
	if err != nil {
		t.Fatal(err)
	}
	echo := echoServer(t)
	sets := map[string]*Set{}
	for _, p := range []string{provA, provB} {
		s, err := OpenSet(plan, w.ep[p], Wiring{
			Self:     p,
			Listen:   func(overlay.Link) string { return "127.0.0.1:0" },
			Target:   func(overlay.Link) string { return echo },
			Peer:     func(prov string) (string, error) { return w.ep[prov].Addr().String(), nil },
			Cert:     func(l overlay.Link) CertSource { return w.cert(p, l) },
			Template: Config{Verifier: w.verify, ProbeEvery: 100 * time.Millisecond, Backoff: fastBO},
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		sets[p] = s
	}
	if n := len(sets[provB].Tunnels()); n != 0 {
		t.Fatalf("provider B (db) listens for %d links; db may open none", n)
	}
	if n := len(sets[provA].Tunnels()); n != 1 {
		t.Fatalf("provider A (web) listens for %d links, want 1 (web->db)", n)
	}
	tn := sets[provA].Tunnels()[0]
	waitUp(t, tn, 3*time.Second)
	if got, err := roundTrip(tn.Addr().String(), []byte("select 1")); err != nil || string(got) != "select 1" {
		t.Fatalf("web->db: %q %v", got, err)
	}
	// Even with a certificate for db->web correctly issued by B under its
	// on-chain root, A has no route for it: the handshake finds nothing.
	before := w.ep[provA].UnknownHandshakes()
	rogue := w.open(dbWeb, w.ep[provA].Addr().String(), nil)
	waitFor(t, 3*time.Second, "denied link to be refused", func() bool { return w.ep[provA].UnknownHandshakes() > before })
	if st := rogue.Stats(); st.State == Up {
		t.Fatalf("denied link came up: %+v", st)
	}
	if got, _ := roundTrip(rogue.Addr().String(), []byte("x")); len(got) != 0 {
		t.Fatalf("denied link carried data: %q", got)
	}
	if n := len(sets[provA].Stats()); n != 1 {
		t.Fatalf("A's set reports %d tunnels/routes, want 1", n)
	}
}

func TestRefusedCertificates(t *testing.T) {
	offChain := testpki.MustRoot(provA) // A's CN, never registered
	for _, tc := range []struct {
		name     string
		setup    func(w *world) (clientCert CertSource)
		refuser  string // which side counts the refusal
		wantText string
	}{
		{
			name: "client root not on chain",
			setup: func(w *world) CertSource {
				return &tunnelcert.Renewer{Issuer: tunnelcert.Issuer{Provider: provA, Root: offChain.Cert, Key: offChain.Key}, Link: webDB, TTL: time.Hour}
			},
			refuser: "server",
		},
		{
			name: "client root revoked",
			setup: func(w *world) CertSource {
				w.chain.Revoke(provA, w.roots[provA].Cert.SerialNumber)
				return nil
			},
			refuser: "server",
		},
		{
			name: "client certificate for another connection",
			setup: func(w *world) CertSource {
				other := webDB
				other.Conn.Port = 5433
				return w.cert(provA, other)
			},
			refuser: "server",
		},
		{
			name: "server root revoked",
			setup: func(w *world) CertSource {
				w.chain.Revoke(provB, w.roots[provB].Cert.SerialNumber)
				return nil
			},
			refuser:  "client",
			wantText: "revoked",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.serve(webDB, echoServer(t))
			cert := tc.setup(w)
			tn := w.open(webDB, "", cert)
			waitFor(t, 3*time.Second, "a refusal", func() bool { return tn.Stats().Refused > 0 })
			st := tn.Stats()
			if st.State == Up {
				t.Fatalf("tunnel up with a bad certificate: %+v", st)
			}
			if tc.wantText != "" && !strings.Contains(st.LastError, tc.wantText) {
				t.Fatalf("last error %q, want it to say %q", st.LastError, tc.wantText)
			}
			if tc.refuser == "server" {
				if srv := w.ep[provB].Stats(); srv[0].Refused == 0 {
					t.Fatalf("server did not count the refusal: %+v", srv)
				}
			}
			if got, _ := roundTrip(tn.Addr().String(), []byte("x")); len(got) != 0 {
				t.Fatalf("refused tunnel carried data: %q", got)
			}
		})
	}
}

func TestRevocationStopsNewStreams(t *testing.T) {
	w := newWorld(t)
	w.serve(webDB, echoServer(t))
	tn := w.open(webDB, "", nil)
	waitUp(t, tn, 3*time.Second)
	if got, err := roundTrip(tn.Addr().String(), []byte("a")); err != nil || string(got) != "a" {
		t.Fatalf("before revocation: %q %v", got, err)
	}
	w.chain.Revoke(provA, w.roots[provA].Cert.SerialNumber)
	if got, _ := roundTrip(tn.Addr().String(), []byte("b")); len(got) != 0 {
		t.Fatalf("stream carried after the client's root was revoked: %q", got)
	}
}

func TestPartitionHeals(t *testing.T) {
	for _, mode := range []string{"cut", "blackhole"} {
		t.Run(mode, func(t *testing.T) {
			w := newWorld(t)
			w.serve(webDB, echoServer(t))
			px := newProxy(t, w.ep[provB].Addr().String())
			tn := w.open(webDB, px.addr(), nil)
			waitUp(t, tn, 3*time.Second)
			addr := tn.Addr().String()
			if got, err := roundTrip(addr, []byte("before")); err != nil || string(got) != "before" {
				t.Fatalf("before partition: %q %v", got, err)
			}

			px.set(mode)
			ctxWait := 5 * time.Second
			waitFor(t, ctxWait, "tunnel down", func() bool { return tn.Stats().State == Down })
			if got, _ := roundTrip(addr, []byte("during")); len(got) != 0 {
				t.Fatalf("data crossed a partition: %q", got)
			}

			px.set("pass")
			waitUp(t, tn, 5*time.Second)
			if got, err := roundTrip(addr, []byte("after")); err != nil || string(got) != "after" {
				t.Fatalf("after heal, same address %s: %q %v", addr, got, err)
			}
			if st := tn.Stats(); st.Reconnects < 1 || st.Local != addr {
				t.Fatalf("stats after heal %+v", st)
			}
		})
	}
}

func TestClosedTunnelHasNoListener(t *testing.T) {
	w := newWorld(t)
	w.serve(webDB, echoServer(t))
	tn := w.open(webDB, "", nil)
	addr := tn.Addr().String()
	tn.Close()
	_, err := net.DialTimeout("tcp", addr, time.Second)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial closed tunnel: %v, want connection refused", err)
	}
}

func TestUnknownProtoRefused(t *testing.T) {
	w := newWorld(t)
	l := webDB
	l.Conn.Proto = "SCTP"
	_, err := Open(Config{Link: l, Listen: "127.0.0.1:0", Peer: "127.0.0.1:1", Cert: w.cert(provA, l), Verifier: w.verify})
	if err == nil || !strings.Contains(err.Error(), "want TCP or UDP") {
		t.Fatalf("err = %v", err)
	}
}

func TestCollector(t *testing.T) {
	w := newWorld(t)
	w.serve(webDB, echoServer(t))
	tn := w.open(webDB, "", nil)
	waitUp(t, tn, 3*time.Second)
	roundTrip(tn.Addr().String(), []byte("12345"))
	waitFor(t, 2*time.Second, "stream end", func() bool { return tn.Stats().ActiveStreams == 0 })

	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(Collector{Snapshot: func() []Stats { return append([]Stats{tn.Stats()}, w.ep[provB].Stats()...) }})
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.Metric {
			key := mf.GetName()
			for _, lp := range m.Label {
				if lp.GetName() == "role" || lp.GetName() == "direction" || lp.GetName() == "state" {
					key += "," + lp.GetValue()
				}
			}
			if m.Counter != nil {
				found[key] = m.Counter.GetValue()
			} else {
				found[key] = m.Gauge.GetValue()
			}
		}
	}
	for key, want := range map[string]float64{
		"akash_overlay_tunnel_bytes_total,out,client": 5,
		"akash_overlay_tunnel_bytes_total,out,server": 5,
		"akash_overlay_tunnel_streams_total,client":   1,
		"akash_overlay_tunnel_state,client,up":        1,
		"akash_overlay_tunnel_state,client,down":      0,
	} {
		if found[key] != want {
			t.Errorf("%s = %v, want %v", key, found[key], want)
		}
	}
}

func FuzzReadStatus(f *testing.F) {
	f.Add([]byte("K"))
	f.Add([]byte("E\x05oops!"))
	f.Add([]byte("E\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		err := readStatus(bytes.NewReader(b))
		if len(b) > 0 && b[0] == statusOK && err != nil {
			t.Fatalf("OK status refused: %v", err)
		}
		// Whatever error writeStatus writes, readStatus reads back.
		var buf bytes.Buffer
		writeStatus(&buf, errors.New(string(b)))
		if got := readStatus(&buf); !errors.Is(got, ErrPeerRefused) {
			t.Fatalf("round trip of %q: %v", b, got)
		}
	})
}

// TestSourceNetworks: a listener on a bridge's host address is reachable
// from every container of the host, so the tunnel itself admits only the
// link's client network (Config.From); others are closed unread.
func TestSourceNetworks(t *testing.T) {
	w := newWorld(t)
	w.serve(webDB, echoServer(t))
	for _, tc := range []struct {
		name  string
		from  []netip.Prefix
		admit bool
	}{
		{"any source when From is empty", nil, true},
		{"the client network", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, true},
		{"one of several networks", []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16"), netip.MustParsePrefix("127.0.0.1/32")}, true},
		{"another network", []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tn, err := Open(Config{Link: webDB, Listen: "127.0.0.1:0", Peer: w.ep[provB].Addr().String(), Cert: w.cert(provA, webDB),
				Verifier: w.verify, From: tc.from, DialTimeout: time.Second, ProbeEvery: 100 * time.Millisecond, Backoff: fastBO})
			if err != nil {
				t.Fatal(err)
			}
			defer tn.Close()
			waitUp(t, tn, 3*time.Second)
			got, _ := roundTrip(tn.Addr().String(), []byte("hello"))
			st := tn.Stats()
			if tc.admit {
				if string(got) != "hello" || st.Refused != 0 {
					t.Fatalf("admitted source: echo %q, stats %+v", got, st)
				}
				return
			}
			if len(got) != 0 || st.Refused != 1 || st.Streams != 0 || !strings.Contains(st.LastError, "not in the link's source networks") {
				t.Fatalf("outside source: echo %q, stats %+v", got, st)
			}
		})
	}
}

// TestRouteResolvesAgain: the served workload's container was replaced (new
// address): the first stream to the old address fails as "workload", the
// route asks Resolve, and the next stream reaches the new one.
func TestRouteResolvesAgain(t *testing.T) {
	w := newWorld(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	old := ln.Addr().String()
	ln.Close()
	moved := echoServer(t)
	var asked int
	err := w.ep[provB].Add(Route{Link: webDB, Target: old, Cert: w.cert(provB, webDB),
		Resolve: func(context.Context) (string, error) { asked++; return moved, nil }})
	if err != nil {
		t.Fatal(err)
	}
	tn := w.open(webDB, "", nil)
	waitUp(t, tn, 3*time.Second)
	if got, _ := roundTrip(tn.Addr().String(), []byte("one")); len(got) != 0 {
		t.Fatalf("the old address answered %q", got)
	}
	if st := w.ep[provB].Stats()[0]; st.Errors != 1 || !strings.Contains(st.LastError, "workload "+old) {
		t.Fatalf("route after the failed dial: %+v", st)
	}
	got, err := roundTrip(tn.Addr().String(), []byte("two"))
	if err != nil || string(got) != "two" {
		t.Fatalf("after Resolve: %q, %v", got, err)
	}
	if st := w.ep[provB].Stats()[0]; asked != 1 || st.Local != moved || st.Streams != 1 {
		t.Fatalf("Resolve asked %d times, route %+v; want once, local %s", asked, st, moved)
	}
}

// TestPeerMoves: the server provider's endpoint moves to another address;
// after the first failed dial the tunnel asks ResolvePeer and comes back up
// there, on the same local listener.
func TestPeerMoves(t *testing.T) {
	w := newWorld(t)
	w.serve(webDB, echoServer(t))
	old := w.ep[provB]
	moved, err := Listen("127.0.0.1:0", w.verify, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { moved.Close() })
	if err := moved.Add(Route{Link: webDB, Target: echoServer(t), Cert: w.cert(provB, webDB)}); err != nil {
		t.Fatal(err)
	}
	var asked atomic.Int32
	tn, err := Open(Config{Link: webDB, Listen: "127.0.0.1:0", Peer: old.Addr().String(), Cert: w.cert(provA, webDB), Verifier: w.verify,
		ResolvePeer: func(context.Context) (string, error) { asked.Add(1); return moved.Addr().String(), nil },
		DialTimeout: time.Second, ProbeEvery: 100 * time.Millisecond, Backoff: fastBO})
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	waitUp(t, tn, 3*time.Second)
	if asked.Load() != 0 {
		t.Fatalf("ResolvePeer asked %d times while the first address worked", asked.Load())
	}
	old.Close() // the provider moved
	waitFor(t, 5*time.Second, "the tunnel to come back up at the new address", func() bool {
		st := tn.Stats()
		return st.State == Up && st.Reconnects >= 1
	})
	if got, err := roundTrip(tn.Addr().String(), []byte("moved")); err != nil || string(got) != "moved" {
		t.Fatalf("through the moved peer: %q, %v", got, err)
	}
	if asked.Load() < 1 || moved.Stats()[0].Streams < 1 {
		t.Fatalf("ResolvePeer asked %d times; moved endpoint %+v", asked.Load(), moved.Stats())
	}
}
