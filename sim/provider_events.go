package sim

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
	"github.com/akash-market/akash/sim/trace"
)

// outageEvent alternates a provider between failing (MTBF) and coming back
// (MTTR). A failure closes every lease by provider fault — reputation drops
// through the history core/lease keeps, and each closed lease slashes the
// stake by the market's SlashFaultBPS (core/lease SlashPolicy, World.slash).
type outageEvent struct {
	w *World
	p *Provider
}

func (e *outageEvent) Fire(s *engine.Sim) {
	w, p := e.w, e.p
	if p.left {
		return
	}
	spec := p.class.spec
	if !p.online { // repaired
		p.online = true
		if w.trace != nil {
			w.traceStatus(p, trace.StatusRepaired)
		}
		w.eng.After(engine.Seconds(max(spec.MTBF.Draw(p.outageR), 1)), e)
		return
	}
	p.online = false
	w.metrics.outages++
	w.metrics.pc[p.class.idx].outages++
	p.outages++
	if w.trace != nil {
		w.traceStatus(p, trace.StatusOutage)
	}
	w.withdrawPending(p)
	w.closeAllLeases(p, lease.ReasonProviderFault, "provider outage") // each close slashes (World.slash)
	w.eng.After(engine.Seconds(max(spec.MTTR.Draw(p.outageR), 1)), e)
}

// withdrawPending withdraws the provider's open bids (those still before
// their order's close); the book hands the deposits back.
func (w *World) withdrawPending(p *Provider) {
	for i := len(p.pending) - 1; i >= 0; i-- {
		pb := p.pending[i]
		d := w.dep(pb.dseq)
		if d == nil || d.oseq != pb.oseq || !d.orderOpen {
			continue
		}
		// Past the close a withdrawal is refused; asking first spares the
		// refusal's error text, which outages would build for every bid
		// awaiting its match.
		if o, ok := w.book.RefOrder(d.ref); !ok || !o.TakesWithdrawalsAt(w.height) {
			continue // too late (matching or revealing): the close will settle it
		}
		id := market.BidID{OrderID: d.orderID(), Provider: p.addr}
		dep, err := w.book.Withdraw(id, w.height)
		if err != nil {
			continue // too late (matching or revealing): the close will settle it
		}
		w.releaseBid(p, pb.dseq, pb.oseq)
		if w.trace != nil {
			w.traceBidWithdrawn(id, dep.Amount)
		}
		w.unlockDeposit(p, dep.Amount, &w.settle.ledger.Providers)
	}
}

// closeAllLeases closes every lease of p with reason r and returns how many.
func (w *World) closeAllLeases(p *Provider, r lease.CloseReason, detail string) int {
	w.scratch = append(w.scratch[:0], p.leases...)
	n := 0
	for _, d := range w.scratch {
		if d.leaseOpen && d.provider == p {
			w.closeLease(d, r, detail)
			n++
		}
	}
	clear(w.scratch)
	return n
}

// leaveEvent is a provider leaving the market at the end of its lifetime:
// its leases close (provider closed, neutral for reputation), its stake
// starts unbonding and is released when the unbonding period ends.
type leaveEvent struct {
	w *World
	p *Provider
}

func (e *leaveEvent) Fire(s *engine.Sim) {
	w, p := e.w, e.p
	if p.left { // the unbonding period is over
		p.stakeChanged()
		if w.trace != nil {
			w.traceStatus(p, trace.StatusStakeReleased)
		}
		if err := w.settle.stake.Release(p.addr, w.height, &w.settle.effects); err != nil {
			w.fail(fmt.Errorf("release stake of %s: %w", p.addr, err))
		}
		w.applyEffects()
		return
	}
	p.left = true
	p.leftAt = w.now()
	p.online = false
	w.metrics.left++
	if w.trace != nil {
		w.traceStatus(p, trace.StatusLeft)
	}
	w.candRemove(p)
	w.metrics.addCapacity(p, -1)
	w.withdrawPending(p)
	w.closeAllLeases(p, lease.ReasonProviderClosed, "provider left the market")
	if st, ok := w.settle.stake.Get(p.addr); ok && !st.Bonded.IsZero() {
		p.stakeChanged()
		matureAt, err := w.settle.stake.Unbond(p.addr, st.Bonded, w.height)
		if err != nil {
			w.fail(fmt.Errorf("unbond %s: %w", p.addr, err))
			return
		}
		w.eng.At(w.clock.TimeOf(engine.Height(max(matureAt, w.height+1))), e)
	}
}

// withdrawEvent: the provider withdraws what its leases accrued, every
// Market.WithdrawEvery.
type withdrawEvent struct {
	w *World
	p *Provider
}

