package runtime

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
)

// ErrImageNotPresent is wrapped by ImageNotPresentError.
var ErrImageNotPresent = errors.New("image not present on the engine")

// ErrUnrunnable is wrapped by every error saying that a lease's manifest
// cannot run on this provider as written: an image missing or not allowed,
// a GPU or a TEE asked for, a group the manifest lacks. Trying again does not
// help; the lease needs another manifest. Failures of the engine itself
// never wrap it.
var ErrUnrunnable = errors.New("lease cannot run on this provider")

// ImageNotPresentError names the images a lease needs that the engine does
// not have. Providers here pull from no registry: the operator loads images.
type ImageNotPresentError struct {
	Lease  string
	Images []string // missing images, sorted
	Uses   []string // "image (services a, b)" for each missing image
}

func (e *ImageNotPresentError) Error() string {
	first := e.Images[0]
	return fmt.Sprintf("lease %s: image(s) not present on this provider's Docker engine: %s; "+
		"this provider pulls from no registry, so load each image first: "+
		"`docker save %s -o image.tar` where it exists, then `docker load -i image.tar` here, "+
		"or build it here with `docker build -t %s <dir>` (see README, \"Loading images on a provider\")",
		e.Lease, strings.Join(e.Uses, "; "), first, first)
}

func (e *ImageNotPresentError) Unwrap() []error { return []error{ErrImageNotPresent, ErrUnrunnable} }

// createParallelism bounds concurrent container creations per Deploy: the
// engine serializes some of the work anyway, and a big lease should not
// starve the others.
const createParallelism = 8

// Deploy makes the engine hold exactly what the lease's manifest asks for:
// it adopts containers that run with the same manifest version, starts
// stopped ones, creates missing ones, replaces those of another version and
// removes the lease's containers, networks and volumes the manifest no
// longer has. Deploying the same spec twice adopts everything the second
// time. Nothing is created when an image is missing.
func (d *Docker) Deploy(ctx context.Context, spec LeaseSpec) (Actions, error) {
	if err := d.checkProvider(spec.Lease); err != nil {
		return nil, err
	}
	p, err := planLease(spec, d.planOptions())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnrunnable, err)
	}
	defer d.lock(spec.Lease)()
	return d.apply(ctx, p)
}

// Check tells, changing nothing, whether Deploy could run spec: its plan
// builds and every image is on the engine. An error wrapping ErrUnrunnable
// is the manifest's fault; any other is the engine's (e.g. it did not
// answer). The provider daemon checks every stored manifest this way before
// its start-up Reconcile, so that one lease that cannot run is closed
// instead of failing the start.
func (d *Docker) Check(ctx context.Context, spec LeaseSpec) error {
	if err := d.checkProvider(spec.Lease); err != nil {
		return err
	}
	p, err := planLease(spec, d.planOptions())
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnrunnable, err)
	}
	return d.checkImages(ctx, p)
}

// inventory is what the engine holds for a filter, by object name.
type inventory struct {
	containers map[string]container.Summary
	networks   map[string]network.Summary
	volumes    map[string]*volume.Volume
}

func (d *Docker) inventory(ctx context.Context, f filters.Args) (inventory, error) {
	inv := inventory{containers: map[string]container.Summary{}, networks: map[string]network.Summary{}, volumes: map[string]*volume.Volume{}}
	cs, err := d.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		return inv, fmt.Errorf("runtime: list containers: %w", err)
	}
	for _, c := range cs {
		inv.containers[containerName(c)] = c
	}
	ns, err := d.cli.NetworkList(ctx, network.ListOptions{Filters: f})
	if err != nil {
		return inv, fmt.Errorf("runtime: list networks: %w", err)
	}
	for _, n := range ns {
		inv.networks[n.Name] = n
	}
	vs, err := d.cli.VolumeList(ctx, volume.ListOptions{Filters: f})
	if err != nil {
		return inv, fmt.Errorf("runtime: list volumes: %w", err)
	}
	for _, v := range vs.Volumes {
		inv.volumes[v.Name] = v
	}
	return inv, nil
}

