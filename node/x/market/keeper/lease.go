package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/x/market/types"
)

// openLease opens the winner's lease in escrow and records it. It runs in a
// cache context: if the escrow refuses (the account closed or is missing),
// nothing of the attempt stays and the caller leaves the order unmatched.
func (k Keeper) openLease(ctx context.Context, id market.LeaseID, price money.Coin, h int64) error {
	if err := k.needEscrow(); err != nil {
		return err
	}
	if err := k.needProvider(); err != nil {
		return err
	}
	cctx, write := sdk.UnwrapSDKContext(ctx).CacheContext()
	dprice := types.DecCoinFromCore(price)
	if err := k.escrow.OpenLease(cctx, id, dprice); err != nil {
		return err
	}
	if err := k.provider.LeaseOpened(cctx, id.Provider); err != nil {
		return err
	}
	key := types.BidKey(id)
	l := types.Lease{ID: types.BidIDFromCore(id), State: types.LeaseActive, Price: dprice, OpenedAt: h}
	if err := k.Leases.Set(cctx, key, l); err != nil {
		return err
	}
	if err := k.LeasesByProvider.Set(cctx, collections.Join(id.Provider, key)); err != nil {
		return err
	}
	write()
	return nil
}

// GetLease loads a lease.
func (k Keeper) GetLease(ctx context.Context, id market.LeaseID) (types.Lease, error) {
	l, err := k.Leases.Get(ctx, types.BidKey(id))
	if errors.Is(err, collections.ErrNotFound) {
		return types.Lease{}, fmt.Errorf("%w: %s", types.ErrLeaseNotFound, id)
	}
	return l, err
}

// CloseLease ends a lease on its tenant's or provider's request: the tenant
// gives tenant-closed; the provider provider-closed, provider-fault or
// manifest-timeout. The escrow pays it to now, then the market records the
// close, returns the winner's deposit and tells the provider module.
func (k Keeper) CloseLease(ctx context.Context, m *types.MsgCloseLease) error {
	if err := k.needEscrow(); err != nil {
		return err
	}
	id := m.Lease.ToCore()
	l, err := k.GetLease(ctx, id)
	if err != nil {
		return err
	}
	if l.State != types.LeaseActive {
		return fmt.Errorf("%w: %s closed at height %d: %s", types.ErrLeaseClosed, id, l.ClosedAt, l.CloseReason)
	}
	c, err := m.Closure()
	if err != nil {
		return err
	}
	var allowed []lease.CloseReason
	switch m.Sender {
	case id.Owner:
		allowed = types.TenantCloseReasons
	case id.Provider:
		allowed = types.ProviderCloseReasons
	default:
		return fmt.Errorf("%w: %s is neither the tenant %s nor the provider %s of lease %s", types.ErrUnauthorized, m.Sender, id.Owner, id.Provider, id)
	}
	ok := false
	for _, r := range allowed {
		ok = ok || r == c.Reason
	}
	if !ok {
		return fmt.Errorf("%w: %s may close lease %s with %v, not %q", types.ErrInvalidReason, m.Sender, id, allowed, c.Reason)
	}
	if err := k.escrow.CloseLease(ctx, id, c); err != nil {
		return fmt.Errorf("market: closing lease %s in escrow: %w", id, err)
	}
	if err := k.markLeaseClosed(ctx, id, c); err != nil {
		return err
	}
	return k.endIdleDeployment(ctx, id.DeploymentID, c)
}

// endIdleDeployment closes a deployment that a lease close left with
// nothing running and nothing on the book, when core says the reason ends it
// (lease.EndsIdleDeployment: the manifest never came). Closing its escrow
// account refunds the deposit; the account's hooks mark the deployment and
// its groups closed with the reason. It runs after the escrow and the market
// have recorded the lease's close, outside the escrow's hooks.
func (k Keeper) endIdleDeployment(ctx context.Context, did market.DeploymentID, c lease.Closure) error {
	if !lease.EndsIdleDeployment(c.Reason) {
		return nil
	}
	prefix := types.DeploymentPrefix(did)
	busy := false
	err := k.Leases.Walk(ctx, new(collections.Range[[]byte]).Prefix(prefix), func(_ []byte, l types.Lease) (bool, error) {
		busy = l.State == types.LeaseActive
		return busy, nil
	})
	if err != nil || busy {
		return err
	}
	err = k.Orders.Walk(ctx, new(collections.Range[[]byte]).Prefix(prefix), func(_ []byte, o types.Order) (bool, error) {
		busy = o.State == types.OrderOpen
		return busy, nil
	})
	if err != nil || busy {
		return err
	}
	acct, err := k.escrow.Account(ctx, did)
	if err != nil || acct.State != lease.StateActive {
		return nil // closed already, or not an account the market opened
	}
	detail := "nothing runs: the only lease closed for " + c.Reason.String()
	if c.Detail != "" {
		detail += " (" + c.Detail + ")"
	}
	k.logger(ctx).Info("deployment closed: its lease ended for want of a manifest", "deployment", did.String())
	if err := k.escrow.CloseAccount(ctx, did, lease.Closure{Reason: c.Reason, Detail: detail}); err != nil {
		return fmt.Errorf("market: closing idle deployment %s: %w", did, err)
	}
	return nil
}

