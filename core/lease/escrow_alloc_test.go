package lease

import (
	"reflect"
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

// lifeOf runs one account's whole life on a (opened in place): deposit,
// lease, top-up, run dry, and returns its effects.
func lifeOf(t *testing.T, a *Account, dseq uint64, eff *Effects) {
	t.Helper()
	id := market.DeploymentID{Owner: "tenant", DSeq: dseq}
	if err := a.Open(id, "uakt", 200, 10); err != nil {
		t.Fatal(err)
	}
	coin := money.Coin{Denom: "uakt", Amount: money.NewDec(1000)}
	if err := a.Deposit("tenant", coin, 10, eff); err != nil {
		t.Fatal(err)
	}
	lid := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: id, GSeq: 1}, OSeq: 1}, Provider: "provider"}
	if err := a.OpenLease(lid, money.Coin{Denom: "uakt", Amount: money.NewDec(3)}, 11, eff); err != nil {
		t.Fatal(err)
	}
	if err := a.Deposit("tenant", coin, 50, eff); err != nil {
		t.Fatal(err)
	}
	if err := a.Withdraw(lid, 60, eff); err != nil {
		t.Fatal(err)
	}
	if err := a.Settle(2000, eff); err != nil { // runs dry
		t.Fatal(err)
	}
	if a.State != StateClosed {
		t.Fatalf("account still %s after running dry", a.State)
	}
	if err := CheckConservation(a, a.Flows); err != nil {
		t.Fatal(err)
	}
}

// TestAccountOpenInPlace: an account reopened in place (Account.Open on a
// closed account) is NewAccount's, and its whole life (deposits, a lease,
// a withdrawal, running dry) decides the same effects as on a new account;
// with Terse effects and the slices grown, that life allocates nothing.
func TestAccountOpenInPlace(t *testing.T) {
	var fresh, reused Effects
	a := &Account{}
	lifeOf(t, a, 1, &Effects{})
	lifeOf(t, a, 2, &reused)
	b, err := NewAccount(market.DeploymentID{Owner: "tenant", DSeq: 2}, "uakt", 200, 10)
	if err != nil {
		t.Fatal(err)
	}
	lifeOf(t, b, 2, &fresh)
	if !reflect.DeepEqual(fresh, reused) {
		t.Errorf("a reopened account decided\n%+v\na new one\n%+v", reused, fresh)
	}
	if !reflect.DeepEqual(*a, *b) {
		t.Errorf("reopened account ends as\n%+v\na new one as\n%+v", *a, *b)
	}
	if err := a.Open(market.DeploymentID{}, "uakt", 200, 1); err == nil {
		t.Error("Open with no owner: no error")
	} else if a.ID.DSeq != 2 {
		t.Errorf("a failed Open changed the account (dseq %d)", a.ID.DSeq)
	}

	eff := Effects{Terse: true}
	dseq := uint64(2)
	allocs := testing.AllocsPerRun(100, func() {
		dseq++
		eff.Reset()
		lifeOf(t, a, dseq, &eff)
	})
	if allocs != 0 {
		t.Errorf("a recycled account's life allocates %v times; want 0", allocs)
	}
	if c := a.Closure; c.Reason != ReasonInsufficientFunds || c.Detail != "" {
		t.Errorf("terse run-dry closure %+v; want insufficient funds, no detail", c)
	}
	if c := b.Closure; c.Detail == "" {
		t.Error("run-dry closure without Terse has no detail")
	}
}
