package replay

import (
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
)

// The driver runs the real app: signed transactions in FinalizeBlock, one
// block per call, sequences kept across failed messages.
func TestChainBlocksAndSignedTxs(t *testing.T) {
	coins := func(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin("uakt", n)) }
	c, err := NewChain(map[string]sdk.Coins{"alice": coins(1000), "bob": coins(10)}, 6*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	send := func(from, to string, n int64) Tx {
		return Tx{From: from, Msgs: []sdk.Msg{banktypes.NewMsgSend(AccAddress(from), AccAddress(to), coins(n))}}
	}
	res, err := c.Block([]Tx{send("alice", "bob", 100), send("bob", "alice", 500), send("bob", "alice", 5)})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Code != 0 || res[1].Code == 0 || res[2].Code != 0 {
		t.Fatalf("codes %d %d %d (%s): want ok, insufficient funds, ok", res[0].Code, res[1].Code, res[2].Code, res[1].Log)
	}
	if _, err := c.Block([]Tx{send("bob", "alice", 1)}); err != nil {
		t.Fatal(err)
	}
	if c.Height() != 2 {
		t.Fatalf("height %d after two blocks", c.Height())
	}
	if a, b := c.Balance("alice", "uakt"), c.Balance("bob", "uakt"); !a.Equal(sdkmath.NewInt(906)) || !b.Equal(sdkmath.NewInt(104)) {
		t.Fatalf("alice %s, bob %s: want 906 and 104", a, b)
	}
}
