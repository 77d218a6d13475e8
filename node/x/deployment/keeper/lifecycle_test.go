package keeper_test

import (
	"crypto/sha256"
	"strings"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/deployment/types"
	escrowtypes "github.com/akash-market/akash/node/x/escrow/types"
)

const denom = "uakt"

func spec(price string) types.GroupSpec {
	return types.GroupSpec{
		Name: "web",
		Resources: []types.ResourceUnit{{
			Profile: "web", CPUMillis: 500, MemoryBytes: 512 << 20, Count: 1,
			Storage: []types.Storage{{Name: "default", Bytes: 1 << 30}},
			Price:   sdk.NewDecCoinFromDec(denom, math.LegacyMustNewDecFromStr(price)),
		}},
		Services: []string{"web"},
	}
}

func version(s string) []byte { v := sha256.Sum256([]byte(s)); return v[:] }

type world struct {
	c                     *apptest.Chain
	tenant, provider, pal apptest.Account
	escrowAddr, distrAddr sdk.AccAddress
	supply                math.Int
}

func newWorld(t *testing.T) *world {
	c := apptest.NewChain(t, 4, 100_000_000_000)
	w := &world{c: c, tenant: c.Accounts[1], provider: c.Accounts[2], pal: c.Accounts[3],
		escrowAddr: authtypes.NewModuleAddress(escrowtypes.ModuleName), distrAddr: authtypes.NewModuleAddress(distrtypes.ModuleName)}
	w.supply = c.App.BankKeeper.GetSupply(c.Ctx(), denom).Amount
	return w
}

func (w *world) bal(a sdk.AccAddress) int64 { return w.c.Balance(a, denom).Int64() }

