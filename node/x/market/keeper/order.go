package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/market/types"
)

// CreateOrder puts group g of a deployment on the order book at the current
// height, on the terms core/market.OrderParams.TermsAt gives for the tenant's
// asks: it takes bids for params.bid_window_blocks blocks (commitments, then
// reveals for params.reveal_window_blocks, when sealed: the tenant's ask, or
// what params.sealed_bids forces) from providers of at least the asked
// reputation, and is matched in the EndBlock of its match height. Each call
// for the same group opens the next oseq.
func (k Keeper) CreateOrder(ctx context.Context, gid market.GroupID, g manifest.Group, asks market.Asks) (market.OrderID, error) {
	p, err := k.GetParams(ctx)
	if err != nil {
		return market.OrderID{}, err
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	oseq, err := k.nextOSeq(ctx, gid)
	if err != nil {
		return market.OrderID{}, err
	}
	id := market.OrderID{GroupID: gid, OSeq: oseq}
	o, err := market.NewOrder(id, g, p.OrderParams().TermsAt(h, asks))
	if err != nil {
		return market.OrderID{}, fmt.Errorf("market: order for group %s (%q): %w", gid, g.Name, err)
	}
	return id, k.putNewOrder(ctx, o)
}

// nextOSeq is the oseq the group's next order gets.
func (k Keeper) nextOSeq(ctx context.Context, gid market.GroupID) (uint32, error) {
	oseq, err := k.NextOSeq.Get(ctx, types.GroupPrefix(gid))
	if errors.Is(err, collections.ErrNotFound) {
		return 1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("market: next oseq of group %s: %w", gid, err)
	}
	return oseq, nil
}

// putNewOrder puts a new order on the book: the group's oseq advances, the
// order is stored and indexed by its match height, and the event tells
// providers.
func (k Keeper) putNewOrder(ctx context.Context, o market.Order) error {
	if err := k.NextOSeq.Set(ctx, types.GroupPrefix(o.ID.GroupID), o.ID.OSeq+1); err != nil {
		return err
	}
	if err := k.putOrder(ctx, types.OrderFromCore(o)); err != nil {
		return err
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent("akash.market.order_created",
		sdk.NewAttribute("order", o.ID.String()),
		sdk.NewAttribute("max_price", o.MaxPrice.String()),
		sdk.NewAttribute("match_height", fmt.Sprint(o.MatchHeight())),
		sdk.NewAttribute("sealed", fmt.Sprint(o.Sealed)),
		sdk.NewAttribute("min_reputation", fmt.Sprint(o.MinReputation)),
	))
	return nil
}

// reopenGroup puts the group of prev, whose lease the provider closed, back
// on the book when core says so (lease.Reopens, behind params.reorder_on_fault)
// and the deployment's escrow still pays: the group's next order, with prev's
// resources, price, requirements, minimum reputation and kind.
func (k Keeper) reopenGroup(ctx context.Context, prev types.Order, r lease.CloseReason) error {
	p, err := k.GetParams(ctx)
	if err != nil {
		return err
	}
	if !p.ReorderOnFault || !lease.Reopens(r) {
		return nil
	}
	gid := prev.ID.ToCore().GroupID
	acct, err := k.escrow.Account(ctx, gid.DeploymentID)
	if err != nil || acct.State != lease.StateActive {
		return nil // the deployment is closing or gone: nothing to re-order for
	}
	po, err := prev.ToCore()
	if err != nil {
		return err
	}
	oseq, err := k.nextOSeq(ctx, gid)
	if err != nil {
		return err
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	// A re-order keeps its group's kind: the sealed_bids policy decided it
	// when the group's first order opened.
	op := p.OrderParams()
	op.Sealed = market.SealedByTenant
	o, err := market.Reorder(&po, oseq, op.TermsAt(h, market.Asks{Sealed: po.Sealed, MinReputation: po.MinReputation}))
	if err != nil {
		return fmt.Errorf("market: re-order of group %s after %s: %w", gid, r, err)
	}
	k.logger(ctx).Info("group re-ordered after its lease closed", "order", o.ID.String(), "reason", r.String())
	return k.putNewOrder(ctx, o)
}

// putOrder stores a new order and indexes it by match height.
func (k Keeper) putOrder(ctx context.Context, o types.Order) error {
	key := types.OrderKey(o.ID.ToCore())
	if err := k.Orders.Set(ctx, key, o); err != nil {
		return err
	}
	if o.State == types.OrderOpen {
		return k.OrdersByMatch.Set(ctx, collections.Join(matchHeight(o), key))
	}
	return nil
}

func matchHeight(o types.Order) int64 {
	if o.PickUntil > 0 { // closed under tenant matching: due when the bid timeout ends
		return o.PickUntil
	}
	if o.Sealed {
		return o.RevealEnd
	}
	return o.CloseHeight
}

// GetOrder loads an order.
func (k Keeper) GetOrder(ctx context.Context, id market.OrderID) (types.Order, error) {
	o, err := k.Orders.Get(ctx, types.OrderKey(id))
	if errors.Is(err, collections.ErrNotFound) {
		return types.Order{}, fmt.Errorf("%w: %s", types.ErrOrderNotFound, id)
	}
	return o, err
}

// finishOrder takes an open order off the book (out of the match index) in
// its final state.
func (k Keeper) finishOrder(ctx context.Context, o types.Order, state types.Order_State, height int64, reason, detail string) error {
	key := types.OrderKey(o.ID.ToCore())
	if o.State == types.OrderOpen {
		if err := k.OrdersByMatch.Remove(ctx, collections.Join(matchHeight(o), key)); err != nil {
			return err
		}
	}
	o.State, o.ClosedAt, o.CloseReason, o.CloseDetail = state, height, reason, detail
	return k.Orders.Set(ctx, key, o)
}

// CloseGroup closes a group: its open orders (every bid deposit refunded,
// commitments too: the tenant ended the auction, not the provider) and its
// active leases (escrow pays them to now and closes them).
func (k Keeper) CloseGroup(ctx context.Context, gid market.GroupID, c lease.Closure) error {
	if !c.Reason.Valid() {
		return fmt.Errorf("%w: closing group %s needs a reason", types.ErrInvalidReason, gid)
	}
	return k.closeUnder(ctx, types.GroupPrefix(gid), c, true)
}

// closeUnder closes every open order and active lease whose key starts with
// prefix (a group's or a deployment's). viaEscrow says whether the escrow
// still has to close the leases (CloseGroup) or already did (OnAccountClosed).
func (k Keeper) closeUnder(ctx context.Context, prefix []byte, c lease.Closure, viaEscrow bool) error {
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	var orders []types.Order
	err := k.Orders.Walk(ctx, new(collections.Range[[]byte]).Prefix(prefix), func(_ []byte, o types.Order) (bool, error) {
		if o.State == types.OrderOpen {
			orders = append(orders, o)
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	for _, o := range orders {
		if err := k.cancelOrder(ctx, o, c, h); err != nil {
			return err
		}
	}
	var leases []types.Lease
	err = k.Leases.Walk(ctx, new(collections.Range[[]byte]).Prefix(prefix), func(_ []byte, l types.Lease) (bool, error) {
		if l.State == types.LeaseActive {
			leases = append(leases, l)
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	for _, l := range leases {
		if viaEscrow {
			if err := k.needEscrow(); err != nil {
				return err
			}
			if err := k.escrow.CloseLease(ctx, l.ID.ToCore(), c); err != nil {
				// The escrow may have closed it already (dry at this height): its
				// hook then marked the lease; anything else is a real failure.
				if l2, gerr := k.Leases.Get(ctx, types.BidKey(l.ID.ToCore())); gerr != nil || l2.State == types.LeaseActive {
					return fmt.Errorf("market: closing lease %s in escrow: %w", l.ID, err)
				}
				continue
			}
		}
		if err := k.markLeaseClosed(ctx, l.ID.ToCore(), c); err != nil {
			return err
		}
	}
	return nil
}

// cancelOrder closes an open order before its match: every competing bid
// (and commitment) gets its deposit back.
func (k Keeper) cancelOrder(ctx context.Context, o types.Order, c lease.Closure, h int64) error {
	bids, err := k.orderBids(ctx, o.ID.ToCore())
	if err != nil {
		return err
	}
	for _, b := range bids {
		if b.State != types.BidOpen && b.State != types.BidSealed {
			continue
		}
		if err := k.refund(ctx, b); err != nil {
			return err
		}
		b.State, b.Outcome, b.DepositAction, b.ClosedAt = types.BidClosed, market.OutcomeCancelled.String(), market.DepositRefund.String(), h
		if err := k.Bids.Set(ctx, types.BidKey(b.ID.ToCore()), b); err != nil {
			return err
		}
	}
	return k.finishOrder(ctx, o, types.OrderClosed, h, c.Reason.String(), c.Detail)
}

// orderBids loads every bid on an order, in key order (provider address).
func (k Keeper) orderBids(ctx context.Context, id market.OrderID) ([]types.Bid, error) {
	var out []types.Bid
	err := k.Bids.Walk(ctx, new(collections.Range[[]byte]).Prefix(types.OrderKey(id)), func(_ []byte, b types.Bid) (bool, error) {
		out = append(out, b)
		return false, nil
	})
	return out, err
}
