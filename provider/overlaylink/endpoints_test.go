package overlaylink

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akash-market/akash/overlay/manifestpeer"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/gateway"
)

// TestEndpointsFromGateways: provider A learns fellow providers' tunnel
// endpoints from their real gateways on 127.0.0.1 over real mutual TLS. An
// advertised endpoint is learned and cached for the TTL; a gateway showing
// another provider's certificate is refused; a 404 (no tunnel endpoint, or
// an older daemon without the route) falls back to the host URI's host and
// port 8444; a malformed or lying answer is refused, and not cached.
func TestEndpointsFromGateways(t *testing.T) {
	w := newWorld(t)
	a := w.provider("akash1provA")
	const advertised = "127.0.0.1:39123"
	b := w.providerWith("akash1provB", func(c *gateway.Config) { c.TunnelEndpoint = advertised })
	noTunnels := w.provider("akash1provC")

	// An older daemon: its certificate on chain, a gateway without the route.
	old := w.account("akash1provOld")
	lo, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.register("akash1provOld", serveTLS(t, lo, manifestpeer.ServerTLSConfig(old.TLS), http.NewServeMux()))

	// A misbehaving peer: D's certificate, but answers the test sets.
	d := w.account("akash1provD")
	var (
		mu         sync.Mutex
		dCode      int
		dBody      string
		dRequests  int
		dAnswering = http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			dRequests++
			rw.WriteHeader(dCode)
			_, _ = io.WriteString(rw, dBody)
		})
	)
	ld, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dURL := serveTLS(t, ld, manifestpeer.ServerTLSConfig(d.TLS), dAnswering)
	w.register("akash1provD", dURL)

	// Another provider whose registry entry points at B's gateway (a stale
	// or hijacked URI): B's certificate is not X's.
	_ = w.account("akash1provX")
	w.register("akash1provX", b.url)

	now := time.Now()
	ge := &GatewayEndpoints{Chain: w.chain, Verifier: tunnelcert.Verifier{Roots: w.roots}, Cert: a.acct.TLS,
		Timeout: 5 * time.Second, TTL: time.Minute, Now: func() time.Time { return now }}
	ctx := context.Background()

	t.Run("an advertised endpoint is learned and cached for the TTL", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			got, err := ge.Endpoint(ctx, b.addr)
			if err != nil || got != advertised {
				t.Fatalf("call %d: %q, %v; want %s", i, got, err, advertised)
			}
		}
		if n := b.requests.Load(); n != 1 {
			t.Fatalf("B's gateway answered %d requests for 3 calls within the TTL; want 1", n)
		}
		now = now.Add(time.Minute + time.Second)
		if got, err := ge.Endpoint(ctx, b.addr); err != nil || got != advertised {
			t.Fatalf("after the TTL: %q, %v", got, err)
		}
		if n := b.requests.Load(); n != 2 {
			t.Fatalf("B's gateway answered %d requests after the TTL; want 2 (asked again)", n)
		}
	})
	t.Run("a gateway with another provider's certificate is refused", func(t *testing.T) {
		got, err := ge.Endpoint(ctx, "akash1provX")
		if !errors.Is(err, tunnelcert.ErrWrongProvider) || got != "" {
			t.Fatalf("%q, %v; want ErrWrongProvider", got, err)
		}
		for _, want := range []string{"akash1provX", b.url + manifestpeer.EndpointPath, "answered as akash1provB"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %q", err, want)
			}
		}
	})
	fallback := net.JoinHostPort("127.0.0.1", strconv.Itoa(DefaultTunnelPort))
	t.Run("404 from a gateway without a tunnel endpoint falls back to :8444", func(t *testing.T) {
		if got, err := ge.Endpoint(ctx, noTunnels.addr); err != nil || got != fallback {
			t.Fatalf("%q, %v; want %s", got, err, fallback)
		}
	})
	t.Run("404 from an older daemon without the route falls back to :8444", func(t *testing.T) {
		if got, err := ge.Endpoint(ctx, "akash1provOld"); err != nil || got != fallback {
			t.Fatalf("%q, %v; want %s", got, err, fallback)
		}
	})
	t.Run("a bad answer is refused and not cached", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			code int
			body string
			want string
		}{
			{"another provider named", 200, `{"provider":"akash1provB","endpoint":"127.0.0.1:39123"}`, `answer names provider "akash1provB"; want akash1provD`},
			{"no port", 200, `{"provider":"akash1provD","endpoint":"127.0.0.1"}`, "want host:port"},
			{"port 0", 200, `{"provider":"akash1provD","endpoint":"127.0.0.1:0"}`, "want a number in 1-65535"},
			{"port too large", 200, `{"provider":"akash1provD","endpoint":"127.0.0.1:70000"}`, "want a number in 1-65535"},
			{"listen-on-all address", 200, `{"provider":"akash1provD","endpoint":"0.0.0.0:9444"}`, "not one a peer can dial"},
			{"not JSON", 200, `tunnel at 9444`, "is not JSON"},
			{"server error", 500, `{"error":"boom"}`, "HTTP 500"},
			{"too long", 200, `{"provider":"akash1provD","endpoint":"` + strings.Repeat("x", 5000) + `:1"}`, "longer than"},
		} {
			mu.Lock()
			dCode, dBody = tc.code, tc.body
			mu.Unlock()
			got, err := ge.Endpoint(ctx, "akash1provD")
			if err == nil || got != "" {
				t.Errorf("%s: %q, %v; want an error", tc.name, got, err)
				continue
			}
			for _, want := range []string{tc.want, "akash1provD", dURL + manifestpeer.EndpointPath} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: error %q does not say %q", tc.name, err, want)
				}
			}
		}
		// Failures are not cached: once D answers well, it is learned.
		mu.Lock()
		dCode, dBody = 200, `{"provider":"akash1provD","endpoint":"d.example:9555"}`
		before := dRequests
		mu.Unlock()
		if got, err := ge.Endpoint(ctx, "akash1provD"); err != nil || got != "d.example:9555" {
			t.Fatalf("after a good answer: %q, %v", got, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if dRequests != before+1 {
			t.Fatalf("D answered %d requests for the call after failures; want 1", dRequests-before)
		}
	})
	t.Run("an unregistered provider is an error", func(t *testing.T) {
		if _, err := ge.Endpoint(ctx, "akash1nobody"); err == nil || !strings.Contains(err.Error(), "akash1nobody") {
			t.Fatalf("%v; want an error naming the provider", err)
		}
	})
}
