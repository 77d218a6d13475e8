package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/escrow/keeper"
	"github.com/akash-market/akash/node/x/escrow/types"
)

// The escrow keeper's verbs on the real app (node/apptest), one table: each
// case runs against the same committed state (an account of 1,000,000 uakt
// with one lease at 1,000 uakt per block) in a context it throws away, so
// cases do not see each other.

const (
	startBal = int64(100_000_000_000)
	deposit  = int64(1_000_000)
	perBlock = int64(1_000)
)

type escrowWorld struct {
	c                     *apptest.Chain
	tenant, provider, pal apptest.Account
	id                    market.DeploymentID
	lid                   market.LeaseID
	opened                int64
}

func newEscrowWorld(t *testing.T) *escrowWorld {
	c := apptest.NewChain(t, 4, startBal)
	w := &escrowWorld{c: c, tenant: c.Accounts[1], provider: c.Accounts[2], pal: c.Accounts[3]}
	w.id = market.DeploymentID{Owner: w.tenant.String(), DSeq: 3}
	w.lid = market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: w.id, GSeq: 1}, OSeq: 1}, Provider: w.provider.String()}
	ek := c.EscrowKeeper()
	c.InBlock(func(ctx sdk.Context) error {
		return ek.OpenAccount(ctx, w.id, w.tenant.String(), sdk.NewInt64Coin("uakt", deposit))
	})
	c.InBlock(func(ctx sdk.Context) error {
		w.opened = ctx.BlockHeight()
		return ek.OpenLease(ctx, w.lid, sdk.NewInt64DecCoin("uakt", perBlock))
	})
	return w
}

