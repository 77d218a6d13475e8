package lease_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"pgregory.net/rapid"
)

// escrowModel drives random operations against a sequence of accounts (a
// new one whenever the current one closes) and checks, after every
// operation, conservation from the applied transfers and the exactness of
// run-dry closes.
type escrowModel struct {
	t      fataler
	acc    *lease.Account
	flows  lease.Flows
	eff    lease.Effects
	height int64
	dseq   uint64
	nLease uint32
	ops    int
	// coverage counters, logged so a run that stopped exercising a path shows
	refused int
	closed  [8]int
	// totals across every account of the run, from transfers only
	in, out money.Dec
}

// fataler is what both *testing.T and *rapid.T offer.
type fataler interface {
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

var depositors = []string{"tenant", "sponsor", "friend"}
var providers = []string{"prov-a", "prov-b", "prov-c", "prov-d"}

func (m *escrowModel) newAccount(take uint32) {
	m.dseq++
	a, err := lease.NewAccount(market.DeploymentID{Owner: "tenant", DSeq: m.dseq}, denom, take, m.height)
	if err != nil {
		m.t.Fatal(err)
	}
	m.acc, m.flows, m.nLease = a, lease.Flows{}, 0
}

// amount draws an amount with real fractional digits, from 1 atto up.
func amount(atto uint64, whole uint64) money.Dec {
	d, _ := money.NewDec(whole).Add(money.NewDecFromAtto(atto))
	if d.IsZero() {
		return money.NewDecFromAtto(1)
	}
	return d
}

// step applies operation op (0..7) with the raw draws in x.
func (m *escrowModel) step(op int, x [4]uint64) {
	a := m.acc
	m.eff.Reset()
	predicted, dryOK := a.DryHeight()
	var h int64
	var err error
	pick := func() market.LeaseID {
		if len(a.Payments) == 0 {
			return market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: a.ID, GSeq: 1}, OSeq: 1}, Provider: "nobody"}
		}
		return a.Payments[x[2]%uint64(len(a.Payments))].Lease.ID
	}
	switch op {
	case 0, 1: // deposit or top-up
		h = m.height + int64(x[0]%4)
		err = a.Deposit(depositors[x[1]%3], money.Coin{Denom: denom, Amount: amount(x[2]%1e18, x[3]%200)}, h, &m.eff)
	case 2: // open a lease
		m.nLease++
		id := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: a.ID, GSeq: m.nLease}, OSeq: 1}, Provider: providers[x[1]%4]}
		h = m.height + int64(x[0]%3)
		err = a.OpenLease(id, money.Coin{Denom: denom, Amount: amount(x[2]%1e18, x[3]%3)}, h, &m.eff)
	case 3, 4: // settle at a random later height (sometimes far: runs dry)
		h = m.height + int64(x[0]%20)
		if x[1]%16 == 0 {
			h += int64(x[2] % 500)
		}
		err = a.Settle(h, &m.eff)
	case 5: // provider withdraws
		h = m.height + int64(x[0]%5)
		err = a.Withdraw(pick(), h, &m.eff)
	case 6: // close a lease for a random caller-side reason
		reasons := []lease.CloseReason{lease.ReasonTenantClosed, lease.ReasonProviderClosed, lease.ReasonProviderFault, lease.ReasonManifestTimeout, lease.ReasonDeploymentClosed}
		h = m.height + int64(x[0]%5)
		err = a.CloseLease(pick(), lease.Closure{Reason: reasons[x[1]%5]}, h, &m.eff)
	case 7: // close the account
		h = m.height + int64(x[0]%5)
		if x[1]%16 == 0 {
			err = a.CloseAccount(lease.Closure{Reason: lease.ReasonTenantClosed}, h, &m.eff)
		} else {
			err = a.Settle(h, &m.eff)
		}
	}
	m.ops++
	if err != nil { // refused operations are fine; they must still conserve
		m.refused++
	}
	for _, c := range m.eff.Closed {
		m.closed[c.Closure.Reason]++
	}
	for _, tr := range m.eff.Transfers {
		if e := m.flows.Record(tr); e != nil {
			m.t.Fatal(e)
		}
		switch tr.Why {
		case lease.WhyDeposit:
			m.in, _ = m.in.Add(tr.Coin.Amount)
		case lease.WhyWithdraw, lease.WhyTake, lease.WhyRefund:
			m.out, _ = m.out.Add(tr.Coin.Amount)
		}
	}
	if e := lease.CheckConservation(a, m.flows); e != nil {
		m.t.Fatalf("op %d (kind %d, height %d, err %v): %v", m.ops, op, h, err, e)
	}
	// Every close has a reason; a run-dry close is at the predicted height.
	for _, c := range m.eff.Closed {
		if !c.Closure.Reason.Valid() {
			m.t.Fatalf("op %d: lease %s closed without reason", m.ops, c.ID)
		}
		if c.Closure.Reason == lease.ReasonInsufficientFunds {
			if !dryOK || c.ClosedAt != predicted || predicted >= h {
				m.t.Fatalf("op %d: lease %s ran dry at %d; DryHeight predicted %d (ok=%v) before settling to %d", m.ops, c.ID, c.ClosedAt, predicted, dryOK, h)
			}
		}
	}
	if dryOK && predicted < h && err == nil && a.State == lease.StateActive && a.Active > 0 {
		m.t.Fatalf("op %d: account predicted dry at %d, settled to %d, still running", m.ops, predicted, h)
	}
	if h > m.height && err == nil {
		m.height = h
	}
	if a.State == lease.StateClosed {
		m.height = max(m.height, a.ClosedAt)
		m.newAccount(uint32(x[3] % 10_001))
	}
}

