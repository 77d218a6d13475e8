package lease_test

import (
	"errors"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

var (
	p1 = leaseID("prov-a", 1)
	p2 = leaseID("prov-b", 2)
)

type verb = func(*lease.Account, *lease.Effects) error

// TestSettlementRules: each row is a story; the final state is checked.
func TestSettlementRules(t *testing.T) {
	cases := []struct {
		name      string
		take      uint32
		steps     []verb
		balance   string
		accrued   map[market.LeaseID]string
		closedAt  int64 // 0: account still active
		reason    lease.CloseReason
		lastRefnd string // refunds in the last step
	}{
		{
			name:    "price x blocks since opening",
			steps:   []verb{deposit("tenant", "100", 0), open(p1, "1", 10), settle(20)},
			balance: "90", accrued: map[market.LeaseID]string{p1: "10"},
		},
		{
			name:    "each lease at its own price",
			steps:   []verb{deposit("tenant", "100", 0), open(p1, "1", 0), open(p2, "2.5", 0), settle(10)},
			balance: "65", accrued: map[market.LeaseID]string{p1: "10", p2: "25"},
		},
		{
			name:    "lease opened later pays only from its opening",
			steps:   []verb{deposit("tenant", "100", 0), open(p1, "1", 0), open(p2, "1", 5), settle(10)},
			balance: "85", accrued: map[market.LeaseID]string{p1: "10", p2: "5"},
		},
		{
			name:    "settle twice at one height pays once",
			steps:   []verb{deposit("tenant", "100", 0), open(p1, "1", 0), settle(10), settle(10)},
			balance: "90", accrued: map[market.LeaseID]string{p1: "10"},
		},
		{
			name:    "runs dry: whole blocks paid, closed at the exact block, remainder refunded",
			steps:   []verb{deposit("tenant", "10", 0), open(p1, "3", 0), settle(100)},
			balance: "0", accrued: map[market.LeaseID]string{p1: "0"},
			closedAt: 3, reason: lease.ReasonInsufficientFunds, lastRefnd: "1",
		},
		{
			name:    "runs dry with two leases: the sum of prices decides",
			steps:   []verb{deposit("tenant", "10", 0), open(p1, "1", 0), open(p2, "2", 0), settle(50)},
			balance: "0", closedAt: 3, reason: lease.ReasonInsufficientFunds, lastRefnd: "1",
		},
		{
			name:    "exactly empty is not yet dry",
			steps:   []verb{deposit("tenant", "9", 0), open(p1, "3", 0), settle(3)},
			balance: "0", accrued: map[market.LeaseID]string{p1: "9"},
		},
		{
			name:    "exactly empty, next block unpaid: closed at the last paid block",
			steps:   []verb{deposit("tenant", "9", 0), open(p1, "3", 0), settle(3), settle(4)},
			balance: "0", closedAt: 3, reason: lease.ReasonInsufficientFunds, lastRefnd: "0",
		},
		{
			name:    "top-up extends the run",
			steps:   []verb{deposit("tenant", "3", 0), open(p1, "1", 0), deposit("sponsor", "3", 2), settle(6)},
			balance: "0", accrued: map[market.LeaseID]string{p1: "6"},
		},
		{
			name:     "a top-up after the money ran out is too late",
			steps:    []verb{deposit("tenant", "3", 0), open(p1, "1", 0), settle(2), deposit("sponsor", "3", 9)},
			closedAt: 3, reason: lease.ReasonInsufficientFunds, balance: "0",
		},
		{
			name:    "sub-atto remainder: 1 atto short of a block is refunded, not lost",
			steps:   []verb{deposit("tenant", "0.999999999999999999", 0), open(p1, "0.5", 0), settle(2)},
			balance: "0", closedAt: 1, reason: lease.ReasonInsufficientFunds, lastRefnd: "0.499999999999999999",
		},
		{
			name:    "tenant closes the account: settled, paid out, rest refunded",
			steps:   []verb{deposit("tenant", "100", 0), open(p1, "1", 0), closeAccount(lease.ReasonTenantClosed, 30)},
			balance: "0", accrued: map[market.LeaseID]string{p1: "0"},
			closedAt: 30, reason: lease.ReasonTenantClosed, lastRefnd: "70",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newLedger(t, c.take, 0)
			for i, s := range c.steps {
				err := l.do(s)
				if err != nil && i != len(c.steps)-1 {
					t.Fatalf("step %d: %v", i, err)
				}
			}
			a := l.acc
			if c.balance != "" && !a.Balance.Equal(dec(c.balance)) {
				t.Errorf("balance = %s, want %s", a.Balance, c.balance)
			}
			for id, want := range c.accrued {
				p, _ := a.Payment(id)
				if !p.Accrued.Equal(dec(want)) {
					t.Errorf("accrued %s = %s, want %s", id.Provider, p.Accrued, want)
				}
			}
			if c.closedAt == 0 {
				if a.State != lease.StateActive {
					t.Fatalf("account closed at %d (%s), want active", a.ClosedAt, a.Closure)
				}
				return
			}
			if a.State != lease.StateClosed || a.ClosedAt != c.closedAt || a.Closure.Reason != c.reason {
				t.Fatalf("account %s at %d (%s), want closed at %d (%s)", a.State, a.ClosedAt, a.Closure, c.closedAt, c.reason)
			}
			for _, p := range a.Payments {
				if p.Lease.ClosedAt != c.closedAt || p.Lease.Closure.Reason != c.reason {
					t.Errorf("lease %s closed at %d (%s), want %d (%s)", p.Lease.ID.Provider, p.Lease.ClosedAt, p.Lease.Closure, c.closedAt, c.reason)
				}
			}
			if c.lastRefnd != "" {
				if got := paid(&l.eff, lease.WhyRefund, ""); !got.Equal(dec(c.lastRefnd)) {
					t.Errorf("refunded %s, want %s", got, c.lastRefnd)
				}
			}
		})
	}
}

