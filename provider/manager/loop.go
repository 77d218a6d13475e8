package manager

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/provider/bidengine"
	"github.com/akash-market/akash/provider/inventory"
	"github.com/akash-market/akash/provider/pricing"
	"github.com/akash-market/akash/runtime"
)

// handle feeds one chain event to the engine.
func (m *Manager) handle(ev Event) {
	me := m.cfg.Engine.Provider
	switch ev.Kind {
	case NewBlock:
		m.height.Store(ev.Height)
		m.engine.Block(ev.Height)
		m.cfg.Metrics.Height.Set(float64(ev.Height))
	case OrderCreated:
		m.engine.OrderSeen(ev.Order)
	case OrderClosed:
		m.engine.BidLost(ev.OrderID, "order closed without a lease for this provider: "+ev.Detail)
	case LeaseCreated:
		if ev.Lease.ID.Provider != me {
			m.engine.BidLost(ev.Lease.ID.OrderID, "lease went to "+ev.Lease.ID.Provider+" at "+ev.Lease.Price.String())
			return
		}
		if err := m.engine.LeaseWon(ev.Lease); err != nil {
			m.log.Warn("lease won", "lease", ev.Lease.ID, "err", err)
		}
		if m.pending[ev.Lease.ID] {
			delete(m.pending, ev.Lease.ID)
			m.manifestIn(ev.Lease.ID)
		} else {
			opened := ev.Lease.OpenedAt
			if opened == 0 {
				opened = ev.Height
			}
			m.awaitManifest(ev.Lease.ID, opened)
		}
	case LeaseClosed:
		if ev.LeaseID.Provider != me {
			return
		}
		delete(m.awaiting, ev.LeaseID)
		m.cfg.Metrics.LeasesClosed.WithLabelValues(ev.Closure.Reason.String()).Inc()
		m.log.Info("lease closed", "lease", ev.LeaseID, "reason", ev.Closure.String())
		m.engine.LeaseClosed(ev.LeaseID, ev.Closure)
	}
}

// manifestIn records that the gateway deployed a lease's manifest.
func (m *Manager) manifestIn(id market.LeaseID) {
	delete(m.awaiting, id)
	if err := m.engine.ManifestReceived(id); err != nil {
		// The gateway checked the lease on chain; the event has not reached
		// us yet. Apply it when it does.
		m.pending[id] = true
	}
}

// result feeds a tx result back.
func (m *Manager) result(r txResult) {
	a := r.action
	switch a.Kind {
	case bidengine.PlaceBid:
		out, detail := classifyBid(r.err)
		switch out {
		case bidengine.BidRetryable:
			m.cfg.Metrics.BidsFailed.WithLabelValues("retryable").Inc()
		case bidengine.BidRejected:
			m.cfg.Metrics.BidsFailed.WithLabelValues("rejected").Inc()
		}
		if r.err != nil {
			m.log.Warn("bid tx", "order", a.Order, "outcome", out, "err", detail)
		}
		if err := m.engine.BidResult(a.Order, out, detail); err != nil {
			m.log.Warn("bid result", "err", err)
		}
	case bidengine.RevealBid:
		out, detail := classifyBid(r.err)
		m.cfg.Metrics.Reveals.WithLabelValues(map[bidengine.BidOutcome]string{bidengine.BidOK: "ok", bidengine.BidRetryable: "retryable", bidengine.BidRejected: "rejected"}[out]).Inc()
		if r.err != nil {
			m.log.Warn("reveal tx", "order", a.Order, "outcome", out, "err", detail)
		} else {
			m.log.Info("sealed bid revealed", "order", a.Order, "price", a.Reveal.Price.String())
		}
		if err := m.engine.RevealResult(a.Order, out, detail); err != nil {
			m.log.Warn("reveal result", "err", err)
		}
	case bidengine.Withdraw:
		if r.err != nil {
			m.cfg.Metrics.Withdrawals.WithLabelValues("error").Inc()
			m.log.Warn("withdraw tx failed; the next period tries again", "lease", a.Lease, "err", r.err)
		} else {
			m.cfg.Metrics.Withdrawals.WithLabelValues("ok").Inc()
		}
	case bidengine.CloseLease:
		if r.err != nil {
			m.log.Warn("close-lease tx failed; the engine sends it again", "lease", a.Lease, "err", r.err)
		}
	}
}

// flush hands out the engine's actions and refreshes the gauges.
func (m *Manager) flush(ctx context.Context) {
	for _, a := range m.engine.Actions() {
		m.dispatch(ctx, a)
	}
	awaiting, running, closing := m.engine.LeaseCount()
	m.cfg.Metrics.LeasesActive.WithLabelValues("awaiting-manifest").Set(float64(awaiting))
	m.cfg.Metrics.LeasesActive.WithLabelValues("running").Set(float64(running))
	m.cfg.Metrics.LeasesActive.WithLabelValues("closing").Set(float64(closing))
}

