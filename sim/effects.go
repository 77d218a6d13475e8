package sim

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
)

// applyEffects applies what core/lease decided, in the order its package doc
// prescribes: transfers to balances, then the closed leases. Handling a closed
// lease may call more verbs (a tenant closing its deployment after a fault);
// their effects land in the same buffer and this loop picks them up.
func (w *World) applyEffects() {
	for w.settle.transfersApplied < len(w.settle.effects.Transfers) || w.settle.closesHandled < len(w.settle.effects.Closed) {
		for w.settle.transfersApplied < len(w.settle.effects.Transfers) {
			t := w.settle.effects.Transfers[w.settle.transfersApplied]
			w.settle.transfersApplied++
			if err := w.applyTransfer(&t); err != nil {
				w.fail(err)
			}
		}
		if w.settle.closesHandled < len(w.settle.effects.Closed) {
			l := w.settle.effects.Closed[w.settle.closesHandled]
			w.settle.closesHandled++
			w.onLeaseClosed(l)
		}
	}
	w.settle.effects.Reset()
	w.settle.transfersApplied, w.settle.closesHandled = 0, 0
}

// onLeaseClosed frees the provider's capacity, records the outcome in its
// history (reputation), applies the slashing policy to it, returns the
// winner's kept bid deposit, and lets the tenant react: re-order after a
// provider fault or exit, or close.
func (w *World) onLeaseClosed(l lease.Lease) {
	d := w.dep(l.ID.DSeq)
	if d == nil || !d.leaseOpen || d.oseq != l.ID.OSeq {
		w.fail(fmt.Errorf("lease %s closed but the world has no such open lease", l.ID))
		return
	}
	if w.trace != nil {
		w.traceLeaseClosed(&l)
	}
	p := d.provider
	if err := p.capacity.Release(d.totals); err != nil {
		w.fail(fmt.Errorf("lease %s closed: provider %s: %w", l.ID, p.addr, err))
		return
	}
	w.metrics.addUsed(p, d.totals, -1)
	p.dropLease(d)
	p.history.Record(l.Closure.Reason)
	if l.Closure.Reason == lease.ReasonProviderFault {
		p.faults++
	}
	w.slash(p, l.Closure.Reason)
	w.unlockDeposit(p, d.keepDep, &w.settle.ledger.Providers)
	d.keepDep = money.Dec{}
	d.leaseOpen = false
	d.servedFor += max(w.clock.TimeOf(engine.Height(l.ClosedAt)).Sub(d.leaseStart), 0)
	w.eng.Cancel(d.term)
	w.recordLeaseClose(d, &l)
	if len(w.extMetrics.m) > 0 {
		w.metricLeaseClosed(d, &l)
	}
	if d.hooks != nil && d.hooks.OnClose != nil {
		d.hooks.OnClose(d.id, l.Closure.Reason)
	}
	if d.acct.State == lease.StateClosed {
		w.finish(d)
		return
	}
	r := l.Closure.Reason
	if lease.Reopens(r) && w.sc.Market.ReorderOnFault && !d.finished {
		// The market re-orders (the chain's market module does the same,
		// by the same rule); a tenant that has been served its whole term
		// then closes the deployment, which cancels the new order.
		w.metrics.reorders++
		if err := w.postOrder(d); err != nil {
			w.fail(err)
		}
		if d.length != 0 && d.servedFor >= d.length {
			w.closeDeployment(d, "served its term; re-order after "+r.String()+" not needed")
		}
		return
	}
	if !d.finished {
		w.closeDeployment(d, "lease ended: "+r.String())
	}
}

// closeDeployment closes d's escrow account (refunding what is left) and
// cancels its open order, as the tenant.
func (w *World) closeDeployment(d *Deployment, why string) {
	if d.finished {
		return
	}
	w.settle.warmed += w.warmClose(d)
	if w.trace != nil {
		w.traceCloseDeployment(d, why)
	}
	if d.pick != nil {
		w.cancelPick(d)
	}
	if d.orderOpen {
		if r, err := w.book.CancelOrder(d.orderID()); err == nil {
			w.applyCancel(d, &r)
		}
		d.orderOpen = false
		w.public.orderClosed(d)
	}
	if d.acct.State != lease.StateClosed {
		w.hintProvider(d)
		err := d.acct.CloseAccount(lease.Closure{Reason: lease.ReasonTenantClosed, Detail: why}, w.height, &w.settle.effects)
		if err != nil && !errors.Is(err, lease.ErrAccountClosed) {
			w.fail(fmt.Errorf("close deployment %s: %w", d.id, err))
		}
		w.applyEffects()
	}
	w.finish(d)
}

