package keeper

import (
	"context"
	"errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/conv"
	"github.com/akash-market/akash/node/x/escrow/types"
)

// The keeper API of docs/chain-contract: deployment and market call these.
// Each loads the account, runs one core/lease verb at the current block
// height, applies the transfers with bank, stores the account, moves its
// dry-height index entry and tells the hooks of closes it did not ask for.
// A verb that fails changes nothing (the tx reverts, so a settlement it made
// on the way is not kept; EndBlock keeps the dry closes on time anyway).

// OpenAccount creates the escrow account of a deployment with its first deposit.
// The account's take rate is the current take_rate_bps param, fixed for its life.
func (k Keeper) OpenAccount(ctx context.Context, id market.DeploymentID, depositor string, deposit sdk.Coin) error {
	if err := checkAddr("owner", id.Owner); err != nil {
		return err
	}
	if err := checkAddr("depositor", depositor); err != nil {
		return err
	}
	if has, err := k.Accounts.Has(ctx, accountKey(id)); err != nil {
		return err
	} else if has {
		return types.ErrAccountExists.Wrapf("deployment %s already has an escrow account; use a new dseq", id)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	coin, err := conv.CoinFromSDK(deposit)
	if err != nil {
		return types.ErrCore.Wrapf("escrow %s: deposit: %v", id, err)
	}
	a, err := lease.NewAccount(id, deposit.Denom, params.TakeRateBps, height(ctx))
	if err != nil {
		return types.ErrCore.Wrap(err.Error())
	}
	_, err = k.run(ctx, a, func(a *lease.Account, h int64, eff *lease.Effects) error {
		return a.Deposit(depositor, coin, h, eff)
	}, nil)
	return err
}

// Deposit adds funds to an open account; anyone may fund it.
func (k Keeper) Deposit(ctx context.Context, id market.DeploymentID, depositor string, amount sdk.Coin) error {
	if err := checkAddr("depositor", depositor); err != nil {
		return err
	}
	coin, err := conv.CoinFromSDK(amount)
	if err != nil {
		return types.ErrCore.Wrapf("escrow %s: deposit: %v", id, err)
	}
	return k.change(ctx, id, func(a *lease.Account, h int64, eff *lease.Effects) error {
		return a.Deposit(depositor, coin, h, eff)
	}, nil)
}

// OpenLease starts paying price per block (for the whole group) to the lease's
// provider from the deployment's account, from the next block on.
func (k Keeper) OpenLease(ctx context.Context, id market.LeaseID, price sdk.DecCoin) error {
	if err := checkAddr("provider", id.Provider); err != nil {
		return err
	}
	coin, err := conv.CoinFromDecCoin(price)
	if err != nil {
		return types.ErrCore.Wrapf("escrow: open lease %s: price: %v", id, err)
	}
	return k.change(ctx, id.DeploymentID, func(a *lease.Account, h int64, eff *lease.Effects) error {
		return a.OpenLease(id, coin, h, eff)
	}, nil)
}

// Withdraw settles the account to the current height and pays the lease's
// accrued balance: the take to the community pool, the rest to the provider.
func (k Keeper) Withdraw(ctx context.Context, id market.LeaseID) error {
	return k.change(ctx, id.DeploymentID, func(a *lease.Account, h int64, eff *lease.Effects) error {
		return a.Withdraw(id, h, eff)
	}, nil)
}

// CloseLease closes one lease now with the caller's reason and pays it out.
// The caller (market) knows of this close, so the hooks are not told of it.
func (k Keeper) CloseLease(ctx context.Context, id market.LeaseID, c lease.Closure) error {
	return k.change(ctx, id.DeploymentID, func(a *lease.Account, h int64, eff *lease.Effects) error {
		return a.CloseLease(id, c, h, eff)
	}, &id)
}

// CloseAccount pays every lease to now, closes them and the account with the
// reason, and refunds the rest to the depositors. The hooks hear of every
// lease it closed and of the account.
func (k Keeper) CloseAccount(ctx context.Context, id market.DeploymentID, c lease.Closure) error {
	return k.change(ctx, id, func(a *lease.Account, h int64, eff *lease.Effects) error {
		return a.CloseAccount(c, h, eff)
	}, nil)
}

// Account returns the deployment's account as the core type; types.ErrAccountNotFound when absent.
func (k Keeper) Account(ctx context.Context, id market.DeploymentID) (lease.Account, error) {
	s, err := k.load(ctx, id)
	if err != nil {
		return lease.Account{}, err
	}
	a, err := s.ToCore()
	if err != nil {
		return lease.Account{}, err
	}
	return *a, nil
}

type verb func(a *lease.Account, h int64, eff *lease.Effects) error

// change runs v on the stored account of id.
func (k Keeper) change(ctx context.Context, id market.DeploymentID, v verb, self *market.LeaseID) error {
	s, err := k.load(ctx, id)
	if err != nil {
		return err
	}
	a, err := s.ToCore()
	if err != nil {
		return err
	}
	closed, err := k.run(ctx, a, v, self)
	if err != nil {
		return err
	}
	return k.notify(ctx, a, closed, self)
}

// closes is what a verb ended without the caller asking: the leases and, if
// it closed, the account.
type closes struct {
	leases  []lease.Lease
	account bool
}

// run applies v to a at the current height, moves the coins, stores a and its indexes.
func (k Keeper) run(ctx context.Context, a *lease.Account, v verb, self *market.LeaseID) (closes, error) {
	before := snapshot(a)
	var eff lease.Effects
	if err := v(a, height(ctx), &eff); err != nil {
		return closes{}, types.ErrCore.Wrap(err.Error())
	}
	if err := k.pay(ctx, a, before, &eff); err != nil {
		return closes{}, err
	}
	if err := k.store(ctx, a, before); err != nil {
		return closes{}, err
	}
	var c closes
	for _, l := range eff.Closed {
		if self == nil || l.ID != *self {
			c.leases = append(c.leases, l)
		}
	}
	c.account = before.active && a.State == lease.StateClosed
	return c, nil
}

// notify tells the hooks of the closes in c.
func (k Keeper) notify(ctx context.Context, a *lease.Account, c closes, _ *market.LeaseID) error {
	h := *k.hooks
	if h == nil {
		return nil
	}
	for _, l := range c.leases {
		if err := h.OnLeaseClosed(ctx, l.ID, l.Closure); err != nil {
			return err
		}
	}
	if c.account {
		return h.OnAccountClosed(ctx, a.ID, a.Closure)
	}
	return nil
}

// store persists a and keeps the dry-height and provider indexes in step.
func (k Keeper) store(ctx context.Context, a *lease.Account, before accountSnapshot) error {
	if err := k.Accounts.Set(ctx, accountKey(a.ID), types.AccountFromCore(a)); err != nil {
		return err
	}
	dry, ok := a.DryHeight()
	if before.dryOK && (!ok || dry != before.dry) {
		if err := k.DryIndex.Remove(ctx, dryKey(before.dry, a.ID)); err != nil {
			return err
		}
	}
	if ok && (!before.dryOK || dry != before.dry) {
		if err := k.DryIndex.Set(ctx, dryKey(dry, a.ID)); err != nil {
			return err
		}
	}
	for _, p := range a.Payments[before.payments:] {
		if err := k.ProviderIndex.Set(ctx, providerKey(p.Lease.ID.Provider, a.ID)); err != nil {
			return err
		}
	}
	return nil
}

func checkAddr(field, addr string) error {
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return types.ErrInvalidRequest.Wrapf("%s %q: %v (want a bech32 akash1... address)", field, addr, err)
	}
	return nil
}

var errNotWhole = errors.New("escrow: a deposit is not a whole number of units")
