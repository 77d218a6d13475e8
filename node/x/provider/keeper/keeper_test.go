package keeper_test

import (
	"strings"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/provider/keeper"
	"github.com/akash-market/akash/node/x/provider/types"
)

const balance = 1_000_000_000

func uakt(n int64) sdk.Coin { return sdk.NewInt64Coin("uakt", n) }

type env struct {
	*apptest.Chain
	k keeper.Keeper
}

func newEnv(t *testing.T, unbondingPeriod int64) *env {
	c := apptest.NewChain(t, 4, balance)
	e := &env{Chain: c, k: c.App.ProviderKeeper}
	c.InBlock(func(ctx sdk.Context) error {
		p := types.DefaultParams()
		p.UnbondingPeriod = unbondingPeriod
		return e.k.Params.Set(ctx, p)
	})
	return e
}

func (e *env) register(a apptest.Account, attrs ...types.Attribute) {
	e.MustDeliver(a, &types.MsgCreateProvider{Owner: a.String(), HostURI: "https://" + a.String()[6:14] + ".example:8443", Attributes: attrs})
}

func (e *env) stake(a apptest.Account) types.Stake {
	s, err := e.k.Stake(e.Ctx(), a.String())
	if err != nil {
		e.T.Fatal(err)
	}
	return s
}

func (e *env) moduleBalance() math.Int {
	return e.Balance(authtypes.NewModuleAddress(types.ModuleName), "uakt")
}

func (e *env) checkInvariant() {
	e.T.Helper()
	if err := e.k.CheckStake(e.Ctx()); err != nil {
		e.T.Fatalf("stake-held invariant at height %d: %v", e.Height(), err)
	}
}

func (e *env) rep(a apptest.Account) market.Reputation {
	_, r, ok, err := e.k.Offer(e.Ctx(), a.String())
	if err != nil || !ok {
		e.T.Fatalf("Offer(%s): ok=%v err=%v", a, ok, err)
	}
	return r
}

func TestRegisterUpdateDelete(t *testing.T) {
	e := newEnv(t, 10)
	p := e.Accounts[1]
	e.register(p, types.Attribute{Key: "tier", Value: "1"}, types.Attribute{Key: "region", Value: "us-west"})

	got, found, err := e.k.Provider(e.Ctx(), p.String())
	if err != nil || !found {
		t.Fatalf("provider not found: %v", err)
	}
	if got.Attributes[0].Key != "region" || got.CreatedAt != e.Height() {
		t.Fatalf("stored %+v; want attributes sorted by key and created_at %d", got, e.Height())
	}
	// Registering twice is refused.
	r := e.Deliver(p, &types.MsgCreateProvider{Owner: p.String(), HostURI: "https://p:1"})
	if r.Code != types.ErrProviderExists.ABCICode() || !strings.Contains(r.Log, "tx provider update") {
		t.Fatalf("second create: code %d %q", r.Code, r.Log)
	}
	// Update replaces host and attributes.
	e.MustDeliver(p, &types.MsgUpdateProvider{Owner: p.String(), HostURI: "https://new.example:9443",
		Attributes: []types.Attribute{{Key: "region", Value: "eu"}}, Info: types.Info{Email: "ops@example.com"}})
	attrs, _, _, _ := e.k.Offer(e.Ctx(), p.String())
	if len(attrs) != 1 || attrs[0] != (manifest.Attribute{Key: "region", Value: "eu"}) {
		t.Fatalf("attributes after update: %v", attrs)
	}
	// Update of an unregistered address.
	q := e.Accounts[2]
	if r := e.Deliver(q, &types.MsgUpdateProvider{Owner: q.String(), HostURI: "https://q:1"}); r.Code != types.ErrProviderNotFound.ABCICode() {
		t.Fatalf("update unregistered: code %d %s", r.Code, r.Log)
	}

	// Delete is refused with an active lease and with bonded stake.
	e.InBlock(func(ctx sdk.Context) error { return e.k.LeaseOpened(ctx, p.String()) })
	if r := e.Deliver(p, &types.MsgDeleteProvider{Owner: p.String()}); r.Code != types.ErrProviderBusy.ABCICode() || !strings.Contains(r.Log, "1 active lease") {
		t.Fatalf("delete with an active lease: code %d %s", r.Code, r.Log)
	}
	e.InBlock(func(ctx sdk.Context) error { return e.k.LeaseClosed(ctx, p.String(), lease.ReasonTenantClosed) })
	e.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(100)})
	if r := e.Deliver(p, &types.MsgDeleteProvider{Owner: p.String()}); r.Code != types.ErrProviderBusy.ABCICode() || !strings.Contains(r.Log, "unbond 100uakt") {
		t.Fatalf("delete with bonded stake: code %d %s", r.Code, r.Log)
	}
	e.MustDeliver(p, &types.MsgUnbondStake{Provider: p.String(), Amount: uakt(100)})
	e.MustDeliver(p, &types.MsgDeleteProvider{Owner: p.String()})
	if _, ok, _ := e.k.Provider(e.Ctx(), p.String()); ok {
		t.Fatal("provider still registered after delete")
	}
	// History survives deletion; unbonding stake is still released.
	if h, _ := e.k.History(e.Ctx(), p.String()); h.Served != 1 {
		t.Fatalf("history after delete: %+v", h)
	}
	e.AdvanceTo(e.Height() + 10)
	if s := e.stake(p); len(s.Unbonding) != 0 || !s.Released.Equal(math.NewInt(100)) {
		t.Fatalf("stake after maturity: %+v", s)
	}
	e.checkInvariant()
}

