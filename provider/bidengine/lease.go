package bidengine

import (
	"fmt"

	"github.com/akash-market/akash/core/market"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/provider/inventory"
)

// LeaseWon reports a lease for this provider (a lease-created event). The
// reservation becomes a commitment and the manifest is awaited until
// info.OpenedAt + ManifestTimeout. A lease the engine never bid for (e.g.
// placed before a restart and not in the last catch-up) is adopted.
func (e *Engine) LeaseWon(info LeaseInfo) error {
	if info.ID.Provider != e.cfg.Provider {
		return fmt.Errorf("lease %s: %w (this provider is %s)", info.ID, ErrNotOurs, e.cfg.Provider)
	}
	id := info.ID.OrderID
	if _, ok := e.leases[id]; ok {
		return nil
	}
	var err error
	if _, held := e.inv.Hold(id); held {
		err = e.inv.Commit(id)
	} else if _, err = e.inv.Adopt(id, info.Requirements, info.Resources, inventory.Committed); err != nil {
		// The chain says we run it (e.g. capacity was configured down since
		// it was won): the lease is still served and closed normally, but
		// the caller hears about the overcommit.
		err = fmt.Errorf("lease %s is ours but does not fit the inventory (served anyway, capacity not counted): %w", info.ID, err)
	}
	adopted := true
	if s, ok := e.orders[id]; ok {
		adopted = s.phase != phaseBid && s.phase != phaseBidding
		s.phase = phaseWon
		if s.since != 0 {
			s.since = 0
			e.landed()
		}
	}
	l := &leaseState{info: info, phase: leaseAwaiting, deadline: info.OpenedAt + e.cfg.ManifestTimeout, lastWithdraw: info.OpenedAt}
	if info.Deployed {
		l.phase = leaseRunning
	}
	e.leases[id] = l
	why := fmt.Sprintf("manifest awaited until height %d", l.deadline)
	if info.Deployed {
		why = "adopted: its workload is deployed"
	}
	e.emit(Action{Kind: Won, Lease: info.ID, Price: info.Price, Reason: why, Adopted: adopted})
	return err
}

// ManifestReceived reports that the lease's manifest arrived and was
// deployed (or, after a restart, that its workload runs): the manifest
// timeout no longer applies.
func (e *Engine) ManifestReceived(id market.LeaseID) error {
	l, ok := e.leases[id.OrderID]
	if !ok || l.info.ID != id {
		return fmt.Errorf("manifest for %s: %w", id, ErrUnknownLease)
	}
	if l.phase == leaseAwaiting {
		l.phase = leaseRunning
	}
	return nil
}

// ManifestRefused records why the manifest sent for lease id was refused
// (its version differs from the chain's, its group exceeds the order, it
// cannot run here). The lease keeps waiting for a manifest that runs; if
// none comes before the manifest timeout, the close names this cause. The
// last refusal counts.
func (e *Engine) ManifestRefused(id market.LeaseID, why string) error {
	l, ok := e.leases[id.OrderID]
	if !ok || l.info.ID != id {
		return fmt.Errorf("manifest refusal for %s: %w", id, ErrUnknownLease)
	}
	if l.phase == leaseAwaiting {
		l.refused = why
	}
	return nil
}

// Close has the provider close a lease it holds, with the reason c (e.g. its
// manifest cannot run on this provider). Like a manifest-timeout close, the
// CloseLease is sent again if the chain has not closed the lease StallAfter
// blocks later. Closing a lease already closing does nothing.
func (e *Engine) Close(id market.LeaseID, c lease.Closure) error {
	l, ok := e.leases[id.OrderID]
	if !ok || l.info.ID != id {
		return fmt.Errorf("close %s: %w", id, ErrUnknownLease)
	}
	if l.phase == leaseClosing {
		return nil
	}
	l.phase, l.closeAt, l.closure = leaseClosing, e.height, c
	e.emit(Action{Kind: CloseLease, Lease: id, Closure: c})
	return nil
}

// LeaseClosed reports that the chain closed the lease (any reason). The
// capacity is released and the workload torn down.
func (e *Engine) LeaseClosed(id market.LeaseID, c lease.Closure) {
	l, ok := e.leases[id.OrderID]
	if !ok || l.info.ID != id {
		return
	}
	delete(e.leases, id.OrderID)
	_, _ = e.inv.Release(id.OrderID)
	if s, ok := e.orders[id.OrderID]; ok {
		s.phase = phaseDone
	}
	e.emit(Action{Kind: Teardown, Lease: id, Closure: c, Reason: c.String()})
	e.freed()
}

// Block advances the engine to height h: manifest timeouts, withdrawals due,
// bid retries, expired orders and the liveness check.
func (e *Engine) Block(h int64) {
	if h <= e.height {
		return
	}
	e.height = h
	e.tickLeases()
	for _, s := range e.sortedOrders() {
		open := s.order.TakesBidsAt(h + 1) // a bid sent now lands at h+1 at the earliest
		switch {
		case s.phase == phaseFailed && s.retry && open,
			s.phase == phaseSkipped && s.early && open:
			s.early = false
			e.consider(s)
		case h+1 >= s.order.CloseHeight && (s.phase == phaseSkipped || s.phase == phaseFailed):
			s.phase = phaseDone // its window is over
		default:
			e.reveal(s)
		}
		// Forget orders whose match is long past; their events are over.
		if s.phase == phaseDone && h > s.order.MatchHeight()+e.cfg.StallAfter {
			delete(e.orders, s.order.ID)
		}
	}
	e.checkLiveness()
}

// LeaseCount returns how many leases the engine holds, by phase.
func (e *Engine) LeaseCount() (awaiting, running, closing int) {
	for _, l := range e.leases {
		switch l.phase {
		case leaseAwaiting:
			awaiting++
		case leaseRunning:
			running++
		case leaseClosing:
			closing++
		}
	}
	return awaiting, running, closing
}

// tickLeases applies manifest timeouts and withdrawal periods at the current
// height. Running it twice at one height changes nothing.
func (e *Engine) tickLeases() {
	h := e.height
	for _, l := range e.sortedLeases() {
		switch {
		case l.phase == leaseAwaiting && h >= l.deadline,
			// A close tx that did not take effect is sent again.
			l.phase == leaseClosing && h >= l.closeAt+e.cfg.StallAfter:
			if l.phase == leaseAwaiting {
				l.closure = lease.Closure{
					Reason: lease.ReasonManifestTimeout,
					Detail: fmt.Sprintf("no manifest within %d blocks of the lease's start at height %d (closed at %d)", e.cfg.ManifestTimeout, l.info.OpenedAt, h),
				}
				if l.refused != "" {
					// The cause first: the chain keeps a short detail.
					l.closure.Detail = fmt.Sprintf("manifest refused: %s; no runnable manifest within %d blocks of the lease's start at height %d", l.refused, e.cfg.ManifestTimeout, l.info.OpenedAt)
				}
			}
			l.phase = leaseClosing
			l.closeAt = h
			e.emit(Action{Kind: CloseLease, Lease: l.info.ID, Closure: l.closure})
		case l.phase == leaseRunning && h-l.lastWithdraw >= e.cfg.WithdrawPeriod:
			l.lastWithdraw = h
			e.emit(Action{Kind: Withdraw, Lease: l.info.ID})
		}
	}
}

// Leases returns the leases the engine holds (any phase), in ID order.
func (e *Engine) Leases() []market.LeaseID {
	ls := e.sortedLeases()
	out := make([]market.LeaseID, len(ls))
	for i, l := range ls {
		out[i] = l.info.ID
	}
	return out
}
