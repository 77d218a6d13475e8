package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/x/provider/types"
)

// stakeTx is one provider's stake loaded into a core/lease.StakeBook for
// one operation: the book holds only this provider's record and the saved
// bonded total (StakeBook.Restore), so a transaction costs two reads and
// two writes whatever the number of providers.
type stakeTx struct {
	k        Keeper
	params   types.Params
	book     *lease.StakeBook
	provider string
	old      types.Stake
	eff      lease.Effects
}

func (k Keeper) loadStake(ctx context.Context, provider string) (*stakeTx, error) {
	p, err := k.GetParams(ctx)
	if err != nil {
		return nil, err
	}
	book, err := lease.NewStakeBook(p.StakeDenom, p.UnbondingPeriod)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidParams, "%v", err)
	}
	total, err := k.totalBonded(ctx)
	if err != nil {
		return nil, err
	}
	if book.Total, err = types.DecFromInt(total); err != nil {
		return nil, fmt.Errorf("provider store: total bonded: %w", err)
	}
	old, err := k.Stake(ctx, provider)
	if err != nil {
		return nil, err
	}
	if has, err := k.Stakes.Has(ctx, provider); err != nil {
		return nil, err
	} else if has {
		c, err := old.Core()
		if err != nil {
			return nil, err
		}
		if err := book.Restore(c); err != nil {
			return nil, fmt.Errorf("provider store: %w", err)
		}
	}
	return &stakeTx{k: k, params: p, book: book, provider: provider, old: old}, nil
}

// save applies the transfers the core decided (bank moves) and persists the
// provider's record, the total and the maturity index.
func (t *stakeTx) save(ctx context.Context) error {
	if err := t.k.applyTransfers(ctx, t.eff.Transfers); err != nil {
		return err
	}
	c, ok := t.book.Get(t.provider)
	if !ok {
		return nil // nothing ever bonded: nothing to save
	}
	s, err := types.StakeFromCore(c)
	if err != nil {
		return err
	}
	total, err := types.IntFromDec(t.book.Total)
	if err != nil {
		return err
	}
	for _, u := range t.old.Unbonding {
		if err := t.k.Unbonding.Remove(ctx, collections.Join(u.MatureAt, t.provider)); err != nil {
			return err
		}
	}
	for _, u := range s.Unbonding {
		if err := t.k.Unbonding.Set(ctx, collections.Join(u.MatureAt, t.provider)); err != nil {
			return err
		}
	}
	if err := t.k.Stakes.Set(ctx, t.provider, s); err != nil {
		return err
	}
	return t.k.TotalBonded.Set(ctx, total)
}

func (k Keeper) applyTransfers(ctx context.Context, ts []lease.Transfer) error {
	for _, tr := range ts {
		amt, err := types.IntFromDec(tr.Coin.Amount)
		if err != nil {
			return fmt.Errorf("provider: %s transfer: %w", tr.Why, err)
		}
		if amt.IsZero() {
			continue
		}
		coins := sdk.NewCoins(sdk.NewCoin(tr.Coin.Denom, amt))
		switch tr.Why {
		case lease.WhyBond:
			addr, err := k.accAddress("provider", tr.From.Addr)
			if err != nil {
				return err
			}
			if err := k.bank.SendCoinsFromAccountToModule(ctx, addr, types.ModuleName, coins); err != nil {
				return errorsmod.Wrapf(types.ErrStake, "bond %s from %s: %v", coins, tr.From.Addr, err)
			}
		case lease.WhyUnbond:
			addr, err := k.accAddress("provider", tr.To.Addr)
			if err != nil {
				return err
			}
			if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, addr, coins); err != nil {
				return fmt.Errorf("provider: release %s to %s: %w", coins, tr.To.Addr, err)
			}
			emit(ctx, "stake_released", "provider", tr.To.Addr, "amount", coins.String())
		case lease.WhySlash:
			if err := k.distr.FundCommunityPool(ctx, coins, k.accounts.GetModuleAddress(types.ModuleName)); err != nil {
				return fmt.Errorf("provider: slashed %s of %s to the community pool: %w", coins, tr.From.Addr, err)
			}
			emit(ctx, "stake_slashed", "provider", tr.From.Addr, "amount", coins.String())
		default:
			return fmt.Errorf("provider: unexpected %s transfer %s -> %s", tr.Why, tr.From, tr.To)
		}
	}
	return nil
}

func coinToCore(c sdk.Coin) (money.Coin, error) {
	d, err := types.DecFromInt(c.Amount)
	if err != nil {
		return money.Coin{}, errorsmod.Wrapf(types.ErrInvalidAmount, "%s: %v", c, err)
	}
	return money.Coin{Denom: c.Denom, Amount: d}, nil
}

