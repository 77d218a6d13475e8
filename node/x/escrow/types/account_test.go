package types_test

import (
	"reflect"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/x/escrow/types"
)

// busyAccount runs core verbs so every field of the account is non-zero.
func busyAccount(t testing.TB) *lease.Account {
	id := market.DeploymentID{Owner: "akash1tenant", DSeq: 9}
	a, err := lease.NewAccount(id, "uakt", 200, 10)
	if err != nil {
		t.Fatal(err)
	}
	var eff lease.Effects
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	coin := func(s string) money.Coin { return money.Coin{Denom: "uakt", Amount: money.MustParseDec(s)} }
	must(a.Deposit("akash1tenant", coin("1000"), 10, &eff))
	must(a.Deposit("akash1friend", coin("7"), 11, &eff))
	l1 := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: id, GSeq: 1}, OSeq: 1}, Provider: "akash1p1"}
	l2 := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: id, GSeq: 2}, OSeq: 3}, Provider: "akash1p2"}
	must(a.OpenLease(l1, coin("1.25"), 12, &eff))
	must(a.OpenLease(l2, coin("0.000000000000000003"), 12, &eff))
	must(a.Withdraw(l1, 20, &eff))
	must(a.CloseLease(l2, lease.Closure{Reason: lease.ReasonProviderClosed, Detail: "maintenance"}, 25, &eff))
	return a
}

func TestAccountRoundTrip(t *testing.T) {
	a := busyAccount(t)
	s := types.AccountFromCore(a)
	bz, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var wire types.Account
	if err := wire.Unmarshal(bz); err != nil {
		t.Fatal(err)
	}
	back, err := wire.ToCore()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, back) {
		t.Fatalf("round trip differs:\n%+v\n%+v", a, back)
	}
	if err := lease.CheckConservation(back, back.Flows); err != nil {
		t.Fatal(err)
	}
	// Closed accounts keep their reason.
	var eff lease.Effects
	if err := a.CloseAccount(lease.Closure{Reason: lease.ReasonTenantClosed, Detail: "done"}, 30, &eff); err != nil {
		t.Fatal(err)
	}
	back, err = types.AccountFromCore(a).ToCore()
	if err != nil || !reflect.DeepEqual(a, back) {
		t.Fatalf("closed round trip: %v", err)
	}
}

func TestToCoreRejects(t *testing.T) {
	good := types.AccountFromCore(busyAccount(t))
	for name, edit := range map[string]func(*types.Account){
		"balance":      func(s *types.Account) { s.Balance = "-1" },
		"state":        func(s *types.Account) { s.State = 7 },
		"reason":       func(s *types.Account) { s.CloseReason = "bored" },
		"payment":      func(s *types.Account) { s.Payments[0].Accrued = "x" },
		"payment enum": func(s *types.Account) { s.Payments[1].State = 0 },
		"take rate":    func(s *types.Account) { s.TakeRateBps = 10_001 },
	} {
		s := good
		s.Payments = append([]types.Payment(nil), good.Payments...)
		edit(&s)
		if _, err := s.ToCore(); err == nil {
			t.Errorf("%s: corrupted account accepted", name)
		}
	}
}

// FuzzAccount decodes arbitrary bytes as a stored account: ToCore must not
// panic, and what it accepts must store and load back unchanged.
func FuzzAccount(f *testing.F) {
	bz, err := func() ([]byte, error) { s := types.AccountFromCore(busyAccount(f)); return s.Marshal() }()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bz)
	f.Fuzz(func(t *testing.T, bz []byte) {
		var s types.Account
		if err := s.Unmarshal(bz); err != nil {
			return
		}
		a, err := s.ToCore()
		if err != nil {
			return
		}
		_ = lease.CheckConservation(a, a.Flows)
		b, err := types.AccountFromCore(a).ToCore()
		if err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("accepted account does not round trip: %v", err)
		}
	})
}
