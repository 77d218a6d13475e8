package overlaylink

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/runtime"
)

// DockerAttach places link ends in a lease's Docker networks, for a daemon
// that runs on the Docker host:
//   - a client end listens on the host's address on the lease's service
//     network of the remote service (runtime.ServiceNetwork(lease, to)),
//     the bridge's gateway, at the link's port, and nothing listens on the
//     host's other interfaces. Every container on the host can reach that
//     address (Docker's isolation filters traffic between bridges, not to
//     the host), so the tunnel admits only sources in the network's subnet
//     (From): the services allowed to reach the remote one;
//   - a server end dials the server service's first running replica at its
//     address on that network.
//
// The workload reaches the client end by the remote service's name when the
// runtime writes that name with the gateway address into its clients' hosts
// files (runtime.Options.RemoteServiceHosts).
type DockerAttach struct{ Net runtime.Networks }

func leaseRef(id market.LeaseID) runtime.LeaseRef {
	return runtime.LeaseRef{Owner: id.Owner, DSeq: id.DSeq, GSeq: id.GSeq, OSeq: id.OSeq, Provider: id.Provider}
}

// Listen implements Attach.
func (a DockerAttach) Listen(ctx context.Context, lease market.LeaseID, l overlay.Link) (string, error) {
	name := runtime.ServiceNetwork(leaseRef(lease), l.Conn.To)
	gw, err := a.Net.Gateway(ctx, name)
	if err != nil {
		return "", fmt.Errorf("lease %s: network %s (the runtime creates it when a local service may reach %s): %w", lease, name, l.Conn.To, err)
	}
	if gw != "" {
		return net.JoinHostPort(gw, strconv.Itoa(int(l.Conn.Port))), nil
	}
	return "", fmt.Errorf("lease %s: network %s has no IPv4 gateway address to listen on", lease, name)
}

// From implements SourceNetworks: the subnets of the service network, whose
// members are exactly the services allowed to reach the remote one. The
// gateway address is reachable from every container on the host, whatever
// its network; the tunnel closes streams from outside these subnets.
func (a DockerAttach) From(ctx context.Context, lease market.LeaseID, l overlay.Link) ([]netip.Prefix, error) {
	return a.Net.Subnets(ctx, runtime.ServiceNetwork(leaseRef(lease), l.Conn.To))
}

// Target implements Attach.
func (a DockerAttach) Target(ctx context.Context, lease market.LeaseID, l overlay.Link) (string, error) {
	ref := leaseRef(lease)
	name := runtime.ServiceNetwork(ref, l.Conn.To)
	ip, err := a.Net.ReplicaAddress(ctx, ref, l.Conn.To, name)
	if err != nil {
		return "", fmt.Errorf("lease %s: containers of %s: %w", lease, l.Conn.To, err)
	}
	if ip != "" {
		return net.JoinHostPort(ip, strconv.Itoa(int(l.Conn.Port))), nil
	}
	return "", fmt.Errorf("lease %s: no running replica of %s on network %s yet", lease, l.Conn.To, name)
}

// ContainerAttach places link ends for a daemon that runs in a container of
// the engine it drives (the Docker socket mounted in), for instance one
// container per datacenter network. The daemon's own container joins the
// lease's service networks:
//   - for a client end it joins ServiceNetwork(lease, to) with the network
//     alias to, and listens on its own address there at the link's port: the
//     workload dials "db:5432" and Docker's DNS answers with the tunnel end,
//     as it would with db itself; only that network's members (the services
//     allowed to reach db) can connect;
//   - for a server end it joins ServiceNetwork(lease, to) without an alias
//     (the local replicas hold it) and dials the first running replica there.
//
// The runtime's teardown disconnects the daemon when it removes the lease's
// networks. The daemon's other listeners (gateway, tunnel endpoint, metrics)
// must not be bound to a wildcard address in this mode, or the lease networks
// it joins would reach them; the daemon refuses that (provider/daemon).
type ContainerAttach struct {
	Net  runtime.Networks
	Self string // the daemon's container, name or ID
}

// Listen implements Attach.
func (a ContainerAttach) Listen(ctx context.Context, lease market.LeaseID, l overlay.Link) (string, error) {
	name := runtime.ServiceNetwork(leaseRef(lease), l.Conn.To)
	ip, err := a.join(ctx, name, l.Conn.To)
	if err != nil {
		return "", fmt.Errorf("lease %s: %w", lease, err)
	}
	return net.JoinHostPort(ip, strconv.Itoa(int(l.Conn.Port))), nil
}

// From implements SourceNetworks: the subnets of the service network (a
// second guard; Docker already keeps other networks off that address).
func (a ContainerAttach) From(ctx context.Context, lease market.LeaseID, l overlay.Link) ([]netip.Prefix, error) {
	return a.Net.Subnets(ctx, runtime.ServiceNetwork(leaseRef(lease), l.Conn.To))
}

// Target implements Attach.
func (a ContainerAttach) Target(ctx context.Context, lease market.LeaseID, l overlay.Link) (string, error) {
	name := runtime.ServiceNetwork(leaseRef(lease), l.Conn.To)
	if _, err := a.join(ctx, name, ""); err != nil {
		return "", fmt.Errorf("lease %s: %w", lease, err)
	}
	return DockerAttach{Net: a.Net}.Target(ctx, lease, l)
}

// join connects the daemon's container to a network (once; with alias, if
// not empty) and returns its IPv4 address there.
func (a ContainerAttach) join(ctx context.Context, netName, alias string) (string, error) {
	addr := func() (string, bool, error) {
		ep, err := a.Net.Member(ctx, a.Self, netName)
		if err != nil {
			return "", false, fmt.Errorf("the daemon's container %q (--tunnel-container): %w", a.Self, err)
		}
		if ep.IP == "" {
			return "", false, nil
		}
		if alias != "" && !slices.Contains(ep.Names, alias) {
			return "", true, fmt.Errorf("the daemon's container %q is on network %s without the alias %q its tunnel end needs", a.Self, netName, alias)
		}
		return ep.IP, true, nil
	}
	if ip, ok, err := addr(); err != nil || ok {
		return ip, err
	}
	if err := a.Net.Connect(ctx, netName, a.Self, alias); err != nil {
		// A concurrent join of the same network (two links to one service)
		// is fine: the inspect below finds it.
		if ip, ok, ierr := addr(); ierr == nil && ok {
			return ip, nil
		}
		return "", fmt.Errorf("connect the daemon's container %q to network %s (the runtime creates it with the lease): %w", a.Self, netName, err)
	}
	ip, ok, err := addr()
	if err == nil && !ok {
		err = fmt.Errorf("the daemon's container %q joined network %s but has no IPv4 address there", a.Self, netName)
	}
	return ip, err
}