func containerName(c container.Summary) string {
	if len(c.Names) == 0 {
		return c.ID
	}
	return strings.TrimPrefix(c.Names[0], "/")
}

// checkImages fails with an ImageNotPresentError when any image is missing.
func (d *Docker) checkImages(ctx context.Context, p leasePlan) error {
	var missing, uses, refused []string
	for _, im := range p.Images {
		ii, err := d.cli.ImageInspect(ctx, im.Image)
		switch {
		case err == nil:
			if !allows(d.images, im.Image, ii) {
				refused = append(refused, fmt.Sprintf("%s (service %s)", im.Image, strings.Join(im.Services, ", ")))
			}
		case cerrdefs.IsNotFound(err):
			missing = append(missing, im.Image)
			uses = append(uses, fmt.Sprintf("%s (service %s)", im.Image, strings.Join(im.Services, ", ")))
		default:
			return fmt.Errorf("lease %s: inspect image %s: %w", p.Lease, im.Image, err)
		}
	}
	if len(missing) > 0 {
		return &ImageNotPresentError{Lease: p.Lease.String(), Images: missing, Uses: uses}
	}
	if len(refused) > 0 {
		allowed := make([]string, len(d.images))
		for i, r := range d.images {
			allowed[i] = r.entry
		}
		return &ImageNotAllowedError{Lease: p.Lease.String(), Uses: refused, Allowed: allowed}
	}
	return nil
}

