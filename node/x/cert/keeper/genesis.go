package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"

	"github.com/akash-market/akash/node/x/cert/types"
)

// InitGenesis stores every certificate as exported.
func (k Keeper) InitGenesis(ctx context.Context, g *types.GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	for _, c := range g.Certificates {
		if err := k.Certificates.Set(ctx, collections.Join(c.Owner, c.Serial), c); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis writes every certificate in (owner, serial) order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	g := &types.GenesisState{}
	err := k.Certificates.Walk(ctx, nil, func(_ collections.Pair[string, string], c types.Certificate) (bool, error) {
		g.Certificates = append(g.Certificates, c)
		return false, nil
	})
	return g, err
}

// CheckCertificates is the invariant: every stored record is a valid
// certificate of its owner under its own serial, in state valid or revoked.
func (k Keeper) CheckCertificates(ctx context.Context) error {
	var errs []error
	err := k.Certificates.Walk(ctx, nil, func(key collections.Pair[string, string], c types.Certificate) (bool, error) {
		if key.K1() != c.Owner || key.K2() != c.Serial {
			errs = append(errs, fmt.Errorf("record %s/%s stored under %s/%s", c.Owner, c.Serial, key.K1(), key.K2()))
		}
		if err := c.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s/%s: %w", key.K1(), key.K2(), err))
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	return errors.Join(errs...)
}
