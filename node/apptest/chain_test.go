package apptest_test

import (
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-market/akash/node/app"
	"github.com/akash-market/akash/node/apptest"
)

// The harness is what every module test stands on, so its block rules are
// checked here once: a delivered tx commits one block with exact balances, a
// refused tx changes nothing, InBlock keeps its writes and ScratchBlock
// throws them away.
func TestChainBlocks(t *testing.T) {
	const balance = 1_000
	c := apptest.NewChain(t, 2, balance)
	a, b := c.Accounts[0], c.Accounts[1]
	if got := c.Height(); got != 1 {
		t.Fatalf("height after genesis = %d, want 1", got)
	}
	for _, acc := range c.Accounts {
		if got := c.Balance(acc.Addr, app.BondDenom); got.Int64() != balance {
			t.Fatalf("genesis balance of %s = %s, want %d", acc, got, balance)
		}
	}
	send := func(from, to apptest.Account, amt int64) sdk.Msg {
		return banktypes.NewMsgSend(from.Addr, to.Addr, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, amt)))
	}
	wantBalances := func(when string, wantA, wantB int64) {
		t.Helper()
		if got := c.Balance(a.Addr, app.BondDenom); got.Int64() != wantA {
			t.Fatalf("%s: balance of a = %s, want %d", when, got, wantA)
		}
		if got := c.Balance(b.Addr, app.BondDenom); got.Int64() != wantB {
			t.Fatalf("%s: balance of b = %s, want %d", when, got, wantB)
		}
	}

	c.MustDeliver(a, send(a, b, 100))
	if got := c.Height(); got != 2 {
		t.Fatalf("height after one tx = %d, want 2", got)
	}
	wantBalances("after send", 900, 1_100)

	if r := c.Deliver(a, send(a, b, 10_000)); r.Code == 0 {
		t.Fatalf("send of more than the balance succeeded: %s", r.Log)
	}
	wantBalances("after refused send", 900, 1_100)

	coins := sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 50))
	c.ScratchBlock(func(ctx sdk.Context) error { return c.App.BankKeeper.SendCoins(ctx, b.Addr, a.Addr, coins) })
	wantBalances("after scratch block", 900, 1_100)
	c.InBlock(func(ctx sdk.Context) error { return c.App.BankKeeper.SendCoins(ctx, b.Addr, a.Addr, coins) })
	wantBalances("after InBlock", 950, 1_050)

	// Sequences come from committed state: two txs by one signer in
	// consecutive blocks both pass.
	c.MustDeliver(b, send(b, a, 1))
	c.MustDeliver(b, send(b, a, 1))
	wantBalances("after two sends by b", 952, 1_048)

	c.AdvanceTo(c.Height() + 3)
	if got := c.Height(); got != 10 {
		t.Fatalf("height after AdvanceTo = %d, want 10", got)
	}
}

// The keepers the app only holds inside its modules are reachable and read
// the committed genesis.
func TestChainKeepers(t *testing.T) {
	c := apptest.NewChain(t, 1, 1)
	if _, err := c.EscrowKeeper().Params.Get(c.Ctx()); err != nil {
		t.Fatalf("escrow params: %v", err)
	}
	if _, err := c.DeploymentKeeper().Params.Get(c.Ctx()); err != nil {
		t.Fatalf("deployment params: %v", err)
	}
}
