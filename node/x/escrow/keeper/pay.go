package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/x/conv"
	"github.com/akash-market/akash/node/x/escrow/types"
)

// Whole units and the fractions in between: core/lease's rule (whole.go),
// applied with the bank.
//
// core/lease decides amounts with 18 decimals (prices per block are
// DecCoins); bank moves whole units. The rule that keeps every atto-unit:
//
//   - Deposits are whole (they arrive as sdk.Coin) and move as they are.
//   - A payee is paid the whole part of what it is owed in total, not of
//     each transfer: a lease's provider has received ⌊Earned⌋ of the lease
//     at any time, the community pool ⌊ToPool⌋ of the account. The fraction
//     in between (< 1 unit per lease, < 1 for the pool) stays in the escrow
//     module account as the account's carried dust (Carried).
//   - When the account closes, each depositor's refund is paid as its whole
//     part and the account's whole leftover — carried dust plus the refunds'
//     fractions — goes to the community pool. It is a whole number because
//     deposits are whole and everything else paid out is whole; Deposited =
//     ToProviders + ToPool + Refunded exactly (lease.CheckConservation).
//
// So the escrow module's balance is, at every height, exactly
// Σ over open accounts (Held + Carried), which the module-balance invariant
// checks, and a closed account leaves nothing behind.

type accountSnapshot struct {
	active   bool
	dry      int64
	dryOK    bool
	payments int
	earned   []money.Dec // Payments[i].Earned before the verb
	toPool   money.Dec
}

func snapshot(a *lease.Account) accountSnapshot {
	s := accountSnapshot{active: a.State == lease.StateActive, payments: len(a.Payments), toPool: a.Flows.ToPool}
	s.dry, s.dryOK = a.DryHeight()
	s.earned = make([]money.Dec, len(a.Payments))
	for i := range a.Payments {
		s.earned[i] = a.Payments[i].Earned
	}
	return s
}

// Carried is the sub-unit part of what an open account has paid providers
// and the pool but bank has not moved yet; 0 for a closed account (its
// leftover went to the pool at close).
func Carried(a *lease.Account) money.Dec {
	if a.State != lease.StateActive {
		return money.Dec{}
	}
	sum := frac(a.Flows.ToPool)
	for i := range a.Payments {
		sum = mustAdd(sum, frac(a.Payments[i].Earned))
	}
	return sum
}

// ModuleShare is what the escrow module account holds for an account: Held +
// Carried, a whole number of units. Nothing for a closed account.
func ModuleShare(a *lease.Account) (math.Int, error) {
	if a.State != lease.StateActive {
		return math.ZeroInt(), nil
	}
	share := mustAdd(a.Held(), Carried(a))
	i, err := conv.IntFromDec(share)
	if err != nil {
		return math.Int{}, fmt.Errorf("escrow %s: held %s + carried %s is not whole: %w", a.ID, a.Held(), Carried(a), err)
	}
	return i, nil
}

// pay applies eff.Transfers with bank by the rule above.
func (k Keeper) pay(ctx context.Context, a *lease.Account, before accountSnapshot, eff *lease.Effects) error {
	// Running totals per payee, starting from before the verb.
	earned := make(map[market.LeaseID]money.Dec, len(before.earned))
	for i, e := range before.earned {
		earned[a.Payments[i].Lease.ID] = e
	}
	pool := before.toPool
	var refundRest money.Dec
	for _, t := range eff.Transfers {
		switch t.Why {
		case lease.WhyDeposit:
			amt, err := conv.IntFromDec(t.Coin.Amount)
			if err != nil {
				return fmt.Errorf("%w: %v", errNotWhole, err)
			}
			if err := k.fromUser(ctx, t.From.Addr, t.Coin.Denom, amt); err != nil {
				return err
			}
		case lease.WhyWithdraw:
			prev := earned[t.Lease]
			next := mustAdd(prev, t.Coin.Amount)
			earned[t.Lease] = next
			if err := k.toUser(ctx, t.To.Addr, t.Coin.Denom, wholeStep(prev, next)); err != nil {
				return err
			}
		case lease.WhyTake:
			prev := pool
			pool = mustAdd(prev, t.Coin.Amount)
			if err := k.toPool(ctx, t.Coin.Denom, wholeStep(prev, pool)); err != nil {
				return err
			}
		case lease.WhyRefund:
			whole, rest := conv.SplitWhole(t.Coin.Amount)
			refundRest = mustAdd(refundRest, rest)
			if err := k.toUser(ctx, t.To.Addr, t.Coin.Denom, whole); err != nil {
				return err
			}
		}
	}
	if before.active && a.State == lease.StateClosed {
		left := mustAdd(refundRest, frac(a.Flows.ToPool))
		for i := range a.Payments {
			left = mustAdd(left, frac(a.Payments[i].Earned))
		}
		whole, err := conv.IntFromDec(left)
		if err != nil {
			return fmt.Errorf("escrow %s: leftover %s at close is not whole; conservation broken: %w", a.ID, left, err)
		}
		if err := k.toPool(ctx, a.Denom, whole); err != nil {
			return err
		}
	}
	return nil
}

func (k Keeper) fromUser(ctx context.Context, addr, denom string, amt math.Int) error {
	if amt.IsZero() {
		return nil
	}
	acc, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return types.ErrBank.Wrapf("depositor %q: %v", addr, err)
	}
	if err := k.bank.SendCoinsFromAccountToModule(ctx, acc, types.ModuleName, sdk.NewCoins(sdk.NewCoin(denom, amt))); err != nil {
		return types.ErrBank.Wrapf("deposit %s%s from %s: %v", amt, denom, addr, err)
	}
	return nil
}

func (k Keeper) toUser(ctx context.Context, addr, denom string, amt math.Int) error {
	if amt.IsZero() {
		return nil
	}
	acc, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return types.ErrBank.Wrapf("payee %q: %v", addr, err)
	}
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, acc, sdk.NewCoins(sdk.NewCoin(denom, amt))); err != nil {
		return types.ErrBank.Wrapf("pay %s%s to %s: %v", amt, denom, addr, err)
	}
	return nil
}

func (k Keeper) toPool(ctx context.Context, denom string, amt math.Int) error {
	if amt.IsZero() {
		return nil
	}
	if err := k.distr.FundCommunityPool(ctx, sdk.NewCoins(sdk.NewCoin(denom, amt)), k.moduleAddr); err != nil {
		return types.ErrBank.Wrapf("fund community pool with %s%s: %v", amt, denom, err)
	}
	return nil
}

// wholeStep is core's whole-unit rule (lease.WholeStep) as a bank amount.
func wholeStep(prev, next money.Dec) math.Int {
	i, err := conv.IntFromDec(lease.WholeStep(prev, next))
	if err != nil {
		panic("escrow: a whole step is not whole: " + err.Error())
	}
	return i
}

func frac(d money.Dec) money.Dec {
	_, r := lease.SplitWhole(d)
	return r
}

// mustAdd adds amounts bounded by an account's overflow-checked deposits.
func mustAdd(a, b money.Dec) money.Dec {
	v, err := a.Add(b)
	if err != nil {
		panic("escrow: sum exceeds the account's total deposited; state corrupted")
	}
	return v
}

func dryKey(h int64, id market.DeploymentID) collections.Triple[int64, string, uint64] {
	return collections.Join3(h, id.Owner, id.DSeq)
}

func providerKey(provider string, id market.DeploymentID) collections.Triple[string, string, uint64] {
	return collections.Join3(provider, id.Owner, id.DSeq)
}
