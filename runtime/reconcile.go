package runtime

import (
	"context"
	"errors"
	"fmt"
)

// Reconcile makes the engine match the leases that should run, after a
// provider restart or on a period: each wanted lease is deployed (adopting
// what runs with its manifest version, starting stopped containers,
// recreating missing or dead ones), and every object of this provider whose
// akash.lease no wanted lease owns is removed. Objects of other providers on
// the same engine are never touched. It returns every action taken; an
// error in one lease does not stop the others.
func (d *Docker) Reconcile(ctx context.Context, want []LeaseSpec) (Actions, error) {
	var acts Actions
	var errs []error
	wanted := map[string]bool{}
	for _, spec := range want {
		if err := d.checkProvider(spec.Lease); err != nil {
			errs = append(errs, err)
			continue
		}
		wanted[spec.Lease.String()] = true
		a, err := d.Deploy(ctx, spec)
		acts = append(acts, a...)
		if err != nil {
			errs = append(errs, fmt.Errorf("reconcile lease %s: %w", spec.Lease, err))
		}
	}

	owned, err := d.leasesOnEngine(ctx)
	if err != nil {
		return acts, errors.Join(append(errs, err)...)
	}

	for _, l := range owned {
		if wanted[l.String()] {
			continue
		}
		a, err := d.removeOrphan(ctx, l)
		acts = append(acts, a...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	if d.fw != nil {
		// Isolation rules of networks gone while no driver was looking
		// (a crash between removing a network and its rule).
		inv, err := d.inventory(ctx, anyLeaseFilter())
		if err == nil {
			err = d.fw.sweep(ctx, inv.networks)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return acts, errors.Join(errs...)
}

func (d *Docker) removeOrphan(ctx context.Context, l LeaseRef) (Actions, error) {
	defer d.lock(l)()
	return d.removeAll(ctx, leaseFilter(l), "orphan: no wanted lease owns it")
}

// Leases lists the leases of this provider that have any object on the
// engine, sorted. Labels that do not parse as a lease are not ours and are
// skipped.
func (d *Docker) Leases(ctx context.Context) ([]LeaseRef, error) {
	return d.leasesOnEngine(ctx)
}

func (d *Docker) leasesOnEngine(ctx context.Context) ([]LeaseRef, error) {
	inv, err := d.inventory(ctx, anyLeaseFilter())
	if err != nil {
		return nil, err
	}
	seen := map[string]LeaseRef{}
	add := func(labels map[string]string) {
		l, err := ParseLeaseRef(labels[LabelLease])
		if err == nil && l.Provider == d.provider {
			seen[l.String()] = l
		}
	}
	for _, c := range inv.containers {
		add(c.Labels)
	}
	for _, n := range inv.networks {
		add(n.Labels)
	}
	for _, v := range inv.volumes {
		add(v.Labels)
	}
	out := make([]LeaseRef, 0, len(seen))
	for _, k := range sortedKeys(seen) {
		out = append(out, seen[k])
	}
	return out, nil
}
