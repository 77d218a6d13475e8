package lease_test

import (
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

const denom = "uakt"

var dep = market.DeploymentID{Owner: "tenant", DSeq: 7}

func leaseID(provider string, gseq uint32) market.LeaseID {
	return market.LeaseID{
		OrderID:  market.OrderID{GroupID: market.GroupID{DeploymentID: dep, GSeq: gseq}, OSeq: 1},
		Provider: provider,
	}
}

func uakt(s string) money.Coin { return money.Coin{Denom: denom, Amount: money.MustParseDec(s)} }
func dec(s string) money.Dec   { return money.MustParseDec(s) }

// ledger applies an account's effects the way a caller would and checks
// conservation after every verb.
type ledger struct {
	t     testing.TB
	acc   *lease.Account
	flows lease.Flows
	eff   lease.Effects
}

func newLedger(t testing.TB, takeBPS uint32, height int64) *ledger {
	t.Helper()
	a, err := lease.NewAccount(dep, denom, takeBPS, height)
	if err != nil {
		t.Fatal(err)
	}
	return &ledger{t: t, acc: a}
}

// do runs one verb, records its transfers and checks conservation.
func (l *ledger) do(f func(a *lease.Account, eff *lease.Effects) error) error {
	l.t.Helper()
	l.eff.Reset()
	err := f(l.acc, &l.eff)
	for _, tr := range l.eff.Transfers {
		if e := l.flows.Record(tr); e != nil {
			l.t.Fatal(e)
		}
	}
	if e := lease.CheckConservation(l.acc, l.flows); e != nil {
		l.t.Fatalf("after verb (err=%v): %v", err, e)
	}
	return err
}

func (l *ledger) must(f func(a *lease.Account, eff *lease.Effects) error) {
	l.t.Helper()
	if err := l.do(f); err != nil {
		l.t.Fatal(err)
	}
}

func deposit(who, amt string, h int64) func(*lease.Account, *lease.Effects) error {
	return func(a *lease.Account, eff *lease.Effects) error { return a.Deposit(who, uakt(amt), h, eff) }
}
func open(id market.LeaseID, price string, h int64) func(*lease.Account, *lease.Effects) error {
	return func(a *lease.Account, eff *lease.Effects) error { return a.OpenLease(id, uakt(price), h, eff) }
}
func settle(h int64) func(*lease.Account, *lease.Effects) error {
	return func(a *lease.Account, eff *lease.Effects) error { return a.Settle(h, eff) }
}
func withdraw(id market.LeaseID, h int64) func(*lease.Account, *lease.Effects) error {
	return func(a *lease.Account, eff *lease.Effects) error { return a.Withdraw(id, h, eff) }
}
func closeLease(id market.LeaseID, r lease.CloseReason, h int64) func(*lease.Account, *lease.Effects) error {
	return func(a *lease.Account, eff *lease.Effects) error {
		return a.CloseLease(id, lease.Closure{Reason: r, Detail: "test"}, h, eff)
	}
}
func closeAccount(r lease.CloseReason, h int64) func(*lease.Account, *lease.Effects) error {
	return func(a *lease.Account, eff *lease.Effects) error {
		return a.CloseAccount(lease.Closure{Reason: r, Detail: "test"}, h, eff)
	}
}

// paid sums the transfers of one kind to one address in the last verb.
func paid(eff *lease.Effects, why lease.Why, addr string) money.Dec {
	var s money.Dec
	for _, t := range eff.Transfers {
		if t.Why == why && (addr == "" || t.To.Addr == addr) {
			s, _ = s.Add(t.Coin.Amount)
		}
	}
	return s
}