// TestLifecycleRunsDry: create -> deposit by a friend -> lease (escrow keeper
// API, as market calls it) -> settle over blocks -> withdraw -> the account
// runs dry and EndBlock closes it at exactly its dry height with the reason;
// every balance exact to the unit, total supply unchanged.
func TestLifecycleRunsDry(t *testing.T) {
	w := newWorld(t)
	c := w.c
	ek, dk := c.EscrowKeeper(), c.DeploymentKeeper()
	const start = int64(100_000_000_000)
	dseq := uint64(7)
	id := market.DeploymentID{Owner: w.tenant.String(), DSeq: dseq}

	c.MustDeliver(w.tenant, &types.MsgCreateDeployment{Owner: w.tenant.String(), Dseq: dseq,
		Groups: []types.GroupSpec{spec("100000.5")}, Version: version("v1"), Deposit: sdk.NewInt64Coin(denom, 5_000_000)})
	c.MustDeliver(w.pal, &types.MsgDepositDeployment{Owner: w.tenant.String(), Dseq: dseq,
		Amount: sdk.NewInt64Coin(denom, 1_000_001), Depositor: w.pal.String()})
	if got := w.bal(w.escrowAddr); got != 6_000_001 {
		t.Fatalf("escrow module holds %d, want 6000001", got)
	}
	if got := w.bal(w.tenant.Addr); got != start-5_000_000 {
		t.Fatalf("tenant has %d, want %d", got, start-5_000_000)
	}

	lid := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: id, GSeq: 1}, OSeq: 1}, Provider: w.provider.String()}
	var opened int64
	c.InBlock(func(ctx sdk.Context) error {
		opened = ctx.BlockHeight()
		return ek.OpenLease(ctx, lid, sdk.NewDecCoinFromDec(denom, math.LegacyMustNewDecFromStr("100000.5")))
	})
	// 6000001 / 100000.5 = 59.99...: the balance pays 59 blocks after opening.
	dry := opened + 59
	a, err := ek.Account(c.Ctx(), id)
	if err != nil {
		t.Fatal(err)
	}
	if h, ok := a.DryHeight(); !ok || h != dry {
		t.Fatalf("dry height %d %v, want %d", h, ok, dry)
	}
	poolBefore := w.bal(w.distrAddr)

	// Withdraw after 20 blocks: accrued 2000010, take 2% = 40000.2, net 1960009.8.
	c.AdvanceTo(opened + 19)
	c.InBlock(func(ctx sdk.Context) error { return ek.Withdraw(ctx, lid) })
	if got := w.bal(w.provider.Addr); got != start+1_960_009 {
		t.Fatalf("provider after withdraw: %d, want start+1960009", got-start)
	}
	if got := w.bal(w.distrAddr) - poolBefore; got != 40_000 {
		t.Fatalf("pool after withdraw: +%d, want +40000", got)
	}
	if msg, broken := ek.CheckModuleBalance(c.Ctx()); broken {
		t.Fatal(msg)
	}

	// One block before the dry height nothing closes.
	c.AdvanceTo(dry - 1)
	if a, _ := ek.Account(c.Ctx(), id); a.State != lease.StateActive {
		t.Fatalf("account closed before its dry height: %+v", a.Closure)
	}
	c.NextBlock() // block `dry`: EndBlock closes it
	if c.Height() != dry {
		t.Fatalf("at height %d, want %d", c.Height(), dry)
	}
	a, err = ek.Account(c.Ctx(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.State != lease.StateClosed || a.ClosedAt != dry || a.Closure.Reason != lease.ReasonInsufficientFunds {
		t.Fatalf("account: state %s closed at %d (%s), want closed at %d for insufficient funds", a.State, a.ClosedAt, a.Closure, dry)
	}
	if !strings.Contains(a.Closure.Detail, "could not pay block") {
		t.Fatalf("detail %q does not tell the tenant why", a.Closure.Detail)
	}
	if p, _ := a.Payment(lid); p.Lease.ClosedAt != dry || p.Lease.Closure.Reason != lease.ReasonInsufficientFunds {
		t.Fatalf("lease closed at %d (%s)", p.Lease.ClosedAt, p.Lease.Closure)
	}
	d, groups, err := dk.Deployment(c.Ctx(), id)
	if err != nil {
		t.Fatal(err)
	}
	if d.State != types.DeploymentClosed || d.CloseReason != "insufficient-funds" || d.ClosedAt != dry || d.CloseDetail == "" {
		t.Fatalf("deployment: %s reason %q at %d detail %q; want closed for insufficient-funds at %d", d.State, d.CloseReason, d.ClosedAt, d.CloseDetail, dry)
	}
	if groups[0].State != types.GroupClosed || groups[0].CloseReason != "insufficient-funds" {
		t.Fatalf("group: %s %q", groups[0].State, groups[0].CloseReason)
	}

	// 59 blocks × 100000.5 = 5900029.5 paid: provider 98% = 5782028.91 -> 5782028;
	// take 118000.59 -> 118000; refund: the tenant's 5000000 was spent first,
	// the friend gets 1000001 - 900029.5 = 99971.5 -> 99971; the leftover
	// .91 + .59 + .5 = 2 goes to the pool.
	if got := w.bal(w.provider.Addr) - start; got != 5_782_028 {
		t.Fatalf("provider earned %d, want 5782028", got)
	}
	if got := w.bal(w.distrAddr) - poolBefore; got != 118_002 {
		t.Fatalf("pool got %d, want 118002", got)
	}
	if got := w.bal(w.pal.Addr) - start; got != -1_000_001+99_971 {
		t.Fatalf("friend net %d, want %d", got, -1_000_001+99_971)
	}
	if got := w.bal(w.tenant.Addr) - start; got != -5_000_000 {
		t.Fatalf("tenant net %d, want -5000000 (its deposit was spent first)", got)
	}
	if got := w.bal(w.escrowAddr); got != 0 {
		t.Fatalf("escrow module still holds %d", got)
	}
	if got := c.App.BankKeeper.GetSupply(c.Ctx(), denom).Amount; !got.Equal(w.supply) {
		t.Fatalf("supply %s, was %s", got, w.supply)
	}
	checkInvariants(t, w)

	// A closed deployment refuses deposits with the reason.
	r := c.Deliver(w.pal, &types.MsgDepositDeployment{Owner: w.tenant.String(), Dseq: dseq, Amount: sdk.NewInt64Coin(denom, 5), Depositor: w.pal.String()})
	if r.Code == 0 || !strings.Contains(r.Log, "insufficient-funds") {
		t.Fatalf("deposit to a closed deployment: code %d log %q", r.Code, r.Log)
	}
}

// TestTenantCloses: the tenant closes with an active lease: the lease is
// paid to now and closed tenant-closed, the rest refunded, all exact.
func TestTenantCloses(t *testing.T) {
	w := newWorld(t)
	c := w.c
	ek, dk := c.EscrowKeeper(), c.DeploymentKeeper()
	const start = int64(100_000_000_000)
	id := market.DeploymentID{Owner: w.tenant.String(), DSeq: 1}
	c.MustDeliver(w.tenant, &types.MsgCreateDeployment{Owner: id.Owner, Dseq: 1,
		Groups: []types.GroupSpec{spec("0.3")}, Version: version("v1"), Deposit: sdk.NewInt64Coin(denom, 5_000_000)})
	c.MustDeliver(w.tenant, &types.MsgUpdateDeployment{Owner: id.Owner, Dseq: 1, Version: version("v2"), Groups: []types.GroupSpec{spec("0.3")}})
	lid := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: id, GSeq: 1}, OSeq: 1}, Provider: w.provider.String()}
	var opened int64
	c.InBlock(func(ctx sdk.Context) error {
		opened = ctx.BlockHeight()
		return ek.OpenLease(ctx, lid, sdk.NewDecCoinFromDec(denom, math.LegacyMustNewDecFromStr("0.3")))
	})
	poolBefore := w.bal(w.distrAddr)
	c.AdvanceTo(opened + 9)
	res := c.MustDeliver(w.tenant, &types.MsgCloseDeployment{Owner: id.Owner, Dseq: 1})
	_ = res
	closed := c.Height()
	n := closed - opened // blocks paid: 0.3 × n
	a, err := ek.Account(c.Ctx(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.State != lease.StateClosed || a.Closure.Reason != lease.ReasonTenantClosed || a.ClosedAt != closed {
		t.Fatalf("account %s %s at %d", a.State, a.Closure, a.ClosedAt)
	}
	if p, _ := a.Payment(lid); p.Lease.Closure.Reason != lease.ReasonTenantClosed {
		t.Fatalf("lease closed with %s", p.Lease.Closure)
	}
	d, _, _ := dk.Deployment(c.Ctx(), id)
	if d.State != types.DeploymentClosed || d.CloseReason != "tenant-closed" || string(d.Version) != string(version("v2")) {
		t.Fatalf("deployment %s %q version %x", d.State, d.CloseReason, d.Version)
	}
	// paid = 0.3n; provider floor(0.294n); refund floor(5000000 - 0.3n); pool the rest.
	paid := math.LegacyMustNewDecFromStr("0.3").MulInt64(n)
	provider := paid.MulInt64(98).QuoInt64(100).TruncateInt64()
	refund := math.LegacyNewDec(5_000_000).Sub(paid).TruncateInt64()
	if got := w.bal(w.provider.Addr) - start; got != provider {
		t.Fatalf("provider got %d, want %d (n=%d)", got, provider, n)
	}
	if got := w.bal(w.tenant.Addr) - start; got != -5_000_000+refund {
		t.Fatalf("tenant net %d, want %d", got, -5_000_000+refund)
	}
	if got := w.bal(w.distrAddr) - poolBefore; got != 5_000_000-provider-refund {
		t.Fatalf("pool got %d, want %d", got, 5_000_000-provider-refund)
	}
	if got := c.App.BankKeeper.GetSupply(c.Ctx(), denom).Amount; !got.Equal(w.supply) {
		t.Fatalf("supply %s, was %s", got, w.supply)
	}
	checkInvariants(t, w)
}

func checkInvariants(t *testing.T, w *world) {
	t.Helper()
	ek, dk := w.c.EscrowKeeper(), w.c.DeploymentKeeper()
	for _, check := range []func() (string, bool){
		func() (string, bool) { return ek.CheckConservation(w.c.Ctx()) },
		func() (string, bool) { return ek.CheckModuleBalance(w.c.Ctx()) },
		func() (string, bool) { return dk.CheckDeployments(w.c.Ctx()) },
	} {
		if msg, broken := check(); broken {
			t.Fatal(msg)
		}
	}
}

// TestUpdateMustFitOrderedGroups: a hand-built update is checked on chain,
// not only by the CLI: groups bigger than, or other than, the ordered ones
// are refused with what differs, and the version stays; the same groups
// (any price) pass.
func TestUpdateMustFitOrderedGroups(t *testing.T) {
	w := newWorld(t)
	c := w.c
	id := market.DeploymentID{Owner: w.tenant.String(), DSeq: 1}
	c.MustDeliver(w.tenant, &types.MsgCreateDeployment{Owner: id.Owner, Dseq: 1,
		Groups: []types.GroupSpec{spec("0.3")}, Version: version("v1"), Deposit: sdk.NewInt64Coin(denom, 5_000_000)})
	bigger := spec("0.3")
	bigger.Resources[0].Count, bigger.Resources[0].CPUMillis, bigger.Resources[0].MemoryBytes = 3, 2000, 2<<30
	more := spec("0.3")
	more.Resources[0].Count = 3
	other := spec("0.3")
	other.Name = "eastcoast"
	for _, tc := range []struct {
		name   string
		groups []types.GroupSpec
		want   string
	}{
		{"no groups", nil, "groups: empty; send the new manifest's groups"},
		{"bigger replicas", []types.GroupSpec{bigger}, "no ordered replica has these resources (cpu 2 (ordered 0.5), memory 2Gi (ordered 512Mi))"},
		{"more replicas", []types.GroupSpec{more}, "profile web: 3 replica(s) of cpu 0.5, memory 512Mi, storage default=1Gi, but the order has 1 such replica(s) left"},
		{"another placement", []types.GroupSpec{other}, `the manifest's placement is "eastcoast", the leased group's "web"`},
		{"a group added", []types.GroupSpec{spec("0.3"), other}, "the manifest has 2 group(s) (web, eastcoast), the deployment ordered 1 (web)"},
	} {
		r := c.Deliver(w.tenant, &types.MsgUpdateDeployment{Owner: id.Owner, Dseq: 1, Version: version("v2"), Groups: tc.groups})
		if r.Code == 0 || !strings.Contains(r.Log, tc.want) {
			t.Errorf("%s: code %d log %q; want refused with %q", tc.name, r.Code, r.Log, tc.want)
		}
	}
	if d, _, err := c.DeploymentKeeper().Deployment(c.Ctx(), id); err != nil || string(d.Version) != string(version("v1")) {
		t.Fatalf("version after refused updates: %x (%v), want v1's", d.Version, err)
	}
	c.MustDeliver(w.tenant, &types.MsgUpdateDeployment{Owner: id.Owner, Dseq: 1, Version: version("v2"), Groups: []types.GroupSpec{spec("0.9")}})
	if d, _, _ := c.DeploymentKeeper().Deployment(c.Ctx(), id); string(d.Version) != string(version("v2")) {
		t.Fatalf("version after a fitting update: %x, want v2's", d.Version)
	}
}