// WithdrawLease pays the lease's provider what the lease accrued (the escrow
// settles to now and sends the take to the community pool).
func (k Keeper) WithdrawLease(ctx context.Context, m *types.MsgWithdrawLease) error {
	if err := k.needEscrow(); err != nil {
		return err
	}
	id := m.Lease.ToCore()
	if _, err := k.GetLease(ctx, id); err != nil {
		return err
	}
	if m.Provider != id.Provider {
		return fmt.Errorf("%w: lease %s pays %s; only its provider withdraws", types.ErrUnauthorized, id, id.Provider)
	}
	if err := k.escrow.Withdraw(ctx, id); err != nil {
		return fmt.Errorf("market: withdrawing lease %s: %w", id, err)
	}
	return nil
}

// markLeaseClosed records a lease's close (whoever decided it): the lease
// with its reason and last paid height, the winning bid closed with its
// deposit returned, the order closed with the same reason, and the provider
// module told (reputation and slashing). A lease already closed is left as is,
// so the escrow's hooks and the market's own closes may both report it.
func (k Keeper) markLeaseClosed(ctx context.Context, id market.LeaseID, c lease.Closure) error {
	if !c.Reason.Valid() {
		return fmt.Errorf("%w: lease %s: a close needs a reason", types.ErrInvalidReason, id)
	}
	key := types.BidKey(id)
	l, err := k.Leases.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return nil // not a lease the market opened (e.g. escrow genesis only)
	} else if err != nil {
		return err
	}
	if l.State != types.LeaseActive {
		return nil
	}
	h := k.closedAt(ctx, id)
	l.State, l.ClosedAt, l.CloseReason, l.CloseDetail = types.LeaseClosed, h, c.Reason.String(), c.Detail
	if err := k.Leases.Set(ctx, key, l); err != nil {
		return err
	}
	b, err := k.Bids.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("market: winning bid of lease %s: %w", id, err)
	}
	if b.State == types.BidWon {
		if err := k.refund(ctx, b); err != nil {
			return err
		}
		b.State = types.BidClosed
		if err := k.Bids.Set(ctx, key, b); err != nil {
			return err
		}
	}
	o, err := k.GetOrder(ctx, id.OrderID)
	if err != nil {
		return err
	}
	if o.State == types.OrderMatched {
		if err := k.finishOrder(ctx, o, types.OrderClosed, h, c.Reason.String(), c.Detail); err != nil {
			return err
		}
	}
	if err := k.reopenGroup(ctx, o, c.Reason); err != nil {
		return err
	}
	if err := k.needProvider(); err != nil {
		return err
	}
	if err := k.provider.LeaseClosed(ctx, id.Provider, c.Reason); err != nil {
		return fmt.Errorf("market: telling provider %s that lease %s closed: %w", id.Provider, id, err)
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent("akash.market.lease_closed",
		sdk.NewAttribute("lease", id.String()), sdk.NewAttribute("height", fmt.Sprint(h)),
		sdk.NewAttribute("reason", c.Reason.String()), sdk.NewAttribute("detail", c.Detail)))
	return nil
}

// closedAt is the lease's last paid height as the escrow recorded it (for a
// dry account, the exact height the money ran out), else this block's height.
func (k Keeper) closedAt(ctx context.Context, id market.LeaseID) int64 {
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	if k.escrow == nil {
		return h
	}
	acct, err := k.escrow.Account(ctx, id.DeploymentID)
	if err != nil {
		return h
	}
	if l, ok := acct.Lease(id); ok && l.ClosedAt > 0 {
		return l.ClosedAt
	}
	return h
}

// OnLeaseClosed is the escrow's hook for a lease it closed itself (its
// account ran dry, or the account was closed).
func (k Keeper) OnLeaseClosed(ctx context.Context, id market.LeaseID, c lease.Closure) error {
	return k.markLeaseClosed(ctx, id, c)
}

// OnAccountClosed is the escrow's hook for a closed deployment account: the
// deployment's open orders close (bid deposits back) and any lease the escrow
// has not reported yet is recorded closed with the account's reason.
func (k Keeper) OnAccountClosed(ctx context.Context, id market.DeploymentID, c lease.Closure) error {
	return k.closeUnder(ctx, types.DeploymentPrefix(id), c, false)
}
