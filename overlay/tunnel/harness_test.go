package tunnel

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/internal/testpki"
	"github.com/akash-market/akash/overlay/tunnelcert"
)

const (
	provA = "akash1provA"
	provB = "akash1provB"
)

var (
	dep    = overlay.DeploymentID{Owner: "akash1tenant", DSeq: 42}
	webDB  = overlay.Link{Deployment: dep, Conn: manifest.Connection{From: "web", To: "db", Port: 5432, Proto: "TCP"}, Client: provA, Server: provB}
	dbWeb  = overlay.Link{Deployment: dep, Conn: manifest.Connection{From: "db", To: "web", Port: 80, Proto: "TCP"}, Client: provB, Server: provA}
	fastBO = Backoff{Min: 20 * time.Millisecond, Max: 200 * time.Millisecond}
)

// world is two providers with roots on a shared "chain" (MemRoots), each
// with a tunnel endpoint on 127.0.0.1.
type world struct {
	t      testing.TB
	chain  *tunnelcert.MemRoots
	roots  map[string]testpki.Root
	ep     map[string]*Endpoint
	ttl    time.Duration
	verify tunnelcert.Verifier
}

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{t: t, chain: tunnelcert.NewMemRoots(), roots: map[string]testpki.Root{}, ep: map[string]*Endpoint{}, ttl: time.Hour}
	w.verify = tunnelcert.Verifier{Roots: w.chain}
	for _, p := range []string{provA, provB} {
		r := testpki.MustRoot(p)
		w.roots[p] = r
		w.chain.Add(p, r.Cert)
		ep, err := Listen("127.0.0.1:0", w.verify, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		w.ep[p] = ep
		t.Cleanup(func() { ep.Close() })
	}
	return w
}

func (w *world) issuer(p string) tunnelcert.Issuer {
	r := w.roots[p]
	return tunnelcert.Issuer{Provider: p, Root: r.Cert, Key: r.Key}
}

func (w *world) cert(p string, l overlay.Link) CertSource {
	return &tunnelcert.Renewer{Issuer: w.issuer(p), Link: l, TTL: w.ttl}
}

// serve routes l at its server provider to target.
func (w *world) serve(l overlay.Link, target string) {
	w.t.Helper()
	if err := w.ep[l.Server].Add(Route{Link: l, Target: target, Cert: w.cert(l.Server, l)}); err != nil {
		w.t.Fatal(err)
	}
}

// open opens l's client end, dialing peer (the server's endpoint unless set).
func (w *world) open(l overlay.Link, peer string, cert CertSource) *Tunnel {
	w.t.Helper()
	if peer == "" {
		peer = w.ep[l.Server].Addr().String()
	}
	if cert == nil {
		cert = w.cert(l.Client, l)
	}
	tn, err := Open(Config{Link: l, Listen: "127.0.0.1:0", Peer: peer, Cert: cert, Verifier: w.verify,
		DialTimeout: time.Second, ProbeEvery: 100 * time.Millisecond, Backoff: fastBO})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { tn.Close() })
	return tn
}

// echoServer answers every connection with what it reads, until EOF.
func echoServer(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				io.Copy(c, c)
				c.(*net.TCPConn).CloseWrite()
				c.Close()
			}()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends msg to addr and returns what comes back before EOF.
func roundTrip(addr string, msg []byte) ([]byte, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	go func() {
		c.Write(msg)
		c.(*net.TCPConn).CloseWrite()
	}()
	return io.ReadAll(c)
}

func waitUp(t testing.TB, tn *Tunnel, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := tn.WaitState(ctx, Up); err != nil {
		t.Fatalf("%v; last error: %s", err, tn.Stats().LastError)
	}
}

func waitFor(t testing.TB, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// proxy is a TCP relay between a tunnel and a peer endpoint that a test can
// cut (close everything, refuse new connections), blackhole (accept and
// swallow) or heal: a partition in a page.
type proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	mode  string // "pass", "cut", "blackhole"
	conns []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target, mode: "pass"}
	t.Cleanup(func() { ln.Close(); p.set("cut") })
	go p.run()
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) set(mode string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = mode
	if mode != "pass" {
		for _, c := range p.conns {
			if mode == "cut" {
				c.Close()
			}
		}
	}
	if mode == "cut" {
		p.conns = nil
	}
}

func (p *proxy) run() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		mode := p.mode
		if mode == "cut" {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns = append(p.conns, c)
		p.mu.Unlock()
		if mode == "blackhole" {
			continue // hold it open, never answer
		}
		go func() {
			u, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, u)
			p.mu.Unlock()
			go func() { io.Copy(u, c); u.Close() }()
			io.Copy(c, u)
			c.Close()
		}()
	}
}