func TestBondUnbondRelease(t *testing.T) {
	const period = 5
	e := newEnv(t, period)
	p := e.Accounts[1]
	// Bonding needs a registration.
	if r := e.Deliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(10)}); r.Code != types.ErrProviderNotFound.ABCICode() {
		t.Fatalf("bond unregistered: code %d %s", r.Code, r.Log)
	}
	e.register(p)
	before := e.Balance(p.Addr, "uakt")
	e.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(1_000)})
	// No minimum: one unit bonds too.
	e.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(1)})
	if got := e.Balance(p.Addr, "uakt"); !got.Equal(before.SubRaw(1_001)) {
		t.Fatalf("provider balance %s, want %s", got, before.SubRaw(1_001))
	}
	if !e.moduleBalance().Equal(math.NewInt(1_001)) {
		t.Fatalf("module holds %s, want 1001", e.moduleBalance())
	}
	// Wrong denom is refused by the core's rule, with both denoms named.
	if r := e.Deliver(p, &types.MsgBondStake{Provider: p.String(), Amount: sdk.NewInt64Coin("stake", 5)}); r.Code != types.ErrStake.ABCICode() || !strings.Contains(r.Log, "stake is in uakt") {
		t.Fatalf("bond in another denom: code %d %s", r.Code, r.Log)
	}
	// More than bonded cannot unbond.
	if r := e.Deliver(p, &types.MsgUnbondStake{Provider: p.String(), Amount: uakt(5_000)}); r.Code != types.ErrStake.ABCICode() || !strings.Contains(r.Log, "not enough bonded stake") {
		t.Fatalf("unbond too much: code %d %s", r.Code, r.Log)
	}
	r := e.MustDeliver(p, &types.MsgUnbondStake{Provider: p.String(), Amount: uakt(400)})
	unbondedAt := e.Height()
	var resp types.MsgUnbondStakeResponse
	_ = resp // mature_at is checked through the stored entry
	s := e.stake(p)
	if !s.Bonded.Equal(math.NewInt(601)) || len(s.Unbonding) != 1 || s.Unbonding[0].MatureAt != unbondedAt+period {
		t.Fatalf("after unbond: %+v (tx log %s)", s, r.Log)
	}
	w, _ := e.k.StakeWeight(e.Ctx(), p.String())
	if w.BasisPoints() != 10_000 {
		t.Fatalf("weight %s; the only provider has all of the bonded stake", w)
	}
	afterUnbond := e.Balance(p.Addr, "uakt")
	e.AdvanceTo(unbondedAt + period - 1)
	if got := e.Balance(p.Addr, "uakt"); !got.Equal(afterUnbond) {
		t.Fatalf("released early: balance %s at height %d", got, e.Height())
	}
	e.checkInvariant()
	e.NextBlock() // EndBlock of unbondedAt+period releases
	if got := e.Balance(p.Addr, "uakt"); !got.Equal(afterUnbond.AddRaw(400)) {
		t.Fatalf("balance after maturity %s, want %s", got, afterUnbond.AddRaw(400))
	}
	s = e.stake(p)
	if len(s.Unbonding) != 0 || !s.Released.Equal(math.NewInt(400)) || !e.moduleBalance().Equal(math.NewInt(601)) {
		t.Fatalf("after release: %+v, module %s", s, e.moduleBalance())
	}
	if it, _ := e.k.Unbonding.Iterate(e.Ctx(), nil); it.Valid() {
		t.Fatal("maturity index still lists a released entry")
	}
	e.checkInvariant()
}

