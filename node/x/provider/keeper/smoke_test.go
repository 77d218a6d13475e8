package keeper_test

import (
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/node/x/provider/testutil"
	"github.com/akash-market/akash/node/x/provider/types"
)

// The market's view of a provider: registered attributes (sorted) and the
// reputation of a newcomer that holds all the stake (docs/reputation.md: 6000).
func TestOfferOfRegisteredProvider(t *testing.T) {
	c := testutil.NewChain(t, 2, 1_000_000_000)
	p := c.Accounts[1]
	c.MustDeliver(p, &types.MsgCreateProvider{Owner: p.String(), HostURI: "https://p1:8443",
		Attributes: []types.Attribute{{Key: "tier", Value: "1"}, {Key: "region", Value: "us-west"}}})
	c.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: sdk.NewInt64Coin("uakt", 1000)})
	attrs, rep, ok, err := c.App.ProviderKeeper.Offer(c.Ctx(), p.String())
	want := manifest.Attributes{{Key: "region", Value: "us-west"}, {Key: "tier", Value: "1"}}
	if err != nil || !ok || rep != 6000 || len(attrs) != 2 || attrs[0] != want[0] || attrs[1] != want[1] {
		t.Fatalf("Offer = %v, %d, %v, %v; want %v, 6000, true", attrs, rep, ok, err, want)
	}
	if _, _, ok, err := c.App.ProviderKeeper.Offer(c.Ctx(), c.Accounts[0].String()); ok || err != nil {
		t.Fatalf("Offer of an unregistered address: ok=%v err=%v; want false, nil", ok, err)
	}
}
