package lease

import (
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// State is a lease's or an escrow account's lifecycle state.
type State uint8

const (
	StateActive State = iota + 1
	StateClosed
)

func (s State) String() string {
	switch s {
	case StateActive:
		return "active"
	case StateClosed:
		return "closed"
	}
	return "invalid"
}

// Lease is the agreement a winning bid became: the tenant pays Price every
// block from its deployment's escrow account to the provider.
type Lease struct {
	State     State
	SettledTo int64 // every block up to here is paid
	OpenedAt  int64 // height the lease was created; it pays for blocks after it
	ClosedAt  int64 // 0 while active
	ID        market.LeaseID
	Price     money.Coin // per block
	Closure   Closure
}

// Provider is the winning bidder, who is paid.
func (l *Lease) Provider() string { return l.ID.Provider }

// Active reports whether the lease still accrues.
func (l *Lease) Active() bool { return l.State == StateActive }

// Payment is one lease's slot inside its escrow account: what it has been
// paid and not withdrawn (Accrued), and what left the account for it.
type Payment struct {
	// The amounts first, then the lease's state and settlement height: the
	// part a withdrawal reads spans three cache lines, not four.
	Accrued money.Dec // settled to this lease, not yet withdrawn
	Earned  money.Dec // withdrawn to the provider (after the take)
	Taken   money.Dec // withdrawn to the community pool (the take rate)
	Lease   Lease
}

// Settled is everything the lease has been paid: Accrued + Earned + Taken.
func (p *Payment) Settled() money.Dec { return add(add(p.Accrued, p.Earned), p.Taken) }
