package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/provider/types"
)

// ReputationReport is a provider's reputation with what it was computed from.
type ReputationReport struct {
	Reputation  market.Reputation
	Fulfillment uint32
	StakeScore  uint32
	History     types.History
	Share       lease.Fraction
}

// Reputation computes the provider's reputation now with core/lease's formula.
func (k Keeper) Reputation(ctx context.Context, provider string) (ReputationReport, error) {
	p, err := k.GetParams(ctx)
	if err != nil {
		return ReputationReport{}, err
	}
	h, err := k.History(ctx, provider)
	if err != nil {
		return ReputationReport{}, err
	}
	share, err := k.StakeWeight(ctx, provider)
	if err != nil {
		return ReputationReport{}, err
	}
	rp := p.Reputation.Core()
	return ReputationReport{
		Reputation:  lease.ComputeReputation(share, h.Core(), rp),
		Fulfillment: lease.FulfillmentScore(h.Core(), rp),
		StakeScore:  lease.StakeScore(share, rp),
		History:     h,
		Share:       share,
	}, nil
}

// Offer is what the market needs of a provider when it bids: its attributes
// (sorted by key) and its current reputation. ok is false when provider is
// not registered.
func (k Keeper) Offer(ctx context.Context, provider string) (attrs manifest.Attributes, rep market.Reputation, ok bool, err error) {
	p, found, err := k.Provider(ctx, provider)
	if err != nil || !found {
		return nil, 0, false, err
	}
	r, err := k.Reputation(ctx, provider)
	if err != nil {
		return nil, 0, false, err
	}
	return types.ManifestAttributes(p.Attributes), r.Reputation, true, nil
}

// LeaseOpened counts a lease the provider won (its active leases block
// deletion until they close).
func (k Keeper) LeaseOpened(ctx context.Context, provider string) error {
	if err := types.ValidateAddress("provider", provider); err != nil {
		return err
	}
	h, err := k.History(ctx, provider)
	if err != nil {
		return err
	}
	h.Provider = provider
	h.Opened++
	return k.Histories.Set(ctx, provider, h)
}

// LeaseClosed records a lease close in the provider's history (core/lease
// History.Record) and applies the market's slashing policy to it (core/lease
// SlashPolicy: a provider-fault close slashes params.fault_slash_bps of the
// provider's stake to the community pool, once per lease).
func (k Keeper) LeaseClosed(ctx context.Context, provider string, reason lease.CloseReason) error {
	if err := types.ValidateAddress("provider", provider); err != nil {
		return err
	}
	if !reason.Valid() {
		return errorsmod.Wrapf(types.ErrInvalidCloseEvent, "lease of provider %s closed with reason %s; every close needs a reason such as %s", provider, reason, lease.ReasonTenantClosed)
	}
	h, err := k.History(ctx, provider)
	if err != nil {
		return err
	}
	c := h.Core()
	c.Record(reason)
	h.Provider, h.Served, h.Faults, h.Neutral = provider, c.Served, c.Faults, c.Neutral
	if err := k.Histories.Set(ctx, provider, h); err != nil {
		return err
	}
	cut, err := k.slash(ctx, provider, reason)
	if err != nil {
		return fmt.Errorf("provider %s: slash for %s: %w", provider, reason, err)
	}
	emit(ctx, "provider_lease_closed", "provider", provider, "reason", reason.String(), "slashed", cut.String())
	return nil
}
