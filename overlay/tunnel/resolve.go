package tunnel

import (
	"context"
	"net"
	"sync"
)

// addrCache remembers what a host:port resolved to, so that a stream does not
// pay a DNS lookup (a few ms on Docker's embedded DNS) on every connect. A
// failed dial forgets it: a peer or workload that moved is found again by
// name on the next attempt.
//
// With a lookup, a failed dial also asks it for the address again: a workload
// whose container was replaced has a new address and no name the dialer can
// resolve (a daemon on the Docker host has no access to Docker's DNS).
type addrCache struct {
	lookup func(context.Context) (string, error) // nil: hostport is the name

	mu       sync.Mutex
	hostport string
	resolved string
	stale    bool // a dial failed: ask lookup before the next one
}

func newAddrCache(hostport string) *addrCache { return &addrCache{hostport: hostport} }

// current is the address dialled last, or the configured one.
func (a *addrCache) current() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.resolved != "" {
		return a.resolved
	}
	return a.hostport
}

func (a *addrCache) get(ctx context.Context) (string, error) {
	a.mu.Lock()
	r, hostport, stale := a.resolved, a.hostport, a.stale
	a.mu.Unlock()
	if r != "" {
		return r, nil
	}
	if stale && a.lookup != nil {
		// A lookup that fails (the peer's gateway is cut off too) leaves the
		// last known address to try, and is asked again after the next
		// failed dial.
		if hp, err := a.lookup(ctx); err == nil {
			a.mu.Lock()
			a.hostport, a.stale = hp, false
			a.mu.Unlock()
			hostport = hp
		}
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return "", err
	}
	if net.ParseIP(host) != nil {
		r = hostport
	} else {
		ips, err := net.DefaultResolver.LookupHost(ctx, host)
		if err != nil {
			return "", err
		}
		r = net.JoinHostPort(ips[0], port)
	}
	a.mu.Lock()
	a.resolved = r
	a.mu.Unlock()
	return r, nil
}

func (a *addrCache) forget() {
	a.mu.Lock()
	a.resolved, a.stale = "", true
	a.mu.Unlock()
}

// dial connects to the cached address, forgetting it when the dial fails.
func (a *addrCache) dial(ctx context.Context, d *net.Dialer) (net.Conn, error) {
	return a.dialNet(ctx, d, "tcp")
}

// dialNet is dial over network ("tcp" or "udp").
func (a *addrCache) dialNet(ctx context.Context, d *net.Dialer, network string) (net.Conn, error) {
	addr, err := a.get(ctx)
	if err != nil {
		return nil, err
	}
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		a.forget()
		return nil, err
	}
	return c, nil
}
