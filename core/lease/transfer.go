package lease

import (
	"fmt"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// PartyKind names who holds coins at either end of a Transfer.
type PartyKind uint8

const (
	PartyNone      PartyKind = iota
	PartyDepositor           // an address that funded an escrow account (Addr)
	PartyAccount             // the escrow account (Transfer.Account)
	PartyPayment             // leases' accrued slots inside the escrow (Transfer.Lease, or all of them when zero)
	PartyProvider            // a provider's own address (Addr)
	PartyPool                // the community pool
	PartyStake               // a provider's bonded/unbonding stake (Addr)
)

func (k PartyKind) String() string {
	switch k {
	case PartyDepositor:
		return "depositor"
	case PartyAccount:
		return "escrow"
	case PartyPayment:
		return "lease"
	case PartyProvider:
		return "provider"
	case PartyPool:
		return "pool"
	case PartyStake:
		return "stake"
	}
	return "none"
}

// Party is one end of a Transfer.
type Party struct {
	Kind PartyKind
	Addr string // depositor or provider address; empty for account, payment, pool
}

func (p Party) String() string {
	if p.Addr == "" {
		return p.Kind.String()
	}
	return p.Kind.String() + ":" + p.Addr
}

// Why says what a Transfer is for.
type Why uint8

const (
	WhyNone     Why = iota
	WhyDeposit      // depositor → escrow (deposit or top-up)
	WhySettle       // escrow → its leases' accrued payments, block by block (internal)
	WhyWithdraw     // escrow → provider: accrued minus the take
	WhyTake         // escrow → pool: the take rate on a withdrawal
	WhyRefund       // escrow → depositor: unspent balance on close
	WhyBond         // provider → stake
	WhyUnbond       // stake → provider, once an unbonding entry matures
	WhySlash        // stake → pool, for a provider fault
)

func (w Why) String() string {
	switch w {
	case WhyDeposit:
		return "deposit"
	case WhySettle:
		return "settle"
	case WhyWithdraw:
		return "withdraw"
	case WhyTake:
		return "take"
	case WhyRefund:
		return "refund"
	case WhyBond:
		return "bond"
	case WhyUnbond:
		return "unbond"
	case WhySlash:
		return "slash"
	}
	return "none"
}

// Transfer is one coin movement a verb decided. The caller applies it.
type Transfer struct {
	Account market.DeploymentID // escrow account involved; zero for stake moves
	Lease   market.LeaseID      // lease involved; zero when not about one lease
	From    Party
	To      Party
	Coin    money.Coin
	Why     Why
}

func (t Transfer) String() string {
	return fmt.Sprintf("%s %s -> %s %s", t.Why, t.From, t.To, t.Coin)
}

// Effects collects what verbs decided. Reuse one buffer (Reset between
// blocks) and the verbs allocate nothing in steady state.
type Effects struct {
	Transfers []Transfer
	Closed    []Lease // snapshots of leases closed, in the order they closed

	// Terse leaves empty the Detail of the closures the verbs decide
	// themselves (an account that ran dry: ReasonInsufficientFunds), which
	// otherwise is text formatted from the balance and rate. For a caller
	// that never shows it (the simulator without a trace); the reason,
	// heights and every amount are the same either way.
	Terse bool

	// NoSettle leaves out the WhySettle transfers (the account's balance to
	// its own leases' accrued payments: money that stays in the account),
	// for a caller that moves nothing for them (the simulator, whose escrow
	// bucket holds both). Every other transfer, closure and amount, and the
	// account, are the same either way.
	NoSettle bool
}

// Reset empties the buffer, keeping its capacity (and Terse, NoSettle).
func (e *Effects) Reset() {
	clear(e.Transfers) // drop string references so they can be collected
	e.Transfers = e.Transfers[:0]
	clear(e.Closed)
	e.Closed = e.Closed[:0]
}

// Flows are the running totals of an escrow account's transfers, by purpose.
// The account keeps its own; a caller can rebuild them from the Transfers it
// applied (Record) and hand them to CheckConservation as independent evidence.
type Flows struct {
	Settled     money.Dec // escrow → lease payments (internal)
	ToProviders money.Dec // escrow → providers
	ToPool      money.Dec // escrow → pool
	Deposited   money.Dec // depositors → escrow
	Refunded    money.Dec // escrow → depositors
}

// Record adds an escrow transfer to the totals; stake transfers are ignored.
func (f *Flows) Record(t Transfer) error {
	var dst *money.Dec
	switch t.Why {
	case WhyDeposit:
		dst = &f.Deposited
	case WhySettle:
		dst = &f.Settled
	case WhyWithdraw:
		dst = &f.ToProviders
	case WhyTake:
		dst = &f.ToPool
	case WhyRefund:
		dst = &f.Refunded
	default:
		return nil
	}
	v, err := dst.Add(t.Coin.Amount)
	if err != nil {
		return fmt.Errorf("flows: %s of %s: %w", t.Why, t.Coin, ErrOverflow)
	}
	*dst = v
	return nil
}

// add is Dec addition for sums bounded by an account's total deposits, which
// was overflow-checked when it was deposited; an overflow here means the
// state was corrupted outside this package, and continuing would mint money.
func add(a, b money.Dec) money.Dec {
	v, err := a.Add(b)
	if err != nil {
		panic("lease: sum exceeds the overflow-checked total deposited; state corrupted outside core/lease")
	}
	return v
}

const errCorrupt = "lease: amount out of the range the invariants allow; state corrupted outside core/lease"

// mustAdd and mustSub are the in-place forms of add and sub for hot loops.
func mustAdd(d, e *money.Dec) {
	if d.AddAssign(e) != nil {
		panic(errCorrupt)
	}
}

func mustSub(d, e *money.Dec) {
	if d.SubAssign(e) != nil {
		panic(errCorrupt)
	}
}

// sub is Dec subtraction where the invariants guarantee b ≤ a.
func sub(a, b money.Dec) money.Dec {
	v, err := a.Sub(b)
	if err != nil {
		panic("lease: escrow amount would go negative; state corrupted outside core/lease")
	}
	return v
}
