package types

import (
	"fmt"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// Conversions between the chain's records and core/market's values. Money
// goes through the decimal string of its atto-units (both sides have 18
// fractional digits), never through a float, so it converts exactly.

// DecCoinToCore converts a chain price to core money. A zero-value DecCoin
// (no denom, nil amount: an unrevealed sealed bid) converts to the zero Coin.
func DecCoinToCore(c sdk.DecCoin) (money.Coin, error) {
	if c.Denom == "" && (c.Amount.IsNil() || c.Amount.IsZero()) {
		return money.Coin{}, nil
	}
	if c.Amount.IsNil() || c.Amount.IsNegative() {
		return money.Coin{}, fmt.Errorf("%w: %s: amount must be zero or more", ErrInvalidPrice, c)
	}
	d, err := money.ParseDec(c.Amount.String())
	if err != nil {
		return money.Coin{}, fmt.Errorf("%w: %s: %v", ErrInvalidPrice, c, err)
	}
	coin, err := money.NewCoin(c.Denom, d)
	if err != nil {
		return money.Coin{}, fmt.Errorf("%w: %s: %v", ErrInvalidPrice, c, err)
	}
	return coin, nil
}

// DecCoinFromCore converts core money to a chain price.
func DecCoinFromCore(c money.Coin) sdk.DecCoin {
	if c.Denom == "" {
		return sdk.DecCoin{Amount: sdkmath.LegacyZeroDec()}
	}
	return sdk.DecCoin{Denom: c.Denom, Amount: sdkmath.LegacyMustNewDecFromStr(c.Amount.String())}
}

// CoinToCore converts a whole-unit coin (a deposit) to core money.
func CoinToCore(c sdk.Coin) (money.Coin, error) {
	if c.Denom == "" && (c.Amount.IsNil() || c.Amount.IsZero()) {
		return money.Coin{}, nil
	}
	return DecCoinToCore(sdk.NewDecCoinFromDec(c.Denom, sdkmath.LegacyNewDecFromInt(c.Amount)))
}

// CoinFromCore converts core money that must be whole units (a deposit)
// to a chain coin; a fraction is an error, never rounded away.
func CoinFromCore(c money.Coin) (sdk.Coin, error) {
	if c.Denom == "" && c.Amount.IsZero() {
		return sdk.Coin{}, nil
	}
	d, err := sdkmath.LegacyNewDecFromStr(c.Amount.String())
	if err != nil {
		return sdk.Coin{}, fmt.Errorf("%w: %s: %v", market.ErrInvalidDeposit, c, err)
	}
	if !d.IsInteger() {
		return sdk.Coin{}, fmt.Errorf("%w: %s is not a whole number of %s", market.ErrInvalidDeposit, c, c.Denom)
	}
	return sdk.Coin{Denom: c.Denom, Amount: d.TruncateInt()}, nil
}

// OrderIDToCore / OrderIDFromCore convert order IDs.
func (id OrderID) ToCore() market.OrderID {
	return market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: id.Owner, DSeq: id.DSeq}, GSeq: id.GSeq}, OSeq: id.OSeq}
}

// OrderIDFromCore converts a core order ID.
func OrderIDFromCore(id market.OrderID) OrderID {
	return OrderID{Owner: id.Owner, DSeq: id.DSeq, GSeq: id.GSeq, OSeq: id.OSeq}
}

// ToCore converts a bid (or lease) ID.
func (id BidID) ToCore() market.BidID {
	return market.BidID{OrderID: id.OrderID().ToCore(), Provider: id.Provider}
}

// OrderID is the order the bid is on.
func (id BidID) OrderID() OrderID {
	return OrderID{Owner: id.Owner, DSeq: id.DSeq, GSeq: id.GSeq, OSeq: id.OSeq}
}

// BidIDFromCore converts a core bid (or lease) ID.
func BidIDFromCore(id market.BidID) BidID {
	return BidID{Owner: id.Owner, DSeq: id.DSeq, GSeq: id.GSeq, OSeq: id.OSeq, Provider: id.Provider}
}

// String prints the ID the way the CLI takes it: owner/dseq/gseq/oseq.
func (id OrderID) String() string { return id.ToCore().String() }

// String prints the ID as owner/dseq/gseq/oseq/provider.
func (id BidID) String() string { return id.ToCore().String() }

// ToCore converts resources.
func (r Resources) ToCore() manifest.Totals {
	return manifest.Totals{CPUMillis: r.CPUMillis, MemoryBytes: r.MemoryBytes, StorageBytes: r.StorageBytes, GPUUnits: r.GPUUnits, BandwidthBps: r.BandwidthBps}
}

// ResourcesFromCore converts core totals.
func ResourcesFromCore(t manifest.Totals) Resources {
	return Resources{CPUMillis: t.CPUMillis, MemoryBytes: t.MemoryBytes, StorageBytes: t.StorageBytes, GPUUnits: t.GPUUnits, BandwidthBps: t.BandwidthBps}
}