func TestReputationAndSlash(t *testing.T) {
	e := newEnv(t, 100)
	p, q := e.Accounts[1], e.Accounts[2]
	e.register(p)
	e.register(q)
	// Newcomer without stake: F = 5000, S = 0 -> 4000 (docs/reputation.md).
	if r := e.rep(p); r != 4000 {
		t.Fatalf("newcomer reputation %d, want 4000", r)
	}
	e.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(1_000_000)})
	e.MustDeliver(q, &types.MsgBondStake{Provider: q.String(), Amount: uakt(1_000_000)})
	e.MustDeliver(p, &types.MsgUnbondStake{Provider: p.String(), Amount: uakt(200_000)})
	// Both are far above the 1% stake cap: 5000*0.8 + 10000*0.2 = 6000.
	if r := e.rep(p); r != 6000 {
		t.Fatalf("staked newcomer reputation %d, want 6000", r)
	}
	// One lease served: F = 5454 -> 0.8*5454 + 2000 = 6363.
	e.InBlock(func(ctx sdk.Context) error {
		if err := e.k.LeaseOpened(ctx, p.String()); err != nil {
			return err
		}
		return e.k.LeaseClosed(ctx, p.String(), lease.ReasonTenantClosed)
	})
	if r := e.rep(p); r != 6363 {
		t.Fatalf("after one served lease: %d, want 6363", r)
	}
	// A neutral close changes nothing and slashes nothing.
	e.InBlock(func(ctx sdk.Context) error { return e.k.LeaseClosed(ctx, p.String(), lease.ReasonManifestTimeout) })
	if r := e.rep(p); r != 6363 || !e.stake(p).Slashed.IsZero() {
		t.Fatalf("after a neutral close: rep %d slashed %s", r, e.stake(p).Slashed)
	}
	// A provider fault: F = (10000 + 50000)/(1 + 5 + 10) = 3750 -> 5000, and
	// 1% of bonded (800000 -> 8000) and of unbonding (200000 -> 2000) to the pool.
	poolBefore := e.communityPool()
	e.InBlock(func(ctx sdk.Context) error { return e.k.LeaseClosed(ctx, p.String(), lease.ReasonProviderFault) })
	if r := e.rep(p); r != 5000 {
		t.Fatalf("after a fault: %d, want 5000", r)
	}
	s := e.stake(p)
	if !s.Slashed.Equal(math.NewInt(10_000)) || !s.Bonded.Equal(math.NewInt(792_000)) || !s.Unbonding[0].Amount.Equal(math.NewInt(198_000)) {
		t.Fatalf("after slash: %+v", s)
	}
	if got := e.communityPool().Sub(poolBefore); !got.Equal(math.LegacyNewDec(10_000)) {
		t.Fatalf("community pool grew by %s, want 10000", got)
	}
	if !e.moduleBalance().Equal(math.NewInt(792_000 + 198_000 + 1_000_000)) {
		t.Fatalf("module holds %s", e.moduleBalance())
	}
	// The slash lowered p's share: 792000 / 1792000.
	w, _ := e.k.StakeWeight(e.Ctx(), p.String())
	if w.PPM() != 441_964 {
		t.Fatalf("weight after slash %d ppm, want 441964", w.PPM())
	}
	// A close without a reason is refused.
	err := e.k.LeaseClosed(e.Ctx(), p.String(), lease.ReasonNone)
	if err == nil || !types.ErrInvalidCloseEvent.Is(err) {
		t.Fatalf("close with no reason: %v", err)
	}
	e.checkInvariant()
}

