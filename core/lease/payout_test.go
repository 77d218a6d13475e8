package lease_test

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// TestWithdrawPayoutIsWithdraw drives two copies of the same account with
// the same random operations; one withdraws with Withdraw, the other with
// WithdrawPayout and appends PayoutTransfers itself; a third, the same with
// WithdrawPayoutAt (the lease's position instead of its ID). The effects
// and the accounts must stay identical, field for field.
func TestWithdrawPayoutIsWithdraw(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		r := rand.New(rand.NewPCG(seed, 0x9a7))
		var a, b, cc *lease.Account
		var ea, eb, ec lease.Effects
		var dseq uint64
		var height int64
		var nLease uint32
		fresh := func() {
			dseq++
			take := uint32(r.IntN(10_001))
			id := market.DeploymentID{Owner: "tenant", DSeq: dseq}
			var err error
			if a, err = lease.NewAccount(id, denom, take, height); err != nil {
				t.Fatal(err)
			}
			b, _ = lease.NewAccount(id, denom, take, height)
			cc, _ = lease.NewAccount(id, denom, take, height)
			nLease = 0
		}
		fresh()
		withdrawals, paid := 0, 0
		for op := range 20_000 {
			ea.Reset()
			eb.Reset()
			ec.Reset()
			h := height + int64(r.IntN(6))
			pick := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: a.ID, GSeq: 1}, OSeq: 1}, Provider: "nobody"}
			at := 0 // pick's position (0 and none: not found)
			if n := len(a.Payments); n > 0 {
				at = r.IntN(n)
				pick = a.Payments[at].Lease.ID
			}
			var errA, errB, errC error
			switch k := r.IntN(10); {
			case k < 2:
				c := money.Coin{Denom: denom, Amount: amount(r.Uint64()%1e18, r.Uint64()%50)}
				errA, errB, errC = a.Deposit("tenant", c, h, &ea), b.Deposit("tenant", c, h, &eb), cc.Deposit("tenant", c, h, &ec)
			case k < 3:
				nLease++
				id := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: a.ID, GSeq: 1}, OSeq: nLease}, Provider: providers[r.IntN(4)]}
				c := money.Coin{Denom: denom, Amount: amount(r.Uint64()%1e18, r.Uint64()%2)}
				errA, errB, errC = a.OpenLease(id, c, h, &ea), b.OpenLease(id, c, h, &eb), cc.OpenLease(id, c, h, &ec)
			case k < 4:
				errA, errB, errC = a.Settle(h, &ea), b.Settle(h, &eb), cc.Settle(h, &ec)
			case k < 8:
				withdrawals++
				errA = a.Withdraw(pick, h, &ea)
				var po lease.Payout
				po, errB = b.WithdrawPayout(pick, h, &eb)
				if !po.IsZero() {
					paid++
				}
				if errB == nil {
					eb.Transfers = b.PayoutTransfers(pick, po, eb.Transfers)
				} else if !po.IsZero() {
					t.Fatalf("op %d: WithdrawPayout failed (%v) but paid %s + %s", op, errB, po.Net, po.Take)
				}
				var poC lease.Payout
				poC, errC = cc.WithdrawPayoutAt(at, h, &ec)
				if errC == nil {
					ec.Transfers = cc.PayoutTransfers(pick, poC, ec.Transfers)
				}
				if errors.Is(errB, lease.ErrLeaseNotFound) && errors.Is(errC, lease.ErrLeaseNotFound) {
					errC = errB // the texts differ: one names the ID, the other the position
				}
			case k < 9:
				c := lease.Closure{Reason: lease.ReasonProviderClosed}
				errA, errB, errC = a.CloseLease(pick, c, h, &ea), b.CloseLease(pick, c, h, &eb), cc.CloseLease(pick, c, h, &ec)
			default:
				c := lease.Closure{Reason: lease.ReasonTenantClosed}
				errA, errB, errC = a.CloseAccount(c, h, &ea), b.CloseAccount(c, h, &eb), cc.CloseAccount(c, h, &ec)
			}
			if (errA == nil) != (errB == nil) || (errA != nil && errA.Error() != errB.Error()) {
				t.Fatalf("seed %d op %d: errors differ: %v vs %v", seed, op, errA, errB)
			}
			if (errA == nil) != (errC == nil) || (errA != nil && errA.Error() != errC.Error()) {
				t.Fatalf("seed %d op %d: errors differ: %v vs %v (WithdrawPayoutAt)", seed, op, errA, errC)
			}
			if !reflect.DeepEqual(a, cc) || !reflect.DeepEqual(ea, ec) {
				t.Fatalf("seed %d op %d: Withdraw and WithdrawPayoutAt diverged:\n%+v\n%+v\neffects %+v\nvs %+v", seed, op, a, cc, ea, ec)
			}
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(ea, eb) {
				t.Fatalf("seed %d op %d: Withdraw and WithdrawPayout diverged:\n%+v\n%+v\neffects %+v\nvs %+v", seed, op, a, b, ea, eb)
			}
			if errA == nil {
				height = max(height, h)
			}
			if a.State == lease.StateClosed {
				height = max(height, a.ClosedAt)
				fresh()
			}
		}
		if withdrawals < 5000 || paid < 1000 || dseq < 10 {
			t.Fatalf("seed %d: %d withdrawals (%d paying) over %d accounts: the generator lost coverage", seed, withdrawals, paid, dseq)
		}
	}
}

