package keeper_test

import (
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/provider/types"
)

// BenchmarkOffer is market's per-bid read of a provider (attributes and
// reputation) on the committed IAVL state of the real app.
func BenchmarkOffer(b *testing.B) {
	c := apptest.NewChain(b, 2, balance)
	p := c.Accounts[1]
	c.MustDeliver(p, &types.MsgCreateProvider{Owner: p.String(), HostURI: "https://p:8443",
		Attributes: []types.Attribute{{Key: "region", Value: "us-west"}, {Key: "tier", Value: "1"}}})
	c.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(1000)})
	ctx, k := c.Ctx(), c.App.ProviderKeeper
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, ok, err := k.Offer(ctx, p.String()); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkLeaseClosedFault is a provider-fault close: history update and a
// slash of bonded and unbonding stake with its bank transfer to the pool.
func BenchmarkLeaseClosedFault(b *testing.B) {
	c := apptest.NewChain(b, 2, balance)
	p := c.Accounts[1]
	c.MustDeliver(p, &types.MsgCreateProvider{Owner: p.String(), HostURI: "https://p:8443"})
	c.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(900_000_000)})
	c.MustDeliver(p, &types.MsgUnbondStake{Provider: p.String(), Amount: uakt(1_000_000)})
	ctx := c.App.NewNextBlockContext(c.Ctx().BlockHeader()).WithEventManager(sdk.NewEventManager())
	k := c.App.ProviderKeeper
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := k.LeaseClosed(ctx, p.String(), lease.ReasonProviderFault); err != nil {
			b.Fatal(err)
		}
	}
}
