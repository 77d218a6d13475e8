// Package keeper is the market module's state: orders, bids and leases in
// collections, and the verbs that change them. The rules (eligibility,
// matching, the sealed-bid encoding) are core/market's; the keeper decodes,
// authorizes, calls core and persists, and moves deposits as core decides.
package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/log/v2"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/market/types"
)

// Keeper holds the market's state. It is a value: every copy reads and writes
// the same store.
type Keeper struct {
	cdc       codec.BinaryCodec
	authority string

	account  types.AccountKeeper
	bank     types.BankKeeper
	distr    types.DistrKeeper
	escrow   types.EscrowKeeper
	provider types.ProviderKeeper

	Schema collections.Schema
	Params collections.Item[types.Params]
	// Seq is the next bid placement sequence number, shared by all orders
	// (core's (PlacedAt, Seq) tie rule).
	Seq    collections.Sequence
	Orders collections.Map[[]byte, types.Order]
	// OrdersByMatch indexes open orders by their match height, so EndBlock
	// reads only the orders due at its height.
	OrdersByMatch collections.KeySet[collections.Pair[int64, []byte]]
	// NextOSeq is the oseq the next order of a group gets (key: GroupPrefix).
	NextOSeq         collections.Map[[]byte, uint32]
	Bids             collections.Map[[]byte, types.Bid]
	BidsByProvider   collections.KeySet[collections.Pair[string, []byte]]
	Leases           collections.Map[[]byte, types.Lease]
	LeasesByProvider collections.KeySet[collections.Pair[string, []byte]]
}

// NewKeeper builds the keeper. escrow and provider may be nil while those
// modules are not wired; every verb that needs them then fails with
// ErrNotWired, naming which one is missing.
func NewKeeper(cdc codec.BinaryCodec, store corestore.KVStoreService, authority string,
	account types.AccountKeeper, bank types.BankKeeper, distr types.DistrKeeper,
	escrow types.EscrowKeeper, provider types.ProviderKeeper,
) Keeper {
	sb := collections.NewSchemaBuilder(store)
	k := Keeper{
		cdc: cdc, authority: authority,
		account: account, bank: bank, distr: distr, escrow: escrow, provider: provider,
		Params:           collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Seq:              collections.NewSequence(sb, types.SeqKey, "seq"),
		Orders:           collections.NewMap(sb, types.OrdersKey, "orders", collections.BytesKey, codec.CollValue[types.Order](cdc)),
		OrdersByMatch:    collections.NewKeySet(sb, types.OrdersByMatchKey, "orders_by_match", collections.PairKeyCodec(collections.Int64Key, collections.BytesKey)),
		NextOSeq:         collections.NewMap(sb, types.NextOSeqKey, "next_oseq", collections.BytesKey, collections.Uint32Value),
		Bids:             collections.NewMap(sb, types.BidsKey, "bids", collections.BytesKey, codec.CollValue[types.Bid](cdc)),
		BidsByProvider:   collections.NewKeySet(sb, types.BidsByProviderKey, "bids_by_provider", collections.PairKeyCodec(collections.StringKey, collections.BytesKey)),
		Leases:           collections.NewMap(sb, types.LeasesKey, "leases", collections.BytesKey, codec.CollValue[types.Lease](cdc)),
		LeasesByProvider: collections.NewKeySet(sb, types.LeasesByProvider, "leases_by_provider", collections.PairKeyCodec(collections.StringKey, collections.BytesKey)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Sprintf("market keeper: building the store schema: %v", err))
	}
	k.Schema = schema
	return k
}

// Authority is the address that may update the params.
func (k Keeper) Authority() string { return k.authority }

// GetParams returns the params (the defaults if none were stored).
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return types.Params{}, fmt.Errorf("market: reading params: %w", err)
	}
	return p, nil
}

// SetParams validates and stores the params.
func (k Keeper) SetParams(ctx context.Context, p types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return k.Params.Set(ctx, p)
}

// ModuleAddress is the account that holds bid deposits.
func (k Keeper) ModuleAddress() sdk.AccAddress { return k.account.GetModuleAddress(types.ModuleName) }

func (k Keeper) logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

func (k Keeper) needEscrow() error {
	if k.escrow == nil {
		return fmt.Errorf("%w: no escrow keeper (node/x/escrow is not in the app)", types.ErrNotWired)
	}
	return nil
}

func (k Keeper) needProvider() error {
	if k.provider == nil {
		return fmt.Errorf("%w: no provider keeper (node/x/provider is not in the app)", types.ErrNotWired)
	}
	return nil
}

// ProviderOffer is what a bid of addr offers besides its resources: the
// provider's attributes and current reputation; ok is false when addr is not
// a registered provider (or the provider module is not wired).
func (k Keeper) ProviderOffer(ctx context.Context, addr string) (attrs manifest.Attributes, rep market.Reputation, ok bool) {
	if k.provider == nil {
		return nil, 0, false
	}
	attrs, rep, ok, err := k.provider.Offer(ctx, addr)
	return attrs, rep, ok && err == nil
}

// OrderBids lists every bid on an order.
func (k Keeper) OrderBids(ctx context.Context, id market.OrderID) ([]types.Bid, error) {
	return k.orderBids(ctx, id)
}