// held is what the current account holds (all earlier ones are closed and empty).
func (m *escrowModel) checkGlobal() {
	held := m.acc.Held()
	sum, _ := m.out.Add(held)
	if !sum.Equal(m.in) {
		m.t.Fatalf("across accounts: in %s != out %s + held %s", m.in, m.out, held)
	}
}

// TestConservationRapid: 100 rapid cases × 1000 operations = 10^5 random
// escrow operations, shrunk to a minimal failing sequence on failure.
func TestConservationRapid(t *testing.T) {
	total := 0
	rapid.Check(t, func(rt *rapid.T) {
		m := &escrowModel{t: rt}
		m.newAccount(rapid.Uint32Range(0, 10_000).Draw(rt, "take"))
		u := rapid.Uint64()
		for i := 0; i < 1000; i++ {
			op := rapid.IntRange(0, 7).Draw(rt, "op")
			m.step(op, [4]uint64{u.Draw(rt, "a"), u.Draw(rt, "b"), u.Draw(rt, "c"), u.Draw(rt, "d")})
		}
		m.checkGlobal()
		total += m.ops
	})
	if total < 100_000 && !testing.Short() {
		t.Fatalf("ran %d operations, want at least 10^5 (run with the default -rapid.checks=100)", total)
	}
}

// TestConservationLongRun: one seeded stream of 10^5 operations in a row,
// so long-lived accounts with many deposits and leases are covered too.
func TestConservationLongRun(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 0xe5c0))
			m := &escrowModel{t: t}
			m.newAccount(250)
			for range 100_000 {
				m.step(r.IntN(8), [4]uint64{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()})
			}
			m.checkGlobal()
			t.Logf("seed %d: %d ops (%d refused), %d accounts, final height %d, closes by reason %v",
				seed, m.ops, m.refused, m.dseq, m.height, m.closed)
			if m.closed[lease.ReasonInsufficientFunds] == 0 || m.closed[lease.ReasonTenantClosed] == 0 {
				t.Fatal("the run never ran an account dry or never closed one: the generator lost coverage")
			}
		})
	}
}
