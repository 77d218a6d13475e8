package types

import (
	"fmt"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Defaults: with ~6 s blocks an order takes bids for 30 s and sealed bids are
// revealed within 18 s after that; 5 AKT is enough that a provider does not
// commit from many addresses to keep options open (privacy.md), small next to
// a lease's earnings.
const (
	DefaultBidWindowBlocks    int64 = 5
	DefaultRevealWindowBlocks int64 = 3
	DefaultBidDenom                 = "uakt"
)

// DefaultBidMinDeposit is 5 AKT.
var DefaultBidMinDeposit = sdk.NewCoin(DefaultBidDenom, sdkmath.NewInt(5_000_000))

// DefaultParams are the params of a new chain.
func DefaultParams() Params {
	return Params{
		BidWindowBlocks:    DefaultBidWindowBlocks,
		RevealWindowBlocks: DefaultRevealWindowBlocks,
		BidMinDeposit:      DefaultBidMinDeposit,
		SealedBids:         false,
		ReorderOnFault:     true,
	}
}

// Validate checks every field and says which one is wrong and what is allowed.
func (p Params) Validate() error {
	if p.BidWindowBlocks < 1 {
		return fmt.Errorf("%w: bid_window_blocks is %d; must be at least 1 block", ErrInvalidParams, p.BidWindowBlocks)
	}
	if p.RevealWindowBlocks < 1 {
		return fmt.Errorf("%w: reveal_window_blocks is %d; must be at least 1 block", ErrInvalidParams, p.RevealWindowBlocks)
	}
	if err := p.BidMinDeposit.Validate(); err != nil {
		return fmt.Errorf("%w: bid_min_deposit %q: %v; write it as e.g. 5000000uakt", ErrInvalidParams, p.BidMinDeposit, err)
	}
	return nil
}