// apply brings the engine to the plan. The caller holds the lease's lock.
func (d *Docker) apply(ctx context.Context, p leasePlan) (Actions, error) {
	if err := d.checkImages(ctx, p); err != nil {
		return nil, err
	}
	inv, err := d.inventory(ctx, leaseFilter(p.Lease))
	if err != nil {
		return nil, err
	}
	lease := p.Lease.String()
	var (
		mu   sync.Mutex
		acts Actions
		errs []error
	)
	record := func(a Action, err error) {
		mu.Lock()
		defer mu.Unlock()
		if a.Kind != "" {
			a.Lease = lease
			acts = append(acts, a)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}

	// A new manifest version replaces the lease's networks too (their members
	// and the edge network's record of wanted services follow the manifest),
	// so the old version's containers go first: they would be replaced
	// anyway, and a network cannot go while they sit on it.
	replaced := map[string]string{} // container -> why it was removed here
	if staleNetworks(inv, p.Version) {
		var old []container.Summary
		for _, c := range inv.containers {
			if c.Labels[LabelRole] == roleContainer && c.Labels[LabelVersion] != p.Version {
				old = append(old, c)
			}
		}
		removed := make([]error, len(old))
		parallel(len(old), func(i int) { removed[i] = d.removeContainer(ctx, old[i].ID) })
		for i, c := range old {
			name := containerName(c)
			if removed[i] != nil {
				record(Action{}, removed[i])
				continue
			}
			replaced[name] = fmt.Sprintf("manifest version %s -> %s", short(c.Labels[LabelVersion]), short(p.Version))
			delete(inv.containers, name)
			for vname, v := range inv.volumes {
				if v.Labels[LabelService] == c.Labels[LabelService] && v.Labels[LabelReplica] == c.Labels[LabelReplica] && v.Labels[LabelKeep] != "true" {
					record(Action{Kind: ActRemove, Object: ObjVolume, Name: vname, Reason: "scratch volume of replaced container " + name}, d.removeVolume(ctx, vname))
					delete(inv.volumes, vname)
				}
			}
		}
		for name, n := range inv.networks {
			if n.Labels[LabelVersion] != p.Version {
				record(Action{Kind: ActRemove, Object: ObjNetwork, Name: name, Reason: fmt.Sprintf("manifest version %s -> %s", short(n.Labels[LabelVersion]), short(p.Version))},
					d.removeNetwork(ctx, n.ID))
				delete(inv.networks, name)
			}
		}
		if len(errs) > 0 {
			return acts, errors.Join(errs...)
		}
	}

	for _, n := range p.Networks {
		record(d.ensureNetwork(ctx, n, inv))
	}
	if len(errs) > 0 {
		return acts, errors.Join(errs...)
	}
	if err := d.remoteHosts(ctx, &p); err != nil {
		return acts, err
	}

	wantVolumes := map[string]bool{}
	for _, v := range p.Volumes {
		wantVolumes[v.Name] = true
	}
	parallel(len(p.Containers), func(i int) {
		for _, a := range d.ensureContainer(ctx, p, p.Containers[i], inv, replaced[p.Containers[i].Name]) {
			record(a.Action, a.err)
		}
	})
	if len(errs) > 0 {
		return acts, errors.Join(errs...)
	}

	// What the plan no longer has: containers first (they hold the networks
	// and volumes). Containers of other roles (the overlay's sidecars) belong
	// to their owner and are left alone.
	want := map[string]bool{}
	for _, c := range p.Containers {
		want[c.Name] = true
	}
	for name, c := range inv.containers {
		if !want[name] && c.Labels[LabelRole] == roleContainer {
			record(Action{Kind: ActRemove, Object: ObjContainer, Name: name, Reason: "not in manifest version " + short(p.Version)},
				d.removeContainer(ctx, c.ID))
		}
	}
	wantNets := map[string]bool{}
	for _, n := range p.Networks {
		wantNets[n.Name] = true
	}
	for name, n := range inv.networks {
		if !wantNets[name] {
			record(Action{Kind: ActRemove, Object: ObjNetwork, Name: name, Reason: "not in manifest version " + short(p.Version)},
				d.removeNetwork(ctx, n.ID))
		}
	}
	for name := range inv.volumes {
		if !wantVolumes[name] {
			record(Action{Kind: ActRemove, Object: ObjVolume, Name: name, Reason: "not in manifest version " + short(p.Version)},
				d.removeVolume(ctx, name))
		}
	}
	sortActions(acts)
	return acts, errors.Join(errs...)
}

func (d *Docker) ensureNetwork(ctx context.Context, n networkPlan, inv inventory) (Action, error) {
	if cur, ok := inv.networks[n.Name]; ok {
		if d.fw != nil {
			if err := d.fw.guard(ctx, bridgeOf(cur), n.Name); err != nil {
				return Action{}, err
			}
		}
		return Action{Kind: ActAdopt, Object: ObjNetwork, Name: n.Name, Reason: "exists"}, nil
	}
	// The bridge is named here, so its isolation rule is in place before
	// the bridge exists and long before any container joins it.
	bridge := bridgeName(n.Name)
	opts := network.CreateOptions{Driver: "bridge", Internal: n.Internal, Labels: n.Labels,
		Options: map[string]string{bridgeOption: bridge}}
	if n.NoICC {
		opts.Options["com.docker.network.bridge.enable_icc"] = "false"
	}
	if d.fw != nil {
		if err := d.fw.guard(ctx, bridge, n.Name); err != nil {
			return Action{}, err
		}
	}
	if _, err := d.cli.NetworkCreate(ctx, n.Name, opts); err != nil {
		if d.fw != nil {
			_ = d.fw.unguard(context.WithoutCancel(ctx), bridge, n.Name)
		}
		if cerrdefs.IsConflict(err) || strings.Contains(err.Error(), "already exists") {
			return Action{}, fmt.Errorf("runtime: network %s exists but is not labelled %s=%s; remove it (docker network rm %s) or find who made it: %w",
				n.Name, LabelLease, n.Labels[LabelLease], n.Name, err)
		}
		return Action{}, fmt.Errorf("runtime: create network %s: %w", n.Name, err)
	}
	return Action{Kind: ActCreate, Object: ObjNetwork, Name: n.Name, Reason: n.Role}, nil
}

type actionErr struct {
	Action
	err error
}

// ensureContainer brings one replica to the plan and returns what it did
// (volumes included).
// replacedWhy is set when apply already removed the container for a new
// manifest version.
func (d *Docker) ensureContainer(ctx context.Context, p leasePlan, c containerPlan, inv inventory, replacedWhy string) []actionErr {
	cur, exists := inv.containers[c.Name]
	gone := map[string]bool{} // volumes removed here (inv is shared by goroutines: read only)
	var out []actionErr
	add := func(a Action, err error) { out = append(out, actionErr{a, err}) }
	kind, reason := ActCreate, "missing"
	if replacedWhy != "" {
		kind, reason = ActReplace, replacedWhy
	}
	if exists {
		switch {
		case cur.Labels[LabelVersion] != p.Version:
			kind, reason = ActReplace, fmt.Sprintf("manifest version %s -> %s", short(cur.Labels[LabelVersion]), short(p.Version))
		case cur.Labels[LabelSecurity] != c.Config.Labels[LabelSecurity]:
			kind, reason = ActReplace, fmt.Sprintf("security settings %q -> %q", cur.Labels[LabelSecurity], c.Config.Labels[LabelSecurity])
		case cur.Labels[LabelHosts] != c.Config.Labels[LabelHosts]:
			// The hosts entries are fixed at create; see remoteHosts.
			kind, reason = ActReplace, fmt.Sprintf("hosts entries for remote services %q -> %q", cur.Labels[LabelHosts], c.Config.Labels[LabelHosts])
		case cur.State == container.StateRunning || cur.State == container.StateRestarting:
			add(Action{Kind: ActAdopt, Object: ObjContainer, Name: c.Name, Reason: cur.State}, nil)
			return out
		case cur.State == container.StatePaused:
			add(Action{Kind: ActStart, Object: ObjContainer, Name: c.Name, Reason: "was paused"}, d.cli.ContainerUnpause(ctx, cur.ID))
			return out
		case cur.State == container.StateCreated || cur.State == container.StateExited:
			err := d.cli.ContainerStart(ctx, cur.ID, container.StartOptions{})
			if err == nil {
				add(Action{Kind: ActStart, Object: ObjContainer, Name: c.Name, Reason: "was " + cur.State + " (" + cur.Status + ")"}, nil)
				return out
			}
			kind, reason = ActReplace, fmt.Sprintf("was %s and would not start: %v", cur.State, err)
		default: // dead, removing
			kind, reason = ActReplace, "was "+cur.State
		}
		if err := d.removeContainer(ctx, cur.ID); err != nil {
			add(Action{}, err)
			return out
		}
		// Scratch volumes die with their container; persistent ones stay.
		for name, v := range inv.volumes {
			if v.Labels[LabelService] == c.Service && v.Labels[LabelReplica] == strconv.Itoa(c.Replica) && v.Labels[LabelKeep] != "true" {
				add(Action{Kind: ActRemove, Object: ObjVolume, Name: name, Reason: "scratch volume of replaced container " + c.Name}, d.removeVolume(ctx, name))
				gone[name] = true
			}
		}
	}
	for _, v := range p.Volumes {
		if v.Service != c.Service || v.Replica != c.Replica {
			continue
		}
		if _, ok := inv.volumes[v.Name]; ok && !gone[v.Name] {
			add(Action{Kind: ActAdopt, Object: ObjVolume, Name: v.Name, Reason: "exists"}, nil)
			continue
		}
		_, err := d.cli.VolumeCreate(ctx, volume.CreateOptions{Name: v.Name, Labels: v.Labels})
		if err != nil {
			err = fmt.Errorf("runtime: create volume %s: %w", v.Name, err)
		}
		add(Action{Kind: ActCreate, Object: ObjVolume, Name: v.Name, Reason: "volume " + v.Volume}, err)
		if err != nil {
			return out
		}
	}
	add(Action{Kind: kind, Object: ObjContainer, Name: c.Name, Reason: reason}, d.createContainer(ctx, c))
	return out
}

// createContainer creates, attaches and starts one container; on failure it
// removes what it made, so no half-made replica is left behind.
func (d *Docker) createContainer(ctx context.Context, c containerPlan) error {
	host := c.Host
	if host.StorageOpt != nil && !d.planOptions().EphemeralLimit {
		h := *host
		h.StorageOpt = nil
		host = &h
	}
	netcfg := &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{c.Edge: {}}}
	resp, err := d.cli.ContainerCreate(ctx, c.Config, host, netcfg, nil, c.Name)
	if err != nil && host.StorageOpt != nil && errStorageOpt(err) {
		d.disableEphemeralLimit(err)
		h := *host
		h.StorageOpt = nil
		resp, err = d.cli.ContainerCreate(ctx, c.Config, &h, netcfg, nil, c.Name)
	}
	if err != nil {
		return fmt.Errorf("runtime: create container %s (service %s, image %s): %w", c.Name, c.Service, c.Config.Image, err)
	}
	fail := func(step string, err error) error {
		_ = d.removeContainer(context.WithoutCancel(ctx), resp.ID)
		return fmt.Errorf("runtime: %s container %s (service %s): %w", step, c.Name, c.Service, err)
	}
	for _, a := range c.Attach {
		if err := d.cli.NetworkConnect(ctx, a.Network, resp.ID, &network.EndpointSettings{Aliases: a.Aliases}); err != nil {
			return fail("attach network "+a.Network+" to", err)
		}
	}
	if err := d.cli.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		return fail("start", err)
	}
	return nil
}

