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

// matchOrder decides one order with core/market.Match over its stored bids.
// Under tenant matching (params.matching) an order with an eligible bid then
// waits for its tenant's pick (core/market.Await; CreateLease), re-indexed at
// the last height a pick is taken; an awaiting order found due here expired
// with no pick (core/market.Expire). Otherwise the Result is applied.
func (k Keeper) matchOrder(ctx context.Context, key []byte, h int64) error {
	so, err := k.Orders.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("market: order key %x is due at %d but unreadable: %w", key, h, err)
	}
	r, err := k.rank(ctx, so)
	if err != nil {
		return err
	}
	if so.PickUntil > 0 {
		a := awaitingOf(so, &r.order)
		return k.applyResult(ctx, so, market.Expire(&a, r.res), r, h)
	}
	p, err := k.GetParams(ctx)
	if err != nil {
		return err
	}
	op := p.OrderParams()
	a, wait, err := market.Await(&r.res, r.order.MatchHeight(), op.Matching, op.BidTimeout)
	if err != nil {
		return err
	}
	if wait {
		return k.awaitPick(ctx, so, a, len(r.res.Bids))
	}
	return k.applyResult(ctx, so, r.res, r, h)
}

// awaitingOf is the stored awaiting order so as core/market sees it.
func awaitingOf(so types.Order, o *market.Order) market.Awaiting {
	return market.Awaiting{Order: o.ID, Closed: o.MatchHeight(), Until: so.PickUntil}
}

// awaitPick keeps order so open for its tenant's pick until a.Until: its bids
// stay as they are (deposits locked), and the order is indexed at a.Until so
// the EndBlock of that height expires it if no pick came.
func (k Keeper) awaitPick(ctx context.Context, so types.Order, a market.Awaiting, nbids int) error {
	key := types.OrderKey(a.Order)
	if err := k.OrdersByMatch.Remove(ctx, collections.Join(matchHeight(so), key)); err != nil {
		return err
	}
	so.PickUntil = a.Until
	if err := k.putOrder(ctx, so); err != nil {
		return err
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent("akash.market.order_awaiting_pick",
		sdk.NewAttribute("order", a.Order.String()), sdk.NewAttribute("pick_until", fmt.Sprint(a.Until)),
		sdk.NewAttribute("bids", fmt.Sprint(nbids))))
	return nil
}

// CreateLease is a tenant's pick under tenant matching: core/market.Pick
// decides it over the order's stored bids (ranked again by Match, as at the
// close), and the Result is applied as a close's is: the picked bid's lease,
// every other bid refunded.
func (k Keeper) CreateLease(ctx context.Context, m *types.MsgCreateLease) error {
	chosen := m.Bid.ToCore()
	so, err := k.GetOrder(ctx, chosen.OrderID)
	if err != nil {
		return err
	}
	switch {
	case so.State == types.OrderOpen && so.PickUntil == 0:
		return fmt.Errorf("%w: order %s takes bids until height %d; under matching tenant its tenant picks after that, under auto matching the market picks then", market.ErrNotAwaiting, chosen.OrderID, matchHeight(so))
	case so.State != types.OrderOpen:
		return fmt.Errorf("%w: order %s is %s at height %d (%s)", market.ErrNotAwaiting, chosen.OrderID, so.State, so.ClosedAt, so.CloseDetail)
	}
	r, err := k.rank(ctx, so)
	if err != nil {
		return err
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	a := awaitingOf(so, &r.order)
	res, err := market.Pick(&a, r.res, chosen, h)
	if err != nil {
		return err
	}
	return k.applyResult(ctx, so, res, r, h)
}

// ranked is an order's stored bids ranked by core/market.Match, as at its
// close: the order, the Result, the stored bid records and an index from
// bid key to record.
type ranked struct {
	order  market.Order
	res    market.Result
	stored []types.Bid
	byKey  map[string]int
}

// rank loads the bids of order so that take part in its match (open, sealed
// or withdrawn) and ranks them with core/market.Match.
func (k Keeper) rank(ctx context.Context, so types.Order) (ranked, error) {
	o, err := so.ToCore()
	if err != nil {
		return ranked{}, err
	}
	stored, err := k.orderBids(ctx, o.ID)
	if err != nil {
		return ranked{}, err
	}
	r := ranked{order: o, stored: stored, byKey: make(map[string]int, len(stored))}
	bids := make([]market.Bid, 0, len(stored))
	for i, b := range stored {
		if b.State != types.BidOpen && b.State != types.BidSealed && b.State != types.BidWithdrawn {
			continue
		}
		cb, err := b.ToCore()
		if err != nil {
			return ranked{}, err
		}
		r.byKey[string(types.BidKey(cb.ID))] = i
		bids = append(bids, cb)
	}
	r.res = market.Match(o, bids)
	return r, nil
}

// applyResult applies res, decided for order so over its ranked bids r, at
// height h: the lease, every bid's outcome, every deposit, the order's end.
func (k Keeper) applyResult(ctx context.Context, so types.Order, res market.Result, r ranked, h int64) error {
	o, stored, byKey := r.order, r.stored, r.byKey
	var err error
	var leaseErr error
	if res.Matched {
		leaseErr = k.openLease(ctx, res.Winner, res.Price, h)
	}
	for i := range res.Bids {
		out := &res.Bids[i]
		id := res.BidID(out)
		b := stored[byKey[string(types.BidKey(id))]]
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
		if err := k.Bids.Set(ctx, types.BidKey(id), b); err != nil {
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
		why := res.Explanation()
		em.EmitEvent(sdk.NewEvent("akash.market.order_unmatched", sdk.NewAttribute("order", o.ID.String()), sdk.NewAttribute("why", why)))
		return k.finishOrder(ctx, so, types.OrderUnmatched, h, "unmatched", why)
	}
}
