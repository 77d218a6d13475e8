package keeper_test

import (
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/deployment/types"
	markettypes "github.com/akash-market/akash/node/x/market/types"
)

// What the tenant asks in MsgCreateDeployment (sealed bids, a minimum
// reputation) is stored with each group and reaches every order the group
// opens, unless the market's sealed_bids forces sealing on or off.
func TestTenantAsksReachOrders(t *testing.T) {
	for _, c := range []struct {
		policy     markettypes.Params_SealedBids
		ask        bool
		minRep     uint32
		wantSealed bool
	}{
		{markettypes.SealedByTenant, false, 0, false},
		{markettypes.SealedByTenant, true, 2500, true},
		{markettypes.SealedAlways, false, 0, true},
		{markettypes.SealedAlways, true, 10_000, true},
		{markettypes.SealedNever, true, 7000, false},
		{markettypes.SealedNever, false, 0, false},
	} {
		t.Run(c.policy.String(), func(t *testing.T) {
			ch := apptest.NewChainWithGenesis(t, 2, 100_000_000_000, func(gen map[string]json.RawMessage) {
				gs := markettypes.DefaultGenesisState()
				gs.Params.SealedBids = c.policy
				gen[markettypes.ModuleName] = apptest.MustMarshalJSON(t, gs)
			})
			tenant := ch.Accounts[1]
			ch.MustDeliver(tenant, &types.MsgCreateDeployment{Owner: tenant.String(), Dseq: 9, Groups: []types.GroupSpec{spec("10"), func() types.GroupSpec {
				g := spec("20")
				g.Name = "db"
				return g
			}()}, Version: version("v1"), Deposit: sdk.NewInt64Coin(denom, 5_000_000), Sealed: c.ask, MinReputation: c.minRep})
			_, groups, err := ch.DeploymentKeeper().Deployment(ch.Ctx(), market.DeploymentID{Owner: tenant.String(), DSeq: 9})
			if err != nil || len(groups) != 2 {
				t.Fatalf("groups %v: %v", groups, err)
			}
			p, err := ch.App.MarketKeeper.GetParams(ch.Ctx())
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range groups {
				if g.Sealed != c.ask || g.MinReputation != c.minRep {
					t.Errorf("group %d stores sealed %v, min reputation %d; the tenant asked %v, %d", g.ID.Gseq, g.Sealed, g.MinReputation, c.ask, c.minRep)
				}
				o, err := ch.App.MarketKeeper.GetOrder(ch.Ctx(), market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: tenant.String(), DSeq: 9}, GSeq: g.ID.Gseq}, OSeq: 1})
				if err != nil {
					t.Fatal(err)
				}
				wantReveal := int64(0)
				if c.wantSealed {
					wantReveal = o.CloseHeight + p.RevealWindowBlocks
				}
				if o.Sealed != c.wantSealed || o.MinReputation != c.minRep || o.RevealEnd != wantReveal {
					t.Errorf("order %s: sealed %v, min reputation %d, reveal end %d; want %v, %d, %d", o.ID, o.Sealed, o.MinReputation, o.RevealEnd, c.wantSealed, c.minRep, wantReveal)
				}
			}
		})
	}
}

// A minimum reputation above the scale is refused with the field named.
func TestMinReputationAboveScaleRefused(t *testing.T) {
	m := &types.MsgCreateDeployment{Owner: sdk.AccAddress(make([]byte, 20)).String(), Dseq: 1, Groups: []types.GroupSpec{spec("1")},
		Version: version("v"), Deposit: sdk.NewInt64Coin(denom, 1), MinReputation: 10_001}
	err := m.ValidateBasic()
	if err == nil || !strings.Contains(err.Error(), "min_reputation: 10001 is above 10000") {
		t.Fatalf("got %v; want min_reputation named", err)
	}
	m.MinReputation = 10_000
	if err := m.ValidateBasic(); err != nil {
		t.Fatalf("10000 (the top of the scale) refused: %v", err)
	}
}
