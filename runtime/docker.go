package runtime

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/docker/docker/api/types/system"
	"github.com/docker/docker/client"
)

// Options configure a Docker driver.
type Options struct {
	// Provider is the provider address this driver serves (required).
	// Reconcile only ever touches leases of this provider, so several
	// providers (or tests) can share one engine.
	Provider string
	// Client is the engine client; nil means client.FromEnv with API version
	// negotiation (DOCKER_HOST, DOCKER_API_VERSION, ... are honoured).
	Client *client.Client
	// HostIP is where global exposes are published; "" = all interfaces.
	HostIP string
	// PublicHost is the host name or address tenants use to reach published
	// ports; Status reports endpoints with it. Default "127.0.0.1".
	PublicHost string
	// PidsLimit caps processes per container (default 1024; -1 = no cap).
	PidsLimit int64
	// LogMaxSize and LogMaxFiles bound each container's json-file log
	// (default "10m" and 3), so a chatty tenant cannot fill the disk.
	LogMaxSize  string
	LogMaxFiles int
	// RemoteServiceHosts gives every container of a service C an /etc/hosts
	// entry "S -> gateway address of ServiceNetwork(lease, S)" for each
	// service S of another group (so running at another provider) that the
	// topology lets C reach. That gateway is the host's address on the
	// bridge, where a provider daemon running on the Docker host listens
	// with the overlay's tunnel end for S; with the entry the workload dials
	// "S:port" as if S were local. Off by default: a daemon that runs in a
	// container joins the network with the alias S instead, and a hosts
	// entry would shadow that alias. Changing it replaces the containers
	// concerned on the next Deploy or Reconcile (see LabelHosts).
	RemoteServiceHosts bool
	// Images is the allow-list of images this provider agrees to run:
	// image IDs ("sha256:<hex>"), names with a digest
	// ("ghcr.io/org/app@sha256:..."), names with a tag ("nginx:1.25") or
	// bare names ("nginx": any tag). Empty: any image present on the engine.
	// A lease naming another image cannot run (ImageNotAllowedError).
	Images []string
	// Capabilities a service may ask for in params.capabilities (default
	// DefaultCapabilities). Every container drops all capabilities and gets
	// back only its service's.
	Capabilities []string
	// Isolation is how leases are kept apart on the host's network:
	// IsolationIPTables (default, "") or IsolationDocker; see firewall.go.
	Isolation string
}

// Docker runs leases on one Docker Engine. Its methods are safe for
// concurrent use; calls on the same lease are serialized.
type Docker struct {
	cli      *client.Client
	ownCli   bool
	provider string
	opt      planOptions
	storage  StorageSupport
	images   []imageRule   // Options.Images; none: any image present
	fw       *hostFirewall // nil with IsolationDocker

	mu     sync.Mutex
	leases map[string]*sync.Mutex // lease -> lock; an entry per lease ever seen
}

// StorageSupport says which storage limits this engine enforces: the
// ephemeral root-volume size needs --storage-opt size, which Docker supports
// on overlay2 over xfs mounted with pquota, btrfs, zfs and devicemapper only.
// RAM volumes (tmpfs) are always size-limited; named volumes of the local
// driver never are.
type StorageSupport struct {
	Driver         string // the engine's storage driver, e.g. overlay2
	BackingFS      string // its backing file system when reported, e.g. xfs
	EphemeralLimit bool   // the default volume's size is enforced
	Reason         string // why not, when EphemeralLimit is false
}

