package keeper

//lint:file-ignore SA1019 invariants are deprecated with x/crisis, but the SDK simulation still runs registered invariants

import (
	"context"
	"fmt"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/node/x/escrow/types"
)

// RegisterInvariants registers the escrow invariants under the module's name.
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "conservation", ConservationInvariant(k))
	ir.RegisterRoute(types.ModuleName, "module-balance", ModuleBalanceInvariant(k))
}

// ConservationInvariant runs lease.CheckConservation on every account:
// deposited = paid + pool + refunded + held to the atto-unit, every derived
// field consistent, every closed lease and account with a reason; and every
// open account with an active lease is in the dry index at its dry height.
func ConservationInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		msg, broken := k.CheckConservation(ctx)
		return sdk.FormatInvariant(types.ModuleName, "conservation", msg), broken
	}
}

// ModuleBalanceInvariant checks the escrow module account holds exactly
// Σ over open accounts (Held + Carried), per denom, and that each account's
// share is a whole number of units.
func ModuleBalanceInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		msg, broken := k.CheckModuleBalance(ctx)
		return sdk.FormatInvariant(types.ModuleName, "module-balance", msg), broken
	}
}

// CheckConservation is the conservation invariant as a function for tests.
func (k Keeper) CheckConservation(ctx context.Context) (string, bool) {
	var bad []string
	n := 0
	err := k.Accounts.Walk(ctx, nil, func(_ AccountKey, s types.Account) (bool, error) {
		n++
		a, err := s.ToCore()
		if err != nil {
			bad = append(bad, err.Error())
			return false, nil
		}
		if err := lease.CheckConservation(a, a.Flows); err != nil {
			bad = append(bad, err.Error())
		}
		if dry, ok := a.DryHeight(); ok {
			if has, err := k.DryIndex.Has(ctx, dryKey(dry, a.ID)); err != nil || !has {
				bad = append(bad, fmt.Sprintf("escrow %s: dry height %d is not in the dry index", a.ID, dry))
			}
		}
		return false, nil
	})
	if err != nil {
		bad = append(bad, err.Error())
	}
	if len(bad) > 0 {
		return strings.Join(bad, "\n"), true
	}
	return fmt.Sprintf("%d accounts conserve every atto-unit\n", n), false
}

// CheckModuleBalance is the module-balance invariant as a function for tests.
func (k Keeper) CheckModuleBalance(ctx context.Context) (string, bool) {
	want := sdk.NewCoins()
	var bad []string
	err := k.Accounts.Walk(ctx, nil, func(_ AccountKey, s types.Account) (bool, error) {
		a, err := s.ToCore()
		if err != nil {
			bad = append(bad, err.Error())
			return false, nil
		}
		share, err := ModuleShare(a)
		if err != nil {
			bad = append(bad, err.Error())
			return false, nil
		}
		want = want.Add(sdk.NewCoin(a.Denom, share))
		return false, nil
	})
	if err != nil {
		bad = append(bad, err.Error())
	}
	have := k.bank.GetAllBalances(ctx, k.moduleAddr)
	if !have.Equal(want) {
		bad = append(bad, fmt.Sprintf("escrow module account holds %s; open accounts' held + carried sum to %s", have, want))
	}
	if len(bad) > 0 {
		return strings.Join(bad, "\n"), true
	}
	return fmt.Sprintf("escrow module account holds %s = Σ open accounts' held + carried\n", have), false
}
