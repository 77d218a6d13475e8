package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/provider/types"
)

// CreateProvider registers owner. Attributes are stored sorted by key.
func (k Keeper) CreateProvider(ctx context.Context, owner, hostURI string, attrs []types.Attribute, info types.Info) error {
	if _, found, err := k.Provider(ctx, owner); err != nil {
		return err
	} else if found {
		return errorsmod.Wrapf(types.ErrProviderExists, "provider %s; use `tx provider update` to change it", owner)
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	p := types.Provider{Owner: owner, HostURI: hostURI, Attributes: types.SortAttributes(attrs), Info: info, CreatedAt: h, UpdatedAt: h}
	if err := k.Providers.Set(ctx, owner, p); err != nil {
		return err
	}
	emit(ctx, "provider_created", "owner", owner, "host_uri", hostURI)
	return nil
}

// UpdateProvider replaces host URI, attributes and info. Bids already placed
// keep the offer they were made with (core/market snapshots it).
func (k Keeper) UpdateProvider(ctx context.Context, owner, hostURI string, attrs []types.Attribute, info types.Info) error {
	p, found, err := k.Provider(ctx, owner)
	if err != nil {
		return err
	}
	if !found {
		return errorsmod.Wrapf(types.ErrProviderNotFound, "provider %s; register it first with `tx provider create`", owner)
	}
	p.HostURI, p.Attributes, p.Info = hostURI, types.SortAttributes(attrs), info
	p.UpdatedAt = sdk.UnwrapSDKContext(ctx).BlockHeight()
	if err := k.Providers.Set(ctx, owner, p); err != nil {
		return err
	}
	emit(ctx, "provider_updated", "owner", owner, "host_uri", hostURI)
	return nil
}

// DeleteProvider removes the registration. It is refused while the provider
// holds active leases (tenants still reach it at host_uri) or bonded stake
// (unbond first, so the stake's exit always takes the unbonding period and
// stays slashable). Its history stays, so re-registering does not wash a
// record clean; unbonding stake is still released at maturity.
func (k Keeper) DeleteProvider(ctx context.Context, owner string) error {
	if _, found, err := k.Provider(ctx, owner); err != nil {
		return err
	} else if !found {
		return errorsmod.Wrapf(types.ErrProviderNotFound, "provider %s", owner)
	}
	h, err := k.History(ctx, owner)
	if err != nil {
		return err
	}
	if n := h.Active(); n > 0 {
		return errorsmod.Wrapf(types.ErrProviderBusy, "provider %s has %d active lease(s); close them (or wait for them to end) before deleting", owner, n)
	}
	s, err := k.Stake(ctx, owner)
	if err != nil {
		return err
	}
	if s.Bonded.IsPositive() {
		p, err := k.GetParams(ctx)
		if err != nil {
			return err
		}
		return errorsmod.Wrapf(types.ErrProviderBusy, "provider %s has %s%s bonded; `tx provider unbond %s%s` first", owner, s.Bonded, p.StakeDenom, s.Bonded, p.StakeDenom)
	}
	if err := k.Providers.Remove(ctx, owner); err != nil {
		return err
	}
	emit(ctx, "provider_deleted", "owner", owner)
	return nil
}
