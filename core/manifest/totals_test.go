package manifest

import (
	"errors"
	"math"
	"testing"
)

func TestTotalsShortIn(t *testing.T) {
	have := Totals{CPUMillis: 1000, MemoryBytes: 1 << 30, StorageBytes: 10 << 30, GPUUnits: 1, BandwidthBps: 1 << 20}
	for _, c := range []struct {
		name string
		need Totals
		want Dimension
	}{
		{"nothing", Totals{}, DimNone},
		{"all of it", have, DimNone},
		{"cpu", Totals{CPUMillis: 1001}, DimCPU},
		{"memory", Totals{MemoryBytes: 1<<30 + 1}, DimMemory},
		{"storage", Totals{StorageBytes: 11 << 30}, DimStorage},
		{"gpu", Totals{GPUUnits: 2}, DimGPU},
		{"bandwidth", Totals{BandwidthBps: 2 << 20}, DimBandwidth},
		{"the first short dimension is named", Totals{MemoryBytes: 2 << 30, GPUUnits: 2}, DimMemory},
	} {
		if got := c.need.ShortIn(&have); got != c.want {
			t.Errorf("%s: ShortIn = %s, want %s", c.name, got, c.want)
		}
		if got := c.need.FitsIn(&have); got != (c.want == DimNone) {
			t.Errorf("%s: FitsIn = %v, want %v", c.name, got, c.want == DimNone)
		}
		if c.want != DimNone && c.need.Of(c.want) <= have.Of(c.want) {
			t.Errorf("%s: Of(%s) does not show the shortage", c.name, c.want)
		}
	}
}

func TestTotalsAddSub(t *testing.T) {
	a := Totals{CPUMillis: 3, MemoryBytes: 5, StorageBytes: 7, GPUUnits: 1, BandwidthBps: 9}
	b := Totals{CPUMillis: 1, MemoryBytes: 2, StorageBytes: 3, GPUUnits: 1, BandwidthBps: 4}
	sum, err := a.Add(b)
	if err != nil || sum != (Totals{4, 7, 10, 2, 13}) {
		t.Fatalf("Add = %+v, %v", sum, err)
	}
	back, err := sum.Sub(b)
	if err != nil || back != a {
		t.Fatalf("Sub = %+v, %v; want %+v", back, err, a)
	}
	if _, err := (Totals{GPUUnits: math.MaxUint64}).Add(Totals{GPUUnits: 1}); !errors.Is(err, ErrTotalsOverflow) || err.Error() != "resource total overflows 64 bits: gpu 18446744073709551615 + 1" {
		t.Errorf("overflow: %v", err)
	}
	if _, err := b.Sub(a); !errors.Is(err, ErrTotalsUnderflow) || err.Error() != "resource total would go below zero: cpu 1 − 3" {
		t.Errorf("underflow: %v", err)
	}
	if got, err := b.Times(3); err != nil || got != (Totals{3, 6, 9, 3, 12}) {
		t.Errorf("Times(3) = %+v, %v", got, err)
	}
	if _, err := (Totals{CPUMillis: 1, StorageBytes: 1 << 40}).Times(1 << 30); !errors.Is(err, ErrTotalsOverflow) || err.Error() != "resource total overflows 64 bits: storage 1099511627776 × 1073741824" {
		t.Errorf("Times overflow: %v", err)
	}
	for i, d := range Dimensions() {
		if d.String() == "" || Dimension(i+1) != d {
			t.Errorf("Dimensions()[%d] = %s", i, d)
		}
	}
}
