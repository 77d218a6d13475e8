package types

import (
	"fmt"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
)

// Defaults: with ~6 s blocks an order takes bids for 30 s and sealed bids are
// revealed within 18 s after that; 5 AKT is enough that a provider does not
// commit from many addresses to keep options open (privacy.md), small next to
// a lease's earnings.
const (
	DefaultBidWindowBlocks    int64 = 5
	DefaultRevealWindowBlocks int64 = 3
	DefaultBidDenom                 = "uakt"
	// DefaultBidTimeoutBlocks: under tenant matching a tenant has about
	// five minutes after the close to pick a bid, as on Akash mainnet.
	DefaultBidTimeoutBlocks int64 = 50
)

// DefaultBidMinDeposit is 5 AKT.
var DefaultBidMinDeposit = sdk.NewCoin(DefaultBidDenom, sdkmath.NewInt(5_000_000))

// DefaultParams are the params of a new chain.
func DefaultParams() Params {
	return Params{
		BidWindowBlocks:    DefaultBidWindowBlocks,
		RevealWindowBlocks: DefaultRevealWindowBlocks,
		BidMinDeposit:      DefaultBidMinDeposit,
		SealedBids:         SealedByTenant,
		ReorderOnFault:     true,
		Matching:           market.MatchingAuto.String(),
		BidTimeoutBlocks:   DefaultBidTimeoutBlocks,
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
	if _, ok := Params_SealedBids_name[int32(p.SealedBids)]; !ok {
		return fmt.Errorf("%w: sealed_bids is %d; must be tenant (each deployment chooses), always or never", ErrInvalidParams, p.SealedBids)
	}
	m, err := market.ParseMatching(p.Matching)
	if err != nil {
		return fmt.Errorf("%w: matching: %v", ErrInvalidParams, err)
	}
	if m == market.MatchingTenant && p.BidTimeoutBlocks < 1 {
		return fmt.Errorf("%w: bid_timeout_blocks is %d with matching tenant; the tenant needs at least 1 block to pick a bid", ErrInvalidParams, p.BidTimeoutBlocks)
	}
	if p.BidTimeoutBlocks < 0 {
		return fmt.Errorf("%w: bid_timeout_blocks is %d; must be 0 or more blocks", ErrInvalidParams, p.BidTimeoutBlocks)
	}
	if err := p.BidMinDeposit.Validate(); err != nil {
		return fmt.Errorf("%w: bid_min_deposit %q: %v; write it as e.g. 5000000uakt", ErrInvalidParams, p.BidMinDeposit, err)
	}
	return nil
}

// OrderParams are the params every new order is opened under, as core/market
// takes them (the sealed_bids enum is core/market.SealedPolicy, value for value).
func (p Params) OrderParams() market.OrderParams {
	m, _ := market.ParseMatching(p.Matching) // Validate refused any other
	return market.OrderParams{BidWindow: p.BidWindowBlocks, RevealWindow: p.RevealWindowBlocks, Sealed: market.SealedPolicy(p.SealedBids),
		Matching: m, BidTimeout: p.BidTimeoutBlocks}
}
