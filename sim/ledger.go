package sim

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
)

// ErrConservation is returned by Run when tokens appeared or vanished: the
// ledger's buckets no longer add up to the supply the run started with.
var ErrConservation = errors.New("sim: token conservation broken")

// Ledger is the run's token accounting: every token sits in exactly one
// bucket, and core/lease's Transfers (plus the simulator's own moves for
// wallets and bid deposits) move tokens between buckets. The buckets add up to
// Supply at every instant; Check proves it to the last atto-unit.
type Ledger struct {
	Supply money.Dec // what the run started with; never changes

	Outside   money.Dec // not yet in the market: tenants' and providers' money before they arrive
	Tenants   money.Dec // tenants' wallets (deposits not yet made, refunds)
	Escrow    money.Dec // escrow balances plus leases' accrued, unwithdrawn payments
	Providers money.Dec // providers' wallets (Σ provider[i].wallet)
	BidLocked money.Dec // bid deposits locked on open bids and on leases won
	Pool      money.Dec // take collected and forfeited bid deposits (the community pool)
	Staked    money.Dec // bonded and unbonding stake
	Slashed   money.Dec // stake slashed for provider faults (also the pool's, kept apart to report)

	// Take and Forfeited split Pool by origin, for the summary.
	Take      money.Dec
	Forfeited money.Dec
}

func newLedger(supply money.Dec) Ledger {
	return Ledger{Supply: supply, Outside: supply}
}

// move takes amt from one bucket to another; a shortfall is a conservation bug.
func move(from, to *money.Dec, amt money.Dec, what string) error {
	return moveFor(from, to, amt, what, "")
}

// moveFor is move for an agent who: the error names "what who", built only
// when there is an error (a string built per call was a large share of a
// big run's garbage).
func moveFor(from, to *money.Dec, amt money.Dec, what, who string) error {
	if err := from.SubAssign(&amt); err != nil {
		return fmt.Errorf("%w: %s of %s: source holds %s", ErrConservation, joinWho(what, who), amt.ShortString(), from.ShortString())
	}
	if err := to.AddAssign(&amt); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrConservation, joinWho(what, who), err)
	}
	return nil
}

func joinWho(what, who string) string {
	if who == "" {
		return what
	}
	return what + " " + who
}

// Total is the sum of every bucket.
func (l *Ledger) Total() (money.Dec, error) {
	var t money.Dec
	for _, d := range []*money.Dec{&l.Outside, &l.Tenants, &l.Escrow, &l.Providers, &l.BidLocked, &l.Pool, &l.Staked, &l.Slashed} {
		if err := t.AddAssign(d); err != nil {
			return t, err
		}
	}
	return t, nil
}

// Check verifies that the buckets add up to the supply.
func (l *Ledger) Check() error {
	t, err := l.Total()
	if err != nil {
		return fmt.Errorf("%w: total overflows: %v", ErrConservation, err)
	}
	if !t.Equal(l.Supply) {
		return fmt.Errorf("%w: buckets add up to %s, supply is %s (outside %s, tenants %s, escrow %s, providers %s, bid deposits %s, pool %s, staked %s, slashed %s)",
			ErrConservation, t.ShortString(), l.Supply.ShortString(), l.Outside.ShortString(), l.Tenants.ShortString(),
			l.Escrow.ShortString(), l.Providers.ShortString(), l.BidLocked.ShortString(), l.Pool.ShortString(),
			l.Staked.ShortString(), l.Slashed.ShortString())
	}
	return nil
}

// bucket maps one end of a core/lease Transfer to the ledger bucket holding it.
func (w *World) bucket(p lease.Party, why lease.Why) (*money.Dec, *Provider) {
	switch p.Kind {
	case lease.PartyDepositor:
		return &w.ledger.Tenants, nil
	case lease.PartyAccount, lease.PartyPayment:
		return &w.ledger.Escrow, nil
	case lease.PartyProvider:
		return &w.ledger.Providers, w.providerByAddr(p.Addr)
	case lease.PartyPool:
		if why == lease.WhySlash {
			return &w.ledger.Slashed, nil
		}
		return &w.ledger.Pool, nil
	case lease.PartyStake:
		return &w.ledger.Staked, nil
	}
	return nil, nil
}

// applyTransfer applies one core/lease Transfer to the ledger and to the
// provider's wallet and revenue.
func (w *World) applyTransfer(t *lease.Transfer) error {
	if t.Why == lease.WhySettle {
		return nil // escrow balance → leases' accrued slots: both in the Escrow bucket
	}
	if err := w.stakeFl.Record(*t); err != nil {
		return fmt.Errorf("%w: %v", ErrConservation, err)
	}
	if w.tr != nil {
		w.traceTransfer(t)
	}
	from, pf := w.bucket(t.From, t.Why)
	to, pt := w.bucket(t.To, t.Why)
	if from == nil || to == nil {
		return fmt.Errorf("%w: transfer %v has an end the ledger does not know", ErrConservation, *t)
	}
	amt := t.Coin.Amount
	if err := move(from, to, amt, t.Why.String()); err != nil {
		return err
	}
	if pf != nil {
		if err := pf.wallet.SubAssign(&amt); err != nil {
			return fmt.Errorf("%w: provider %s pays %s but holds %s", ErrConservation, pf.addr, amt.ShortString(), pf.wallet.ShortString())
		}
	}
	if pt != nil {
		_ = pt.wallet.AddAssign(&amt)
		if t.Why == lease.WhyWithdraw {
			_ = pt.revenue.AddAssign(&amt)
			_ = w.m.intervalRevenue.AddAssign(&amt)
		}
	}
	if t.Why == lease.WhyTake {
		_ = w.ledger.Take.AddAssign(&amt)
	}
	return nil
}
