package market

import (
	"fmt"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

// Units rates are priced per, as operators and scenarios write them; the
// order's totals count millis and bytes.
const (
	CPUPer       = 1000    // millis: rates are per core
	MemoryPer    = 1 << 30 // bytes: per GiB
	StoragePer   = 1 << 30 // bytes: per GiB
	GPUPer       = 1       // per unit
	BandwidthPer = 1 << 20 // bytes/s: per MiB/s
)

// CostQuantum is the grid a provider's cost lands on: 10^12 atto-units, a
// millionth of a unit of the denom (a micro-uakt).
const CostQuantum = 1_000_000_000_000

// ppm is the scale of ProviderCost's multiplier: 10^6 is 1×.
const ppm = 1_000_000

// Rates are prices per block of one unit of each resource (per core, per
// GiB of memory, per GiB of storage, per GPU, per MiB/s): a provider
// daemon's rate card, or the simulator's reference prices.
type Rates struct {
	CPU       money.Dec // per core per block
	Memory    money.Dec // per GiB per block
	Storage   money.Dec // per GiB per block
	GPU       money.Dec // per GPU unit per block
	Bandwidth money.Dec // per MiB/s per block
}

// ResourceCost is Σ count × rate ÷ per over the dimensions of t, each term
// rounded UP to the atto-unit, exact otherwise. It is not yet on the cost
// grid: Cost and ProviderCost put it there. A sum that does not fit 256-bit
// money is an error naming the dimension (never a term silently dropped).
func (r *Rates) ResourceCost(t manifest.Totals) (money.Dec, error) {
	var sum money.Dec
	for _, term := range [...]struct {
		dim    manifest.Dimension
		rate   *money.Dec
		n, per uint64
	}{
		{manifest.DimCPU, &r.CPU, t.CPUMillis, CPUPer},
		{manifest.DimMemory, &r.Memory, t.MemoryBytes, MemoryPer},
		{manifest.DimStorage, &r.Storage, t.StorageBytes, StoragePer},
		{manifest.DimGPU, &r.GPU, t.GPUUnits, GPUPer},
		{manifest.DimBandwidth, &r.Bandwidth, t.BandwidthBps, BandwidthPer},
	} {
		if term.n == 0 || term.rate.IsZero() {
			continue
		}
		v, err := term.rate.MulFracCeil(term.n, term.per)
		if err == nil {
			err = sum.AddAssign(&v)
		}
		if err != nil {
			return money.Dec{}, fmt.Errorf("cost of %s %d at %s per %d: %w", term.dim, term.n, term.rate.ShortString(), term.per, err)
		}
	}
	return sum, nil
}

// Cost is what holding t for one block costs at rates r: ResourceCost
// rounded UP to the cost grid (ProviderCost at 1×).
func (r *Rates) Cost(t manifest.Totals) (money.Dec, error) {
	ref, err := r.ResourceCost(t)
	if err != nil {
		return money.Dec{}, err
	}
	return ProviderCost(ref, ppm)
}

// ProviderCost is the cost per block of a provider whose costs are
// multiplierPPM/10^6 of a reference, for resources whose ResourceCost at
// the reference rates is ref: ⌈ref × multiplierPPM ÷ 10^6⌉, rounded UP to
// CostQuantum.
//
// The one rounding rule of provider economics, in both modes: a cost is
// rounded up, never down, so a provider never bids below what its resources
// cost, and it lands on the grid prices are quoted on, so a bid at cost plus
// a margin ≥ 0 rounded down to that grid is still at least the cost.
func ProviderCost(ref money.Dec, multiplierPPM uint64) (money.Dec, error) {
	if v, ok := providerCost128(&ref, multiplierPPM); ok {
		return v, nil
	}
	v, err := ref.MulFracCeil(multiplierPPM, ppm)
	if err == nil {
		v, err = v.CeilTo(CostQuantum)
	}
	if err != nil {
		return money.Dec{}, fmt.Errorf("provider cost %s × %d ppm: %w", ref.ShortString(), multiplierPPM, err)
	}
	return v, nil
}

// providerCost128 is ProviderCost in machine words for a reference cost
// below 2^128 atto (every real one) whose result is too: the nested
// ceilings ⌈⌈ref × m ÷ 10^6⌉ ÷ 10^12⌉ of exact integer quotients are the
// one ceiling ⌈ref × m ÷ 10^18⌉, taken in units of CostQuantum. It reports
// false (compute the general way) when an operand or the result is wider;
// FuzzProviderCost128 holds it equal to the general path. The simulator
// prices every bid through it.
func providerCost128(ref *money.Dec, m uint64) (money.Dec, bool) {
	return money.MulDivToGrid(ref, m, ppm, CostQuantum, true)
}
