package runtime

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"
)

// ErrNoLease says that the engine holds no container of the lease.
var ErrNoLease = errors.New("lease has no containers on this engine")

// Service states in ServiceStatus.State.
const (
	StateRunning  = "running"  // every wanted replica is ready
	StateDegraded = "degraded" // some, not all, are ready
	StateDown     = "down"     // none is ready
)

// Status is what runs for a lease, per service.
type Status struct {
	Lease    LeaseRef
	Services []ServiceStatus // sorted by name
}

// Ready reports whether every service has all its wanted replicas ready.
func (s Status) Ready() bool {
	for _, svc := range s.Services {
		if svc.State != StateRunning {
			return false
		}
	}
	return len(s.Services) > 0
}

// Endpoints lists every service's published endpoints.
func (s Status) Endpoints() []Endpoint {
	var out []Endpoint
	for _, svc := range s.Services {
		out = append(out, svc.Endpoints...)
	}
	return out
}

// ServiceStatus is one service of a lease.
type ServiceStatus struct {
	Name      string
	Wanted    int    // replicas the manifest asks for
	Ready     int    // replicas running (and healthy, when the image has a health check)
	Restarts  int    // engine restarts, summed over replicas
	State     string // StateRunning, StateDegraded or StateDown
	Endpoints []Endpoint
	Replicas  []ReplicaStatus // sorted by replica
}

// ReplicaStatus is one container of a service.
type ReplicaStatus struct {
	Replica   int
	Container string // name
	Version   string // manifest version it runs
	State     string // the engine's: running, exited, restarting, ...
	Ready     bool
	Restarts  int
	ExitCode  int
	StartedAt string // RFC 3339, from the engine
	Error     string // the engine's last error for it, if any
}

// Endpoint is a global expose published on a host port.
type Endpoint struct {
	Service  string
	Replica  int
	Port     uint32 // the container port the manifest exposes
	Proto    string // "TCP" or "UDP"
	Host     string // where tenants reach it (Options.PublicHost or the bound IP)
	HostPort uint16
}

// Address is host:port.
func (e Endpoint) Address() string {
	return net.JoinHostPort(e.Host, strconv.Itoa(int(e.HostPort)))
}

func (e Endpoint) String() string {
	return fmt.Sprintf("%s-%d %d/%s -> %s", e.Service, e.Replica, e.Port, e.Proto, e.Address())
}

