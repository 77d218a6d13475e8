package sim

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
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

	// Take, Forfeited and Dust split Pool by origin, for the summary.
	Take      money.Dec
	Forfeited money.Dec
	Dust      money.Dec // fractions of a unit closed accounts held back (core/lease whole.go)
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
		return &w.settle.ledger.Tenants, nil
	case lease.PartyAccount, lease.PartyPayment:
		return &w.settle.ledger.Escrow, nil
	case lease.PartyProvider:
		return &w.settle.ledger.Providers, w.providerByAddr(p.Addr)
	case lease.PartyPool:
		if why == lease.WhySlash {
			return &w.settle.ledger.Slashed, nil
		}
		return &w.settle.ledger.Pool, nil
	case lease.PartyStake:
		return &w.settle.ledger.Staked, nil
	}
	return nil, nil
}

// applyTransfer applies one core/lease Transfer to the ledger and to the
// provider's wallet and revenue.
func (w *World) applyTransfer(t *lease.Transfer) error {
	if t.Why == lease.WhySettle {
		return nil // escrow balance → leases' accrued slots: both in the Escrow bucket (the world asks for none: Effects.NoSettle)
	}
	if err := w.settle.stakeFlows.Record(*t); err != nil {
		return fmt.Errorf("%w: %v", ErrConservation, err)
	}
	from, pf := w.bucket(t.From, t.Why)
	to, pt := w.bucket(t.To, t.Why)
	if from == nil || to == nil {
		return fmt.Errorf("%w: transfer %v has an end the ledger does not know", ErrConservation, *t)
	}
	amt, err := w.wholePayout(t)
	if err != nil {
		return err
	}
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
			_ = w.metrics.intervalRevenue.AddAssign(&amt)
		}
	}
	if t.Why == lease.WhyTake {
		_ = w.settle.ledger.Take.AddAssign(&amt)
	}
	if w.trace != nil {
		w.traceTransfer(t, amt)
	}
	return nil
}

// wholePayout is what transfer t moves in whole units, by core's rule
// (lease.WholeStep, lease.SplitWhole), as the chain's bank moves it: a
// provider receives the whole part of what its lease has paid it in total, the
// pool the whole part of what the account has taken in total, a depositor
// the whole part of its refund. The fraction stays in the Escrow bucket, in
// the deployment's carried dust, until the account closes (payDust).
// Deposits are whole already (lease.WholeDeposit); stake moves are whole.
func (w *World) wholePayout(t *lease.Transfer) (money.Dec, error) {
	if t.Why != lease.WhyWithdraw && t.Why != lease.WhyTake && t.Why != lease.WhyRefund {
		return t.Coin.Amount, nil
	}
	d := w.dep(t.Account.DSeq)
	if d == nil {
		return money.Dec{}, fmt.Errorf("%w: %s from account %s, which the world no longer holds", ErrConservation, t.Why, t.Account)
	}
	return d.wholeOf(t.Why, &t.Lease, t.Coin.Amount)
}

// wholeOf is wholePayout for amt leaving d's account for why (a withdrawal
// of lease id, a take or a refund).
func (d *Deployment) wholeOf(why lease.Why, id *market.LeaseID, amt money.Dec) (money.Dec, error) {
	po := &d.payout
	var whole money.Dec
	switch why {
	case lease.WhyWithdraw:
		if po.gseq != id.GSeq || po.oseq != id.OSeq {
			po.gseq, po.oseq, po.withdrawn = id.GSeq, id.OSeq, money.Dec{}
		}
		w, err := lease.WholeCarry(&po.withdrawn, amt)
		if err != nil {
			return money.Dec{}, fmt.Errorf("%w: withdrawn total of %s: %v", ErrConservation, *id, err)
		}
		whole = w
	case lease.WhyTake:
		w, err := lease.WholeCarry(&po.taken, amt)
		if err != nil {
			return money.Dec{}, fmt.Errorf("%w: take total of %s: %v", ErrConservation, d.id, err)
		}
		whole = w
	case lease.WhyRefund:
		whole, _ = lease.SplitWhole(amt)
	}
	// carried + amount − whole: a step can pay out more than this transfer
	// (earlier fractions completing a unit), never more than is held back.
	if err := po.carried.AddAssign(&amt); err != nil {
		return money.Dec{}, fmt.Errorf("%w: carried dust of %s: %v", ErrConservation, d.id, err)
	}
	if err := po.carried.SubAssign(&whole); err != nil {
		return money.Dec{}, fmt.Errorf("%w: carried dust of %s: %v", ErrConservation, d.id, err)
	}
	return whole, nil
}

// applyPayout applies what one withdrawal of d's lease id by its provider p
// paid out (lease.Account.WithdrawPayout), as applyTransfer applies the
// WhyWithdraw and WhyTake transfers Withdraw would have reported for it, in
// that order: the whole units of the net to p's wallet and revenue, of the
// take to the pool. No Transfer is built unless a trace records it.
func (w *World) applyPayout(d *Deployment, p *Provider, id *market.LeaseID, po *lease.Payout) error {
	var ts []lease.Transfer
	if w.trace != nil {
		ts = d.acct.PayoutTransfers(*id, *po, make([]lease.Transfer, 0, 2))
	}
	l := &w.settle.ledger
	if !po.Net.IsZero() {
		amt, err := d.wholeOf(lease.WhyWithdraw, id, po.Net)
		if err != nil {
			return err
		}
		if err := move(&l.Escrow, &l.Providers, amt, "withdraw"); err != nil {
			return err
		}
		_ = p.wallet.AddAssign(&amt)
		_ = p.revenue.AddAssign(&amt)
		_ = w.metrics.intervalRevenue.AddAssign(&amt)
		if ts != nil {
			w.traceTransfer(&ts[0], amt)
			ts = ts[1:]
		}
	}
	if !po.Take.IsZero() {
		amt, err := d.wholeOf(lease.WhyTake, id, po.Take)
		if err != nil {
			return err
		}
		if err := move(&l.Escrow, &l.Pool, amt, "take"); err != nil {
			return err
		}
		_ = l.Take.AddAssign(&amt)
		if ts != nil {
			w.traceTransfer(&ts[0], amt)
		}
	}
	return nil
}

// payDust pays a closed account's carried fractions to the pool: a whole
// number of units, since deposits are whole and every payout was.
func (w *World) payDust(d *Deployment) {
	dust := d.payout.carried
	if dust.IsZero() {
		return
	}
	if _, frac := lease.SplitWhole(dust); !frac.IsZero() {
		w.fail(fmt.Errorf("%w: account %s closes with dust %s, not a whole number of units", ErrConservation, d.id, dust.ShortString()))
		return
	}
	if err := move(&w.settle.ledger.Escrow, &w.settle.ledger.Pool, dust, "dust"); err != nil {
		w.fail(err)
		return
	}
	_ = w.settle.ledger.Dust.AddAssign(&dust)
	d.payout.carried = money.Dec{}
	if w.trace != nil {
		w.traceDust(d, dust)
	}
}
