package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"

	"github.com/akash-market/akash/node/x/market/types"
)

// InitGenesis loads a validated genesis state: params, the bid sequence,
// every order (open ones re-indexed by match height), bid and lease.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	next := gs.NextSeq
	if next == 0 {
		next = 1
	}
	if err := k.Seq.Set(ctx, next); err != nil {
		return err
	}
	for _, o := range gs.Orders {
		if err := k.putOrder(ctx, o); err != nil {
			return err
		}
		gkey := types.GroupPrefix(o.ID.ToCore().GroupID)
		cur, err := k.NextOSeq.Get(ctx, gkey)
		if err != nil && !errorsIsNotFound(err) {
			return err
		}
		if o.ID.OSeq >= cur {
			if err := k.NextOSeq.Set(ctx, gkey, o.ID.OSeq+1); err != nil {
				return err
			}
		}
	}
	for _, b := range gs.Bids {
		key := types.BidKey(b.ID.ToCore())
		if err := k.Bids.Set(ctx, key, b); err != nil {
			return err
		}
		if err := k.BidsByProvider.Set(ctx, collections.Join(b.ID.Provider, key)); err != nil {
			return err
		}
	}
	for _, l := range gs.Leases {
		key := types.BidKey(l.ID.ToCore())
		if err := k.Leases.Set(ctx, key, l); err != nil {
			return err
		}
		if err := k.LeasesByProvider.Set(ctx, collections.Join(l.ID.Provider, key)); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis writes the whole market state.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	p, err := k.GetParams(ctx)
	if err != nil {
		return nil, err
	}
	next, err := k.Seq.Peek(ctx)
	if err != nil {
		return nil, fmt.Errorf("market: reading the bid sequence: %w", err)
	}
	gs := &types.GenesisState{Params: p, NextSeq: next}
	if err := k.Orders.Walk(ctx, nil, func(_ []byte, o types.Order) (bool, error) {
		gs.Orders = append(gs.Orders, o)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Bids.Walk(ctx, nil, func(_ []byte, b types.Bid) (bool, error) {
		gs.Bids = append(gs.Bids, b)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Leases.Walk(ctx, nil, func(_ []byte, l types.Lease) (bool, error) {
		gs.Leases = append(gs.Leases, l)
		return false, nil
	}); err != nil {
		return nil, err
	}
	return gs, nil
}
