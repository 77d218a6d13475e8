package keeper_test

import (
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"

	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/deployment/types"
)

// grantWorld: a tenant, its management key and another key, on the real app.
type grantWorld struct {
	c                      *apptest.Chain
	tenant, manager, other apptest.Account
	manageURL              string
}

func newGrantWorld(t *testing.T) *grantWorld {
	c := apptest.NewChain(t, 4, 100_000_000_000)
	return &grantWorld{c: c, tenant: c.Accounts[1], manager: c.Accounts[2], other: c.Accounts[3],
		manageURL: sdk.MsgTypeURL(&types.MsgManageDeployment{})}
}

func (w *grantWorld) bal(a sdk.AccAddress) int64 { return w.c.Balance(a, denom).Int64() }

func named(name string, g types.GroupSpec) types.GroupSpec { g.Name = name; return g }

func regionSpec(region, price string) types.GroupSpec {
	g := spec(price)
	if region != "" {
		g.Requirements.Attributes = []types.Attribute{{Key: types.RegionKey, Value: region}}
	}
	return g
}

func (w *grantWorld) grant(to apptest.Account, a *types.ManageDeploymentsAuthorization, exp *time.Time) {
	w.c.T.Helper()
	msg, err := authz.NewMsgGrant(w.tenant.Addr, to.Addr, a, exp)
	if err != nil {
		w.c.T.Fatal(err)
	}
	w.c.MustDeliver(w.tenant, msg)
}

// exec sends one management action through the grant, as `manage run` does.
func (w *grantWorld) exec(by apptest.Account, m *types.MsgManageDeployment) (code uint32, log string) {
	w.c.T.Helper()
	m.Owner = w.tenant.String()
	exec := authz.NewMsgExec(by.Addr, []sdk.Msg{m})
	r := w.c.Deliver(by, &exec)
	return r.Code, r.Log
}

func (w *grantWorld) create(dseq uint64, deposit int64, groups ...types.GroupSpec) *types.MsgManageDeployment {
	return &types.MsgManageDeployment{Create: &types.MsgCreateDeployment{Owner: w.tenant.String(), Dseq: dseq, Groups: groups,
		Version: version("v1"), Deposit: sdk.NewInt64Coin(denom, deposit)}}
}

func (w *grantWorld) deposit(dseq uint64, amount int64) *types.MsgManageDeployment {
	return &types.MsgManageDeployment{Deposit: &types.MsgDepositDeployment{Owner: w.tenant.String(), Dseq: dseq,
		Amount: sdk.NewInt64Coin(denom, amount), Depositor: w.tenant.String()}}
}

func (w *grantWorld) close(dseq uint64) *types.MsgManageDeployment {
	return &types.MsgManageDeployment{Close: &types.MsgCloseDeployment{Owner: w.tenant.String(), Dseq: dseq}}
}

func (w *grantWorld) authorization(of apptest.Account) *types.ManageDeploymentsAuthorization {
	w.c.T.Helper()
	a, _ := w.c.App.AuthzKeeper.GetAuthorization(w.c.Ctx(), of.Addr, w.tenant.Addr, w.manageURL)
	if a == nil {
		return nil
	}
	return a.(*types.ManageDeploymentsAuthorization)
}

// TestManageGrantLimits: every bound of the grant refuses the message that
// would cross it, naming the limit; what is inside passes and the spend is
// counted to the unit (the tenant's balance falls by exactly the deposits).
func TestManageGrantLimits(t *testing.T) {
	w := newGrantWorld(t)
	c := w.c
	exp := c.Ctx().BlockTime().Add(time.Hour)
	w.grant(w.manager, types.NewManageDeploymentsAuthorization(nil, sdk.NewInt64Coin(denom, 20_000_000),
		sdk.NewDecCoin(denom, math.NewInt(200)), 2, []string{"us-east", "eu-west"}), &exp)
	// A deployment the tenant made itself, not under the grant.
	c.MustDeliver(w.tenant, &types.MsgCreateDeployment{Owner: w.tenant.String(), Dseq: 99,
		Groups: []types.GroupSpec{spec("1")}, Version: version("own"), Deposit: sdk.NewInt64Coin(denom, 5_000_000)})
	start := w.bal(w.tenant.Addr)

	steps := []struct {
		name  string
		msg   *types.MsgManageDeployment
		limit string // "" = accepted
	}{
		{"create in us-east", w.create(1, 5_000_000, regionSpec("us-east", "100")), ""},
		{"a region outside the grant", w.create(2, 5_000_000, regionSpec("ap-south", "100")), "regions: groups[0] (web) requires region=ap-south"},
		{"no region at all", w.create(2, 5_000_000, regionSpec("", "100")), "regions: groups[0] (web) requires no region attribute"},
		{"a group above max price", w.create(2, 5_000_000, regionSpec("eu-west", "100"), named("api", regionSpec("eu-west", "200.000000000000000001"))), "max-price: groups[1] (api) bids up to 200.000000000000000001uakt"},
		{"create in eu-west", w.create(2, 5_000_000, regionSpec("eu-west", "200")), ""},
		{"a third live deployment", w.create(3, 5_000_000, regionSpec("eu-west", "1")), "max-deployments: creating deployment 3 would make 3 live; the grant allows 2"},
		{"a top-up above what is left", w.deposit(1, 10_000_001), "spend-limit: 10000001uakt is more than the 10000000uakt left (spent 10000000uakt of 20000000uakt)"},
		{"a top-up in another denom", &types.MsgManageDeployment{Deposit: &types.MsgDepositDeployment{Owner: w.tenant.String(), Dseq: 1, Amount: sdk.NewInt64Coin("stake", 1), Depositor: w.tenant.String()}}, "spend-limit: 1stake: the grant spends only uakt"},
		{"closing the tenant's own deployment", w.close(99), "managed: deployment 99 was not created under this grant"},
		{"close one", w.close(1), ""},
		{"a third once one closed", w.create(3, 5_000_000, regionSpec("us-east", "1")), ""},
		{"top-up exactly to the limit", w.deposit(3, 5_000_000), ""},
		{"one unit more", w.deposit(3, 1), "spend-limit: 1uakt is more than the 0uakt left"},
	}
	for _, s := range steps {
		code, log := w.exec(w.manager, s.msg)
		switch {
		case s.limit == "" && code != 0:
			t.Fatalf("%s: refused (code %d): %s", s.name, code, log)
		case s.limit != "" && code == 0:
			t.Fatalf("%s: accepted; want refused with %q", s.name, s.limit)
		case s.limit != "" && !strings.Contains(log, s.limit):
			t.Fatalf("%s: refused with %q; want it to name %q", s.name, log, s.limit)
		}
	}
	a := w.authorization(w.manager)
	if a == nil || !a.SpendLeft.IsZero() || !a.Spent.Equal(sdk.NewInt64Coin(denom, 20_000_000)) || len(a.Live) != 2 || a.Live[0] != 2 || a.Live[1] != 3 {
		t.Fatalf("grant after the run: %+v; want 20000000uakt spent, 0 left, live [2 3]", a)
	}
	// Spent = deposits 5M+5M+5M+5M; the close of dseq 1 refunded its 5M.
	if got, want := w.bal(w.tenant.Addr), start-20_000_000+5_000_000; got != want {
		t.Fatalf("tenant balance %d, want %d (exactly the deposits, less the refund)", got, want)
	}
	if code, log := w.exec(w.other, w.deposit(2, 1)); code == 0 || !strings.Contains(log, "authorization not found") {
		t.Fatalf("a key without a grant: code %d %q; want authorization not found", code, log)
	}
	// The plain message is not covered by the management grant.
	plain := authz.NewMsgExec(w.manager.Addr, []sdk.Msg{&types.MsgCloseDeployment{Owner: w.tenant.String(), Dseq: 2}})
	if r := c.Deliver(w.manager, &plain); r.Code == 0 {
		t.Fatal("a plain MsgCloseDeployment went through the management grant")
	}
}

