package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/akash-market/akash/node/x/provider/types"
)

// InitGenesis loads params, providers, stakes (rebuilding the bonded total
// and the maturity index) and histories. The module account must already
// hold Σ(bonded + unbonding) — the stake-held invariant checks it.
func (k Keeper) InitGenesis(ctx context.Context, g *types.GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, g.Params); err != nil {
		return err
	}
	for _, p := range g.Providers {
		if err := k.Providers.Set(ctx, p.Owner, p); err != nil {
			return err
		}
	}
	total := math.ZeroInt()
	for _, s := range g.Stakes {
		total = total.Add(s.Bonded)
		for _, u := range s.Unbonding {
			if err := k.Unbonding.Set(ctx, collections.Join(u.MatureAt, s.Provider)); err != nil {
				return err
			}
		}
		if err := k.Stakes.Set(ctx, s.Provider, s); err != nil {
			return err
		}
	}
	if err := k.TotalBonded.Set(ctx, total); err != nil {
		return err
	}
	for _, h := range g.Histories {
		if err := k.Histories.Set(ctx, h.Provider, h); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis writes the state in store (address) order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	p, err := k.GetParams(ctx)
	if err != nil {
		return nil, err
	}
	g := &types.GenesisState{Params: p}
	if err := k.Providers.Walk(ctx, nil, func(_ string, v types.Provider) (bool, error) {
		g.Providers = append(g.Providers, v)
		return false, nil
	}); err != nil {
		return nil, fmt.Errorf("export providers: %w", err)
	}
	if err := k.Stakes.Walk(ctx, nil, func(_ string, v types.Stake) (bool, error) {
		g.Stakes = append(g.Stakes, v)
		return false, nil
	}); err != nil {
		return nil, fmt.Errorf("export stakes: %w", err)
	}
	if err := k.Histories.Walk(ctx, nil, func(_ string, v types.History) (bool, error) {
		g.Histories = append(g.Histories, v)
		return false, nil
	}); err != nil {
		return nil, fmt.Errorf("export histories: %w", err)
	}
	return g, nil
}