// Bond moves amount from the provider's account into its bonded stake. The
// provider must be registered; any positive amount joins (no minimum).
func (k Keeper) Bond(ctx context.Context, provider string, amount sdk.Coin) error {
	if _, found, err := k.Provider(ctx, provider); err != nil {
		return err
	} else if !found {
		return errorsmod.Wrapf(types.ErrProviderNotFound, "provider %s: register with `tx provider create` before bonding", provider)
	}
	t, err := k.loadStake(ctx, provider)
	if err != nil {
		return err
	}
	c, err := coinToCore(amount)
	if err != nil {
		return err
	}
	if err := t.book.Bond(provider, c, &t.eff); err != nil {
		return errorsmod.Wrapf(types.ErrStake, "%v", err)
	}
	if err := t.save(ctx); err != nil {
		return err
	}
	emit(ctx, "stake_bonded", "provider", provider, "amount", amount.String())
	return nil
}

// Unbond starts returning amount of bonded stake; it stops counting for
// weight and reputation at once and is released in the EndBlock of the
// returned height.
func (k Keeper) Unbond(ctx context.Context, provider string, amount sdk.Coin) (int64, error) {
	t, err := k.loadStake(ctx, provider)
	if err != nil {
		return 0, err
	}
	if amount.Denom != t.params.StakeDenom {
		return 0, errorsmod.Wrapf(types.ErrInvalidAmount, "unbond %s: stake is in %s", amount, t.params.StakeDenom)
	}
	c, err := coinToCore(amount)
	if err != nil {
		return 0, err
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	matureAt, err := t.book.Unbond(provider, c.Amount, h)
	if err != nil {
		return 0, errorsmod.Wrapf(types.ErrStake, "%v", err)
	}
	if err := t.save(ctx); err != nil {
		return 0, err
	}
	emit(ctx, "stake_unbonding", "provider", provider, "amount", amount.String(), "mature_at", fmt.Sprint(matureAt))
	return matureAt, nil
}

// EndBlock releases every unbonding entry that matures at this height (or
// earlier, e.g. after the unbonding period was shortened), reading only the
// maturity index up to this height.
func (k Keeper) EndBlock(ctx context.Context) error {
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	var due []string
	rng := new(collections.Range[collections.Pair[int64, string]]).EndExclusive(collections.Join(h+1, ""))
	err := k.Unbonding.Walk(ctx, rng, func(key collections.Pair[int64, string]) (bool, error) {
		if n := len(due); n == 0 || due[n-1] != key.K2() {
			due = append(due, key.K2())
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, p := range due {
		if seen[p] {
			continue
		}
		seen[p] = true
		t, err := k.loadStake(ctx, p)
		if err != nil {
			return err
		}
		if err := t.book.Release(p, h, &t.eff); err != nil {
			return fmt.Errorf("provider EndBlock at %d: %w", h, err)
		}
		if err := t.save(ctx); err != nil {
			return fmt.Errorf("provider EndBlock at %d: %w", h, err)
		}
	}
	return nil
}

// StakeWeight is the provider's governance weight, bonded ÷ total bonded,
// as core/lease.StakeBook.Weight computes it.
func (k Keeper) StakeWeight(ctx context.Context, provider string) (lease.Fraction, error) {
	t, err := k.loadStake(ctx, provider)
	if err != nil {
		return lease.Fraction{}, err
	}
	return t.book.Weight(provider), nil
}

// slash applies the market's slashing policy (core/lease SlashPolicy,
// params.fault_slash_bps) to one lease of provider closed for reason; the
// coins go to the community pool. It returns what was taken (zero when the
// reason does not slash or the provider has no stake).
func (k Keeper) slash(ctx context.Context, provider string, reason lease.CloseReason) (math.Int, error) {
	p, err := k.GetParams(ctx)
	if err != nil {
		return math.Int{}, err
	}
	pol := lease.SlashPolicy{FaultBPS: p.FaultSlashBps}
	if !pol.Slashes(reason) {
		return math.ZeroInt(), nil // most closes: no stake to load
	}
	t, err := k.loadStake(ctx, provider)
	if err != nil {
		return math.Int{}, err
	}
	cut, err := pol.OnLeaseClosed(t.book, provider, reason, sdk.UnwrapSDKContext(ctx).BlockHeight(), &t.eff)
	if err != nil {
		return math.Int{}, err
	}
	if err := t.save(ctx); err != nil { // also when nothing was cut: Slash releases matured entries first
		return math.Int{}, err
	}
	return types.IntFromDec(cut)
}
