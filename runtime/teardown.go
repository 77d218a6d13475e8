package runtime

import (
	"context"
	"errors"
	"fmt"

	"github.com/docker/docker/api/types/filters"
)

// Teardown removes every container, network and volume labelled with the
// lease (persistent volumes included: the lease is over), whoever attached
// them. It is idempotent: tearing down a lease with nothing left is no error.
func (d *Docker) Teardown(ctx context.Context, lease LeaseRef) (Actions, error) {
	defer d.lock(lease)()
	return d.removeAll(ctx, leaseFilter(lease), "lease torn down")
}

// removeAll removes the objects a filter selects: containers first, since
// they hold the networks and volumes.
func (d *Docker) removeAll(ctx context.Context, f filters.Args, reason string) (Actions, error) {
	inv, err := d.inventory(ctx, f)
	if err != nil {
		return nil, err
	}
	var acts Actions
	var errs []error
	do := func(obj, name, lease string, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		acts = append(acts, Action{Kind: ActRemove, Object: obj, Name: name, Lease: lease, Reason: reason})
	}
	// Containers in parallel: stopping one takes the engine a few hundred ms.
	names := sortedKeys(inv.containers)
	removed := make([]error, len(names))
	parallel(len(names), func(i int) { removed[i] = d.removeContainer(ctx, inv.containers[names[i]].ID) })
	for i, name := range names {
		do(ObjContainer, name, inv.containers[name].Labels[LabelLease], removed[i])
	}
	for name, n := range inv.networks {
		do(ObjNetwork, name, n.Labels[LabelLease], d.removeNetwork(ctx, n.ID))
	}
	for name, v := range inv.volumes {
		do(ObjVolume, name, v.Labels[LabelLease], d.removeVolume(ctx, name))
	}
	sortActions(acts)
	if err := errors.Join(errs...); err != nil {
		return acts, fmt.Errorf("runtime: %s: %w", reason, err)
	}
	return acts, nil
}
