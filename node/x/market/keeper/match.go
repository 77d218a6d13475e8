package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/market/types"
)

// EndBlock matches exactly the orders whose match height is this block's
// (open orders at their close height, sealed ones at the end of their reveal
// window), so an order becomes a lease in the block its window closes.
// Orders are matched in key order, which is deterministic.
func (k Keeper) EndBlock(ctx context.Context) error {
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	var due [][]byte
	err := k.OrdersByMatch.Walk(ctx, collections.NewPrefixedPairRange[int64, []byte](h), func(key collections.Pair[int64, []byte]) (bool, error) {
		due = append(due, key.K2())
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("market: reading orders due at height %d: %w", h, err)
	}
	for _, key := range due {
		if err := k.matchOrder(ctx, key, h); err != nil {
			return err
		}
	}
	return nil
}

// matchOrder decides one order with core/market.Match over its stored bids
// and applies the Result: the lease, every bid's outcome, every deposit.
func (k Keeper) matchOrder(ctx context.Context, key []byte, h int64) error {
	so, err := k.Orders.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("market: order key %x is due at %d but unreadable: %w", key, h, err)
	}
	o, err := so.ToCore()
	if err != nil {
		return err
	}
	stored, err := k.orderBids(ctx, o.ID)
	if err != nil {
		return err
	}
	byKey := make(map[string]int, len(stored))
	bids := make([]market.Bid, 0, len(stored))
	for i, b := range stored {
		if b.State != types.BidOpen && b.State != types.BidSealed && b.State != types.BidWithdrawn {
			continue
		}
		cb, err := b.ToCore()
		if err != nil {
			return err
		}
		byKey[string(types.BidKey(cb.ID))] = i
		bids = append(bids, cb)
	}
	res := market.Match(o, bids)

	var leaseErr error
	if res.Matched {
		leaseErr = k.openLease(ctx, res.Winner, res.Price, h)
	}
	for _, out := range res.Bids {
		b := stored[byKey[string(types.BidKey(out.Bid))]]
		b.Outcome, b.DepositAction = out.Why(), out.Action.String()
		if b.State != types.BidWithdrawn {
			b.ClosedAt = h
		}
		switch {
		case out.Outcome == market.OutcomeWon && leaseErr == nil:
			b.State = types.BidWon
		case out.Outcome == market.OutcomeWon: // the lease could not open: the winner is not held to it
			b.State, b.DepositAction = types.BidLost, market.DepositRefund.String()
			err = k.refund(ctx, b)
		case out.Outcome == market.OutcomeWithdrawn:
			// already withdrawn, deposit returned then
		default:
			b.State = types.BidLost
			switch out.Action {
			case market.DepositRefund:
				err = k.refund(ctx, b)
			case market.DepositForfeit:
				err = k.forfeit(ctx, b)
			}
		}
		if err != nil {
			return err
		}
		if err := k.Bids.Set(ctx, types.BidKey(out.Bid), b); err != nil {
			return err
		}
	}
	em := sdk.UnwrapSDKContext(ctx).EventManager()
	switch {
	case res.Matched && leaseErr == nil:
		em.EmitEvent(sdk.NewEvent("akash.market.order_matched",
			sdk.NewAttribute("order", o.ID.String()), sdk.NewAttribute("lease", res.Winner.String()), sdk.NewAttribute("price", res.Price.String())))
		return k.finishOrder(ctx, so, types.OrderMatched, h, "", fmt.Sprintf("lease %s at %s per block", res.Winner, res.Price))
	case res.Matched:
		detail := fmt.Sprintf("winner %s at %s, but its lease could not open: %v", res.Winner, res.Price, leaseErr)
		k.logger(ctx).Info("order unmatched: lease did not open", "order", o.ID.String(), "why", detail)
		em.EmitEvent(sdk.NewEvent("akash.market.order_unmatched", sdk.NewAttribute("order", o.ID.String()), sdk.NewAttribute("why", detail)))
		return k.finishOrder(ctx, so, types.OrderUnmatched, h, "unmatched", detail)
	default:
		em.EmitEvent(sdk.NewEvent("akash.market.order_unmatched", sdk.NewAttribute("order", o.ID.String()), sdk.NewAttribute("why", res.Explanation)))
		return k.finishOrder(ctx, so, types.OrderUnmatched, h, "unmatched", res.Explanation)
	}
}
