package lease

import (
	"testing"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// TestVerbsAllocateNothing: opening a lease and settling build no error text
// or other garbage on success, so a driver opening a million leases (the
// simulator, the matcher load test) pays for the rules, not the allocator.
func TestVerbsAllocateNothing(t *testing.T) {
	var eff Effects
	acct, err := NewAccount(market.DeploymentID{Owner: "tenant", DSeq: 1}, "uakt", 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := acct.Deposit("tenant", money.Coin{Denom: "uakt", Amount: money.NewDec(1_000_000_000)}, 1, &eff); err != nil {
		t.Fatal(err)
	}
	acct.Payments = make([]Payment, 0, 4096) // steady state: the slice has grown already
	eff.Transfers = make([]Transfer, 0, 16)
	gseq := uint32(0)
	price := money.Coin{Denom: "uakt", Amount: money.NewDec(1)}
	open := testing.AllocsPerRun(1000, func() {
		gseq++
		eff.Reset()
		id := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: acct.ID, GSeq: gseq}, OSeq: 1}, Provider: "provider"}
		if err := acct.OpenLease(id, price, 2, &eff); err != nil {
			t.Fatal(err)
		}
	})
	if open != 0 {
		t.Errorf("OpenLease allocates %v times per call; want 0", open)
	}
	h := int64(2)
	settle := testing.AllocsPerRun(1000, func() {
		h++
		eff.Reset()
		if err := acct.Settle(h, &eff); err != nil {
			t.Fatal(err)
		}
	})
	if settle != 0 {
		t.Errorf("Settle allocates %v times per call; want 0", settle)
	}
}
