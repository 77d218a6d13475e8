package runtime

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/docker/docker/api/types/network"
)

// remoteHosts fills in the hosts entries of the plan's containers that reach
// remote services (containerPlan.Remote, planned only with
// Options.RemoteServiceHosts): "S:<IPv4 gateway of ServiceNetwork(lease, S)>"
// in HostConfig.ExtraHosts, and the same entries in the akash.hosts label.
//
// apply calls it once the lease's networks exist, since a gateway is known
// only then. The label makes the entries part of the decision whether a
// running container matches its plan (ensureContainer): a container whose
// label differs from the plan is replaced, so a network recreated with
// another gateway, or the option turned on or off, never leaves a container
// dialling a stale address, while a Deploy or Reconcile that finds the
// same gateways adopts everything. A new manifest version needs no extra
// care: apply removes the old version's containers before it recreates the
// networks, and the new containers are planned here with the new gateways.
func (d *Docker) remoteHosts(ctx context.Context, p *leasePlan) error {
	gateways := map[string]string{} // remote service -> gateway address
	for i := range p.Containers {
		c := &p.Containers[i]
		if len(c.Remote) == 0 {
			continue
		}
		for _, s := range c.Remote {
			if _, ok := gateways[s]; ok {
				continue
			}
			ip, err := d.gateway(ctx, ServiceNetwork(p.Lease, s))
			if err != nil {
				return fmt.Errorf("lease %s: hosts entry for remote service %s (Options.RemoteServiceHosts): %w", p.Lease, s, err)
			}
			gateways[s] = ip
		}
		hosts := hostsEntries(c.Remote, gateways)
		c.Host.ExtraHosts = hosts
		c.Config.Labels[LabelHosts] = strings.Join(hosts, ",")
	}
	return nil
}

// hostsEntries are the ExtraHosts values ("name:address", the engine's
// format) for the services, in their order.
func hostsEntries(services []string, gateways map[string]string) []string {
	out := make([]string, 0, len(services))
	for _, s := range services {
		out = append(out, s+":"+gateways[s])
	}
	return out
}

// gateway returns the IPv4 gateway of a network: the host's own address on
// the bridge.
func (d *Docker) gateway(ctx context.Context, name string) (string, error) {
	n, err := d.cli.NetworkInspect(ctx, name, network.InspectOptions{})
	if err != nil {
		return "", fmt.Errorf("inspect network %s: %w", name, err)
	}
	for _, c := range n.IPAM.Config {
		if ip := net.ParseIP(c.Gateway); ip != nil && ip.To4() != nil {
			return ip.String(), nil
		}
	}
	return "", fmt.Errorf("network %s has no IPv4 gateway in its IPAM config %+v; the hosts entry needs the host's IPv4 address on the bridge (a bridge network the engine allocates has one; was the network made with IPv6 only?)", name, n.IPAM.Config)
}
