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
type addrCache struct {
	hostport string

	mu       sync.Mutex
	resolved string
}

func newAddrCache(hostport string) *addrCache { return &addrCache{hostport: hostport} }

func (a *addrCache) get(ctx context.Context) (string, error) {
	a.mu.Lock()
	r := a.resolved
	a.mu.Unlock()
	if r != "" {
		return r, nil
	}
	host, port, err := net.SplitHostPort(a.hostport)
	if err != nil {
		return "", err
	}
	if net.ParseIP(host) != nil {
		r = a.hostport
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
	a.resolved = ""
	a.mu.Unlock()
}

// dial connects to the cached address, forgetting it when the dial fails.
func (a *addrCache) dial(ctx context.Context, d *net.Dialer) (net.Conn, error) {
	addr, err := a.get(ctx)
	if err != nil {
		return nil, err
	}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		a.forget()
		return nil, err
	}
	return c, nil
}
