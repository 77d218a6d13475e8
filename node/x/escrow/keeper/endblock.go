package keeper

import (
	"context"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
)

// EndBlock closes exactly the accounts whose money runs out at this height:
// those whose dry height (the last block their balance pays) is h. It reads
// the dry index from its start and stops at the first entry above h, so an
// idle block costs one iterator seek whatever the number of accounts.
//
// Closing one calls Settle(h+1): block h+1 is the first the balance cannot
// pay, so core/lease pays every whole block up to h, closes every lease and
// the account at h with ReasonInsufficientFunds and a detail naming the
// balance, the rate and the block it could not pay, pays providers and
// refunds the sub-block remainder. The hooks (market, deployment) are then
// told; if a hook fails the escrow close stands (the money is settled) and
// the hook's changes are dropped and logged, so a bug there cannot halt the chain.
func (k Keeper) EndBlock(ctx context.Context) error {
	h := height(ctx)
	due, err := k.due(ctx, h)
	if err != nil {
		return err
	}
	for _, id := range due {
		s, err := k.load(ctx, id)
		if err != nil {
			return err
		}
		a, err := s.ToCore()
		if err != nil {
			return err
		}
		c, err := k.run(ctx, a, func(a *lease.Account, h int64, eff *lease.Effects) error {
			return a.Settle(h+1, eff)
		}, nil)
		if err != nil {
			return fmt.Errorf("escrow EndBlock at height %d: closing dry account %s: %w", h, id, err)
		}
		if a.State != lease.StateClosed {
			// Only an index entry out of step with its account gets here; run
			// has re-indexed the account at its true dry height.
			continue
		}
		sdkCtx := sdk.UnwrapSDKContext(ctx)
		cache, write := sdkCtx.CacheContext()
		if err := k.notify(cache, a, c, nil); err != nil {
			sdkCtx.Logger().Error("escrow: hook failed for dry account; escrow close kept, hook changes dropped",
				"account", id.String(), "height", h, "err", err)
			continue
		}
		write()
	}
	return nil
}

// due lists the accounts with a dry height at or below h (only h in a
// healthy chain: every change re-indexes at a height ≥ the current one).
func (k Keeper) due(ctx context.Context, h int64) ([]market.DeploymentID, error) {
	it, err := k.DryIndex.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []market.DeploymentID
	for ; it.Valid(); it.Next() {
		key, err := it.Key()
		if err != nil {
			return nil, err
		}
		if key.K1() > h {
			break
		}
		out = append(out, market.DeploymentID{Owner: key.K2(), DSeq: key.K3()})
	}
	return out, nil
}