// AttributesToCore converts attributes, keeping their order.
func AttributesToCore(as []Attribute) manifest.Attributes {
	if len(as) == 0 {
		return nil
	}
	out := make(manifest.Attributes, len(as))
	for i, a := range as {
		out[i] = manifest.Attribute{Key: a.Key, Value: a.Value}
	}
	return out
}

// AttributesFromCore converts core attributes, keeping their order.
func AttributesFromCore(as manifest.Attributes) []Attribute {
	if len(as) == 0 {
		return nil
	}
	out := make([]Attribute, len(as))
	for i, a := range as {
		out[i] = Attribute{Key: a.Key, Value: a.Value}
	}
	return out
}

// OrderFromCore is the stored form of a new, open order.
func OrderFromCore(o market.Order) Order {
	return Order{
		ID:            OrderIDFromCore(o.ID),
		State:         OrderOpen,
		Resources:     ResourcesFromCore(o.Resources),
		MaxPrice:      DecCoinFromCore(o.MaxPrice),
		MinReputation: uint32(o.MinReputation),
		OpenHeight:    o.OpenHeight,
		CloseHeight:   o.CloseHeight,
		Sealed:        o.Sealed,
		RevealEnd:     o.RevealEnd,
		Requirements: Requirements{
			Attributes:    AttributesFromCore(o.Requirements.Attributes),
			SignedByAllOf: o.Requirements.SignedBy.AllOf,
			SignedByAnyOf: o.Requirements.SignedBy.AnyOf,
		},
	}
}

// ToCore converts a stored order back to core's value and checks it, so a
// corrupted record is reported rather than matched.
func (o Order) ToCore() (market.Order, error) {
	price, err := DecCoinToCore(o.MaxPrice)
	if err != nil {
		return market.Order{}, fmt.Errorf("order %s: max price: %w", o.ID, err)
	}
	c := market.Order{
		ID:            o.ID.ToCore(),
		Resources:     o.Resources.ToCore(),
		MaxPrice:      price,
		OpenHeight:    o.OpenHeight,
		CloseHeight:   o.CloseHeight,
		RevealEnd:     o.RevealEnd,
		MinReputation: market.Reputation(o.MinReputation),
		Sealed:        o.Sealed,
		Requirements: manifest.PlacementRequirements{
			Attributes: AttributesToCore(o.Requirements.Attributes),
			SignedBy:   manifest.SignedBy{AllOf: o.Requirements.SignedByAllOf, AnyOf: o.Requirements.SignedByAnyOf},
		},
	}
	if err := c.Validate(); err != nil {
		return market.Order{}, fmt.Errorf("order %s: %w", o.ID, err)
	}
	return c, nil
}

// ToCore converts a stored bid to core's value. Bids that left the
// competition (lost, closed) never reach Match, so only the three states core
// knows are mapped; a won bid maps to active (it is matched again only in tests).
func (b Bid) ToCore() (market.Bid, error) {
	price, err := DecCoinToCore(b.Price)
	if err != nil {
		return market.Bid{}, fmt.Errorf("bid %s: price: %w", b.ID, err)
	}
	dep, err := CoinToCore(b.Deposit)
	if err != nil {
		return market.Bid{}, fmt.Errorf("bid %s: deposit: %w", b.ID, err)
	}
	c := market.Bid{
		ID:    b.ID.ToCore(),
		Price: price,
		Offer: market.Offer{
			Resources:  b.Offer.Resources.ToCore(),
			Attributes: AttributesToCore(b.Offer.Attributes),
			Reputation: market.Reputation(b.Offer.Reputation),
		},
		PlacedAt: b.PlacedAt,
		Seq:      b.Seq,
		Deposit:  dep,
	}
	switch b.State {
	case BidOpen, BidWon:
		c.State = market.BidActive
	case BidSealed:
		c.State = market.BidSealed
	case BidWithdrawn:
		c.State = market.BidWithdrawn
	default:
		return market.Bid{}, fmt.Errorf("bid %s: state %s does not compete", b.ID, b.State)
	}
	if len(b.Commitment) != 0 {
		if len(b.Commitment) != len(c.Commitment) {
			return market.Bid{}, fmt.Errorf("bid %s: %w: %d bytes, want %d", b.ID, ErrInvalidCommitment, len(b.Commitment), len(c.Commitment))
		}
		copy(c.Commitment[:], b.Commitment)
	}
	return c, nil
}

// CoreState is the bid's state as core's lifecycle rules read it
// (market.CheckEarlierBid, CheckReveal, CheckWithdraw). A bid whose order
// closed (won, lost, closed) counts as placed: those rules then refuse it
// as a duplicate, or the order's state refuses first.
func (b Bid) CoreState() market.BidState {
	switch b.State {
	case BidSealed:
		return market.BidSealed
	case BidWithdrawn:
		return market.BidWithdrawn
	}
	return market.BidActive
}

// HoldsDeposit reports whether the market module account holds this bid's
// deposit: while it competes, and for the winner while its lease is active.
func (b Bid) HoldsDeposit() bool {
	return b.State == BidOpen || b.State == BidSealed || b.State == BidWon
}
