package keeper

import (
	"context"
	"fmt"

	"github.com/akash-market/akash/node/x/escrow/types"
)

// InitGenesis stores the params and accounts and rebuilds both indexes from
// the accounts (the indexes are derived data, never exported).
func (k Keeper) InitGenesis(ctx context.Context, g *types.GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, g.Params); err != nil {
		return err
	}
	for _, s := range g.Accounts {
		a, err := s.ToCore()
		if err != nil {
			return err
		}
		if err := k.Accounts.Set(ctx, accountKey(a.ID), s); err != nil {
			return err
		}
		if dry, ok := a.DryHeight(); ok {
			if err := k.DryIndex.Set(ctx, dryKey(dry, a.ID)); err != nil {
				return err
			}
		}
		for _, p := range a.Payments {
			if err := k.ProviderIndex.Set(ctx, providerKey(p.Lease.ID.Provider, a.ID)); err != nil {
				return err
			}
		}
	}
	return nil
}

// ExportGenesis writes the params and every account in store order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	g := &types.GenesisState{Params: p}
	err = k.Accounts.Walk(ctx, nil, func(_ AccountKey, s types.Account) (bool, error) {
		g.Accounts = append(g.Accounts, s)
		return false, nil
	})
	if err != nil {
		return nil, fmt.Errorf("escrow: export accounts: %w", err)
	}
	return g, nil
}
