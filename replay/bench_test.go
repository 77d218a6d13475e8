package replay

import (
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// BenchmarkEmptyBlock is the chain's cost of one block with no transaction:
// most of a day's 14,400 blocks are empty, so it bounds a replay's speed.
func BenchmarkEmptyBlock(b *testing.B) {
	c, err := NewChain(map[string]sdk.Coins{"a": sdk.NewCoins(sdk.NewInt64Coin("uakt", 1))}, 6*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Block(nil); err != nil {
			b.Fatal(err)
		}
	}
}