// closeLease closes d's lease for a reason the provider side decides. A
// lease that opened at this height is closed at the next one: on a chain the
// lease opens in the end-of-block of its match height, after that height's
// transactions, so a close can only come a block later (as a withdrawal
// cannot touch it before then either).
// applyCancel applies the Result of d's order cancelled before its match
// (the book's CancelOrder, or core/market.Cancel of a wait for a pick): every
// bid's reservation released, every deposit still held refunded.
func (w *World) applyCancel(d *Deployment, r *market.Result) {
	if w.trace != nil {
		w.traceOrderClosed(r, true)
	}
	for i := range r.Bids {
		b := &r.Bids[i]
		p := w.bidder(d, i, b.Provider)
		w.releaseBid(p, d.id.DSeq, d.oseq)
		if b.Action == market.DepositRefund {
			w.unlockDeposit(p, b.Deposit, &w.settle.ledger.Providers)
		}
	}
}

func (w *World) closeLease(d *Deployment, r lease.CloseReason, detail string) {
	if !d.leaseOpen {
		return
	}
	if d.leaseOpenH == w.height {
		e := w.newCloseLater()
		*e = closeLeaseLater{w: w, d: d.handle(), oseq: d.oseq, reason: r, detail: detail}
		w.eng.At(w.clock.TimeOf(engine.Height(w.height+1)), e)
		return
	}
	id := d.leaseID()
	if w.trace != nil {
		w.traceCloseLease(id, r, detail)
	}
	err := d.acct.CloseLease(id, lease.Closure{Reason: r, Detail: detail}, w.height, &w.settle.effects)
	if err != nil && !errors.Is(err, lease.ErrLeaseClosed) && !errors.Is(err, lease.ErrAccountClosed) {
		w.fail(fmt.Errorf("close lease %s: %w", id, err))
	}
	w.applyEffects()
}

// finish retires a deployment whose account has closed: it holds nothing any
// more, so the world drops it (the lease rows keep what reports need).
func (w *World) finish(d *Deployment) {
	if d.finished {
		return
	}
	d.finished = true
	w.payDust(d)
	d.dropDryEntry()
	w.eng.Cancel(d.term)
	if d.hooks != nil && d.hooks.OnFinish != nil {
		d.hooks.OnFinish(d.id)
	}
	w.metrics.finished++
	w.deps[d.id.DSeq-1] = nil
	w.retire(d)
}

func (d *Deployment) leaseID() market.LeaseID {
	return market.LeaseID{OrderID: d.orderID(), Provider: d.provider.addr}
}

// slash applies the market's slashing policy (core/lease SlashPolicy) to one
// lease of p closed for reason, as x/provider does on chain for every lease
// x/escrow closes: a provider fault slashes slash_fault_bps of p's stake,
// once per lease. The transfer joins the effects being applied.
func (w *World) slash(p *Provider, reason lease.CloseReason) {
	pol := lease.SlashPolicy{FaultBPS: w.rules.slashBPS}
	if !pol.Slashes(reason) {
		return
	}
	p.stakeChanged()
	cut, err := pol.OnLeaseClosed(w.settle.stake, p.addr, reason, w.height, &w.settle.effects)
	if err != nil {
		w.fail(fmt.Errorf("slash %s for %s: %w", p.addr, reason, err))
		return
	}
	if !cut.IsZero() {
		w.metrics.slashes++
		w.metrics.pc[p.class.idx].slashes++
	}
}

// closeLeaseLater is a provider's close of a lease that opened in the block
// it decided it (see closeLease).
type closeLeaseLater struct {
	w      *World
	d      depHandle
	oseq   uint32
	reason lease.CloseReason
	detail string
}

func (e *closeLeaseLater) Fire(*engine.Sim) {
	w, d := e.w, e.d.get()
	if d != nil && d.leaseOpen && d.oseq == e.oseq { // else closed meanwhile (escrow dry, tenant closed)
		w.closeLease(d, e.reason, e.detail)
	}
	*e = closeLeaseLater{}
	w.pools.closeLater = append(w.pools.closeLater, e)
}

func (w *World) newCloseLater() *closeLeaseLater {
	if n := len(w.pools.closeLater); n > 0 {
		e := w.pools.closeLater[n-1]
		w.pools.closeLater = w.pools.closeLater[:n-1]
		return e
	}
	return &closeLeaseLater{}
}
