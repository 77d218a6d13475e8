package overlaylink

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/akash-market/akash/overlay/manifestpeer"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/gateway"
)

// GatewayEndpoints learns fellow providers' tunnel endpoints from their
// gateways (GET manifestpeer.EndpointPath over mutual TLS), so a provider
// whose endpoint is not at its host URI's host and DefaultTunnelPort (NAT, a
// load balancer, two daemons on one machine) can still be reached. Its
// Endpoint method fits Tunnels.PeerEndpoint. Use it as a pointer: it caches.
type GatewayEndpoints struct {
	Chain    Chain               // HostURI: where each provider's gateway is
	Verifier tunnelcert.Verifier // roots on chain: the gateway must be the provider asked
	Cert     tls.Certificate     // this provider's account certificate and key
	Timeout  time.Duration       // per request; default 10s
	TTL      time.Duration       // how long an answer is reused; default 1 min
	Now      func() time.Time    // time.Now when nil

	mu    sync.Mutex
	cache map[string]cachedEndpoint
}

type cachedEndpoint struct {
	endpoint string
	expires  time.Time
}

// maxEndpointAnswer bounds the answer read: {"provider","endpoint"} is far
// smaller; a peer sending more is not answering this route.
const maxEndpointAnswer = 4 << 10

// Endpoint returns provider's tunnel endpoint (host:port) as its gateway
// advertises it, from the cache while the last answer is younger than TTL.
// A gateway answering 404 (an older daemon without the route, or one that
// runs no tunnel endpoint) gives the fallback, its host URI's host and
// DefaultTunnelPort, as Tunnels uses without PeerEndpoint; that answer is
// cached too. Any other failure is an error naming the provider, the URL and
// the cause, and is not cached: Tunnels.Open retries on a later block.
func (g *GatewayEndpoints) Endpoint(ctx context.Context, provider string) (string, error) {
	now := g.now()
	g.mu.Lock()
	c, ok := g.cache[provider]
	g.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.endpoint, nil
	}
	uri, err := g.Chain.HostURI(ctx, provider)
	if err != nil {
		return "", fmt.Errorf("tunnel endpoint of provider %s: %w", provider, err)
	}
	ep, err := g.ask(ctx, provider, uri)
	if err != nil {
		return "", err
	}
	ttl := g.TTL
	if ttl <= 0 {
		ttl = time.Minute
	}
	g.mu.Lock()
	if g.cache == nil {
		g.cache = map[string]cachedEndpoint{}
	}
	g.cache[provider] = cachedEndpoint{endpoint: ep, expires: now.Add(ttl)}
	g.mu.Unlock()
	return ep, nil
}

func (g *GatewayEndpoints) ask(ctx context.Context, provider, uri string) (string, error) {
	timeout := g.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	url := strings.TrimSuffix(uri, "/") + manifestpeer.EndpointPath
	fail := func(format string, a ...any) error {
		return fmt.Errorf("tunnel endpoint of provider %s from %s: %s", provider, url, fmt.Sprintf(format, a...))
	}
	peer := manifestpeer.Peer{Address: provider, URL: uri}
	tr := &http.Transport{TLSClientConfig: manifestpeer.ClientTLSConfig(ctx, g.Verifier, g.Cert, peer), ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fail("%v; the registered host URI should be https://host:port", err)
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return "", fmt.Errorf("tunnel endpoint of provider %s from %s: %w", provider, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxEndpointAnswer+1))
	if err != nil {
		return "", fail("read the answer: %v", err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return hostURIEndpoint(provider, uri)
	case resp.StatusCode != http.StatusOK:
		return "", fail("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	case len(body) > maxEndpointAnswer:
		return "", fail("answer longer than %d bytes; want JSON {\"provider\",\"endpoint\"}", maxEndpointAnswer)
	}
	var ans gateway.TunnelEndpoint
	if err := json.Unmarshal(body, &ans); err != nil {
		return "", fail("answer is not JSON {\"provider\",\"endpoint\"}: %v", err)
	}
	if ans.Provider != provider {
		return "", fail("answer names provider %q; want %s", ans.Provider, provider)
	}
	if err := gateway.CheckTunnelEndpoint(ans.Endpoint); err != nil {
		return "", fail("%v", err)
	}
	return ans.Endpoint, nil
}

func (g *GatewayEndpoints) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}
