package sim

import (
	"fmt"

	"github.com/akash-market/akash/core/manifest"
)

// Replica is one replica of the shape, in the core's units.
func (s *Shape) Replica() manifest.Totals {
	return manifest.Totals{CPUMillis: uint64(s.CPU), MemoryBytes: uint64(s.Memory), StorageBytes: uint64(s.Storage),
		GPUUnits: s.GPU, BandwidthBps: uint64(s.Bandwidth)}
}

// Totals is the group's totals: every replica (at least one), or an error
// naming the dimension whose total overflows 64 bits.
func (s *Shape) Totals() (manifest.Totals, error) {
	t, err := s.Replica().Times(uint64(max(s.Count, 1)))
	if err != nil {
		return manifest.Totals{}, fmt.Errorf("shape %q × %d replicas: %w", s.Name, max(s.Count, 1), err)
	}
	return t, nil
}

// Totals is the capacity in the core's units.
func (c *Capacity) Totals() manifest.Totals {
	return manifest.Totals{CPUMillis: uint64(c.CPU), MemoryBytes: uint64(c.Memory), StorageBytes: uint64(c.Storage),
		GPUUnits: c.GPU, BandwidthBps: uint64(c.Bandwidth)}
}
