package keeper_test

import (
	"fmt"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/apptest"
)

// BenchmarkEndBlock: EndBlock cost with 10,000 accounts each paying one
// lease, when none is due and when 100 are due at this height.
func BenchmarkEndBlock(b *testing.B) {
	const n = 10_000
	c := apptest.NewChain(b, 3, 1_000_000_000_000)
	ek := c.EscrowKeeper()
	tenant, provider := c.Accounts[1], c.Accounts[2]
	var h int64
	c.InBlock(func(ctx sdk.Context) error {
		h = ctx.BlockHeight()
		for i := 0; i < n; i++ {
			id := market.DeploymentID{Owner: tenant.String(), DSeq: uint64(i + 1)}
			// The first 100 pay exactly 2 blocks, the rest a million.
			dep := int64(1_000_000)
			if i < 100 {
				dep = 2
			}
			if err := ek.OpenAccount(ctx, id, tenant.String(), sdk.NewInt64Coin("uakt", dep)); err != nil {
				return err
			}
			lid := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: id, GSeq: 1}, OSeq: 1}, Provider: provider.String()}
			if err := ek.OpenLease(ctx, lid, sdk.NewDecCoin("uakt", math.NewInt(1))); err != nil {
				return err
			}
		}
		return nil
	})
	for _, bc := range []struct {
		name   string
		height int64
	}{{"none-due", h + 1}, {fmt.Sprintf("100-due-of-%d", n), h + 2}} {
		b.Run(bc.name, func(b *testing.B) {
			base := c.Ctx().WithBlockHeight(bc.height) // the committed state, as the next block sees it
			for b.Loop() {
				ctx, _ := base.CacheContext()
				if err := ek.EndBlock(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
