package overlaylink

import (
	"context"
	"fmt"
	"net"
	"strconv"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/runtime"
)

// DockerAttach places link ends in a lease's Docker networks, for a daemon
// that runs on the Docker host:
//   - a client end listens on the host's address on the lease's service
//     network of the remote service (runtime.ServiceNetwork(lease, to)),
//     the bridge's gateway, at the link's port: only containers on that
//     internal network, i.e. the services allowed to reach it, can connect,
//     and nothing listens on the host's other interfaces;
//   - a server end dials the server service's first running replica at its
//     address on that network.
//
// Not done: a container aliased with the remote service's name on that
// network (a relay sidecar), which would let the workload dial "db:5432"
// instead of the gateway address; see docs/overlay.md.
type DockerAttach struct{ Client *client.Client }

func leaseRef(id market.LeaseID) runtime.LeaseRef {
	return runtime.LeaseRef{Owner: id.Owner, DSeq: id.DSeq, GSeq: id.GSeq, OSeq: id.OSeq, Provider: id.Provider}
}

// Listen implements Attach.
func (a DockerAttach) Listen(ctx context.Context, lease market.LeaseID, l overlay.Link) (string, error) {
	name := runtime.ServiceNetwork(leaseRef(lease), l.Conn.To)
	n, err := a.Client.NetworkInspect(ctx, name, network.InspectOptions{})
	if err != nil {
		return "", fmt.Errorf("lease %s: network %s (the runtime creates it when a local service may reach %s): %w", lease, name, l.Conn.To, err)
	}
	for _, c := range n.IPAM.Config {
		if ip := net.ParseIP(c.Gateway); ip != nil && ip.To4() != nil {
			return net.JoinHostPort(c.Gateway, strconv.Itoa(int(l.Conn.Port))), nil
		}
	}
	return "", fmt.Errorf("lease %s: network %s has no IPv4 gateway address to listen on", lease, name)
}

// Target implements Attach.
func (a DockerAttach) Target(ctx context.Context, lease market.LeaseID, l overlay.Link) (string, error) {
	ref := leaseRef(lease)
	name := runtime.ServiceNetwork(ref, l.Conn.To)
	f := filters.NewArgs(filters.Arg("label", runtime.LabelLease+"="+ref.String()),
		filters.Arg("label", runtime.LabelService+"="+l.Conn.To), filters.Arg("status", "running"))
	cs, err := a.Client.ContainerList(ctx, container.ListOptions{Filters: f})
	if err != nil {
		return "", fmt.Errorf("lease %s: containers of %s: %w", lease, l.Conn.To, err)
	}
	for _, c := range cs {
		if c.NetworkSettings == nil {
			continue
		}
		if ep, ok := c.NetworkSettings.Networks[name]; ok && ep.IPAddress != "" {
			return net.JoinHostPort(ep.IPAddress, strconv.Itoa(int(l.Conn.Port))), nil
		}
	}
	return "", fmt.Errorf("lease %s: no running replica of %s on network %s yet", lease, l.Conn.To, name)
}
