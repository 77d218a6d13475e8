package manager

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/akash-market/akash/provider/bidengine"
)

// Defaults of the tx worker (Config.TxBatch, Config.TxInFlight).
const (
	// DefaultTxBatch: messages per transaction. 200 bids are about 80 KB,
	// well under CometBFT's 1 MB max tx size.
	DefaultTxBatch = 200
	// DefaultTxInFlight: transactions sent and not yet in a block.
	DefaultTxInFlight = 8
)

// txQueue is the loop's hand-off to the tx worker. It never blocks the loop
// (a full channel would make the loop and the worker wait on each other).
type txQueue struct {
	mu    sync.Mutex
	items []bidengine.Action
	ready chan struct{} // one token: items is not empty
}

func newTxQueue() *txQueue { return &txQueue{ready: make(chan struct{}, 1)} }

func (q *txQueue) push(a bidengine.Action) {
	q.mu.Lock()
	q.items = append(q.items, a)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// take removes up to n actions, oldest first.
func (q *txQueue) take(n int) []bidengine.Action {
	q.mu.Lock()
	defer q.mu.Unlock()
	n = min(n, len(q.items))
	out := append([]bidengine.Action(nil), q.items[:n]...)
	q.items = q.items[n:]
	if len(q.items) == 0 {
		q.items = nil
	}
	return out
}

// txWorker sends the queued tx actions in the order the engine asked,
// batched into transactions of up to TxBatch messages, with up to
// TxInFlight transactions waiting for their block at once (each signed with
// the next sequence). A bid whose order no longer takes bids in the next
// block is dropped unsent. Results go back to the loop, one slice per
// transaction.
func (m *Manager) txWorker(ctx context.Context) {
	slots := make(chan struct{}, m.cfg.TxInFlight)
	var landing sync.WaitGroup
	defer landing.Wait()
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.txq.ready:
		}
		for {
			// A slot first: what queues meanwhile joins this batch.
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			batch := m.txq.take(m.cfg.TxBatch)
			if len(batch) == 0 {
				<-slots
				break
			}
			if batch = m.dropLate(ctx, batch); len(batch) == 0 {
				<-slots
				continue
			}
			batch, unsealed, serrs := m.seal(batch)
			if len(unsealed) > 0 {
				m.postResults(ctx, unsealed, func(i int) error { return serrs[i] })
			}
			if len(batch) == 0 {
				<-slots
				continue
			}
			sent := time.Now()
			land, err := m.cfg.Chain.Submit(ctx, batch)
			if err != nil {
				<-slots
				m.postResults(ctx, batch, func(int) error { return err })
				continue
			}
			m.log.Info("tx sent", "messages", len(batch), "took", time.Since(sent).Round(time.Millisecond))
			m.cfg.Metrics.TxMessages.Observe(float64(len(batch)))
			m.cfg.Metrics.TxsInFlight.Inc()
			landing.Add(1)
			go func() {
				defer landing.Done()
				errs := land(ctx)
				m.cfg.Metrics.TxsInFlight.Dec()
				<-slots
				m.logLanded(batch, errs, time.Since(sent))
				m.postResults(ctx, batch, func(i int) error { return errs[i] })
			}()
		}
	}
}

// dropLate removes bids that could only land at or after their order's
// close height (the latest block + 1 is the earliest a tx lands) and
// reports them rejected, so the engine releases their capacity.
func (m *Manager) dropLate(ctx context.Context, batch []bidengine.Action) []bidengine.Action {
	h := m.height.Load()
	kept := batch[:0]
	var late []bidengine.Action
	for _, a := range batch {
		if (a.Kind == bidengine.PlaceBid || a.Kind == bidengine.RevealBid) && a.Closes > 0 && h+1 >= a.Closes {
			late = append(late, a)
			continue
		}
		kept = append(kept, a)
	}
	if len(late) > 0 {
		m.cfg.Metrics.BidsDropped.Add(float64(len(late)))
		m.log.Warn("bids dropped unsent: their orders stopped taking bids (or reveals) while they were queued", "count", len(late), "height", h, "first", late[0].Order)
		m.postResults(ctx, late, func(i int) error {
			what := "bids"
			if late[i].Kind == bidengine.RevealBid {
				what = "reveals"
			}
			return fmt.Errorf("%w: order %s takes %s below height %d and the next block is %d: dropped unsent", ErrRejected, late[i].Order, what, late[i].Closes, h+1)
		})
	}
	return kept
}

func (m *Manager) postResults(ctx context.Context, batch []bidengine.Action, errOf func(int) error) {
	rs := make([]txResult, len(batch))
	for i, a := range batch {
		rs[i] = txResult{action: a, err: errOf(i)}
	}
	select {
	case m.results <- rs:
	case <-ctx.Done():
	}
}

// logLanded says what a transaction did: one line per transaction, one
// debug line per message.
func (m *Manager) logLanded(batch []bidengine.Action, errs []error, took time.Duration) {
	kinds := map[string]int{}
	failed := 0
	for i, a := range batch {
		kinds[a.Kind.String()]++
		if errs[i] != nil {
			failed++
			continue
		}
		m.log.Debug("tx message in a block", "tx", a.Kind.String(), "order", a.Order, "lease", a.Lease, "price", a.Price.String(), "engine-height", a.Height)
	}
	m.log.Info("tx in a block", "messages", len(batch), "kinds", kinds, "failed", failed, "took", took.Round(time.Millisecond))
}
