package keeper

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/node/x/provider/types"
)

// RegisterInvariants registers the module's invariants (run by crisis-style
// checkers and by the simulation after every block). The SDK marks the
// registry deprecated with x/crisis, but v0.55's simulation still runs it;
// CheckStake is the same check without it.
//
//lint:ignore SA1019 see above
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "stake-held", StakeHeldInvariant(k))
}

// StakeHeldInvariant: the module account holds exactly Σ(bonded + unbonding)
// of the stake denom; every stake record adds up and the saved total is
// Σ bonded (core/lease.CheckStake on the whole book); the maturity index
// lists exactly the unbonding entries.
//
//lint:ignore SA1019 see RegisterInvariants
func StakeHeldInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		err := k.CheckStake(ctx)
		msg := "module balance = bonded + unbonding; stake records add up; maturity index matches"
		if err != nil {
			msg = err.Error()
		}
		//lint:ignore SA1019 see RegisterInvariants
		return sdk.FormatInvariant(types.ModuleName, "stake-held", msg), err != nil
	}
}

// CheckStake runs the stake-held invariant and returns every violation.
func (k Keeper) CheckStake(ctx context.Context) error {
	p, err := k.GetParams(ctx)
	if err != nil {
		return err
	}
	book, err := lease.NewStakeBook(p.StakeDenom, p.UnbondingPeriod)
	if err != nil {
		return err
	}
	var errs []error
	held := math.ZeroInt()
	var flows lease.StakeFlows
	index := map[string]bool{} // "mature_at/provider"; Pair holds pointers, so it is no map key
	err = k.Stakes.Walk(ctx, nil, func(addr string, s types.Stake) (bool, error) {
		c, err := s.Core()
		if err != nil {
			errs = append(errs, err)
			return false, nil
		}
		if err := book.Restore(c); err != nil {
			errs = append(errs, err)
			return false, nil
		}
		held = held.Add(s.Held())
		// The per-provider counters are the flows the bank saw: bonded in,
		// released and slashed out.
		flows.Bonded, _ = flows.Bonded.Add(c.Deposited)
		flows.Released, _ = flows.Released.Add(c.Released)
		flows.Slashed, _ = flows.Slashed.Add(c.Slashed)
		for _, u := range s.Unbonding {
			index[fmt.Sprintf("%d/%s", u.MatureAt, addr)] = true
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	total, err := k.totalBonded(ctx)
	if err != nil {
		return err
	}
	if book.Total, err = types.DecFromInt(total); err != nil {
		return err
	}
	if err := lease.CheckStake(book, flows); err != nil {
		errs = append(errs, err)
	}
	bal := k.bank.GetBalance(ctx, k.accounts.GetModuleAddress(types.ModuleName), p.StakeDenom)
	if !bal.Amount.Equal(held) {
		errs = append(errs, fmt.Errorf("module account holds %s, stake records hold %s%s (bonded + unbonding)", bal, held, p.StakeDenom))
	}
	var stray []string
	err = k.Unbonding.Walk(ctx, nil, func(key collections.Pair[int64, string]) (bool, error) {
		id := fmt.Sprintf("%d/%s", key.K1(), key.K2())
		if !index[id] {
			stray = append(stray, id)
		}
		delete(index, id)
		return false, nil
	})
	if err != nil {
		return err
	}
	if len(stray) > 0 {
		errs = append(errs, fmt.Errorf("maturity index lists entries no stake has: %s", strings.Join(stray, ", ")))
	}
	var missing []string
	for id := range index {
		missing = append(missing, id)
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		errs = append(errs, fmt.Errorf("unbonding entries missing from the maturity index: %s", strings.Join(missing, ", ")))
	}
	return errors.Join(errs...)
}