func (m *Manager) dispatch(ctx context.Context, a bidengine.Action) {
	mt := m.cfg.Metrics
	switch a.Kind {
	case bidengine.PlaceBid, bidengine.CloseLease, bidengine.Withdraw, bidengine.RevealBid:
		if a.Kind == bidengine.PlaceBid {
			mt.BidsPlaced.Inc()
		}
		if a.Kind == bidengine.CloseLease {
			m.log.Info("closing lease", "lease", a.Lease, "reason", a.Closure.String())
		}
		m.txq.push(a)
	case bidengine.Teardown:
		m.teardowns.Add(1)
		go func() {
			defer m.teardowns.Done()
			// Not the loop's context: a teardown finishes even while the
			// daemon stops (Run waits up to TeardownGrace for it).
			tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
			defer cancel()
			m.teardown(tctx, a.Lease)
		}()
	case bidengine.Won:
		if !a.Adopted {
			mt.BidsWon.Inc()
		}
		m.forget(a.Lease.OrderID)
		m.log.Info("lease", "lease", a.Lease, "price", a.Price.String(), "state", a.Reason)
	case bidengine.Lost:
		mt.BidsLost.Inc()
		m.log.Info("bid lost", "order", a.Order, "why", a.Reason)
		m.forget(a.Order)
	case bidengine.Skipped:
		mt.OrdersSkipped.WithLabelValues(skipReason(a.Reason)).Inc()
		m.log.Debug("order skipped", "order", a.Order, "why", a.Reason)
	case bidengine.Missed:
		mt.OrdersMissed.Inc()
		m.log.Warn("catch-up found an order the event stream missed", "order", a.Order)
	case bidengine.Stalled:
		mt.BiddingStalled.Set(1)
		mt.StallEvents.Inc()
		m.log.Error("bidding stalled", "why", a.Reason)
	case bidengine.Recovered:
		mt.BiddingStalled.Set(0)
		m.log.Info("bidding recovered", "why", a.Reason)
	}
}

// forget drops the kept reveal of a decided order, if any.
func (m *Manager) forget(id market.OrderID) {
	if _, ok := m.cfg.Sealed.Get(id); !ok {
		return
	}
	if err := m.cfg.Sealed.Forget([]market.OrderID{id}); err != nil {
		m.log.Warn("sealed-bid store: forget a decided order", "order", id, "err", err)
	}
}

// skipReason buckets a skip message into a bounded metrics label.
func skipReason(s string) string {
	switch {
	case strings.Contains(s, inventory.ErrNoRoom.Error()):
		return "capacity"
	case strings.Contains(s, pricing.ErrBelowCost.Error()), strings.Contains(s, pricing.ErrDenom.Error()):
		return "price"
	case strings.Contains(s, "does not offer"):
		return "attributes"
	case strings.Contains(s, "bidding window"):
		return "window"
	case strings.Contains(s, "bid tx failed"):
		return "tx-failed"
	case strings.Contains(s, "reveal refused"):
		return "reveal"
	}
	return "other"
}

// teardown removes a closed lease's workload, and its deployment's manifest
// once no lease of it is left here.
func (m *Manager) teardown(ctx context.Context, id market.LeaseID) {
	acts, err := m.cfg.Runtime.Teardown(ctx, ref(id))
	m.countRuntime(acts)
	if err != nil {
		m.log.Error("teardown failed; the next start reconciles it away", "lease", id, "err", err)
		return
	}
	m.log.Info("lease torn down", "lease", id, "objects", len(acts))
	select {
	case m.tornDown <- id.DeploymentID:
	default:
		// The loop is gone (stopping) or busy with a full queue: the
		// manifest is dropped by the next start's reconcile instead.
	}
}

func (m *Manager) countRuntime(acts runtime.Actions) {
	for _, a := range acts {
		m.cfg.Metrics.ReconcileActions.WithLabelValues(string(a.Kind), a.Object).Inc()
	}
}

// dropManifest deletes a deployment's manifest once no lease of it is held.
func (m *Manager) dropManifest(did market.DeploymentID) {
	for _, l := range m.engine.Leases() {
		if l.DeploymentID == did {
			return
		}
	}
	m.overlayClosed(did)
	if err := m.cfg.Store.Delete(did); err != nil {
		m.log.Warn("delete manifest", "deployment", did, "err", err)
	}
}

// observeContainers refreshes the containers-by-state gauge from the runtime.
func (m *Manager) observeContainers(ctx context.Context) {
	counts := map[string]int{}
	for _, id := range m.engine.Leases() {
		st, err := m.cfg.Runtime.Status(ctx, ref(id))
		if errors.Is(err, runtime.ErrNoLease) || err != nil {
			continue
		}
		for _, svc := range st.Services {
			for _, r := range svc.Replicas {
				counts[r.State]++
			}
		}
	}
	m.cfg.Metrics.Containers.Reset()
	for state, n := range counts {
		m.cfg.Metrics.Containers.WithLabelValues(state).Set(float64(n))
	}
}
