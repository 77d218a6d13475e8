// Package keeper holds the provider module's state: the registry, each
// provider's stake (core/lease.StakeBook records), its fulfillment history and
// the params. Rules come from core/lease; the keeper loads, applies, persists.
package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/provider/types"
)

// Keeper is the provider module's keeper.
type Keeper struct {
	cdc       codec.BinaryCodec
	authority string

	accounts types.AccountKeeper
	bank     types.BankKeeper
	distr    types.DistributionKeeper

	Schema      collections.Schema
	Params      collections.Item[types.Params]
	Providers   collections.Map[string, types.Provider]
	Stakes      collections.Map[string, types.Stake]
	TotalBonded collections.Item[math.Int]
	// Unbonding indexes unbonding entries by maturity so EndBlock touches only
	// the providers whose coins are due.
	Unbonding collections.KeySet[collections.Pair[int64, string]]
	Histories collections.Map[string, types.History]
}

// NewKeeper builds the keeper; authority may change params (the gov module account).
func NewKeeper(cdc codec.BinaryCodec, store corestore.KVStoreService, authority string,
	ak types.AccountKeeper, bk types.BankKeeper, dk types.DistributionKeeper,
) Keeper {
	sb := collections.NewSchemaBuilder(store)
	k := Keeper{
		cdc:         cdc,
		authority:   authority,
		accounts:    ak,
		bank:        bk,
		distr:       dk,
		Params:      collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Providers:   collections.NewMap(sb, types.ProvidersPrefix, "providers", collections.StringKey, codec.CollValue[types.Provider](cdc)),
		Stakes:      collections.NewMap(sb, types.StakesPrefix, "stakes", collections.StringKey, codec.CollValue[types.Stake](cdc)),
		TotalBonded: collections.NewItem(sb, types.TotalBondedKey, "total_bonded", sdk.IntValue),
		Unbonding:   collections.NewKeySet(sb, types.UnbondingPrefix, "unbonding", collections.PairKeyCodec(collections.Int64Key, collections.StringKey)),
		Histories:   collections.NewMap(sb, types.HistoriesPrefix, "histories", collections.StringKey, codec.CollValue[types.History](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Sprintf("provider keeper: building the store schema: %v", err))
	}
	k.Schema = schema
	return k
}

// Authority is the address allowed to change params.
func (k Keeper) Authority() string { return k.authority }

// GetParams returns the params (defaults before genesis has run, e.g. in tests of a bare store).
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	p, err := k.Params.Get(ctx)
	if errors.Is(err, collections.ErrNotFound) {
		return types.DefaultParams(), nil
	}
	return p, err
}

// SetParams replaces the params. The stake denom cannot change while the
// module holds stake in the old one: every record is in that denom.
func (k Keeper) SetParams(ctx context.Context, p types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	old, err := k.GetParams(ctx)
	if err != nil {
		return err
	}
	if p.StakeDenom != old.StakeDenom {
		if held := k.bank.GetBalance(ctx, k.accounts.GetModuleAddress(types.ModuleName), old.StakeDenom); held.IsPositive() {
			return errorsmod.Wrapf(types.ErrInvalidParams, "stake_denom %s -> %s while %s is bonded or unbonding; wait until all of it is released", old.StakeDenom, p.StakeDenom, held)
		}
	}
	return k.Params.Set(ctx, p)
}

// Provider returns a registered provider.
func (k Keeper) Provider(ctx context.Context, owner string) (types.Provider, bool, error) {
	p, err := k.Providers.Get(ctx, owner)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Provider{}, false, nil
	}
	return p, err == nil, err
}

// History returns the provider's history (zero when it never had a lease).
func (k Keeper) History(ctx context.Context, provider string) (types.History, error) {
	h, err := k.Histories.Get(ctx, provider)
	if errors.Is(err, collections.ErrNotFound) {
		return types.History{Provider: provider}, nil
	}
	return h, err
}

// Stake returns the provider's stake record (all zero when it never bonded).
func (k Keeper) Stake(ctx context.Context, provider string) (types.Stake, error) {
	s, err := k.Stakes.Get(ctx, provider)
	if errors.Is(err, collections.ErrNotFound) {
		return types.NewStake(provider), nil
	}
	return s, err
}

func (k Keeper) totalBonded(ctx context.Context) (math.Int, error) {
	t, err := k.TotalBonded.Get(ctx)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return t, err
}

func (k Keeper) accAddress(field, addr string) (sdk.AccAddress, error) {
	bz, err := k.accounts.AddressCodec().StringToBytes(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "%s %q: %v", field, addr, err)
	}
	return bz, nil
}

func emit(ctx context.Context, typ string, attrs ...string) {
	ev := sdk.NewEvent(typ, sdk.NewAttribute(sdk.AttributeKeyModule, types.ModuleName))
	for i := 0; i+1 < len(attrs); i += 2 {
		ev = ev.AppendAttributes(sdk.NewAttribute(attrs[i], attrs[i+1]))
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(ev)
}
