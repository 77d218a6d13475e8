package lease_test

import (
	"fmt"
	"testing"

	"github.com/akash-market/akash/core/lease"
)

// benchAccount is an account with n leases at 1uakt/block and enough money
// to settle for a very long time.
func benchAccount(b *testing.B, n int) *lease.Account {
	a, err := lease.NewAccount(dep, denom, 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	var eff lease.Effects
	if err := a.Deposit("tenant", uakt("1000000000000000000000000000000"), 0, &eff); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if err := a.OpenLease(leaseID(fmt.Sprintf("prov-%d", i), uint32(i+1)), uakt("0.000123456789"), 0, &eff); err != nil {
			b.Fatal(err)
		}
	}
	return a
}

// BenchmarkSettle measures per-block settlement: one account, n leases,
// each iteration settles `blocks` more blocks. ns/lease is the target
// (≤ 50 ns), with 0 allocations once the Effects buffer has grown.
func BenchmarkSettle(b *testing.B) {
	for _, c := range []struct{ leases, blocks int }{{1, 1}, {1, 100}, {10, 1}, {100, 1}, {100, 100}, {1000, 1}} {
		b.Run(fmt.Sprintf("leases=%d/blocks=%d", c.leases, c.blocks), func(b *testing.B) {
			a := benchAccount(b, c.leases)
			var eff lease.Effects
			h := int64(0)
			b.ReportAllocs()
			for b.Loop() {
				eff.Reset()
				h += int64(c.blocks)
				if err := a.Settle(h, &eff); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(c.leases), "ns/lease")
		})
	}
}

// BenchmarkDryHeight is what a chain pays to re-index an account after a
// deposit or a lease change.
func BenchmarkDryHeight(b *testing.B) {
	a := benchAccount(b, 3)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := a.DryHeight(); !ok {
			b.Fatal("no dry height")
		}
	}
}
