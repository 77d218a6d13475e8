package lease_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
)

// BenchmarkWithdraw is a provider's withdrawal of one lease, as the
// simulator makes it every hour for each of its leases: settle the blocks
// since the last withdrawal, pay the accrued amount out. accounts=1 is the
// arithmetic alone (the account in cache); with 2^17 accounts visited in a
// shuffled order (about 80 MB of accounts) each withdrawal finds its
// account out of cache, as it is in a long simulation.
func BenchmarkWithdraw(b *testing.B) {
	for _, n := range []int{1, 1 << 17} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			accts := make([]*lease.Account, n)
			ids := make([]market.LeaseID, n)
			var eff lease.Effects
			for i := range n {
				dep := market.DeploymentID{Owner: "tenant", DSeq: uint64(i + 1)}
				a, err := lease.NewAccount(dep, denom, 200, 0)
				if err != nil {
					b.Fatal(err)
				}
				ids[i] = market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: dep, GSeq: 1}, OSeq: 1}, Provider: providers[i%4]}
				eff.Reset()
				if err := a.Deposit("tenant", uakt("100000000000"), 0, &eff); err != nil {
					b.Fatal(err)
				}
				if err := a.OpenLease(ids[i], uakt("1.234567"), 0, &eff); err != nil {
					b.Fatal(err)
				}
				accts[i] = a
			}
			order := rand.New(rand.NewPCG(1, 2)).Perm(n)
			h, i := int64(0), 0
			b.ReportAllocs()
			cpu0 := cpuNow()
			for b.Loop() {
				if i%n == 0 {
					h += 600 // an hour of 6-second blocks
				}
				k := order[i%n]
				i++
				eff.Reset()
				if err := accts[k].Withdraw(ids[k], h, &eff); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuNow()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkWithdrawPayoutAt is BenchmarkWithdraw/accounts=1 as the
// simulator withdraws: by the payment's position, the payout returned as
// amounts (no lease ID compared, no payout transfers built).
func BenchmarkWithdrawPayoutAt(b *testing.B) {
	dep := market.DeploymentID{Owner: "tenant", DSeq: 1}
	a, err := lease.NewAccount(dep, denom, 200, 0)
	if err != nil {
		b.Fatal(err)
	}
	id := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: dep, GSeq: 1}, OSeq: 1}, Provider: providers[0]}
	var eff lease.Effects
	if err := a.Deposit("tenant", uakt("100000000000"), 0, &eff); err != nil {
		b.Fatal(err)
	}
	if err := a.OpenLease(id, uakt("1.234567"), 0, &eff); err != nil {
		b.Fatal(err)
	}
	h := int64(0)
	b.ReportAllocs()
	cpu0 := cpuNow()
	for b.Loop() {
		h += 600
		eff.Reset()
		if _, err := a.WithdrawPayoutAt(0, h, &eff); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuNow()-cpu0)/float64(b.N), "cpu-ns/op")
}
