package lease

import (
	"fmt"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// Withdraw settles the account to height and pays the lease's accrued
// balance out: the take (⌊accrued × TakeRate ÷ 10000⌋) to the community
// pool, the rest to the provider. It works on a closed lease too, until the
// account closes (which pays everything out). Nothing accrued is not an error.
func (a *Account) Withdraw(id market.LeaseID, height int64, eff *Effects) error {
	po, err := a.withdraw(id, height, eff)
	if err != nil {
		return err
	}
	eff.Transfers = a.PayoutTransfers(id, po, eff.Transfers)
	return nil
}

// Payout is what one withdrawal moved out of a lease's accrued balance:
// Net to its provider and Take to the community pool.
type Payout struct {
	Net, Take money.Dec
}

// IsZero reports whether the payout moved nothing.
func (po *Payout) IsZero() bool { return po.Net.IsZero() && po.Take.IsZero() }

// WithdrawPayout is Withdraw for a caller that applies the payout itself
// (the simulator's hourly withdrawals of every lease): the lease's payout is
// returned instead of appended to eff as the transfers Withdraw reports
// (PayoutTransfers builds them). What settling decided goes to eff as with
// Withdraw, ahead of the payout: if the settlement ran the account dry, the
// closure paid everything out there and the payout returned is zero.
func (a *Account) WithdrawPayout(id market.LeaseID, height int64, eff *Effects) (Payout, error) {
	return a.withdraw(id, height, eff)
}

// WithdrawPayoutAt is WithdrawPayout of the lease in Payments[i], for a
// caller that knows where its lease is (the simulator: a deployment's
// current lease is its account's newest payment) and so needs no search by
// lease ID. The rules and effects are WithdrawPayout's for that lease's ID;
// an i out of range is ErrLeaseNotFound.
func (a *Account) WithdrawPayoutAt(i int, height int64, eff *Effects) (Payout, error) {
	if i < 0 || i >= len(a.Payments) {
		return Payout{}, fmt.Errorf("escrow %s: withdraw payment %d of %d: %w", a.ID, i, len(a.Payments), ErrLeaseNotFound)
	}
	return a.withdrawAt(i, height, eff)
}

func (a *Account) withdraw(id market.LeaseID, height int64, eff *Effects) (Payout, error) {
	i := a.find(id)
	if i < 0 {
		return Payout{}, fmt.Errorf("escrow %s: withdraw %s: %w", a.ID, id, ErrLeaseNotFound)
	}
	return a.withdrawAt(i, height, eff)
}

// withdrawAt is withdraw of Payments[i], i in range.
func (a *Account) withdrawAt(i int, height int64, eff *Effects) (Payout, error) {
	if a.State != StateActive || height < a.SettledTo { // begin's refusals
		return Payout{}, a.begin("withdraw", a.Payments[i].Lease.ID, height)
	}
	a.settle(height, eff)
	// If the settlement ran the account dry, closing it already paid out.
	return a.takePayout(i), nil
}

// CloseLease settles the account to height, closes the lease there with the
// given reason and pays its accrued balance out to the provider (and pool).
// The account stays open for the deployment's other or future leases.
// ReasonInsufficientFunds is the escrow's own verdict and is refused here.
// If the settlement finds the account already dry, the lease closes for
// insufficient funds at the dry height (reported in eff) and the call
// returns ErrLeaseClosed.
func (a *Account) CloseLease(id market.LeaseID, c Closure, height int64, eff *Effects) error {
	if err := checkReason(c); err != nil {
		return fmt.Errorf("escrow %s: close lease %s: %w", a.ID, id, err)
	}
	i := a.find(id)
	if i < 0 {
		return fmt.Errorf("escrow %s: close lease %s: %w", a.ID, id, ErrLeaseNotFound)
	}
	if l := &a.Payments[i].Lease; l.State != StateActive {
		return fmt.Errorf("escrow %s: close lease %s: %w at height %d (%s)", a.ID, id, ErrLeaseClosed, l.ClosedAt, l.Closure)
	}
	if err := a.begin("close lease", id, height); err != nil {
		return err
	}
	a.settle(height, eff)
	if l := &a.Payments[i].Lease; l.State != StateActive {
		return fmt.Errorf("escrow %s: close lease %s at height %d: %w at height %d (%s)", a.ID, id, height, ErrLeaseClosed, l.ClosedAt, l.Closure)
	}
	a.closeLease(i, height, c, eff)
	a.payout(i, eff)
	return nil
}

// CloseAccount settles to height, closes every active lease with the given
// reason, pays every accrued balance out and refunds what is left to the
// depositors (first-in first-out: each gets back the unspent part of its own
// deposits). A closed account holds nothing.
func (a *Account) CloseAccount(c Closure, height int64, eff *Effects) error {
	if err := checkReason(c); err != nil {
		return fmt.Errorf("escrow %s: close: %w", a.ID, err)
	}
	if err := a.begin("close", market.LeaseID{}, height); err != nil {
		return err
	}
	a.settle(height, eff)
	if a.State != StateActive {
		return fmt.Errorf("escrow %s: close at height %d: %w at height %d (%s)", a.ID, height, ErrAccountClosed, a.ClosedAt, a.Closure)
	}
	a.close(height, c, eff)
	return nil
}

func checkReason(c Closure) error {
	switch {
	case c.Reason == ReasonInsufficientFunds:
		return fmt.Errorf("%w: %s", ErrReservedReason, c.Reason)
	case !c.Reason.Valid():
		return fmt.Errorf("%w (got %s; want e.g. %s)", ErrNoReason, c.Reason, ReasonTenantClosed)
	}
	return nil
}

// close ends the account at height h: every active lease closes with c,
// everything accrued is paid out, the balance is refunded.
func (a *Account) close(h int64, c Closure, eff *Effects) {
	for i := range a.Payments {
		if a.Payments[i].Lease.State == StateActive {
			a.closeLease(i, h, c, eff)
		}
	}
	for i := range a.Payments {
		a.payout(i, eff)
	}
	a.refund(eff)
	a.State = StateClosed
	a.ClosedAt = h
	a.Closure = c
}

func (a *Account) closeLease(i int, h int64, c Closure, eff *Effects) {
	l := &a.Payments[i].Lease
	l.State = StateClosed
	l.ClosedAt = h
	l.Closure = c
	a.Rate = sub(a.Rate, l.Price.Amount)
	a.Active--
	eff.Closed = append(eff.Closed, *l)
}

// payout sends payment i's accrued balance to its provider and the pool.
func (a *Account) payout(i int, eff *Effects) {
	if a.Payments[i].Accrued.IsZero() {
		return
	}
	eff.Transfers = a.PayoutTransfers(a.Payments[i].Lease.ID, a.takePayout(i), eff.Transfers)
}

// takePayout empties payment i's accrued balance into its provider's and
// the pool's shares and returns them. The take is rounded down, so rounding
// favours the provider and the two parts add up to the accrued amount
// exactly.
func (a *Account) takePayout(i int) Payout {
	p := &a.Payments[i]
	if p.Accrued.IsZero() {
		return Payout{}
	}
	var po Payout
	take, err := p.Accrued.MulFrac(uint64(a.TakeRate), 10_000)
	if err != nil { // TakeRate ≤ 10000, so take ≤ accrued: cannot happen
		panic("lease: take rate above 100%; state corrupted outside core/lease")
	}
	po.Take = take
	po.Net = p.Accrued
	mustSub(&po.Net, &po.Take)
	p.Accrued = money.Dec{}
	mustAdd(&p.Earned, &po.Net)
	mustAdd(&p.Taken, &po.Take)
	mustAdd(&a.Flows.ToProviders, &po.Net)
	mustAdd(&a.Flows.ToPool, &po.Take)
	return po
}

// PayoutTransfers appends to dst the transfers that report po, a payout of
// lease id of this account, as Withdraw and the closing verbs report one:
// the net to the provider, then the take to the pool, each only if not
// zero.
func (a *Account) PayoutTransfers(id market.LeaseID, po Payout, dst []Transfer) []Transfer {
	if !po.Net.IsZero() {
		dst = append(dst, Transfer{
			Account: a.ID,
			Lease:   id,
			From:    Party{Kind: PartyPayment},
			To:      Party{Kind: PartyProvider, Addr: id.Provider},
			Coin:    money.Coin{Denom: a.Denom, Amount: po.Net},
			Why:     WhyWithdraw,
		})
	}
	if !po.Take.IsZero() {
		dst = append(dst, Transfer{
			Account: a.ID,
			Lease:   id,
			From:    Party{Kind: PartyPayment},
			To:      Party{Kind: PartyPool},
			Coin:    money.Coin{Denom: a.Denom, Amount: po.Take},
			Why:     WhyTake,
		})
	}
	return dst
}

// refund returns the whole balance to the depositors. Deposits are spent
// first-in first-out, so deposit j has spent clamp(Settled − before_j, 0,
// amount_j), where before_j is the sum of the deposits ahead of it; the rest
// of it goes back to its depositor. These parts add up to Balance exactly.
func (a *Account) refund(eff *Effects) {
	var before money.Dec
	spent := a.Flows.Settled
	for _, d := range a.Deposits {
		left := d.Amount
		if before.Less(spent) {
			used := money.Min(sub(spent, before), d.Amount)
			left = sub(d.Amount, used)
		}
		before = add(before, d.Amount)
		if left.IsZero() {
			continue
		}
		a.Balance = sub(a.Balance, left)
		a.Flows.Refunded = add(a.Flows.Refunded, left)
		eff.Transfers = append(eff.Transfers, Transfer{
			Account: a.ID,
			From:    Party{Kind: PartyAccount},
			To:      Party{Kind: PartyDepositor, Addr: d.Depositor},
			Coin:    money.Coin{Denom: a.Denom, Amount: left},
			Why:     WhyRefund,
		})
	}
}