func TestDryHeight(t *testing.T) {
	cases := []struct {
		name   string
		steps  []verb
		want   int64
		wantOK bool
	}{
		{"no lease never runs dry", []verb{deposit("tenant", "10", 0)}, 0, false},
		{"balance / rate whole blocks after settled-to", []verb{deposit("tenant", "10", 0), open(p1, "3", 5)}, 8, true},
		{"two leases", []verb{deposit("tenant", "10", 0), open(p1, "1", 0), open(p2, "1", 0), settle(2)}, 5, true},
		{"balance below one block: dry now", []verb{deposit("tenant", "1", 0), open(p1, "3", 4)}, 4, true},
		{"closed account", []verb{deposit("tenant", "10", 0), closeAccount(lease.ReasonTenantClosed, 1)}, 0, false},
		{"huge balance saturates", []verb{deposit("tenant", "100000000000000000000000000000000000000000", 0), open(p1, "0.000000000000000001", 0)}, 1<<63 - 1, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newLedger(t, 0, 0)
			for _, s := range c.steps {
				l.must(s)
			}
			got, ok := l.acc.DryHeight()
			if got != c.want || ok != c.wantOK {
				t.Fatalf("DryHeight = %d, %v; want %d, %v", got, ok, c.want, c.wantOK)
			}
		})
	}
}