// TestNoSettle: Effects.NoSettle leaves out the WhySettle transfers and
// nothing else. Two accounts live the same random life (deposits, leases,
// settlements, withdrawals, closes), one reporting to NoSettle effects.
func TestNoSettle(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 0x5e7))
	var a, b *lease.Account
	var ea lease.Effects
	eb := lease.Effects{NoSettle: true}
	var dseq uint64
	var height int64
	var nLease uint32
	fresh := func() {
		dseq++
		id := market.DeploymentID{Owner: "tenant", DSeq: dseq}
		a, _ = lease.NewAccount(id, denom, 250, height)
		b, _ = lease.NewAccount(id, denom, 250, height)
		nLease = 0
	}
	fresh()
	settles := 0
	for op := range 10_000 {
		ea.Reset()
		eb.Reset()
		h := height + int64(r.IntN(6))
		pick := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: a.ID, GSeq: 1}, OSeq: 1}, Provider: "nobody"}
		if n := len(a.Payments); n > 0 {
			pick = a.Payments[r.IntN(n)].Lease.ID
		}
		var errA, errB error
		switch k := r.IntN(10); {
		case k < 2:
			c := money.Coin{Denom: denom, Amount: amount(r.Uint64()%1e18, r.Uint64()%50)}
			errA, errB = a.Deposit("tenant", c, h, &ea), b.Deposit("tenant", c, h, &eb)
		case k < 3:
			nLease++
			id := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: a.ID, GSeq: 1}, OSeq: nLease}, Provider: providers[r.IntN(4)]}
			c := money.Coin{Denom: denom, Amount: amount(r.Uint64()%1e18, r.Uint64()%2)}
			errA, errB = a.OpenLease(id, c, h, &ea), b.OpenLease(id, c, h, &eb)
		case k < 4:
			errA, errB = a.Settle(h, &ea), b.Settle(h, &eb)
		case k < 8:
			errA, errB = a.Withdraw(pick, h, &ea), b.Withdraw(pick, h, &eb)
		case k < 9:
			c := lease.Closure{Reason: lease.ReasonProviderClosed}
			errA, errB = a.CloseLease(pick, c, h, &ea), b.CloseLease(pick, c, h, &eb)
		default:
			c := lease.Closure{Reason: lease.ReasonTenantClosed}
			errA, errB = a.CloseAccount(c, h, &ea), b.CloseAccount(c, h, &eb)
		}
		if (errA == nil) != (errB == nil) || (errA != nil && errA.Error() != errB.Error()) {
			t.Fatalf("op %d: errors differ: %v vs %v", op, errA, errB)
		}
		want := lease.Effects{Closed: ea.Closed, NoSettle: true}
		for _, tr := range ea.Transfers {
			if tr.Why == lease.WhySettle {
				settles++
				continue
			}
			want.Transfers = append(want.Transfers, tr)
		}
		if len(want.Transfers) == 0 {
			want.Transfers = eb.Transfers[:0]
		}
		if len(want.Closed) == 0 {
			want.Closed = eb.Closed[:0]
		}
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(&want, &eb) {
			t.Fatalf("op %d: NoSettle changed more than the settle transfers:\n%+v\n%+v\neffects %+v\nvs %+v", op, a, b, want, eb)
		}
		if errA == nil {
			height = max(height, h)
		}
		if a.State == lease.StateClosed {
			height = max(height, a.ClosedAt)
			fresh()
		}
	}
	if settles < 1000 || dseq < 10 {
		t.Fatalf("%d settle transfers over %d accounts: the generator lost coverage", settles, dseq)
	}
}
