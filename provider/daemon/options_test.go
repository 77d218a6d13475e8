package daemon

import (
	"net"
	"strings"
	"testing"

	"github.com/akash-market/akash/runtime"
)

// TestCheckListeners: a daemon inside a container joins lease networks, so
// a wildcard listener would be in reach of the tenants' workloads; each bad
// flag is named.
func TestCheckListeners(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want string // "" = accepted
	}{
		{"on the host, wildcards are the operator's choice", Options{GatewayListen: "0.0.0.0:8443", TunnelListen: "0.0.0.0:8444"}, ""},
		{"container with own addresses", Options{TunnelContainer: "prov", GatewayListen: "10.0.0.20:8443", TunnelListen: "10.0.0.20:8444", MetricsListen: "127.0.0.1:9102"}, ""},
		{"container, metrics off", Options{TunnelContainer: "prov", GatewayListen: "10.0.0.20:8443", TunnelListen: "10.0.0.20:8444"}, ""},
		{"container without tunnels", Options{TunnelContainer: "prov", GatewayListen: "10.0.0.20:8443"}, "needs --tunnel-listen"},
		{"container, wildcard gateway", Options{TunnelContainer: "prov", GatewayListen: "0.0.0.0:8443", TunnelListen: "10.0.0.20:8444"}, "--gateway-listen \"0.0.0.0:8443\""},
		{"container, empty host", Options{TunnelContainer: "prov", GatewayListen: "10.0.0.20:8443", TunnelListen: ":8444"}, "--tunnel-listen \":8444\""},
		{"container, IPv6 wildcard metrics", Options{TunnelContainer: "prov", GatewayListen: "10.0.0.20:8443", TunnelListen: "10.0.0.20:8444", MetricsListen: "[::]:9102"}, "--metrics-listen"},
		{"container, no port", Options{TunnelContainer: "prov", GatewayListen: "10.0.0.20", TunnelListen: "10.0.0.20:8444"}, "want host:port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.checkListeners()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestTunnelAdvertise: the endpoint the gateway tells peers.
func TestTunnelAdvertise(t *testing.T) {
	listening := &net.TCPAddr{IP: net.IPv4zero, Port: 18444}
	for _, tc := range []struct {
		name, flag, hostURI, want, err string
	}{
		{"host URI's host, listener's port", "", "https://provider.example.com:8443", "provider.example.com:18444", ""},
		{"IPv6 host URI", "", "https://[2001:db8::7]:8443", "[2001:db8::7]:18444", ""},
		{"flag wins", "tunnels.example.com:443", "https://provider.example.com:8443", "tunnels.example.com:443", ""},
		{"flag must be dialable", "0.0.0.0:8444", "https://provider.example.com:8443", "", "--tunnel-advertise"},
		{"flag needs a port", "tunnels.example.com", "https://provider.example.com:8443", "", "--tunnel-advertise"},
		{"host URI without host", "", "https://:8443", "", "set --tunnel-advertise"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Options{TunnelAdvertise: tc.flag}.tunnelAdvertise(tc.hostURI, listening)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %q, %v; want an error containing %q", got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestIsolationWarning: a daemon under containers.isolation: docker says at
// start that isolation lapses and what production needs; the default mode
// says nothing.
func TestIsolationWarning(t *testing.T) {
	for _, mode := range []string{"", runtime.IsolationIPTables} {
		if w := IsolationWarning(mode); w != "" {
			t.Errorf("mode %q warns %q, want nothing", mode, w)
		}
	}
	w := IsolationWarning(runtime.IsolationDocker)
	for _, want := range []string{"lapse", "--network host", "NET_ADMIN", "containers.isolation: iptables", "docs/runtime.md"} {
		if !strings.Contains(w, want) {
			t.Errorf("docker-mode warning lacks %q: %s", want, w)
		}
	}
}
