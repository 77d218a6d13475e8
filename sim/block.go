package sim

import (
	"fmt"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
)

// onBlock is the market's per-block work, in the chain's EndBlock order:
// match the orders whose window closed, then settle escrow accounts that ran
// dry (or whose tenant considers a top-up), then sample metrics.
func (w *World) onBlock(s *engine.Sim, h engine.Height) {
	if w.err != nil {
		return
	}
	w.height = int64(h)
	if len(w.awaiting) > 0 {
		w.picksDue()
	}
	rs := w.book.CloseDueInto(&w.closing, w.height)
	if len(rs) > 0 {
		w.settle.warmed += w.warmResults(rs)
	}
	for i := range rs {
		w.applyResult(&rs[i])
		if w.err != nil {
			return
		}
	}
	if len(w.awaiting) > 0 {
		w.expiresDue()
	}
	if w.err != nil {
		return
	}
	w.settleDue()
	if w.err != nil {
		return
	}
	if w.height%w.metrics.sampleBlocks == 0 {
		w.sample()
		for _, m := range w.extMetrics.m {
			m.Sample(MarketView{w: w})
		}
	}
	if w.opt.CheckEveryBlock {
		if err := w.checkAll(); err != nil {
			w.fail(fmt.Errorf("after block %d: %w", w.height, err))
		}
	}
}

// applyResult applies one order's match decision: deposits per the core's
// DepositAction, reservations released for every bid but the winner's, and
// the lease opened in the deployment's escrow.
func (w *World) applyResult(r *market.Result) {
	d := w.dep(r.Order.DSeq)
	if d == nil || d.oseq != r.Order.OSeq {
		w.fail(fmt.Errorf("order %s closed but the world has no such open order", r.Order))
		return
	}
	d.orderOpen = false
	w.public.orderClosed(d)
	if w.rules.matching == market.MatchingTenant && w.awaitPick(d, r) {
		return
	}
	w.decide(d, r)
}

// decide applies an order's decided Result (the close's, or under tenant
// matching the tenant's pick or the bid timeout).
func (w *World) decide(d *Deployment, r *market.Result) {
	w.metrics.ordersClosed++
	if w.trace != nil {
		w.traceOrderClosed(r, false)
	}
	w.metrics.bidsOnClosed += int64(len(r.Bids))
	// The extensions see a copy held by the world: r stays on the stack.
	res := &w.ext.result
	*res = *r
	if len(w.extMetrics.m) > 0 {
		w.metricOrderClosed(d, res)
	}
	out := &w.ext.outcome
	*out = Outcome{Result: res, Resources: d.totals, Height: w.height}
	var winner *Provider
	for i := range r.Bids {
		b := &r.Bids[i]
		p := w.bidder(d, i, b.Provider)
		if p == nil {
			w.fail(fmt.Errorf("bid %s from an unknown provider", r.BidID(b)))
			return
		}
		out.Mine = i
		p.pricer.Outcome(out)
		amt := b.Deposit
		switch b.Action {
		case market.DepositRefund:
			w.unlockDeposit(p, amt, &w.settle.ledger.Providers)
		case market.DepositForfeit:
			w.unlockDeposit(nil, amt, &w.settle.ledger.Pool)
			_ = w.settle.ledger.Forfeited.AddAssign(&amt)
		case market.DepositKeep:
			d.keepDep = amt
		}
		if b.Outcome == market.OutcomeWon {
			winner = p
			continue
		}
		w.releaseBid(p, d.id.DSeq, d.oseq)
		if !r.Matched && b.Outcome == market.OutcomeIneligible {
			w.metrics.unmatchedBidReasons[b.Reason]++
		}
	}
	k := w.classCounts(d)
	if k != nil {
		k.closed++
		k.bidsOnClosed += int64(len(r.Bids))
	}
	if w.records.outputs.Orders {
		w.recordOrder(d, r, winner)
	}
	if !r.Matched {
		w.metrics.ordersUnmatched++
		if len(r.Bids) == 0 {
			w.metrics.unmatchedNoBids++
		}
		if k != nil {
			k.unmatched++
			if len(r.Bids) == 0 {
				k.noBids++
			}
		}
		w.metrics.iv.closed++
		if d.class != nil && w.retry(d, res) {
			return
		}
		w.closeDeployment(d, "no provider matched the order")
		return
	}
	w.metrics.ordersMatched++
	if k != nil {
		k.matched++
	}
	w.metrics.iv.closed++
	w.metrics.iv.matched++
	w.openLease(d, winner, r.Price)
}

