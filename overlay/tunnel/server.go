package tunnel

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/tunnelcert"
)

// Route is the server end of one link: where its streams go.
type Route struct {
	Link   overlay.Link
	Target string     // the server workload's address, host:port
	Cert   CertSource // this provider's certificate for Link
	// Resolve, if set, finds the workload's address again after a dial to
	// it failed (its container was replaced: new address, same service);
	// nil = Target is dialled as is (a name is looked up in DNS again).
	Resolve func(context.Context) (string, error)
}

type route struct {
	Route
	target *addrCache
	tlsCfg *tls.Config
	c      counters
	mu     sync.Mutex
	last   string
}

// Endpoint is a provider's tunnel endpoint: one TLS listener that terminates
// every link this provider serves.
type Endpoint struct {
	verifier    tunnelcert.Verifier
	dialTimeout time.Duration
	ln          net.Listener
	ctx         context.Context
	cancel      context.CancelFunc
	wg          sync.WaitGroup

	mu     sync.RWMutex
	routes map[string]*route // by server name
	conns  map[net.Conn]struct{}

	unknown atomic.Uint64 // handshakes for a server name with no route
}

// Listen opens a provider's tunnel endpoint on addr. verifier checks every
// client certificate; dialTimeout bounds the dial to a workload (default 5s).
func Listen(addr string, verifier tunnelcert.Verifier, dialTimeout time.Duration) (*Endpoint, error) {
	if verifier.Roots == nil {
		return nil, errors.New("tunnel: endpoint needs a Verifier with Roots")
	}
	if dialTimeout <= 0 {
		dialTimeout = 5 * time.Second
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("tunnel: endpoint: listen on %s: %w", addr, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Endpoint{verifier: verifier, dialTimeout: dialTimeout, ln: ln, ctx: ctx, cancel: cancel,
		routes: map[string]*route{}, conns: map[net.Conn]struct{}{}}
	e.wg.Add(1)
	go e.acceptLoop()
	return e, nil
}

// Addr is the endpoint's listen address.
func (e *Endpoint) Addr() net.Addr { return e.ln.Addr() }

// Add starts serving r's link. Adding a link again replaces its target and
// certificate (e.g. after the workload moved).
func (e *Endpoint) Add(r Route) error {
	if r.Cert == nil || r.Target == "" {
		return fmt.Errorf("tunnel: route %s needs a Cert and a Target", r.Link)
	}
	rt := &route{Route: r, target: newAddrCache(r.Target)}
	rt.target.lookup = r.Resolve
	link := r.Link
	rt.tlsCfg = &tls.Config{
		MinVersion: tls.VersionTLS13,
		ClientAuth: tls.RequireAnyClientCert,
		// Tickets would let a client resume without showing its
		// certificate again; every stream re-proves it instead.
		SessionTicketsDisabled: true,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			return r.Cert.Certificate()
		},
		VerifyConnection: func(cs tls.ConnectionState) error {
			err := e.verifier.Verify(e.ctx, cs.PeerCertificates, link, link.Client)
			if err != nil {
				rt.c.refused.Add(1)
				rt.setLast(err)
			}
			return err
		},
	}
	e.mu.Lock()
	e.routes[link.ServerName()] = rt
	e.mu.Unlock()
	return nil
}

// Remove stops serving link: new streams for it fail the handshake.
func (e *Endpoint) Remove(link overlay.Link) {
	e.mu.Lock()
	delete(e.routes, link.ServerName())
	e.mu.Unlock()
}

// UnknownHandshakes counts handshakes that asked for a link not routed here.
func (e *Endpoint) UnknownHandshakes() uint64 { return e.unknown.Load() }

// Stats lists every route, ordered by link.
func (e *Endpoint) Stats() []Stats {
	e.mu.RLock()
	out := make([]Stats, 0, len(e.routes))
	for _, r := range e.routes {
		s := Stats{Link: r.Link.String(), Role: "server", Peer: r.Link.Client, Local: r.target.current(), State: Up}
		r.mu.Lock()
		s.LastError = r.last
		r.mu.Unlock()
		r.c.fill(&s)
		out = append(out, s)
	}
	e.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Link < out[j].Link })
	return out
}