func TestWithdrawTakeRate(t *testing.T) {
	cases := []struct {
		name           string
		take           uint32
		price          string
		blocks         int64
		provider, pool string
	}{
		{"no take", 0, "1", 10, "10", "0"},
		{"20 percent", 2000, "1", 10, "8", "2"},
		{"take rounds down, provider gets the atto", 2000, "0.000000000000000001", 1, "0.000000000000000001", "0"},
		{"take of 3 attos at 50 percent", 5000, "0.000000000000000003", 1, "0.000000000000000002", "0.000000000000000001"},
		{"all to pool", 10000, "1", 5, "0", "5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newLedger(t, c.take, 0)
			l.must(deposit("tenant", "1000", 0))
			l.must(open(p1, c.price, 0))
			l.must(withdraw(p1, c.blocks))
			if got := paid(&l.eff, lease.WhyWithdraw, "prov-a"); !got.Equal(dec(c.provider)) {
				t.Errorf("provider got %s, want %s", got, c.provider)
			}
			if got := paid(&l.eff, lease.WhyTake, ""); !got.Equal(dec(c.pool)) {
				t.Errorf("pool got %s, want %s", got, c.pool)
			}
			// A second withdrawal at the same height finds nothing.
			l.must(withdraw(p1, c.blocks))
			if n := len(l.eff.Transfers); n != 0 {
				t.Errorf("second withdraw moved %d transfers", n)
			}
		})
	}
}

// TestRefundFirstInFirstOut: deposits are spent oldest first; each depositor
// is refunded what is left of its own deposits.
func TestRefundFirstInFirstOut(t *testing.T) {
	cases := []struct {
		name   string
		spend  int64 // blocks at 1/block
		refund map[string]string
	}{
		{"nothing spent", 0, map[string]string{"tenant": "10", "sponsor": "5", "friend": "1"}},
		{"first partly spent", 4, map[string]string{"tenant": "6", "sponsor": "5", "friend": "1"}},
		{"first spent exactly", 10, map[string]string{"tenant": "0", "sponsor": "5", "friend": "1"}},
		{"into the second", 12, map[string]string{"tenant": "0", "sponsor": "3", "friend": "1"}},
		{"all spent", 16, map[string]string{"tenant": "0", "sponsor": "0", "friend": "0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newLedger(t, 0, 0)
			l.must(deposit("tenant", "4", 0))
			l.must(deposit("tenant", "6", 0)) // merges with the one before
			l.must(deposit("sponsor", "5", 0))
			l.must(deposit("friend", "1", 0))
			if n := len(l.acc.Deposits); n != 3 {
				t.Fatalf("%d deposit entries, want 3 (consecutive deposits merge)", n)
			}
			l.must(open(p1, "1", 0))
			l.must(closeAccount(lease.ReasonTenantClosed, c.spend))
			for who, want := range c.refund {
				if got := paid(&l.eff, lease.WhyRefund, who); !got.Equal(dec(want)) {
					t.Errorf("%s refunded %s, want %s", who, got, want)
				}
			}
		})
	}
}

