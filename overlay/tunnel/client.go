package tunnel

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/tunnelcert"
)

// CertSource hands out a link's current tunnel certificate
// (*tunnelcert.Renewer is one).
type CertSource interface {
	Certificate() (*tls.Certificate, error)
}

// Config opens the client end of one link.
type Config struct {
	Link   overlay.Link
	Listen string // local address the client workload connects to, e.g. "10.1.0.7:5432"
	Peer   string // the server provider's tunnel endpoint, host:port
	// ResolvePeer, if set, says where the peer's endpoint is now after a
	// dial to it failed (the provider moved: a new address or port, which
	// its gateway advertises); nil = Peer is dialled as is.
	ResolvePeer func(context.Context) (string, error)
	Cert        CertSource          // this provider's certificate for Link
	Verifier    tunnelcert.Verifier // checks the server's certificate
	// From are the source networks whose workloads may use the tunnel (the
	// lease network of the link's client service); empty = any source. A
	// listener on a bridge's host address is reachable from every container
	// on the host, whatever network it is on, so the address alone does not
	// keep other workloads out: a stream from elsewhere is closed unread and
	// counted in Refused.
	From []netip.Prefix
	// FlowIdle (UDP links): a flow, the datagrams of one workload source
	// address, is closed after this long without a datagram either way;
	// default 60s.
	FlowIdle time.Duration

	DialTimeout time.Duration // TCP connect + TLS handshake + status; default 5s
	ProbeEvery  time.Duration // probe an idle Up tunnel this often; default 15s
	Backoff     Backoff       // reconnect spacing while Down; default 100ms..5s
}

// Tunnel is the client end of one link: a local listener whose every accepted
// stream is carried over its own mTLS connection to the peer's Endpoint.
type Tunnel struct {
	cfg    Config
	peer   *addrCache
	ln     net.Listener     // TCP links
	pc     net.PacketConn   // UDP links
	flows  map[string]*flow // UDP: by workload source address; guarded by mu
	tlsCfg *tls.Config
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	c      counters

	mu        sync.Mutex
	state     State
	since     time.Time
	opened    time.Time
	setup     time.Duration
	lastOK    time.Time
	lastError string
	changed   chan struct{} // closed and replaced on every state change
	kick      chan struct{} // asks the health loop to probe now
}