// Close stops the listener and cuts every stream in flight: the provider is
// leaving, its peers see their tunnels go Down.
func (e *Endpoint) Close() error {
	e.cancel()
	err := e.ln.Close()
	e.mu.Lock()
	for c := range e.conns {
		c.Close()
	}
	e.mu.Unlock()
	e.wg.Wait()
	return err
}

func (r *route) setLast(err error) {
	r.mu.Lock()
	r.last = err.Error()
	r.mu.Unlock()
}

func (e *Endpoint) acceptLoop() {
	defer e.wg.Done()
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS13,
		GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			e.mu.RLock()
			r := e.routes[hello.ServerName]
			e.mu.RUnlock()
			if r == nil {
				e.unknown.Add(1)
				return nil, fmt.Errorf("tunnel: no link routed for server name %q", hello.ServerName)
			}
			return r.tlsCfg, nil
		},
	}
	for {
		c, err := e.ln.Accept()
		if err != nil {
			if e.ctx.Err() != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if !e.track(c, true) {
			c.Close()
			return
		}
		e.wg.Add(1)
		go func() {
			defer e.wg.Done()
			defer e.track(c, false)
			e.serve(tls.Server(c, cfg))
		}()
	}
}

func (e *Endpoint) track(c net.Conn, add bool) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if add {
		if e.ctx.Err() != nil {
			return false
		}
		e.conns[c] = struct{}{}
	} else {
		delete(e.conns, c)
	}
	return true
}

// dialWorkload connects to the route's workload and answers the client's op:
// OK, or the reason the workload could not be reached (so the operator sees
// "workload down" rather than "tunnel down").
func (e *Endpoint) dialWorkload(c *tls.Conn, r *route, network string) (net.Conn, bool) {
	ctx, cancel := context.WithTimeout(e.ctx, e.dialTimeout)
	w, err := r.target.dialNet(ctx, &net.Dialer{}, network)
	cancel()
	if err != nil {
		r.c.errors.Add(1)
		err = fmt.Errorf("link %s: workload %s: %v", r.Link, r.target.current(), err)
		r.setLast(err)
		writeStatus(c, err)
		return nil, false
	}
	if err := writeStatus(c, nil); err != nil {
		w.Close()
		return nil, false
	}
	c.SetDeadline(time.Time{})
	return w, true
}

// serve handles one client connection: handshake (which checks the
// certificate), op, and for a stream the dial to the workload and the copy.
func (e *Endpoint) serve(c *tls.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(e.dialTimeout))
	if err := c.HandshakeContext(e.ctx); err != nil {
		return // counted by GetConfigForClient or VerifyConnection
	}
	e.mu.RLock()
	r := e.routes[c.ConnectionState().ServerName]
	e.mu.RUnlock()
	if r == nil {
		return // removed meanwhile
	}
	var op [1]byte
	if _, err := c.Read(op[:]); err != nil {
		return
	}
	switch op[0] {
	case opProbe:
		writeStatus(c, nil)
		return
	case opStream:
		if strings.EqualFold(r.Link.Conn.Proto, "UDP") {
			writeStatus(c, fmt.Errorf("link %s is UDP: send op 'D'", r.Link))
			return
		}
	case opDatagram:
		if !strings.EqualFold(r.Link.Conn.Proto, "UDP") {
			writeStatus(c, fmt.Errorf("link %s is %s, not UDP", r.Link, r.Link.Conn.Proto))
			return
		}
		e.serveDatagrams(c, r)
		return
	default:
		writeStatus(c, fmt.Errorf("unknown op %#x", op[0]))
		return
	}
	w, ok := e.dialWorkload(c, r, "tcp")
	if !ok {
		return
	}
	r.c.streams.Add(1)
	r.c.active.Add(1)
	defer r.c.active.Add(-1)
	pipe(c, w, &r.c.bytesOut, &r.c.bytesIn)
}
