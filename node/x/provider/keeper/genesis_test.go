package keeper_test

import (
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/provider/types"
)

// Export the whole app state with providers, stake (bonded and unbonding),
// histories and params; start a new chain from it: the same records, the
// invariant holds, and the unbonding entry is still released at its height.
func TestGenesisExportImport(t *testing.T) {
	e := newEnv(t, 20)
	p := e.Accounts[1]
	e.register(p, types.Attribute{Key: "region", Value: "us-west"})
	e.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(9_000)})
	e.MustDeliver(p, &types.MsgUnbondStake{Provider: p.String(), Amount: uakt(3_000)})
	e.InBlock(func(ctx sdk.Context) error {
		if err := e.k.LeaseOpened(ctx, p.String()); err != nil {
			return err
		}
		return e.k.LeaseClosed(ctx, p.String(), lease.ReasonProviderFault)
	})
	before, err := e.k.ExportGenesis(e.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	exported, err := e.App.ExportAppStateAndValidators(false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}

	c2 := apptest.NewChainFromState(t, exported.AppState)
	k2 := c2.App.ProviderKeeper
	after, err := k2.ExportGenesis(c2.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	if !before.Params.Equal(after.Params) || len(after.Providers) != 1 || !before.Providers[0].Equal(after.Providers[0]) ||
		len(after.Stakes) != 1 || !before.Stakes[0].Equal(after.Stakes[0]) || len(after.Histories) != 1 || !before.Histories[0].Equal(after.Histories[0]) {
		t.Fatalf("genesis changed across export/import:\nbefore %+v\nafter  %+v", before, after)
	}
	if err := k2.CheckStake(c2.Ctx()); err != nil {
		t.Fatalf("invariant after import: %v", err)
	}
	r1, _ := e.k.Reputation(e.Ctx(), p.String())
	r2, _ := k2.Reputation(c2.Ctx(), p.String())
	if r1.Reputation != r2.Reputation {
		t.Fatalf("reputation %d before, %d after", r1.Reputation, r2.Reputation)
	}
	// The maturity index was rebuilt: the entry is released on the new chain.
	matures := after.Stakes[0].Unbonding[0].MatureAt
	c2.AdvanceTo(matures)
	s, _ := k2.Stake(c2.Ctx(), p.String())
	if len(s.Unbonding) != 0 || s.Released.Int64() != 3_000-30 { // the fault slashed 1% of the unbonding entry
		t.Fatalf("after maturity on the new chain: %+v", s)
	}
	if err := k2.CheckStake(c2.Ctx()); err != nil {
		t.Fatal(err)
	}
}
