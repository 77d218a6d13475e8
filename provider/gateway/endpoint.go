package gateway

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
)

// TunnelEndpoint is the answer of GET /v1/overlay/endpoint
// (manifestpeer.EndpointPath): the provider that answers and the host:port
// its overlay tunnel endpoint is reached at by other providers.
type TunnelEndpoint struct {
	Provider string `json:"provider"`
	Endpoint string `json:"endpoint"`
}

// CheckTunnelEndpoint reports whether hostport can be dialled by another
// provider as a tunnel endpoint: host:port with a host that is not an
// unspecified address (0.0.0.0 or :: names no machine to a peer) and a port
// in 1-65535. The gateway checks its own setting with it and the asking side
// checks the answer with it.
func CheckTunnelEndpoint(hostport string) error {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return fmt.Errorf("tunnel endpoint %q: %v; want host:port, e.g. provider.example:8444", hostport, err)
	}
	if host == "" {
		return fmt.Errorf("tunnel endpoint %q has no host; want host:port, e.g. provider.example:8444", hostport)
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return fmt.Errorf("tunnel endpoint %q: %s is a listen-on-all address, not one a peer can dial; advertise the public host or IP", hostport, host)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return fmt.Errorf("tunnel endpoint %q: port %q; want a number in 1-65535", hostport, port)
	}
	return nil
}

// tunnelEndpoint answers any caller whose certificate is on chain (s.auth),
// not only providers sharing a lease with this one: the address is not a
// secret (a peer dials it only to present a per-link certificate that the
// endpoint itself verifies), and a provider asks before it knows whether its
// leases will need the link.
func (s *Server) tunnelEndpoint(w http.ResponseWriter, _ *http.Request) {
	if s.cfg.TunnelEndpoint == "" {
		s.fail(w, http.StatusNotFound, "", fmt.Sprintf("provider %s: this provider runs no tunnel endpoint", s.cfg.Provider))
		return
	}
	writeJSON(w, http.StatusOK, TunnelEndpoint{Provider: s.cfg.Provider, Endpoint: s.cfg.TunnelEndpoint})
}