// NewDocker connects to the engine, checks that it answers and probes what
// it can enforce. The error says how to reach an engine when none answers.
func NewDocker(ctx context.Context, o Options) (*Docker, error) {
	if o.Provider == "" || strings.ContainsAny(o.Provider, "/ \t\n") {
		return nil, fmt.Errorf("runtime: Options.Provider %q must be the provider's address (non-empty, no '/' or spaces)", o.Provider)
	}
	d := &Docker{cli: o.Client, provider: o.Provider, leases: map[string]*sync.Mutex{}}
	if d.cli == nil {
		cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
		if err != nil {
			return nil, fmt.Errorf("runtime: docker client from environment (DOCKER_HOST=%q): %w", client.DefaultDockerHost, err)
		}
		d.cli, d.ownCli = cli, true
	}
	if o.PublicHost == "" {
		o.PublicHost = "127.0.0.1"
	}
	if o.PidsLimit == 0 {
		o.PidsLimit = 1024
	}
	if o.LogMaxSize == "" {
		o.LogMaxSize = "10m"
	}
	if o.LogMaxFiles == 0 {
		o.LogMaxFiles = 3
	}
	if err := d.Ping(ctx); err != nil {
		d.Close()
		return nil, err
	}
	info, err := d.cli.Info(ctx)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("runtime: docker info at %s: %w", d.cli.DaemonHost(), err)
	}
	d.storage = probeStorage(info)
	caps, err := checkCapabilities(o.Capabilities)
	if err != nil {
		d.Close()
		return nil, err
	}
	if d.images, err = parseImageRules(o.Images); err != nil {
		d.Close()
		return nil, err
	}
	switch o.Isolation {
	case "", IsolationIPTables:
		if d.fw, err = newHostFirewall(ctx, o.Provider); err != nil {
			d.Close()
			return nil, err
		}
	case IsolationDocker:
	default:
		d.Close()
		return nil, fmt.Errorf("runtime: Options.Isolation %q: want %q (default) or %q", o.Isolation, IsolationIPTables, IsolationDocker)
	}
	d.opt = planOptions{Capabilities: caps,
		HostIP: o.HostIP, PublicHost: o.PublicHost, EphemeralLimit: d.storage.EphemeralLimit,
		PidsLimit: o.PidsLimit, LogMaxSize: o.LogMaxSize, LogMaxFiles: o.LogMaxFiles,
		RemoteServiceHosts: o.RemoteServiceHosts,
	}
	return d, nil
}

// Ping checks that the engine answers.
func (d *Docker) Ping(ctx context.Context) error {
	if _, err := d.cli.Ping(ctx); err != nil {
		return fmt.Errorf("runtime: no Docker Engine answers at %s (start dockerd, or set DOCKER_HOST): %w", d.cli.DaemonHost(), err)
	}
	return nil
}

// Storage reports which storage limits the engine enforces.
func (d *Docker) Storage() StorageSupport { return d.storage }

// Isolation is the isolation mode in force (IsolationIPTables or IsolationDocker).
func (d *Docker) Isolation() string {
	if d.fw == nil {
		return IsolationDocker
	}
	return IsolationIPTables
}

// Provider is the provider address the driver serves.
func (d *Docker) Provider() string { return d.provider }

// Client is the engine client, for callers that attach their own objects to
// a lease (the overlay's tunnel sidecars).
func (d *Docker) Client() *client.Client { return d.cli }

// Close releases the client if the driver made it.
func (d *Docker) Close() error {
	if d.ownCli {
		return d.cli.Close()
	}
	return nil
}

// lock serializes Deploy, Teardown and Reconcile on one lease.
func (d *Docker) lock(l LeaseRef) func() {
	d.mu.Lock()
	m, ok := d.leases[l.String()]
	if !ok {
		m = &sync.Mutex{}
		d.leases[l.String()] = m
	}
	d.mu.Unlock()
	m.Lock()
	return m.Unlock
}

func (d *Docker) checkProvider(l LeaseRef) error {
	if l.Provider != d.provider {
		return fmt.Errorf("lease %s belongs to provider %s, but this runtime serves %s", l, l.Provider, d.provider)
	}
	return nil
}

// probeStorage decides from docker info whether --storage-opt size works.
func probeStorage(info system.Info) StorageSupport {
	s := StorageSupport{Driver: info.Driver}
	for _, kv := range info.DriverStatus {
		if kv[0] == "Backing Filesystem" {
			s.BackingFS = kv[1]
		}
	}
	switch {
	case info.Driver == "overlay2" && s.BackingFS == "xfs":
		// pquota cannot be seen from here; a create that fails on it turns the
		// limit off (see createContainer) and says so in Reason.
		s.EphemeralLimit = true
	case info.Driver == "btrfs" || info.Driver == "zfs" || info.Driver == "devicemapper":
		s.EphemeralLimit = true
	default:
		s.Reason = fmt.Sprintf("storage driver %s (backing fs %q) cannot limit a container's writable layer; use overlay2 on xfs mounted with pquota, btrfs or zfs to enforce the default volume's size", info.Driver, s.BackingFS)
	}
	return s
}

// errStorageOpt tells whether a create failed because the engine refused the
// size storage option.
func errStorageOpt(err error) bool {
	return err != nil && strings.Contains(err.Error(), "storage-opt")
}

// disableEphemeralLimit is called once the engine refused --storage-opt size.
func (d *Docker) disableEphemeralLimit(cause error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.opt.EphemeralLimit = false
	d.storage.EphemeralLimit = false
	d.storage.Reason = "the engine refused --storage-opt size: " + cause.Error()
}

func (d *Docker) planOptions() planOptions {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.opt
}