func TestVerbErrors(t *testing.T) {
	other := leaseID("prov-a", 1)
	other.DSeq = 99
	cases := []struct {
		name string
		v    verb
		want error
	}{
		{"deposit other denom", func(a *lease.Account, e *lease.Effects) error {
			return a.Deposit("tenant", money.Coin{Denom: "uatom", Amount: dec("1")}, 1, e)
		}, lease.ErrDenomMismatch},
		{"deposit zero", deposit("tenant", "0", 1), lease.ErrZeroAmount},
		{"deposit no depositor", deposit("", "1", 1), lease.ErrBadAddress},
		{"deposit in the past", deposit("tenant", "1", 1), lease.ErrHeightInPast},
		{"settle in the past", settle(2), lease.ErrHeightInPast},
		{"lease twice", open(p1, "1", 5), lease.ErrLeaseExists},
		{"lease of another deployment", open(other, "1", 5), lease.ErrWrongDeployment},
		{"lease at zero price", open(p2, "0", 5), lease.ErrZeroAmount},
		{"close without reason", closeLease(p1, lease.ReasonNone, 5), lease.ErrNoReason},
		{"close claiming insufficient funds", closeLease(p1, lease.ReasonInsufficientFunds, 5), lease.ErrReservedReason},
		{"close unknown lease", closeLease(p2, lease.ReasonTenantClosed, 5), lease.ErrLeaseNotFound},
		{"withdraw unknown lease", withdraw(p2, 5), lease.ErrLeaseNotFound},
		{"close account without reason", closeAccount(lease.CloseReason(200), 5), lease.ErrNoReason},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newLedger(t, 0, 0)
			l.must(deposit("tenant", "100", 0))
			l.must(open(p1, "1", 3))
			before := *l.acc
			err := l.do(c.v)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if l.acc.SettledTo != before.SettledTo || !l.acc.Balance.Equal(before.Balance) || len(l.eff.Transfers) != 0 {
				t.Errorf("a refused verb changed the account")
			}
		})
	}
	t.Run("closed lease cannot close again", func(t *testing.T) {
		l := newLedger(t, 0, 0)
		l.must(deposit("tenant", "100", 0))
		l.must(open(p1, "1", 0))
		l.must(closeLease(p1, lease.ReasonProviderFault, 4))
		if err := l.do(closeLease(p1, lease.ReasonTenantClosed, 5)); !errors.Is(err, lease.ErrLeaseClosed) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("closed account refuses everything", func(t *testing.T) {
		l := newLedger(t, 0, 0)
		l.must(deposit("tenant", "100", 0))
		l.must(closeAccount(lease.ReasonTenantClosed, 1))
		for _, v := range []verb{deposit("tenant", "1", 2), settle(2), open(p1, "1", 2), closeAccount(lease.ReasonTenantClosed, 2)} {
			if err := l.do(v); !errors.Is(err, lease.ErrAccountClosed) {
				t.Errorf("err = %v, want ErrAccountClosed", err)
			}
		}
	})
	t.Run("bad account parameters", func(t *testing.T) {
		if _, err := lease.NewAccount(dep, denom, 10001, 0); !errors.Is(err, lease.ErrBasisPoints) {
			t.Errorf("take 10001: %v", err)
		}
		if _, err := lease.NewAccount(market.DeploymentID{}, denom, 0, 0); !errors.Is(err, lease.ErrBadAddress) {
			t.Errorf("no owner: %v", err)
		}
		if _, err := lease.NewAccount(dep, "x", 0, 0); !errors.Is(err, lease.ErrDenomMismatch) {
			t.Errorf("bad denom: %v", err)
		}
	})
}

// A close that comes after the money ran out reports the truth: the lease
// closed for insufficient funds at the dry height, not for the asked reason.
func TestCloseAfterDryReportsInsufficientFunds(t *testing.T) {
	l := newLedger(t, 0, 0)
	l.must(deposit("tenant", "5", 0))
	l.must(open(p1, "1", 0))
	err := l.do(closeLease(p1, lease.ReasonTenantClosed, 9))
	if !errors.Is(err, lease.ErrLeaseClosed) {
		t.Fatalf("err = %v, want ErrLeaseClosed", err)
	}
	if len(l.eff.Closed) != 1 || l.eff.Closed[0].ClosedAt != 5 || l.eff.Closed[0].Closure.Reason != lease.ReasonInsufficientFunds {
		t.Fatalf("closed = %+v", l.eff.Closed)
	}
}

// Closing one lease leaves the account and the other leases running.
func TestCloseOneLease(t *testing.T) {
	l := newLedger(t, 1000, 0)
	l.must(deposit("tenant", "100", 0))
	l.must(open(p1, "1", 0))
	l.must(open(p2, "2", 0))
	l.must(closeLease(p1, lease.ReasonProviderClosed, 10))
	if got := paid(&l.eff, lease.WhyWithdraw, "prov-a"); !got.Equal(dec("9")) {
		t.Errorf("closing paid provider %s, want 9 (10 minus 10%% take)", got)
	}
	if l.acc.State != lease.StateActive || l.acc.Active != 1 || !l.acc.Rate.Equal(dec("2")) {
		t.Fatalf("account %s active=%d rate=%s", l.acc.State, l.acc.Active, l.acc.Rate)
	}
	l.must(settle(20))
	p, _ := l.acc.Payment(p1)
	q, _ := l.acc.Payment(p2)
	if !p.Accrued.IsZero() || !q.Accrued.Equal(dec("40")) {
		t.Errorf("after close: p1 accrued %s, p2 accrued %s", p.Accrued, q.Accrued)
	}
}
