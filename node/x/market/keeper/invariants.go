//lint:file-ignore SA1019 the issue asks for registered invariants; v0.55 still runs them (deprecated with x/crisis, no replacement yet)

package keeper

import (
	"errors"
	"fmt"
	"strings"

	"cosmossdk.io/collections"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/node/x/market/types"
)

func errorsIsNotFound(err error) bool { return errors.Is(err, collections.ErrNotFound) }

// RegisterInvariants registers the market's invariants.
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "deposits-held", DepositsHeldInvariant(k))
	ir.RegisterRoute(types.ModuleName, "closes-have-reasons", ClosesHaveReasonsInvariant(k))
	ir.RegisterRoute(types.ModuleName, "match-index", MatchIndexInvariant(k))
}

// AllInvariants runs every market invariant (tests and simulation call it
// after each block).
func AllInvariants(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		for _, inv := range []sdk.Invariant{DepositsHeldInvariant(k), ClosesHaveReasonsInvariant(k), MatchIndexInvariant(k)} {
			if msg, broken := inv(ctx); broken {
				return msg, true
			}
		}
		return "", false
	}
}

// DepositsHeldInvariant: the market module account holds exactly the
// deposits of the bids that hold one (competing bids, commitments, and
// winners whose lease is active), to the last unit and denom.
func DepositsHeldInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		held := sdk.NewCoins()
		var n int
		err := k.Bids.Walk(ctx, nil, func(_ []byte, b types.Bid) (bool, error) {
			if b.HoldsDeposit() && !b.Deposit.IsNil() && !b.Deposit.IsZero() {
				held = held.Add(b.Deposit)
				n++
			}
			return false, nil
		})
		if err != nil {
			return sdk.FormatInvariant(types.ModuleName, "deposits-held", "reading bids: "+err.Error()), true
		}
		bal := k.bank.GetAllBalances(ctx, k.ModuleAddress())
		broken := !bal.Equal(held)
		return sdk.FormatInvariant(types.ModuleName, "deposits-held",
			fmt.Sprintf("module account %s holds %s; the %d bids holding a deposit sum to %s", k.ModuleAddress(), bal, n, held)), broken
	}
}

// ClosesHaveReasonsInvariant: every closed lease and order carries a known
// close reason (and an unmatched order its explanation).
func ClosesHaveReasonsInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var bad []string
		_ = k.Leases.Walk(ctx, nil, func(_ []byte, l types.Lease) (bool, error) {
			if l.State == types.LeaseClosed {
				if r, err := lease.ParseCloseReason(l.CloseReason); err != nil || !r.Valid() {
					bad = append(bad, fmt.Sprintf("lease %s closed at %d with reason %q", l.ID, l.ClosedAt, l.CloseReason))
				}
			}
			return false, nil
		})
		_ = k.Orders.Walk(ctx, nil, func(_ []byte, o types.Order) (bool, error) {
			switch o.State {
			case types.OrderClosed:
				if r, err := lease.ParseCloseReason(o.CloseReason); err != nil || !r.Valid() {
					bad = append(bad, fmt.Sprintf("order %s closed at %d with reason %q", o.ID, o.ClosedAt, o.CloseReason))
				}
			case types.OrderUnmatched:
				if o.CloseDetail == "" {
					bad = append(bad, fmt.Sprintf("order %s unmatched at %d without an explanation", o.ID, o.ClosedAt))
				}
			}
			return false, nil
		})
		return sdk.FormatInvariant(types.ModuleName, "closes-have-reasons",
			fmt.Sprintf("%d closes without a clear reason\n%s", len(bad), strings.Join(bad, "\n"))), len(bad) > 0
	}
}

// MatchIndexInvariant: the match-height index lists exactly the open orders,
// each at its match height, so no order is matched late or never.
func MatchIndexInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var bad []string
		indexed := 0
		_ = k.OrdersByMatch.Walk(ctx, nil, func(key collections.Pair[int64, []byte]) (bool, error) {
			indexed++
			o, err := k.Orders.Get(ctx, key.K2())
			switch {
			case err != nil:
				bad = append(bad, fmt.Sprintf("index at %d names a missing order %x", key.K1(), key.K2()))
			case o.State != types.OrderOpen:
				bad = append(bad, fmt.Sprintf("index at %d names %s order %s", key.K1(), o.State, o.ID))
			case matchHeight(o) != key.K1():
				bad = append(bad, fmt.Sprintf("order %s indexed at %d, matches at %d", o.ID, key.K1(), matchHeight(o)))
			case key.K1() < ctx.BlockHeight():
				bad = append(bad, fmt.Sprintf("order %s should have been matched at %d (now %d)", o.ID, key.K1(), ctx.BlockHeight()))
			}
			return false, nil
		})
		open := 0
		_ = k.Orders.Walk(ctx, nil, func(_ []byte, o types.Order) (bool, error) {
			if o.State == types.OrderOpen {
				open++
			}
			return false, nil
		})
		if open != indexed {
			bad = append(bad, fmt.Sprintf("%d open orders but %d index entries", open, indexed))
		}
		return sdk.FormatInvariant(types.ModuleName, "match-index", strings.Join(bad, "\n")), len(bad) > 0
	}
}
