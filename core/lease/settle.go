package lease

import (
	"fmt"
	"math"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// Settle pays every active lease for the blocks since the last settlement,
// up to and including height: owed = Σ price × (height − SettledTo).
//
// If the balance cannot pay all of it, the account pays the whole blocks it
// can, k = ⌊balance ÷ Σ price⌋, and every lease closes at SettledTo + k — the
// exact height the money ran out — with ReasonInsufficientFunds. The account
// then closes: accrued payments go to the providers (minus the take) and the
// sub-block remainder (balance − k × Σ price, less than one block's price) is
// refunded to the depositors. No atto-unit is lost.
//
// Settling at SettledTo is a no-op; before it is an error (ErrHeightInPast). Steady-state Settle allocates nothing when eff has capacity.
func (a *Account) Settle(height int64, eff *Effects) error {
	if err := a.begin("settle", market.LeaseID{}, height); err != nil {
		return err
	}
	a.settle(height, eff)
	return nil
}

// DryHeight is the last height the balance pays for if nobody tops it up:
// Settle at any later height closes the leases at exactly this height. A
// chain indexes it to close dry accounts in EndBlock even if nobody
// withdraws. ok is false when the account is closed or has no active lease
// (it can never run dry). It saturates at math.MaxInt64.
func (a *Account) DryHeight() (height int64, ok bool) {
	if a.State != StateActive || a.Active == 0 {
		return 0, false
	}
	k := a.Balance.QuoFloor(a.Rate)
	if k > uint64(math.MaxInt64-a.SettledTo) {
		return math.MaxInt64, true
	}
	return a.SettledTo + int64(k), true
}

// settle is Settle without the checks; verbs call it first.
func (a *Account) settle(h int64, eff *Effects) {
	if h <= a.SettledTo {
		return
	}
	if a.Active == 0 {
		a.SettledTo = h
		return
	}
	blocks := uint64(h - a.SettledTo)
	var owed money.Dec
	if owed.SetMulInt(&a.Rate, blocks) == nil && !a.Balance.Less(owed) {
		a.pay(blocks, &owed, h, eff)
		return
	}
	// An overflowing owed is more than any balance, so it is a run-dry too.
	k := a.Balance.QuoFloor(a.Rate) // < blocks, so it fits
	dry := a.SettledTo + int64(k)
	if k > 0 {
		owed = mustMulInt(a.Rate, k)
		a.pay(k, &owed, dry, eff)
	}
	a.runDry(dry, eff)
}

// pay moves blocks × price from the balance to every active lease and marks
// them settled to height to. The caller has checked owed ≤ Balance, and each
// lease's share is at most owed, so nothing here can overflow. The accrual is
// reported as one internal transfer (escrow → its leases, the total); each
// lease's share is in its Payment.Accrued. This loop is the hot path of the
// chain's EndBlock and of the simulator, so it works in place.
func (a *Account) pay(blocks uint64, owed *money.Dec, to int64, eff *Effects) {
	mustSub(&a.Balance, owed)
	mustAdd(&a.Flows.Settled, owed)
	a.SettledTo = to
	var amt money.Dec
	for i := range a.Payments {
		p := &a.Payments[i]
		if p.Lease.State != StateActive {
			continue
		}
		switch {
		case a.Active == 1: // the only active lease is owed everything
			mustAdd(&p.Accrued, owed)
		case blocks == 1:
			mustAdd(&p.Accrued, &p.Lease.Price.Amount)
		default:
			if amt.SetMulInt(&p.Lease.Price.Amount, blocks) != nil {
				panic(errCorrupt)
			}
			mustAdd(&p.Accrued, &amt)
		}
		p.Lease.SettledTo = to
	}
	if eff.NoSettle {
		return
	}
	eff.Transfers = append(eff.Transfers, Transfer{
		Account: a.ID,
		From:    Party{Kind: PartyAccount},
		To:      Party{Kind: PartyPayment},
		Coin:    money.Coin{Denom: a.Denom, Amount: *owed},
		Why:     WhySettle,
	})
}

// runDry closes every lease and the account at height dry, the last height
// the balance paid for.
func (a *Account) runDry(dry int64, eff *Effects) {
	c := Closure{Reason: ReasonInsufficientFunds}
	if !eff.Terse {
		c.Detail = fmt.Sprintf("balance %s%s could not pay block %d at %s%s per block; closed at height %d",
			a.Balance.ShortString(), a.Denom, dry+1, a.Rate.ShortString(), a.Denom, dry)
	}
	a.close(dry, c, eff)
}

func mustMulInt(d money.Dec, n uint64) money.Dec {
	v, err := d.MulInt(n)
	if err != nil {
		panic("lease: price × blocks exceeds a balance it was checked against; state corrupted outside core/lease")
	}
	return v
}
