// Package keeper holds the escrow module's state and applies core/lease's
// escrow rules to it: every state change calls a core verb on the stored
// account and applies the transfers it decided with x/bank.
package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/escrow/types"
)

// AccountKey is the store key of a deployment's account: (owner, dseq).
type AccountKey = collections.Pair[string, uint64]

// Keeper is the escrow module's keeper. It is a value: copies share the
// store and the hooks slot.
type Keeper struct {
	cdc   codec.BinaryCodec
	bank  types.BankKeeper
	distr types.DistrKeeper
	// moduleAddr is the "escrow" module account, which holds every escrowed coin.
	moduleAddr sdk.AccAddress
	hooks      *types.Hooks

	Schema   collections.Schema
	Params   collections.Item[types.Params]
	Accounts collections.Map[AccountKey, types.Account]
	// DryIndex holds (dry height, owner, dseq) for every account with an
	// active lease, so EndBlock visits only the accounts due at its height.
	DryIndex collections.KeySet[collections.Triple[int64, string, uint64]]
	// ProviderIndex holds (provider, owner, dseq) for every account that ever paid the provider.
	ProviderIndex collections.KeySet[collections.Triple[string, string, uint64]]
}

// NewKeeper builds the keeper on the module's store.
func NewKeeper(cdc codec.BinaryCodec, store corestore.KVStoreService, ak types.AccountKeeper, bank types.BankKeeper, distr types.DistrKeeper) Keeper {
	sb := collections.NewSchemaBuilder(store)
	k := Keeper{
		cdc:        cdc,
		bank:       bank,
		distr:      distr,
		moduleAddr: ak.GetModuleAddress(types.ModuleName),
		hooks:      new(types.Hooks),
		Params:     collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Accounts: collections.NewMap(sb, types.AccountsPrefix, "accounts",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), codec.CollValue[types.Account](cdc)),
		DryIndex: collections.NewKeySet(sb, types.DryIndexPrefix, "dry_index",
			collections.TripleKeyCodec(collections.Int64Key, collections.StringKey, collections.Uint64Key)),
		ProviderIndex: collections.NewKeySet(sb, types.ProviderIdxPrefix, "provider_index",
			collections.TripleKeyCodec(collections.StringKey, collections.StringKey, collections.Uint64Key)),
	}
	if k.moduleAddr == nil {
		panic("escrow: the escrow module account is not configured (add it to auth's module account permissions)")
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// SetHooks installs the hooks told of escrow-decided closes. Call it once, at wiring.
func (k Keeper) SetHooks(h types.Hooks) {
	if *k.hooks != nil {
		panic(types.ErrHooksSet)
	}
	*k.hooks = h
}

// ModuleAddress is the escrow module account's address.
func (k Keeper) ModuleAddress() sdk.AccAddress { return k.moduleAddr }

func accountKey(id market.DeploymentID) AccountKey { return collections.Join(id.Owner, id.DSeq) }

func (k Keeper) load(ctx context.Context, id market.DeploymentID) (types.Account, error) {
	s, err := k.Accounts.Get(ctx, accountKey(id))
	if errors.Is(err, collections.ErrNotFound) {
		return types.Account{}, types.ErrAccountNotFound.Wrapf("deployment %s has no escrow account (was it created?)", id)
	}
	return s, err
}

func height(ctx context.Context) int64 { return sdk.UnwrapSDKContext(ctx).BlockHeight() }
