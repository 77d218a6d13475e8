package runtime

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/akash-market/akash/core/manifest"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/go-connections/nat"
)

// minMemoryBytes is the smallest memory limit the Docker Engine accepts
// (6 MiB); a manifest may ask for 1 MiB, which the driver rounds up to this.
const minMemoryBytes = 6 << 20

// planOptions are the driver settings that shape the objects it creates.
type planOptions struct {
	HostIP         string // published ports bind here ("" = all interfaces)
	PublicHost     string // AKASH_CLUSTER_PUBLIC_HOSTNAME for the workloads
	EphemeralLimit bool   // the engine enforces --storage-opt size (overlay2 on xfs+pquota, btrfs, zfs, devicemapper)
	PidsLimit      int64  // per container; 0 = unlimited
	LogMaxSize     string // json-file max-size per log file
	LogMaxFiles    int    // json-file max-file
	// RemoteServiceHosts: plan containerPlan.Remote, the remote services
	// that get a hosts entry (Options.RemoteServiceHosts).
	RemoteServiceHosts bool
	// Capabilities a service may ask for (Options.Capabilities, checked).
	Capabilities []string
}

// leasePlan is everything one lease should have on the engine: the output of
// planLease, computed without touching the engine, and applied by Deploy.
type leasePlan struct {
	Lease      LeaseRef
	Version    string
	Networks   []networkPlan   // edge first, then service networks by service
	Volumes    []volumePlan    // by container, then volume name
	Containers []containerPlan // by service, then replica
	Images     []imageUse      // distinct images, sorted
}

type networkPlan struct {
	Name     string
	Role     string // roleEdgeNetwork or roleServiceNetwork
	Service  string // the service a service network serves
	Internal bool   // no route out of the host: service networks
	NoICC    bool   // containers on it cannot reach each other: the edge network
	Labels   map[string]string
}

type volumePlan struct {
	Name       string
	Service    string
	Replica    int
	Volume     string // the manifest's volume name
	Persistent bool   // survives container replacement and manifest updates
	Labels     map[string]string
}

type networkAttach struct {
	Network string
	Aliases []string
}

type containerPlan struct {
	Name    string
	Service string
	Replica int
	Config  *container.Config
	Host    *container.HostConfig
	Edge    string          // joined at create (engines < API 1.44 take one network there)
	Attach  []networkAttach // joined after create, before start
	Scratch []string        // non-persistent volumes that live and die with this container
	// Remote lists, sorted, the services of other groups this one may reach,
	// when Options.RemoteServiceHosts is on: apply gives each a hosts entry
	// at the gateway of its service network (see remoteHosts).
	Remote []string
}

type imageUse struct {
	Image    string
	Services []string
}

// ServiceNetwork is the name of the internal network on which service
// answers by its name within the lease: its replicas and those of every
// service allowed to connect to it are attached. The overlay attaches its
// tunnel end here (alias = service) when the service runs at another provider.
func ServiceNetwork(lease LeaseRef, service string) string {
	return lease.namePrefix() + "-svc-" + service
}

// EdgeNetwork is the name of the lease's edge network (egress and published
// ports; containers on it cannot reach each other).
func EdgeNetwork(lease LeaseRef) string {
	return lease.namePrefix() + "-edge"
}

// ContainerName is the name of one replica's container.
func ContainerName(lease LeaseRef, service string, replica int) string {
	return fmt.Sprintf("%s-%s-%d", lease.namePrefix(), service, replica)
}