// Open listens on cfg.Listen and starts carrying the link. It returns once
// the listener is bound; the tunnel then moves to Up by itself when the peer
// answers. A UDP link is refused: only TCP is carried so far.
func Open(cfg Config) (*Tunnel, error) {
	udp := strings.EqualFold(cfg.Link.Conn.Proto, "UDP")
	if !udp && !strings.EqualFold(cfg.Link.Conn.Proto, "TCP") {
		return nil, fmt.Errorf("tunnel: link %s: proto %q; want TCP or UDP", cfg.Link, cfg.Link.Conn.Proto)
	}
	if cfg.Cert == nil || cfg.Verifier.Roots == nil || cfg.Peer == "" {
		return nil, fmt.Errorf("tunnel: link %s: config needs Cert, Verifier.Roots and Peer", cfg.Link)
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 5 * time.Second
	}
	if cfg.ProbeEvery <= 0 {
		cfg.ProbeEvery = 15 * time.Second
	}
	if cfg.FlowIdle <= 0 {
		cfg.FlowIdle = 60 * time.Second
	}
	cfg.Backoff = cfg.Backoff.withDefaults()
	var ln net.Listener
	var pc net.PacketConn
	var err error
	if udp {
		pc, err = net.ListenPacket("udp", cfg.Listen)
	} else {
		ln, err = net.Listen("tcp", cfg.Listen)
	}
	if err != nil {
		return nil, fmt.Errorf("tunnel: link %s: listen on %s: %w", cfg.Link, cfg.Listen, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t := &Tunnel{
		cfg: cfg, peer: &addrCache{hostport: cfg.Peer, lookup: cfg.ResolvePeer}, ln: ln, pc: pc, ctx: ctx, cancel: cancel,
		state: Connecting, since: time.Now(), opened: time.Now(),
		changed: make(chan struct{}), kick: make(chan struct{}, 1),
	}
	t.tlsCfg = &tls.Config{
		MinVersion: tls.VersionTLS13,
		ServerName: cfg.Link.ServerName(),
		// The server's certificate chains to a root on chain, not to a
		// system CA: VerifyConnection below does the whole check (chain,
		// root state, link, provider, expiry) on every handshake.
		InsecureSkipVerify: true,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			return cfg.Cert.Certificate()
		},
		VerifyConnection: func(cs tls.ConnectionState) error {
			return cfg.Verifier.Verify(ctx, cs.PeerCertificates, cfg.Link, cfg.Link.Server)
		},
	}
	t.wg.Add(2)
	if udp {
		t.flows = map[string]*flow{}
		go t.packetLoop()
	} else {
		go t.acceptLoop()
	}
	go t.healthLoop()
	return t, nil
}

// Addr is the local address workloads connect (TCP) or send (UDP) to.
func (t *Tunnel) Addr() net.Addr {
	if t.pc != nil {
		return t.pc.LocalAddr()
	}
	return t.ln.Addr()
}

// Link is the link this tunnel carries.
func (t *Tunnel) Link() overlay.Link { return t.cfg.Link }

// Close stops listening, ends the health loop and waits for both; streams in
// flight run to their end.
func (t *Tunnel) Close() error {
	t.cancel()
	var err error
	if t.pc != nil {
		err = t.pc.Close()
	} else {
		err = t.ln.Close()
	}
	t.wg.Wait()
	t.setState(Closed, "")
	return err
}

// Stats is a snapshot of the tunnel.
func (t *Tunnel) Stats() Stats {
	s := Stats{Link: t.cfg.Link.String(), Role: "client", Peer: t.cfg.Link.Server, Local: t.Addr().String()}
	t.mu.Lock()
	s.State, s.Since, s.SetupTime, s.LastError = t.state, t.since, t.setup, t.lastError
	t.mu.Unlock()
	t.c.fill(&s)
	return s
}

// WaitState blocks until the tunnel is in state want or ctx ends.
func (t *Tunnel) WaitState(ctx context.Context, want State) error {
	for {
		t.mu.Lock()
		st, ch := t.state, t.changed
		t.mu.Unlock()
		if st == want {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("tunnel %s: still %s, waited for %s: %w", t.cfg.Link, st, want, ctx.Err())
		}
	}
}

func (t *Tunnel) setState(s State, lastErr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if lastErr != "" {
		t.lastError = lastErr
	}
	if s == Up {
		t.lastOK = time.Now()
	}
	if t.state == s || t.state == Closed {
		return
	}
	if s == Up {
		if t.setup == 0 {
			t.setup = time.Since(t.opened)
		}
		if t.state == Down {
			t.c.reconnects.Add(1)
		}
	}
	t.state, t.since = s, time.Now()
	close(t.changed)
	t.changed = make(chan struct{})
}

func (t *Tunnel) acceptLoop() {
	defer t.wg.Done()
	for {
		c, err := t.ln.Accept()
		if err != nil {
			if t.ctx.Err() != nil {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			// A listener error other than Close (e.g. out of file
			// descriptors): count it, pause, keep serving.
			t.fail(fmt.Errorf("accept on %s: %w", t.ln.Addr(), err), false)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if !t.admit(c.RemoteAddr(), "stream") {
			c.Close()
			continue
		}
		go t.serveStream(c)
	}
}

// admit reports whether a workload at addr may use the tunnel (Config.From);
// a refused stream or datagram (what) is counted and named in LastError.
func (t *Tunnel) admit(addr net.Addr, what string) bool {
	if len(t.cfg.From) == 0 {
		return true
	}
	if ap, err := netip.ParseAddrPort(addr.String()); err == nil {
		for _, p := range t.cfg.From {
			if p.Contains(ap.Addr().Unmap()) {
				return true
			}
		}
	}
	t.c.refused.Add(1)
	t.mu.Lock()
	t.lastError = fmt.Sprintf("%s from %s refused: not in the link's source networks %v", what, addr, t.cfg.From)
	t.mu.Unlock()
	return false
}

// serveStream carries one accepted workload connection.
func (t *Tunnel) serveStream(local net.Conn) {
	ctx, cancel := context.WithTimeout(t.ctx, t.cfg.DialTimeout)
	defer cancel()
	if err := t.waitIfDown(ctx); err != nil {
		local.Close()
		return
	}
	remote, err := t.dial(ctx, opStream)
	if err != nil {
		t.fail(err, !errors.Is(err, ErrPeerRefused))
		local.Close()
		return
	}
	t.setState(Up, "")
	t.c.streams.Add(1)
	t.c.active.Add(1)
	defer t.c.active.Add(-1)
	pipe(local, remote, &t.c.bytesOut, &t.c.bytesIn)
}

// waitIfDown: while the peer is away, a new stream or flow waits (bounded
// by ctx) for the health loop to bring the tunnel back instead of every one
// hammering the peer.
func (t *Tunnel) waitIfDown(ctx context.Context) error {
	t.mu.Lock()
	st := t.state
	t.mu.Unlock()
	if st != Down {
		return nil
	}
	t.kickHealth()
	if err := t.WaitState(ctx, Up); err != nil {
		t.c.errors.Add(1)
		return err
	}
	return nil
}

// dial opens one mTLS connection to the peer endpoint and sends op; it
// returns the connection once the peer answered OK.
func (t *Tunnel) dial(ctx context.Context, op byte) (*tls.Conn, error) {
	nc, err := t.peer.dial(ctx, &net.Dialer{KeepAlive: 15 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("dial peer %s: %w", t.peer.current(), err)
	}
	c := tls.Client(nc, t.tlsCfg)
	deadline, _ := ctx.Deadline()
	c.SetDeadline(deadline)
	if err := c.HandshakeContext(ctx); err != nil {
		c.Close()
		if isCertRefusal(err) {
			t.c.refused.Add(1)
		}
		return nil, fmt.Errorf("handshake with peer %s: %w", t.peer.current(), err)
	}
	if _, err := c.Write([]byte{op}); err != nil {
		c.Close()
		return nil, fmt.Errorf("peer %s: send op: %w", t.peer.current(), err)
	}
	// In TLS 1.3 the server judges our certificate after our handshake
	// returned: a refusal arrives here, as an alert.
	if err := readStatus(c); err != nil {
		c.Close()
		if isCertRefusal(err) {
			t.c.refused.Add(1)
		}
		return nil, fmt.Errorf("peer %s: %w", t.peer.current(), err)
	}
	c.SetDeadline(time.Time{})
	return c, nil
}

// fail records err; when down is set the tunnel goes Down and the health
// loop takes over.
func (t *Tunnel) fail(err error, down bool) {
	t.c.errors.Add(1)
	msg := err.Error()
	if down {
		t.setState(Down, msg)
		t.kickHealth()
		return
	}
	t.mu.Lock()
	t.lastError = msg
	t.mu.Unlock()
}

func (t *Tunnel) kickHealth() {
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

// healthLoop moves the tunnel between Connecting, Up and Down by probing the
// peer: at once when opened, every ProbeEvery while Up and idle, and with
// backoff while not Up.
func (t *Tunnel) healthLoop() {
	defer t.wg.Done()
	attempt := 0
	for {
		err := t.probe()
		var wait time.Duration
		if err == nil {
			attempt = 0
			wait = t.cfg.ProbeEvery
		} else {
			wait = t.cfg.Backoff.wait(attempt)
			attempt++
		}
		timer := time.NewTimer(wait)
		select {
		case <-t.ctx.Done():
			timer.Stop()
			return
		case <-t.kick:
			timer.Stop()
			// A stream just failed: probe at once, but never faster than
			// the backoff's floor.
			select {
			case <-time.After(t.cfg.Backoff.Min):
			case <-t.ctx.Done():
				return
			}
		case <-timer.C:
		}
	}
}

// probe checks the peer with a handshake, unless a stream succeeded recently.
func (t *Tunnel) probe() error {
	t.mu.Lock()
	st, last := t.state, t.lastOK
	t.mu.Unlock()
	if st == Up && time.Since(last) < t.cfg.ProbeEvery {
		return nil
	}
	ctx, cancel := context.WithTimeout(t.ctx, t.cfg.DialTimeout)
	defer cancel()
	c, err := t.dial(ctx, opProbe)
	if err != nil {
		if t.ctx.Err() == nil {
			t.fail(err, true)
		}
		return err
	}
	c.Close()
	t.setState(Up, "")
	return nil
}

// isCertRefusal tells a certificate refusal (ours by the peer, or the peer's
// by us) from a network failure.
func isCertRefusal(err error) bool {
	var alert tls.AlertError
	if errors.As(err, &alert) {
		return true
	}
	var ce *tls.CertificateVerificationError
	if errors.As(err, &ce) {
		return true
	}
	for _, e := range []error{tunnelcert.ErrNoCertificate, tunnelcert.ErrSelfSigned, tunnelcert.ErrUnknownRoot, tunnelcert.ErrRevokedRoot,
		tunnelcert.ErrWrongProvider, tunnelcert.ErrWrongDeployment, tunnelcert.ErrWrongConnection, tunnelcert.ErrExpired,
		tunnelcert.ErrLifetime, tunnelcert.ErrBadChain} {
		if errors.Is(err, e) {
			return true
		}
	}
	// A remote alert that Go reports only as text.
	return strings.Contains(err.Error(), "remote error: tls:")
}