// unlockDeposit moves a bid deposit out of the locked bucket to p's wallet
// (p != nil) or to the pool.
func (w *World) unlockDeposit(p *Provider, amt money.Dec, to *money.Dec) {
	if amt.IsZero() {
		return
	}
	if err := move(&w.settle.ledger.BidLocked, to, amt, "bid deposit"); err != nil {
		w.fail(err)
		return
	}
	if p != nil {
		_ = p.wallet.AddAssign(&amt)
	}
	if w.trace != nil {
		w.traceBidDeposit(p, amt, false)
	}
}

// openLease turns the winning bid into a lease paid from d's escrow.
func (w *World) openLease(d *Deployment, p *Provider, price money.Coin) {
	totals, ok := p.dropPending(d.id.DSeq, d.oseq)
	if !ok {
		w.fail(fmt.Errorf("winner %s of %s held no reservation", p.addr, d.orderID()))
		return
	}
	id := market.LeaseID{OrderID: d.orderID(), Provider: p.addr}
	if err := d.acct.OpenLease(id, price, w.height, &w.settle.effects); err != nil {
		if err := p.capacity.Unreserve(totals); err != nil {
			w.fail(fmt.Errorf("winner %s of %s: %w", p.addr, d.orderID(), err))
			return
		}
		w.applyEffects()
		if d.acct.State == lease.StateClosed { // the deposit could not even start it
			w.unlockDeposit(p, d.keepDep, &w.settle.ledger.Providers)
			d.keepDep = money.Dec{}
			w.finish(d)
			return
		}
		w.fail(fmt.Errorf("open lease %s: %w", id, err))
		return
	}
	if w.trace != nil {
		w.traceLeaseOpened(id, price.Amount)
	}
	if err := p.capacity.Commit(totals); err != nil { // the bid's reservation becomes the lease's
		w.fail(fmt.Errorf("lease %s: %w", id, err))
		return
	}
	w.metrics.addUsed(p, totals, +1)
	p.leases = append(p.leases, d)
	p.won++
	d.leaseOpen, d.provider, d.price, d.leaseOpenH = true, p, price.Amount, w.height
	d.leaseStart = w.now()
	d.topupAsk = false
	w.public.leaseOpened(d, p, price.Amount, w.height)
	w.recordLeaseOpen(d, p)
	if d.hooks != nil && d.hooks.OnLease != nil {
		d.hooks.OnLease(d.id, p.addr, p.region)
	}
	// The tenant closes the lease at the end of its term.
	left := d.length - d.servedFor
	if left < 0 {
		left = 0
	}
	if d.length > 0 {
		d.termAt = w.now().Add(left)
		d.term = w.eng.At(d.termAt, d)
	} else {
		d.termAt = engine.MaxTime
	}
	w.applyEffects()
	w.reindex(d)
	if !p.online { // won while down: it cannot serve (closeLease closes it in the next block)
		w.closeLease(d, lease.ReasonProviderFault, "provider was down when it won")
	}
}

// Fire is the end of the tenant's term: it closes the deployment, which
// closes the lease (served to term) and refunds the rest of the escrow.
func (d *Deployment) Fire(s *engine.Sim) {
	w := d.w()
	if d.finished {
		return
	}
	if d.leaseOpen && d.leaseOpenH == w.height {
		// The lease opened at this height (a re-order's lease, the term
		// already served): on a chain the tenant's close comes a block
		// later, after the lease opened (see closeLease).
		d.term = w.eng.At(w.clock.TimeOf(engine.Height(w.height+1)), d)
		return
	}
	w.closeDeployment(d, "served to term")
}

func (d *Deployment) w() *World {
	if d.class != nil {
		return d.class.w
	}
	return d.hooks.w
}