func (d *Docker) removeContainer(ctx context.Context, id string) error {
	err := d.cli.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
	if err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("runtime: remove container %s: %w", id, err)
	}
	return nil
}

// removeNetwork disconnects whatever still sits on the network (a sidecar
// somebody attached without our labels) and removes it.
func (d *Docker) removeNetwork(ctx context.Context, id string) error {
	n, err := d.cli.NetworkInspect(ctx, id, network.InspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("runtime: inspect network %s: %w", id, err)
	}
	for cid := range n.Containers {
		if err := d.cli.NetworkDisconnect(ctx, id, cid, true); err != nil && !cerrdefs.IsNotFound(err) {
			return fmt.Errorf("runtime: disconnect container %s from network %s: %w", cid, n.Name, err)
		}
	}
	if err := d.cli.NetworkRemove(ctx, id); err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("runtime: remove network %s: %w", n.Name, err)
	}
	if d.fw != nil {
		return d.fw.unguard(ctx, bridgeOf(n), n.Name)
	}
	return nil
}

func (d *Docker) removeVolume(ctx context.Context, name string) error {
	if err := d.cli.VolumeRemove(ctx, name, true); err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("runtime: remove volume %s: %w", name, err)
	}
	return nil
}

// staleNetworks reports whether a network of the lease was made for another
// manifest version.
func staleNetworks(inv inventory, version string) bool {
	for _, n := range inv.networks {
		if n.Labels[LabelVersion] != version {
			return true
		}
	}
	return false
}

// parallel runs fn(0..n-1) on up to createParallelism goroutines.
func parallel(n int, fn func(i int)) {
	sem := make(chan struct{}, createParallelism)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

func sortActions(as Actions) {
	sort.SliceStable(as, func(i, j int) bool {
		if as[i].Lease != as[j].Lease {
			return as[i].Lease < as[j].Lease
		}
		if as[i].Object != as[j].Object {
			return as[i].Object < as[j].Object
		}
		return as[i].Name < as[j].Name
	})
}

// short is a version's first 12 hex digits, for messages.
func short(v string) string {
	if len(v) > 12 {
		return v[:12]
	}
	if v == "" {
		return "(none)"
	}
	return v
}