func (e *env) communityPool() math.LegacyDec {
	fp, err := e.App.DistrKeeper.FeePool.Get(e.Ctx())
	if err != nil {
		e.T.Fatal(err)
	}
	return fp.CommunityPool.AmountOf("uakt")
}

var _ = distrtypes.ModuleName

func TestSetParamsKeepsTheStakeDenomWhileStakeIsHeld(t *testing.T) {
	e := newEnv(t, 2)
	p := e.Accounts[1]
	e.register(p)
	e.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(10)})
	np := types.DefaultParams()
	np.StakeDenom = "uother"
	if err := e.k.SetParams(e.Ctx(), np); err == nil || !types.ErrInvalidParams.Is(err) || !strings.Contains(err.Error(), "10uakt") {
		t.Fatalf("denom change with stake held: %v", err)
	}
	e.MustDeliver(p, &types.MsgUnbondStake{Provider: p.String(), Amount: uakt(10)})
	e.AdvanceTo(e.Height() + 2)
	if err := e.k.SetParams(e.Ctx(), np); err != nil {
		t.Fatalf("denom change once everything is released: %v", err)
	}
	// Only the authority may change params.
	r := e.Deliver(p, &types.MsgUpdateParams{Authority: p.String(), Params: types.DefaultParams()})
	if r.Code != types.ErrUnauthorized.ABCICode() || !strings.Contains(r.Log, "governance") {
		t.Fatalf("params by a provider: code %d %s", r.Code, r.Log)
	}
}

// TestSlashPerLeaseClosedForFault is the chain's side of the one slashing
// policy (core/lease SlashPolicy, docs/reputation.md): each lease closed for
// a provider fault slashes fault_slash_bps of what the provider has left,
// rounded down to whole units, whether the closes share a block or not.
// Twelve fault closes of a 100 AKT stake at 1% leave 88,638,489 uakt: the
// number core/lease's TestSlashPolicyPerLease and the simulator's story
// "slashes once per lease an outage closes" (sim/marketplace_story_test.go)
// reach by the same rule.
func TestSlashPerLeaseClosedForFault(t *testing.T) {
	e := newEnv(t, 100)
	if bps := types.DefaultParams().FaultSlashBps; bps != 100 {
		t.Fatalf("default fault_slash_bps %d; the case is written for 100 (core/lease DefaultFaultSlashBPS)", bps)
	}
	p := e.Accounts[1]
	e.register(p)
	e.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(100_000_000)})
	closeN := func(n int, r lease.CloseReason) {
		e.InBlock(func(ctx sdk.Context) error {
			for range n {
				if err := e.k.LeaseOpened(ctx, p.String()); err != nil {
					return err
				}
				if err := e.k.LeaseClosed(ctx, p.String(), r); err != nil {
					return err
				}
			}
			return nil
		})
	}
	closeN(5, lease.ReasonProviderFault) // one outage's closes in one block
	closeN(3, lease.ReasonTenantClosed)  // served: no slash
	closeN(4, lease.ReasonProviderFault)
	closeN(1, lease.ReasonProviderClosed) // neutral: no slash
	for range 3 {
		closeN(1, lease.ReasonProviderFault) // the rest one block at a time
	}
	s := e.stake(p)
	if !s.Bonded.Equal(math.NewInt(88_638_489)) || !s.Slashed.Equal(math.NewInt(11_361_511)) {
		t.Fatalf("after 12 fault closes: bonded %s slashed %s, want 88638489 and 11361511", s.Bonded, s.Slashed)
	}
	if h, _ := e.k.History(e.Ctx(), p.String()); h.Faults != 12 {
		t.Fatalf("history %+v, want 12 faults", h)
	}
	e.checkInvariant()
}