func TestEscrowKeeper(t *testing.T) {
	w := newEscrowWorld(t)
	c := w.c
	ek := c.EscrowKeeper()
	other := market.DeploymentID{Owner: w.tenant.String(), DSeq: 99}
	otherLease := w.lid
	otherLease.Provider = w.pal.String()
	uakt := func(n int64) sdk.Coin { return sdk.NewInt64Coin("uakt", n) }

	for _, tc := range []struct {
		name string
		do   func(k keeper.Keeper, ctx sdk.Context) error
		err  error
		// check runs after a successful do, on the same context.
		check func(t *testing.T, ctx sdk.Context, a lease.Account)
	}{
		{name: "a second account for the deployment", err: types.ErrAccountExists,
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				return k.OpenAccount(ctx, w.id, w.tenant.String(), uakt(5))
			}},
		{name: "an owner that is not an address", err: types.ErrInvalidRequest,
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				return k.OpenAccount(ctx, market.DeploymentID{Owner: "bob", DSeq: 1}, w.tenant.String(), uakt(5))
			}},
		{name: "a depositor that is not an address", err: types.ErrInvalidRequest,
			do: func(k keeper.Keeper, ctx sdk.Context) error { return k.Deposit(ctx, w.id, "bob", uakt(5)) }},
		{name: "a deposit to no account", err: types.ErrAccountNotFound,
			do: func(k keeper.Keeper, ctx sdk.Context) error { return k.Deposit(ctx, other, w.pal.String(), uakt(5)) }},
		{name: "a deposit in another denomination", err: types.ErrCore,
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				return k.Deposit(ctx, w.id, w.pal.String(), sdk.NewInt64Coin("stake", 5))
			}},
		{name: "a deposit larger than the depositor holds", err: types.ErrBank,
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				return k.Deposit(ctx, w.id, w.pal.String(), uakt(startBal+1))
			}},
		{name: "anyone may fund an account",
			do: func(k keeper.Keeper, ctx sdk.Context) error { return k.Deposit(ctx, w.id, w.pal.String(), uakt(500)) },
			check: func(t *testing.T, ctx sdk.Context, a lease.Account) {
				if got := c.App.BankKeeper.GetBalance(ctx, w.pal.Addr, "uakt").Amount; !got.Equal(math.NewInt(startBal - 500)) {
					t.Errorf("the funder holds %s, want %d", got, startBal-500)
				}
			}},
		{name: "a lease on no account", err: types.ErrAccountNotFound,
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				l := w.lid
				l.DeploymentID = other
				return k.OpenLease(ctx, l, sdk.NewInt64DecCoin("uakt", 1))
			}},
		{name: "a lease priced in another denomination", err: types.ErrCore,
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				return k.OpenLease(ctx, otherLease, sdk.NewInt64DecCoin("stake", 1))
			}},
		{name: "a lease whose provider is not an address", err: types.ErrInvalidRequest,
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				l := w.lid
				l.Provider = "carol"
				return k.OpenLease(ctx, l, sdk.NewInt64DecCoin("uakt", 1))
			}},
		{name: "the same lease twice", err: types.ErrCore,
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				return k.OpenLease(ctx, w.lid, sdk.NewInt64DecCoin("uakt", 1))
			}},
		{name: "a withdrawal by a lease the account does not hold", err: types.ErrCore,
			do: func(k keeper.Keeper, ctx sdk.Context) error { return k.Withdraw(ctx, otherLease) }},
		{name: "a withdrawal pays the provider what accrued, less the take",
			do: func(k keeper.Keeper, ctx sdk.Context) error { return k.Withdraw(ctx, w.lid) },
			check: func(t *testing.T, ctx sdk.Context, a lease.Account) {
				p, err := ek.Params.Get(ctx)
				if err != nil {
					t.Fatal(err)
				}
				blocks := ctx.BlockHeight() - w.opened
				gross := blocks * perBlock
				want := gross - gross*int64(p.TakeRateBps)/10_000
				got := c.App.BankKeeper.GetBalance(ctx, w.provider.Addr, "uakt").Amount.Int64() - startBal
				if got != want || a.Balance.IsZero() {
					t.Errorf("provider got %d for %d blocks at %d with a take of %d bps; want %d", got, blocks, perBlock, p.TakeRateBps, want)
				}
			}},
		{name: "closing the lease stops its payments",
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				return k.CloseLease(ctx, w.lid, lease.Closure{Reason: lease.ReasonTenantClosed})
			},
			check: func(t *testing.T, ctx sdk.Context, a lease.Account) {
				if a.State != lease.StateActive {
					t.Errorf("the account is %s after its lease closed; want it open for new leases", a.State)
				}
			}},
		{name: "closing the account refunds the rest to the depositor",
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				return k.CloseAccount(ctx, w.id, lease.Closure{Reason: lease.ReasonTenantClosed})
			},
			check: func(t *testing.T, ctx sdk.Context, a lease.Account) {
				if a.State != lease.StateClosed || a.Closure.Reason != lease.ReasonTenantClosed {
					t.Errorf("account %s (%s); want closed by its tenant", a.State, a.Closure)
				}
				paid := (ctx.BlockHeight() - w.opened) * perBlock
				if got := c.App.BankKeeper.GetBalance(ctx, w.tenant.Addr, "uakt").Amount.Int64(); got != startBal-paid {
					t.Errorf("tenant holds %d after the refund; want %d (paid %d)", got, startBal-paid, paid)
				}
			}},
		{name: "a closed account takes no deposit", err: types.ErrCore,
			do: func(k keeper.Keeper, ctx sdk.Context) error {
				if err := k.CloseAccount(ctx, w.id, lease.Closure{Reason: lease.ReasonTenantClosed}); err != nil {
					return err
				}
				return k.Deposit(ctx, w.id, w.pal.String(), uakt(5))
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := c.Scratch(w.opened + 10)
			err := tc.do(ek, ctx)
			if apptest.Refused(t, err, tc.err) {
				return
			}
			if msg, broken := ek.CheckModuleBalance(ctx); broken {
				t.Fatal(msg)
			}
			if msg, broken := ek.CheckConservation(ctx); broken {
				t.Fatal(msg)
			}
			if tc.check != nil {
				a, err := ek.Account(ctx, w.id)
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, ctx, a)
			}
		})
	}
	// The table ran in thrown-away contexts: the committed account is as set up.
	a, err := ek.Account(c.Ctx(), w.id)
	if err != nil || a.State != lease.StateActive {
		t.Fatalf("committed account: %v %v", a.State, err)
	}
}
