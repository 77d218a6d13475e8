package manifest

import (
	"errors"
	"fmt"
)

// Dimension names one resource a Totals counts. Every per-dimension
// comparison (eligibility, capacity) checks them in this order, so the
// first shortage named is the same everywhere.
type Dimension uint8

const (
	DimNone      Dimension = iota // no dimension: nothing is short
	DimCPU                        // cpu, millis
	DimMemory                     // memory, bytes
	DimStorage                    // storage, bytes
	DimGPU                        // gpu, units
	DimBandwidth                  // bandwidth, bytes/s
	numDims
)

var dimNames = [numDims]string{"none", "cpu", "memory", "storage", "gpu", "bandwidth"}

// String is the dimension's name as errors, metrics labels and configs use
// it: "cpu", "memory", "storage", "gpu", "bandwidth".
func (d Dimension) String() string {
	if d < numDims {
		return dimNames[d]
	}
	return fmt.Sprintf("dimension(%d)", uint8(d))
}

// Dimensions lists the resource dimensions in check order.
func Dimensions() [5]Dimension {
	return [5]Dimension{DimCPU, DimMemory, DimStorage, DimGPU, DimBandwidth}
}

// Errors of Totals arithmetic; the messages name the dimension and counts.
var (
	ErrTotalsOverflow  = errors.New("resource total overflows 64 bits")
	ErrTotalsUnderflow = errors.New("resource total would go below zero")
)

// Of returns t's count in dimension d (0 for DimNone).
func (t *Totals) Of(d Dimension) uint64 {
	switch d {
	case DimCPU:
		return t.CPUMillis
	case DimMemory:
		return t.MemoryBytes
	case DimStorage:
		return t.StorageBytes
	case DimGPU:
		return t.GPUUnits
	case DimBandwidth:
		return t.BandwidthBps
	}
	return 0
}

// ShortIn returns the first dimension (in Dimensions order) in which have
// holds less than t, or DimNone when t fits in have.
func (t *Totals) ShortIn(have *Totals) Dimension {
	switch {
	case have.CPUMillis < t.CPUMillis:
		return DimCPU
	case have.MemoryBytes < t.MemoryBytes:
		return DimMemory
	case have.StorageBytes < t.StorageBytes:
		return DimStorage
	case have.GPUUnits < t.GPUUnits:
		return DimGPU
	case have.BandwidthBps < t.BandwidthBps:
		return DimBandwidth
	}
	return DimNone
}

// FitsIn reports whether have holds at least t in every dimension.
func (t *Totals) FitsIn(have *Totals) bool {
	return t.CPUMillis <= have.CPUMillis && t.MemoryBytes <= have.MemoryBytes &&
		t.StorageBytes <= have.StorageBytes && t.GPUUnits <= have.GPUUnits &&
		t.BandwidthBps <= have.BandwidthBps
}

// Add returns t + u, or an error wrapping ErrTotalsOverflow that names the
// first dimension whose sum does not fit 64 bits.
func (t Totals) Add(u Totals) (Totals, error) {
	r := Totals{
		CPUMillis:    t.CPUMillis + u.CPUMillis,
		MemoryBytes:  t.MemoryBytes + u.MemoryBytes,
		StorageBytes: t.StorageBytes + u.StorageBytes,
		GPUUnits:     t.GPUUnits + u.GPUUnits,
		BandwidthBps: t.BandwidthBps + u.BandwidthBps,
	}
	if d := t.ShortIn(&r); d != DimNone { // a sum below an addend wrapped
		return Totals{}, fmt.Errorf("%w: %s %d + %d", ErrTotalsOverflow, d, t.Of(d), u.Of(d))
	}
	return r, nil
}

// Sub returns t − u, or an error wrapping ErrTotalsUnderflow that names the
// first dimension in which u is more than t.
func (t Totals) Sub(u Totals) (Totals, error) {
	if d := u.ShortIn(&t); d != DimNone {
		return Totals{}, fmt.Errorf("%w: %s %d − %d", ErrTotalsUnderflow, d, t.Of(d), u.Of(d))
	}
	return Totals{
		CPUMillis:    t.CPUMillis - u.CPUMillis,
		MemoryBytes:  t.MemoryBytes - u.MemoryBytes,
		StorageBytes: t.StorageBytes - u.StorageBytes,
		GPUUnits:     t.GPUUnits - u.GPUUnits,
		BandwidthBps: t.BandwidthBps - u.BandwidthBps,
	}, nil
}

// Times returns t × n (n replicas of t), or an error wrapping
// ErrTotalsOverflow that names the first dimension whose product does not
// fit 64 bits.
func (t Totals) Times(n uint64) (Totals, error) {
	for _, d := range Dimensions() {
		if v := t.Of(d); v != 0 && n > ^uint64(0)/v {
			return Totals{}, fmt.Errorf("%w: %s %d × %d", ErrTotalsOverflow, d, v, n)
		}
	}
	return Totals{
		CPUMillis:    t.CPUMillis * n,
		MemoryBytes:  t.MemoryBytes * n,
		StorageBytes: t.StorageBytes * n,
		GPUUnits:     t.GPUUnits * n,
		BandwidthBps: t.BandwidthBps * n,
	}, nil
}
