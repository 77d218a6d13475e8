package runtime

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
)

// Networks reads and joins a lease's service networks (ServiceNetwork) for
// the overlay's tunnel ends (provider/overlaylink), so the Docker client
// stays inside this package. The zero value is not usable: take it from
// Docker.Networks, or NewNetworks for a client of one's own.
type Networks struct{ cli *client.Client }

// Networks returns the driver's network reader.
func (d *Docker) Networks() Networks { return Networks{cli: d.cli} }

// NewNetworks reads networks through cli.
func NewNetworks(cli *client.Client) Networks { return Networks{cli: cli} }

// Gateway returns the IPv4 gateway address of network name, or "" if it has
// none; the error is the engine's (no such network, say).
func (n Networks) Gateway(ctx context.Context, name string) (string, error) {
	nw, err := n.cli.NetworkInspect(ctx, name, network.InspectOptions{})
	if err != nil {
		return "", err
	}
	for _, c := range nw.IPAM.Config {
		if ip := net.ParseIP(c.Gateway); ip != nil && ip.To4() != nil {
			return c.Gateway, nil
		}
	}
	return "", nil
}

// Subnets returns the subnets of network name; never an empty list without
// an error (an empty list would admit every source).
func (n Networks) Subnets(ctx context.Context, name string) ([]netip.Prefix, error) {
	nw, err := n.cli.NetworkInspect(ctx, name, network.InspectOptions{})
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	var out []netip.Prefix
	for _, c := range nw.IPAM.Config {
		p, err := netip.ParsePrefix(c.Subnet)
		if err != nil {
			return nil, fmt.Errorf("network %s: subnet %q: %w", name, c.Subnet, err)
		}
		out = append(out, p.Masked())
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("network %s has no subnet to admit its members by", name)
	}
	return out, nil
}

// ReplicaAddress returns the address on network netName of the first running
// replica of the lease's service, or "" if none runs there yet; the error is
// the engine's.
func (n Networks) ReplicaAddress(ctx context.Context, lease LeaseRef, service, netName string) (string, error) {
	f := filters.NewArgs(filters.Arg("label", LabelLease+"="+lease.String()),
		filters.Arg("label", LabelService+"="+service), filters.Arg("status", "running"))
	cs, err := n.cli.ContainerList(ctx, container.ListOptions{Filters: f})
	if err != nil {
		return "", err
	}
	for _, c := range cs {
		if c.NetworkSettings == nil {
			continue
		}
		if ep, ok := c.NetworkSettings.Networks[netName]; ok && ep.IPAddress != "" {
			return ep.IPAddress, nil
		}
	}
	return "", nil
}

// Membership is a container's place on one network.
type Membership struct {
	IP    string   // its IPv4 address there; "" if it is not on the network
	Names []string // the names it answers to there (aliases and DNS names)
}

// Member returns where container (name or ID) is on network netName; the
// error is the engine's (no such container, say).
func (n Networks) Member(ctx context.Context, ctr, netName string) (Membership, error) {
	c, err := n.cli.ContainerInspect(ctx, ctr)
	if err != nil {
		return Membership{}, err
	}
	if c.NetworkSettings == nil {
		return Membership{}, nil
	}
	ep, ok := c.NetworkSettings.Networks[netName]
	if !ok || ep.IPAddress == "" {
		return Membership{}, nil
	}
	return Membership{IP: ep.IPAddress, Names: append(append([]string(nil), ep.Aliases...), ep.DNSNames...)}, nil
}

// Connect joins container ctr to network netName, with the network alias
// alias unless it is empty.
func (n Networks) Connect(ctx context.Context, netName, ctr, alias string) error {
	var settings network.EndpointSettings
	if alias != "" {
		settings.Aliases = []string{alias}
	}
	return n.cli.NetworkConnect(ctx, netName, ctr, &settings)
}