// Status reports the lease's services as the engine sees them now.
func (d *Docker) Status(ctx context.Context, lease LeaseRef) (Status, error) {
	f := leaseFilter(lease)
	f.Add("label", LabelRole+"="+roleContainer)
	cs, err := d.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return Status{}, fmt.Errorf("runtime: status of lease %s: list containers: %w", lease, err)
	}
	wanted, err := d.wantedServices(ctx, lease)
	if err != nil {
		return Status{}, err
	}
	if len(cs) == 0 && wanted == nil {
		return Status{}, fmt.Errorf("lease %s: %w", lease, ErrNoLease)
	}
	byService := map[string]*ServiceStatus{}
	for name, n := range wanted {
		byService[name] = &ServiceStatus{Name: name, Wanted: n}
	}
	for _, c := range cs {
		info, err := d.cli.ContainerInspect(ctx, c.ID)
		if cerrdefs.IsNotFound(err) {
			continue // removed between list and inspect
		}
		if err != nil {
			return Status{}, fmt.Errorf("runtime: status of lease %s: inspect %s: %w", lease, containerName(c), err)
		}
		name := c.Labels[LabelService]
		svc := byService[name]
		if svc == nil {
			svc = &ServiceStatus{Name: name}
			byService[name] = svc
		}
		if n, err := strconv.Atoi(c.Labels[LabelCount]); err == nil && n > svc.Wanted && wanted == nil {
			svc.Wanted = n
		}
		replica, _ := strconv.Atoi(c.Labels[LabelReplica])
		r := ReplicaStatus{
			Replica: replica, Container: containerName(c), Version: c.Labels[LabelVersion],
			Restarts: info.RestartCount,
		}
		if st := info.State; st != nil {
			r.State, r.ExitCode, r.StartedAt, r.Error = st.Status, st.ExitCode, st.StartedAt, st.Error
			r.Ready = st.Running && !st.Restarting && !st.Paused && (st.Health == nil || st.Health.Status == "healthy") &&
				!justRestarted(info.RestartCount, st.StartedAt, time.Now())
		}
		svc.Replicas = append(svc.Replicas, r)
		svc.Restarts += r.Restarts
		if r.Ready {
			svc.Ready++
		}
		if info.NetworkSettings != nil {
			svc.Endpoints = append(svc.Endpoints, d.endpoints(name, replica, info.NetworkSettings.Ports)...)
		}
	}
	st := Status{Lease: lease}
	for _, name := range sortedKeys(byService) {
		svc := byService[name]
		sort.Slice(svc.Replicas, func(i, j int) bool { return svc.Replicas[i].Replica < svc.Replicas[j].Replica })
		sort.Slice(svc.Endpoints, func(i, j int) bool {
			a, b := svc.Endpoints[i], svc.Endpoints[j]
			if a.Replica != b.Replica {
				return a.Replica < b.Replica
			}
			if a.Port != b.Port {
				return a.Port < b.Port
			}
			return a.Proto < b.Proto
		})
		switch {
		case svc.Ready >= svc.Wanted && svc.Wanted > 0:
			svc.State = StateRunning
		case svc.Ready > 0:
			svc.State = StateDegraded
		default:
			svc.State = StateDown
		}
		st.Services = append(st.Services, *svc)
	}
	return st, nil
}

// settleAfterRestart is how long a replica the engine has restarted must
// stay up before it counts as ready again: a crash-looping process is
// "running" for a moment after every restart, and without a health check
// that moment would read as ready.
const settleAfterRestart = 2 * time.Second

func justRestarted(restarts int, startedAt string, now time.Time) bool {
	if restarts == 0 {
		return false
	}
	t, err := time.Parse(time.RFC3339Nano, startedAt)
	return err != nil || now.Sub(t) < settleAfterRestart
}

// wantedServices reads the edge network's record of wanted replicas per
// service; nil when the lease has no edge network.
func (d *Docker) wantedServices(ctx context.Context, lease LeaseRef) (map[string]int, error) {
	n, err := d.cli.NetworkInspect(ctx, EdgeNetwork(lease), network.InspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("runtime: status of lease %s: inspect network %s: %w", lease, EdgeNetwork(lease), err)
	}
	if n.Labels[LabelLease] != lease.String() {
		return nil, nil
	}
	return parseServiceCounts(n.Labels[LabelServices]), nil
}

// parseServiceCounts reads "api=2,web=1"; malformed entries are skipped.
func parseServiceCounts(s string) map[string]int {
	out := map[string]int{}
	for _, kv := range strings.Split(s, ",") {
		name, count, ok := strings.Cut(kv, "=")
		if n, err := strconv.Atoi(count); ok && err == nil && name != "" && n > 0 {
			out[name] = n
		}
	}
	return out
}

// endpoints turns a container's published ports into endpoints, one per
// container port (the engine lists an IPv4 and an IPv6 binding of the same
// host port; the first is enough).
func (d *Docker) endpoints(service string, replica int, ports nat.PortMap) []Endpoint {
	var out []Endpoint
	for p, bs := range ports {
		if len(bs) == 0 {
			continue
		}
		hp, err := strconv.ParseUint(bs[0].HostPort, 10, 16)
		if err != nil {
			continue
		}
		host := bs[0].HostIP
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = d.planOptions().PublicHost
		}
		proto := "TCP"
		if p.Proto() == "udp" {
			proto = "UDP"
		}
		out = append(out, Endpoint{Service: service, Replica: replica, Port: uint32(p.Int()), Proto: proto, Host: host, HostPort: uint16(hp)})
	}
	return out
}