func (e *withdrawEvent) Fire(s *engine.Sim) {
	w, p := e.w, e.p
	if p.left {
		return
	}
	w.scratch = append(w.scratch[:0], p.leases...)
	w.settle.warmed += warmWithdrawals(w.scratch)
	for _, d := range w.scratch {
		// A lease the market opened in this very block has accrued nothing;
		// on a chain the provider's transaction would run before the block's
		// end, where the match opens it, and find no lease.
		if !d.leaseOpen || d.provider != p || d.leaseStart == w.now() {
			continue
		}
		if w.trace != nil {
			w.traceWithdraw(d.leaseID())
		}
		// The payout comes back as amounts (no Transfer round trip); what
		// settling decided (a run-dry closure pays everything out there and
		// leaves no payout) is applied first, as Withdraw's effects would be.
		// The lease is the account's newest payment (leaseAt), withdrawn by
		// its position: no lease ID is built or searched for.
		a := d.acct
		var po lease.Payout
		var err error
		var id market.LeaseID
		if i := leaseAt(d, p); i >= 0 {
			po, err = a.WithdrawPayoutAt(i, w.height, &w.settle.effects)
			id = a.Payments[i].Lease.ID
		} else {
			id = d.leaseID()
			po, err = a.WithdrawPayout(id, w.height, &w.settle.effects)
		}
		w.applyEffects()
		if err != nil && !errors.Is(err, lease.ErrAccountClosed) && !errors.Is(err, lease.ErrLeaseClosed) && !errors.Is(err, lease.ErrLeaseNotFound) {
			w.fail(fmt.Errorf("withdraw %s: %w", id, err))
			return
		}
		if !po.IsZero() {
			if err := w.applyPayout(d, p, &id, &po); err != nil {
				w.fail(err)
				return
			}
		}
		if !d.finished {
			w.reindex(d)
		}
	}
	clear(w.scratch)
	w.eng.After(w.sc.Market.WithdrawEvery.Sim(), e)
}

// leaseAt is the position of d's open lease with provider p in its
// account's payments, or −1 if it is not the newest (look it up by ID). The
// newest payment is that lease when it has the lease's order and provider:
// every lease of the account has the deployment's ID (OpenLease checks), and
// an order opens at most one lease.
func leaseAt(d *Deployment, p *Provider) int {
	ps := d.acct.Payments
	i := len(ps) - 1
	if i < 0 {
		return -1
	}
	if id := &ps[i].Lease.ID; id.OSeq != d.oseq || id.GSeq != 1 || id.Provider != p.addr {
		return -1
	}
	return i
}

// warmWithdrawals reads a word of most cache lines the withdrawal of each
// lease in ds will read, in two tight loops: the deployment's flags, its
// payout totals and its account, then the lease's payment slot (whose
// address the first loop loaded). The deployments were last touched an hour
// of simulated time ago and are seldom in cache; read here, their misses
// overlap, where inside each withdrawal they come one after another.
func warmWithdrawals(ds []*Deployment) uint64 {
	var s uint64
	for _, d := range ds {
		a := &d.account
		s += uint64(d.oseq) + uint64(d.leaseStart) + uint64(d.payout.oseq) + uint64(a.SettledTo) + uint64(len(a.Payments))
		s += wordOf(&d.payout.withdrawn) + wordOf(&d.payout.carried) + wordOf(&a.Balance) + wordOf(&a.Rate) +
			wordOf(&a.Flows.Settled) + wordOf(&a.Flows.ToPool)
	}
	for _, d := range ds {
		if ps := d.account.Payments; len(ps) > 0 {
			p := &ps[len(ps)-1]
			s += wordOf(&p.Accrued) + wordOf(&p.Taken) + uint64(p.Lease.SettledTo) + uint64(p.Lease.ID.OSeq)
		}
	}
	return s
}

// warmClose is warmWithdrawals for the close of d's deployment (its term
// ended): the account and its payment and deposit slots, the payout totals,
// the provider's lease list and capacity, and the lease's row, read before
// CloseAccount and the effects' handlers wait on each in turn.
func (w *World) warmClose(d *Deployment) uint64 {
	a := &d.account
	s := uint64(d.leaseStart) + uint64(d.payout.oseq) + uint64(a.SettledTo) + uint64(len(a.Payments)) +
		wordOf(&d.payout.withdrawn) + wordOf(&d.payout.carried) + wordOf(&a.Balance) + wordOf(&a.Rate) +
		wordOf(&a.Flows.Settled) + wordOf(&a.Flows.ToPool) + wordOf(&a.Flows.Refunded) + uint64(len(a.Deposits))
	if i := d.id.DSeq - 1; i < uint64(len(w.deps)) {
		if w.deps[i] != nil {
			s++
		}
	}
	if p := d.provider; d.leaseOpen && p != nil {
		s += uint64(len(p.leases)) + p.capacity.Committed.CPUMillis
		if i := int(d.leaseRow); i >= 0 && i < len(w.records.leases) {
			s += uint64(w.records.leases[i].openH)
		}
	}
	if ps := a.Payments; len(ps) > 0 {
		p := &ps[len(ps)-1]
		s += wordOf(&p.Accrued) + wordOf(&p.Taken) + uint64(p.Lease.SettledTo) + uint64(p.Lease.ID.OSeq)
	}
	if ds := a.Deposits; len(ds) > 0 {
		s += uint64(ds[0].Height)
	}
	return s
}

// wordOf is the low word of d's value (a load from d's cache line).
func wordOf(d *money.Dec) uint64 {
	lo, _, _ := d.Uint128()
	return lo
}