var safeVolumeName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$`)

func volumeName(lease LeaseRef, service string, replica int, volume string) string {
	v := volume
	if !safeVolumeName.MatchString(v) {
		sum := sha256.Sum256([]byte(volume))
		v = "v" + hex.EncodeToString(sum[:4])
	}
	return fmt.Sprintf("%s-%s-%d-%s", lease.namePrefix(), service, replica, v)
}

// planLease turns a lease spec into the objects the engine should hold.
func planLease(spec LeaseSpec, opt planOptions) (leasePlan, error) {
	if err := spec.Lease.Validate(); err != nil {
		return leasePlan{}, err
	}
	g, err := spec.group()
	if err != nil {
		return leasePlan{}, err
	}
	m := spec.Manifest
	p := leasePlan{Lease: spec.Lease, Version: VersionHex(m)}

	services := map[string]manifest.Service{}
	for _, s := range m.Services() {
		services[s.Name] = s
	}
	profiles := map[string]manifest.Resources{}
	for _, pr := range m.Profiles() {
		profiles[pr.Name] = pr.Resources
	}
	local := map[string]bool{}
	for _, name := range g.Services {
		local[name] = true
	}

	// A service network exists for every service that a local service may
	// reach, or that is local and reachable by anyone: the overlay completes
	// the far end of the cross-provider ones.
	served := map[string]bool{}
	clients := map[string]map[string]bool{} // service -> services that may connect to it
	for _, c := range m.Topology().Allowed {
		if !local[c.From] && !local[c.To] {
			continue
		}
		served[c.To] = true
		if clients[c.To] == nil {
			clients[c.To] = map[string]bool{}
		}
		clients[c.To][c.From] = true
	}

	p.Networks = append(p.Networks, networkPlan{
		Name: EdgeNetwork(spec.Lease), Role: roleEdgeNetwork, NoICC: true,
		Labels: Labels(spec.Lease, p.Version, "", -1, roleEdgeNetwork),
	})
	for _, s := range sortedKeys(served) {
		p.Networks = append(p.Networks, networkPlan{
			Name: ServiceNetwork(spec.Lease, s), Role: roleServiceNetwork, Service: s, Internal: true,
			Labels: Labels(spec.Lease, p.Version, s, -1, roleServiceNetwork),
		})
	}

	images := map[string][]string{}
	for _, name := range g.Services {
		svc, ok := services[name]
		if !ok {
			return leasePlan{}, fmt.Errorf("lease %s: group %q lists service %q that the manifest does not define", spec.Lease, g.Name, name)
		}
		var dep *manifest.Deployment
		for i := range svc.Deployments {
			if svc.Deployments[i].Placement == g.Name {
				dep = &svc.Deployments[i]
			}
		}
		if dep == nil {
			return leasePlan{}, fmt.Errorf("lease %s: service %q has no deployment in placement %q", spec.Lease, name, g.Name)
		}
		res, ok := profiles[dep.Profile]
		if !ok {
			return leasePlan{}, fmt.Errorf("lease %s: service %q uses compute profile %q that the manifest does not define", spec.Lease, name, dep.Profile)
		}
		// Refuse what the engine cannot give rather than run without it.
		if res.GPU.Units > 0 {
			return leasePlan{}, fmt.Errorf("lease %s: profiles.compute.%s.resources.gpu: %d GPU unit(s) for service %q, but this runtime has no GPU support; a provider without GPUs must not bid on GPU orders", spec.Lease, dep.Profile, res.GPU.Units, name)
		}
		if svc.TEE != "" {
			return leasePlan{}, fmt.Errorf("lease %s: services.%s.params.tee: %q, but this runtime runs no trusted execution environment", spec.Lease, name, svc.TEE)
		}
		images[svc.Image] = append(images[svc.Image], name)

		var attach []networkAttach
		var remote []string
		for _, s := range sortedKeys(served) {
			switch {
			case s == name:
				attach = append(attach, networkAttach{Network: ServiceNetwork(spec.Lease, s), Aliases: []string{s}})
			case clients[s][name]:
				attach = append(attach, networkAttach{Network: ServiceNetwork(spec.Lease, s)})
				// A local s answers by its network alias; a remote one has
				// nobody to hold the alias on the host (the tunnel end
				// listens on the bridge's gateway), so the name comes from
				// the hosts file, if the driver was asked to write it.
				if !local[s] && opt.RemoteServiceHosts {
					remote = append(remote, s)
				}
			}
		}
		for r := 0; r < int(dep.Count); r++ {
			c, vols, err := planContainer(spec.Lease, p.Version, svc, res, int(dep.Count), r, opt)
			if err != nil {
				return leasePlan{}, err
			}
			c.Attach = attach
			c.Remote = remote
			p.Containers = append(p.Containers, c)
			p.Volumes = append(p.Volumes, vols...)
		}
	}
	// The edge network records what the lease wants, so Status can report a
	// service whose containers are all gone.
	var wanted []string
	for _, c := range p.Containers {
		if c.Replica == 0 {
			wanted = append(wanted, c.Service+"="+c.Config.Labels[LabelCount])
		}
	}
	p.Networks[0].Labels[LabelServices] = strings.Join(wanted, ",")
	for _, img := range sortedKeys(images) {
		p.Images = append(p.Images, imageUse{Image: img, Services: images[img]})
	}
	return p, nil
}

// planContainer builds one replica's container and the volumes it mounts.
func planContainer(lease LeaseRef, version string, svc manifest.Service, res manifest.Resources, count, replica int, opt planOptions) (containerPlan, []volumePlan, error) {
	name := ContainerName(lease, svc.Name, replica)
	labels := Labels(lease, version, svc.Name, replica, roleContainer)
	labels[LabelCount] = strconv.Itoa(count)

	env := append([]string{}, svc.Env...)
	// Akash's providers give every workload these; they come last so a
	// tenant's env cannot impersonate another lease.
	env = append(env,
		"AKASH_OWNER="+lease.Owner,
		"AKASH_PROVIDER="+lease.Provider,
		"AKASH_DEPLOYMENT_SEQUENCE="+strconv.FormatUint(lease.DSeq, 10),
		"AKASH_GROUP_SEQUENCE="+strconv.FormatUint(uint64(lease.GSeq), 10),
		"AKASH_ORDER_SEQUENCE="+strconv.FormatUint(uint64(lease.OSeq), 10),
		"AKASH_SERVICE_NAME="+svc.Name,
		"AKASH_REPLICA="+strconv.Itoa(replica),
	)
	if opt.PublicHost != "" {
		env = append(env, "AKASH_CLUSTER_PUBLIC_HOSTNAME="+opt.PublicHost)
	}

	exposed := nat.PortSet{}
	bindings := nat.PortMap{}
	for _, e := range svc.Expose {
		if !isGlobal(e) {
			continue
		}
		port, err := nat.NewPort(strings.ToLower(e.Proto), strconv.FormatUint(uint64(e.Port), 10))
		if err != nil {
			return containerPlan{}, nil, fmt.Errorf("lease %s: services.%s.expose port %d/%s: %v", lease, svc.Name, e.Port, e.Proto, err)
		}
		exposed[port] = struct{}{}
		// HostPort "" lets the engine pick a free port: two leases on one
		// provider may both expose 80, and the endpoint is reported by Status.
		bindings[port] = []nat.PortBinding{{HostIP: opt.HostIP}}
	}

	memory := int64(res.MemoryBytes)
	if memory < minMemoryBytes {
		memory = minMemoryBytes
	}
	host := &container.HostConfig{
		Resources: container.Resources{
			NanoCPUs:   int64(res.CPUMillis) * 1_000_000,
			Memory:     memory,
			MemorySwap: memory, // no swap beyond the leased memory
		},
		PortBindings:  bindings,
		RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyAlways},
		LogConfig: container.LogConfig{Type: "json-file", Config: map[string]string{
			"max-size": opt.LogMaxSize, "max-file": strconv.Itoa(opt.LogMaxFiles),
		}},
	}
	if opt.PidsLimit > 0 {
		limit := opt.PidsLimit
		host.Resources.PidsLimit = &limit
	}
	if err := harden(host, labels, svc, res, opt.Capabilities); err != nil {
		return containerPlan{}, nil, fmt.Errorf("lease %s: %w", lease, err)
	}

	var vols []volumePlan
	var scratch []string
	byName := map[string]manifest.StorageVolume{}
	for _, v := range res.Storage {
		byName[v.Name] = v
	}
	if d, ok := byName["default"]; ok && opt.EphemeralLimit && !attrTrue(d.Attributes, "persistent") {
		host.StorageOpt = map[string]string{"size": strconv.FormatUint(d.Bytes, 10)}
	}
	for _, sm := range svc.Storage {
		v, ok := byName[sm.Volume]
		if !ok {
			return containerPlan{}, nil, fmt.Errorf("lease %s: services.%s.params.storage.%s: the compute profile has no such volume", lease, svc.Name, sm.Volume)
		}
		if attr(v.Attributes, "class") == "ram" {
			// RAM volumes are tmpfs: the one storage size the engine always enforces.
			host.Mounts = append(host.Mounts, mount.Mount{
				Type: mount.TypeTmpfs, Target: sm.Mount, ReadOnly: sm.ReadOnly,
				TmpfsOptions: &mount.TmpfsOptions{SizeBytes: int64(v.Bytes)},
			})
			continue
		}
		persistent := attrTrue(v.Attributes, "persistent")
		vname := volumeName(lease, svc.Name, replica, v.Name)
		vl := Labels(lease, version, svc.Name, replica, roleVolume)
		vl[LabelVolume] = v.Name
		vl[LabelKeep] = strconv.FormatBool(persistent)
		vols = append(vols, volumePlan{Name: vname, Service: svc.Name, Replica: replica, Volume: v.Name, Persistent: persistent, Labels: vl})
		if !persistent {
			scratch = append(scratch, vname)
		}
		host.Mounts = append(host.Mounts, mount.Mount{Type: mount.TypeVolume, Source: vname, Target: sm.Mount, ReadOnly: sm.ReadOnly})
	}

	cfg := &container.Config{
		Hostname:     hostname(svc.Name, replica),
		Image:        svc.Image,
		Env:          env,
		Labels:       labels,
		ExposedPorts: exposed,
	}
	// The manifest's command replaces the image's entrypoint and its args the
	// image's cmd, as on Akash (Kubernetes' command/args).
	if len(svc.Command) > 0 {
		cfg.Entrypoint = append([]string{}, svc.Command...)
	}
	if len(svc.Args) > 0 {
		cfg.Cmd = append([]string{}, svc.Args...)
	}
	return containerPlan{
		Name: name, Service: svc.Name, Replica: replica, Config: cfg, Host: host,
		Edge: EdgeNetwork(lease), Scratch: scratch,
	}, vols, nil
}

// hostname is "<service>-<replica>", cut to the 63 bytes a host name may have.
func hostname(service string, replica int) string {
	suffix := "-" + strconv.Itoa(replica)
	if len(service)+len(suffix) > 63 {
		service = strings.TrimRight(service[:63-len(suffix)], "-")
	}
	return service + suffix
}

func isGlobal(e manifest.ServiceExpose) bool {
	for _, t := range e.To {
		if t.Global {
			return true
		}
	}
	return false
}

func attr(a manifest.Attributes, key string) string {
	for _, kv := range a {
		if kv.Key == key {
			return kv.Value
		}
	}
	return ""
}

func attrTrue(a manifest.Attributes, key string) bool {
	switch strings.ToLower(attr(a, key)) {
	case "true", "yes", "on":
		return true
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
