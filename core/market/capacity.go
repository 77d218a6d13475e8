package market

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/manifest"
)

// Capacity is a provider's per-dimension resource accounts, the one
// capacity arithmetic of both modes (the simulated provider, the provider
// daemon's inventory pools): what it has (Total), what it promised in open
// bids (Reserved) and what its leases hold (Committed). The verbs keep
// Reserved + Committed ≤ Total in every dimension, so nothing wraps; a verb
// that would break it changes nothing and returns an error naming the
// dimension.
//
// A bid reserves its order's totals; a won lease commits the reservation;
// a lost or withdrawn bid unreserves; a closed lease releases.
type Capacity struct {
	Total     manifest.Totals
	Reserved  manifest.Totals
	Committed manifest.Totals
}

// Errors of the capacity verbs. ShortError wraps ErrNoRoom.
var (
	ErrNoRoom  = errors.New("not enough free capacity")
	ErrNotHeld = errors.New("releases more than is held")
)

// ShortError says which dimension ran out: the first, in
// manifest.Dimensions order, in which Need is above Free.
type ShortError struct {
	Dim        manifest.Dimension
	Need, Free uint64
}

func (e *ShortError) Error() string {
	return fmt.Sprintf("%v: %s needs %d, %d free", ErrNoRoom, e.Dim, e.Need, e.Free)
}

func (e *ShortError) Unwrap() error { return ErrNoRoom }

// Free is Total − Reserved − Committed.
func (c *Capacity) Free() manifest.Totals {
	return manifest.Totals{
		CPUMillis:    c.Total.CPUMillis - c.Reserved.CPUMillis - c.Committed.CPUMillis,
		MemoryBytes:  c.Total.MemoryBytes - c.Reserved.MemoryBytes - c.Committed.MemoryBytes,
		StorageBytes: c.Total.StorageBytes - c.Reserved.StorageBytes - c.Committed.StorageBytes,
		GPUUnits:     c.Total.GPUUnits - c.Reserved.GPUUnits - c.Committed.GPUUnits,
		BandwidthBps: c.Total.BandwidthBps - c.Reserved.BandwidthBps - c.Committed.BandwidthBps,
	}
}

// Fits reports whether need fits in what is free, comparing in place
// (without building Free), dimension by dimension in manifest.Dimensions
// order, stopping at the first that is short. It is need.FitsIn(Free()).
func (c *Capacity) Fits(need *manifest.Totals) bool {
	return need.CPUMillis <= c.Total.CPUMillis-c.Reserved.CPUMillis-c.Committed.CPUMillis &&
		need.MemoryBytes <= c.Total.MemoryBytes-c.Reserved.MemoryBytes-c.Committed.MemoryBytes &&
		need.StorageBytes <= c.Total.StorageBytes-c.Reserved.StorageBytes-c.Committed.StorageBytes &&
		need.GPUUnits <= c.Total.GPUUnits-c.Reserved.GPUUnits-c.Committed.GPUUnits &&
		need.BandwidthBps <= c.Total.BandwidthBps-c.Reserved.BandwidthBps-c.Committed.BandwidthBps
}

// Used is Reserved + Committed.
func (c *Capacity) Used() manifest.Totals {
	u, _ := c.Reserved.Add(c.Committed) // ≤ Total: cannot overflow
	return u
}

// Short returns nil when need fits in what is free, else a *ShortError
// naming the first dimension that is short.
func (c *Capacity) Short(need *manifest.Totals) error {
	free := c.Free()
	if d := need.ShortIn(&free); d != manifest.DimNone {
		return &ShortError{Dim: d, Need: need.Of(d), Free: free.Of(d)}
	}
	return nil
}

// Reserve holds need for an open bid, or returns a *ShortError (wrapping
// ErrNoRoom) and holds nothing.
func (c *Capacity) Reserve(need manifest.Totals) error {
	if !c.Fits(&need) { // need.FitsIn(Free()), compared in place
		return c.Short(&need)
	}
	// need ≤ free in every dimension: each sum stays ≤ Total, so nothing
	// wraps and Add's overflow check has nothing to find.
	r := &c.Reserved
	r.CPUMillis += need.CPUMillis
	r.MemoryBytes += need.MemoryBytes
	r.StorageBytes += need.StorageBytes
	r.GPUUnits += need.GPUUnits
	r.BandwidthBps += need.BandwidthBps
	return nil
}

// Unreserve gives back a reservation (a bid lost or withdrawn).
func (c *Capacity) Unreserve(need manifest.Totals) error {
	r, err := c.Reserved.Sub(need)
	if err != nil {
		return fmt.Errorf("unreserve: %w (%w)", ErrNotHeld, err)
	}
	c.Reserved = r
	return nil
}

// Commit turns a reservation into a lease's hold.
func (c *Capacity) Commit(need manifest.Totals) error {
	r, err := c.Reserved.Sub(need)
	if err != nil {
		return fmt.Errorf("commit: %w (%w)", ErrNotHeld, err)
	}
	c.Reserved = r
	c.Committed, _ = c.Committed.Add(need) // moved within Total
	return nil
}

// Release gives back a lease's hold (the lease closed).
func (c *Capacity) Release(need manifest.Totals) error {
	r, err := c.Committed.Sub(need)
	if err != nil {
		return fmt.Errorf("release: %w (%w)", ErrNotHeld, err)
	}
	c.Committed = r
	return nil
}