// TestManageGrantAllowedExpiryRevoke: an action the grant does not allow is
// refused by name; a chain-closed deployment can be forgotten; the grant stops
// at its expiry, and a revoke stops the manager at its next message.
func TestManageGrantAllowedExpiryRevoke(t *testing.T) {
	w := newGrantWorld(t)
	c := w.c
	w.grant(w.other, types.NewManageDeploymentsAuthorization([]string{types.ActionDeposit}, sdk.NewInt64Coin(denom, 9_000_000),
		sdk.NewDecCoin(denom, math.NewInt(10)), 1, nil), nil)
	if code, log := w.exec(w.other, w.create(1, 5_000_000, spec("1"))); code == 0 || !strings.Contains(log, "actions: create is not allowed; the grant allows deposit") {
		t.Fatalf("create under a deposit-only grant: code %d %q", code, log)
	}

	exp := c.Ctx().BlockTime().Add(time.Minute)
	w.grant(w.manager, types.NewManageDeploymentsAuthorization(nil, sdk.NewInt64Coin(denom, 50_000_000),
		sdk.NewDecCoin(denom, math.NewInt(10)), 3, nil), &exp)
	for _, m := range []*types.MsgManageDeployment{w.create(1, 5_000_000, spec("1")), w.create(2, 5_000_000, spec("1"))} {
		if code, log := w.exec(w.manager, m); code != 0 {
			t.Fatalf("create: %s", log)
		}
	}
	// The tenant closes 2 itself; the manager's close of it succeeds and frees the slot.
	c.MustDeliver(w.tenant, &types.MsgCloseDeployment{Owner: w.tenant.String(), Dseq: 2})
	if code, log := w.exec(w.manager, w.close(2)); code != 0 {
		t.Fatalf("closing an already-closed managed deployment: %s", log)
	}
	if a := w.authorization(w.manager); len(a.Live) != 1 || a.Live[0] != 1 {
		t.Fatalf("live after forgetting 2: %v, want [1]", a.Live)
	}

	// Revoke: the next message is refused.
	revoke := authz.NewMsgRevoke(w.tenant.Addr, w.manager.Addr, w.manageURL)
	c.MustDeliver(w.tenant, &revoke)
	if code, log := w.exec(w.manager, w.deposit(1, 1)); code == 0 || !strings.Contains(log, "authorization not found") {
		t.Fatalf("after revoke: code %d %q; want authorization not found", code, log)
	}

	// Expiry: granted again for a minute, then past it.
	exp = c.Ctx().BlockTime().Add(time.Minute)
	w.grant(w.manager, types.NewManageDeploymentsAuthorization(nil, sdk.NewInt64Coin(denom, 50_000_000),
		sdk.NewDecCoin(denom, math.NewInt(10)), 3, nil), &exp)
	if code, log := w.exec(w.manager, w.deposit(1, 1)); code != 0 {
		t.Fatalf("deposit within the expiry: %s", log)
	}
	c.AdvanceTo(c.Height() + 11) // 6 s blocks: past the minute
	if code, log := w.exec(w.manager, w.deposit(1, 1)); code == 0 || !(strings.Contains(log, "expired") || strings.Contains(log, "authorization not found")) {
		t.Fatalf("after expiry: code %d %q; want refused as expired", code, log)
	}
}
