package lease

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// CheckConservation verifies, to the last atto-unit, that an escrow account
// neither created nor lost money:
//
//	deposited = paid to providers + taken to the pool + refunded + held
//	held      = balance + Σ accrued (unwithdrawn) of its leases
//
// observed are the flows the caller tallied from the Transfers it applied
// (Flows.Record); passing them makes the check independent of the account's
// own counters, which must agree with them. A chain invariant that keeps no
// transfer log passes a.Flows. It also checks every derived field (Rate,
// Active, Balance, per-lease sums, first-in first-out deposit remainders)
// and that every closed lease has a reason. All violations are reported,
// joined, each wrapping ErrConservation.
func CheckConservation(a *Account, observed Flows) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("escrow %s: %w: %s", a.ID, ErrConservation, fmt.Sprintf(format, args...)))
	}
	f := a.Flows
	for _, c := range []struct {
		name      string
		own, seen money.Dec
	}{
		{"deposited", f.Deposited, observed.Deposited},
		{"settled", f.Settled, observed.Settled},
		{"paid to providers", f.ToProviders, observed.ToProviders},
		{"taken to pool", f.ToPool, observed.ToPool},
		{"refunded", f.Refunded, observed.Refunded},
	} {
		if !c.own.Equal(c.seen) {
			bad("%s: account says %s, transfers say %s", c.name, c.own, c.seen)
		}
	}

	var accrued, earned, taken, settled, rate money.Dec
	active := 0
	var err error
	sum := func(acc *money.Dec, v money.Dec) {
		if *acc, err = acc.Add(v); err != nil {
			bad("sum overflows: %v", err)
		}
	}
	for i := range a.Payments {
		p := &a.Payments[i]
		l := &p.Lease
		sum(&accrued, p.Accrued)
		sum(&earned, p.Earned)
		sum(&taken, p.Taken)
		sum(&settled, p.Accrued)
		sum(&settled, p.Earned)
		sum(&settled, p.Taken)
		switch l.State {
		case StateActive:
			active++
			sum(&rate, l.Price.Amount)
			if l.SettledTo != a.SettledTo {
				bad("active lease %s settled to %d, account to %d", l.ID, l.SettledTo, a.SettledTo)
			}
			if l.Closure.Reason != ReasonNone {
				bad("active lease %s has close reason %s", l.ID, l.Closure.Reason)
			}
		case StateClosed:
			if !l.Closure.Reason.Valid() {
				bad("closed lease %s has no valid close reason (%s)", l.ID, l.Closure.Reason)
			}
			if l.SettledTo != l.ClosedAt {
				bad("closed lease %s settled to %d but closed at %d", l.ID, l.SettledTo, l.ClosedAt)
			}
		default:
			bad("lease %s has invalid state %d", l.ID, l.State)
		}
	}
	if active != a.Active {
		bad("%d active leases, account counts %d", active, a.Active)
	}
	if !rate.Equal(a.Rate) {
		bad("active leases pay %s per block, account rate is %s", rate, a.Rate)
	}
	if !settled.Equal(f.Settled) {
		bad("leases were paid %s in total, account settled %s", settled, f.Settled)
	}
	if !earned.Equal(f.ToProviders) {
		bad("leases earned %s, account paid providers %s", earned, f.ToProviders)
	}
	if !taken.Equal(f.ToPool) {
		bad("leases were taken %s, account paid the pool %s", taken, f.ToPool)
	}

	// The identity itself, from the observed flows and the held state.
	var out money.Dec
	sum(&out, observed.ToProviders)
	sum(&out, observed.ToPool)
	sum(&out, observed.Refunded)
	sum(&out, a.Balance)
	sum(&out, accrued)
	if !out.Equal(observed.Deposited) {
		bad("deposited %s != paid %s + pool %s + refunded %s + balance %s + accrued %s",
			observed.Deposited, observed.ToProviders, observed.ToPool, observed.Refunded, a.Balance, accrued)
	}
	// Balance = deposited − settled − refunded, and it is what is left of the
	// deposits after first-in first-out spending.
	var spentOrRefunded money.Dec
	sum(&spentOrRefunded, f.Settled)
	sum(&spentOrRefunded, f.Refunded)
	if bal, e := f.Deposited.Sub(spentOrRefunded); e != nil || !bal.Equal(a.Balance) {
		bad("balance %s != deposited %s − settled %s − refunded %s", a.Balance, f.Deposited, f.Settled, f.Refunded)
	}
	var deposits money.Dec
	for _, d := range a.Deposits {
		sum(&deposits, d.Amount)
		if d.Amount.IsZero() || d.Depositor == "" {
			bad("deposit entry %+v is empty", d)
		}
	}
	if !deposits.Equal(f.Deposited) {
		bad("deposit entries sum to %s, account deposited %s", deposits, f.Deposited)
	}

	if a.State == StateClosed {
		if !a.Closure.Reason.Valid() {
			bad("closed account has no valid close reason (%s)", a.Closure.Reason)
		}
		if active != 0 || !a.Balance.IsZero() || !accrued.IsZero() {
			bad("closed account still holds balance %s, accrued %s, %d active leases", a.Balance, accrued, active)
		}
	}
	return errors.Join(errs...)
}
