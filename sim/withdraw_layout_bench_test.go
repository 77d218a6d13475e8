package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// BenchmarkWithdrawColdRecords is the hourly withdrawal's work on the
// deployment record alone, with the records out of cache as in `large`:
// 300,000 records (about 370 MB, ten times the last-level cache) each with
// an account, a deposit and one open lease whose payment is in the record
// (paymentsRoom 1), withdrawn ten at a time (a provider's leases) from
// records picked at random: warmWithdrawals, the lease by its position, the
// payout's whole units (wholeOf) and the next dry height. It measures what
// the record's layout costs a withdrawal, apart from the rest of a run
// (whose noise on a shared machine hides a change of a few per cent). It
// uses only field names every layout tried had, so the same file builds
// against another layout for alternated runs (docs/simulator.md,
// "Withdrawals: the record's layout, tried and not kept").
func BenchmarkWithdrawColdRecords(b *testing.B) {
	const n, batch = 300_000, 10
	ds := make([]Deployment, n)
	p := &Provider{addr: "akash1provider"}
	var eff lease.Effects
	eff.NoSettle, eff.Terse = true, true
	price := money.Coin{Denom: "uakt", Amount: money.NewDecFromAtto(123_456_789_012_345)}
	for i := range ds {
		d := &ds[i]
		d.account.Deposits = d.depBuf[:0]
		d.account.Payments = d.payBuf[:0]
		d.acct = &d.account
		d.id = market.DeploymentID{Owner: "akash1tenant", DSeq: uint64(i + 1)}
		d.oseq = 1
		if err := d.acct.Open(d.id, "uakt", 200, 1); err != nil {
			b.Fatal(err)
		}
		if err := d.acct.Deposit(d.id.Owner, money.Coin{Denom: "uakt", Amount: money.NewDec(1_000_000)}, 1, &eff); err != nil {
			b.Fatal(err)
		}
		id := market.LeaseID{OrderID: d.orderID(), Provider: p.addr}
		if err := d.acct.OpenLease(id, price, 1, &eff); err != nil {
			b.Fatal(err)
		}
		d.leaseOpen, d.provider = true, p
		eff.Reset()
	}
	r := rand.New(rand.NewPCG(1, 2))
	batchOf := make([]*Deployment, batch)
	h := int64(2)
	var sink uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%(n/batch) == 0 {
			h += 600 // an hour of blocks between a record's withdrawals
		}
		for j := range batchOf {
			batchOf[j] = &ds[r.IntN(n)]
		}
		sink += warmWithdrawals(batchOf)
		for _, d := range batchOf {
			if !d.leaseOpen || d.provider != p || d.leaseStart == 1 {
				continue
			}
			k := leaseAt(d, p)
			po, err := d.acct.WithdrawPayoutAt(k, h, &eff)
			if err != nil {
				b.Fatal(err)
			}
			id := d.acct.Payments[k].Lease.ID
			if !po.Net.IsZero() {
				amt, err := d.wholeOf(lease.WhyWithdraw, &id, po.Net)
				if err != nil {
					b.Fatal(err)
				}
				sink += wordOf(&amt)
			}
			if !po.Take.IsZero() {
				amt, err := d.wholeOf(lease.WhyTake, &id, po.Take)
				if err != nil {
					b.Fatal(err)
				}
				sink += wordOf(&amt)
			}
			dry, _ := d.acct.DryHeight()
			sink += uint64(dry)
			eff.Reset()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/withdrawal")
	if sink == 42 {
		b.Log(sink)
	}
}
