package lease

import (
	"fmt"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// Deposit is one depositor's contribution to an escrow account. Consecutive
// deposits by the same address merge into one entry.
//
// Spending order is first-in, first-out: settlement spends the oldest deposit
// first, so on close each depositor is refunded exactly what is left of its
// own deposits, with no rounding (docs/escrow.md explains the choice).
type Deposit struct {
	Depositor string
	Amount    money.Dec
	Height    int64 // height of the first deposit merged into this entry
}

// Account is the escrow of one deployment. The tenant (ID.Owner) and anyone
// else may fund it; it pays every lease of the deployment block by block.
//
// Fields are exported so a chain keeper can persist the account as it is;
// CheckConservation verifies every derived field (Balance, Rate, Active,
// Flows) against the rest, so a corrupted record is caught, not trusted.
type Account struct {
	// The fields a withdrawal or a settlement reads come first, together
	// (about four cache lines): in a simulator with a million accounts the
	// account is seldom in cache when its provider withdraws.
	State     State
	TakeRate  uint32    // basis points of every withdrawal sent to the community pool
	Active    int       // number of active leases
	SettledTo int64     // every block up to here is paid for every active lease
	Payments  []Payment // one per lease ever opened, in opening order
	ID        market.DeploymentID
	Denom     string
	Balance   money.Dec // unspent funds: Deposited − Settled − Refunded
	Rate      money.Dec // Σ price per block of the active leases
	Flows     Flows     // running totals of the transfers this account emitted

	OpenedAt int64
	ClosedAt int64
	Closure  Closure   // why the account closed; ReasonNone while active
	Deposits []Deposit // arrival order, spent first-in first-out
}

// NewAccount opens an empty escrow account for a deployment at a height.
// takeRateBPS is the share of every provider withdrawal (in basis points)
// that goes to the community pool; it is fixed for the account's life so a
// tenant and its providers know the terms when they sign.
func NewAccount(id market.DeploymentID, denom string, takeRateBPS uint32, height int64) (*Account, error) {
	a := &Account{}
	if err := a.Open(id, denom, takeRateBPS, height); err != nil {
		return nil, err
	}
	return a, nil
}

// Open makes a the empty account NewAccount returns, in place: every field
// is reset, and the Deposits and Payments slices keep their capacity (their
// entries are cleared). A caller that recycles the accounts of closed
// deployments (the simulator) opens a million accounts without allocating.
// On error a is left as it was.
func (a *Account) Open(id market.DeploymentID, denom string, takeRateBPS uint32, height int64) error {
	if id.Owner == "" {
		return fmt.Errorf("escrow %s: owner: %w", id, ErrBadAddress)
	}
	if !money.ValidDenom(denom) {
		return fmt.Errorf("escrow %s: denom %q: %w (want e.g. uakt)", id, denom, ErrDenomMismatch)
	}
	if takeRateBPS > 10_000 {
		return fmt.Errorf("escrow %s: take rate %d: %w", id, takeRateBPS, ErrBasisPoints)
	}
	deposits, payments := a.Deposits, a.Payments
	clear(deposits)
	clear(payments)
	*a = Account{
		ID:        id,
		Denom:     denom,
		TakeRate:  takeRateBPS,
		State:     StateActive,
		OpenedAt:  height,
		SettledTo: height,
		Deposits:  deposits[:0],
		Payments:  payments[:0],
	}
	return nil
}

// Owner is the tenant that owns the deployment.
func (a *Account) Owner() string { return a.ID.Owner }

// Held is what the account still holds: unspent balance plus every lease's
// accrued, unwithdrawn payment.
func (a *Account) Held() money.Dec {
	h := a.Balance
	for i := range a.Payments {
		h = add(h, a.Payments[i].Accrued)
	}
	return h
}

// Lease returns the lease with the given ID.
func (a *Account) Lease(id market.LeaseID) (Lease, bool) {
	if i := a.find(id); i >= 0 {
		return a.Payments[i].Lease, true
	}
	return Lease{}, false
}

// Payment returns the payment slot of the lease with the given ID.
func (a *Account) Payment(id market.LeaseID) (Payment, bool) {
	if i := a.find(id); i >= 0 {
		return a.Payments[i], true
	}
	return Payment{}, false
}

func (a *Account) find(id market.LeaseID) int {
	// IDs are unique (OpenLease refuses a second); the newest lease, the
	// one usually asked for, is last.
	// The integers are compared before the two strings (==, field order,
	// would compare the owner's first), and the owner last: every lease of
	// the account has the account's.
	for i := len(a.Payments) - 1; i >= 0; i-- {
		if l := &a.Payments[i].Lease.ID; l.OSeq == id.OSeq && l.GSeq == id.GSeq && l.DSeq == id.DSeq &&
			l.Provider == id.Provider && l.Owner == id.Owner {
			return i
		}
	}
	return -1
}

// begin checks what every height-taking verb needs: an open account and a
// height not before the last settlement.
func (a *Account) begin(verb string, lease market.LeaseID, height int64) error {
	if a.State == StateActive && height >= a.SettledTo {
		return nil // the common case builds no message: verbs stay allocation-free
	}
	if lease != (market.LeaseID{}) {
		verb += " " + lease.String()
	}
	if a.State != StateActive {
		return fmt.Errorf("escrow %s: %s: %w at height %d (%s)", a.ID, verb, ErrAccountClosed, a.ClosedAt, a.Closure)
	}
	return fmt.Errorf("escrow %s: %s at height %d: %w %d", a.ID, verb, height, ErrHeightInPast, a.SettledTo)
}

// Deposit adds coin from depositor (the owner's first deposit or anyone's
// top-up). It first settles the account to height, so the new money pays
// only blocks after height: a deposit cannot rescue leases that already ran
// dry. If that settlement closes the account, the closure stands (it is in
// eff) and the deposit is refused with ErrAccountClosed.
func (a *Account) Deposit(depositor string, coin money.Coin, height int64, eff *Effects) error {
	if depositor == "" {
		return fmt.Errorf("escrow %s: deposit: depositor: %w", a.ID, ErrBadAddress)
	}
	if coin.Denom != a.Denom {
		return fmt.Errorf("escrow %s: deposit of %s: %w (account holds %s)", a.ID, coin, ErrDenomMismatch, a.Denom)
	}
	if coin.Amount.IsZero() {
		return fmt.Errorf("escrow %s: deposit by %s: %w", a.ID, depositor, ErrZeroAmount)
	}
	if err := a.begin("deposit", market.LeaseID{}, height); err != nil {
		return err
	}
	// Deposited bounds every other amount in the account, so checking it
	// here is what lets the rest of the package add without error paths.
	total, err := a.Flows.Deposited.Add(coin.Amount)
	if err != nil {
		return fmt.Errorf("escrow %s: deposit of %s by %s: total deposited %w", a.ID, coin, depositor, ErrOverflow)
	}
	a.settle(height, eff)
	if a.State != StateActive {
		return fmt.Errorf("escrow %s: deposit by %s at height %d: %w at height %d (%s)", a.ID, depositor, height, ErrAccountClosed, a.ClosedAt, a.Closure)
	}
	a.Flows.Deposited = total
	a.Balance = add(a.Balance, coin.Amount)
	if n := len(a.Deposits); n > 0 && a.Deposits[n-1].Depositor == depositor {
		a.Deposits[n-1].Amount = add(a.Deposits[n-1].Amount, coin.Amount)
	} else {
		a.Deposits = append(a.Deposits, Deposit{Depositor: depositor, Amount: coin.Amount, Height: height})
	}
	eff.Transfers = append(eff.Transfers, Transfer{
		Account: a.ID,
		From:    Party{Kind: PartyDepositor, Addr: depositor},
		To:      Party{Kind: PartyAccount},
		Coin:    coin,
		Why:     WhyDeposit,
	})
	return nil
}

// OpenLease starts paying a lease from this account at height: the lease
// pays its price for every block after height. The account is settled to
// height first (see Deposit for what happens if that closes it).
func (a *Account) OpenLease(id market.LeaseID, price money.Coin, height int64, eff *Effects) error {
	if id.DeploymentID != a.ID {
		return fmt.Errorf("escrow %s: open lease %s: %w", a.ID, id, ErrWrongDeployment)
	}
	if id.Provider == "" {
		return fmt.Errorf("escrow %s: open lease %s: provider: %w", a.ID, id, ErrBadAddress)
	}
	if price.Denom != a.Denom {
		return fmt.Errorf("escrow %s: open lease %s at %s: %w (account holds %s)", a.ID, id, price, ErrDenomMismatch, a.Denom)
	}
	if price.Amount.IsZero() {
		return fmt.Errorf("escrow %s: open lease %s: price per block: %w", a.ID, id, ErrZeroAmount)
	}
	if a.find(id) >= 0 {
		return fmt.Errorf("escrow %s: open lease %s: %w", a.ID, id, ErrLeaseExists)
	}
	if err := a.begin("open lease", id, height); err != nil {
		return err
	}
	a.settle(height, eff)
	if a.State != StateActive {
		return fmt.Errorf("escrow %s: open lease %s at height %d: %w at height %d (%s)", a.ID, id, height, ErrAccountClosed, a.ClosedAt, a.Closure)
	}
	rate, err := a.Rate.Add(price.Amount)
	if err != nil {
		return fmt.Errorf("escrow %s: open lease %s at %s: total rate %w", a.ID, id, price, ErrOverflow)
	}
	a.Rate = rate
	a.Active++
	a.Payments = append(a.Payments, Payment{Lease: Lease{
		ID:        id,
		Price:     price,
		State:     StateActive,
		OpenedAt:  height,
		SettledTo: height,
	}})
	return nil
}
