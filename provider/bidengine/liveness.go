package bidengine

import (
	"fmt"
	"strings"
)

// checkLiveness emits Stalled when eligible orders have waited StallAfter
// blocks with no bid landing anywhere. Eligible means: open for bids, and
// either holding a reservation with the bid tx unconfirmed, or last bid tx
// failed while the order would still fit. Orders skipped by choice (price
// below cost, attributes) are not a stall: the provider decided.
func (e *Engine) checkLiveness() {
	if e.height-e.lastLanded < e.cfg.StallAfter {
		return
	}
	var waiting, failed, pending int
	var oldest int64
	var lastErr string
	for _, s := range e.sortedOrders() {
		if !s.order.TakesBidsAt(e.height+1) || s.since == 0 {
			continue
		}
		switch s.phase {
		case phaseBidding:
			pending++
		case phaseFailed:
			if _, err := e.inv.Fit(s.order.Requirements.Attributes, s.order.Resources); err != nil {
				continue // no capacity for it any more: not eligible
			}
			failed++
			lastErr = s.reason
		default:
			continue
		}
		if e.height-s.since < e.cfg.StallAfter {
			continue
		}
		waiting++
		if oldest == 0 || s.since < oldest {
			oldest = s.since
		}
	}
	if waiting == 0 {
		if e.stalled {
			e.stalled = false
			e.emit(Action{Kind: Recovered, Reason: "no eligible order is waiting any more"})
		}
		return
	}
	if e.stalled && e.height-e.stallSignal < e.cfg.StallAfter {
		return
	}
	var why []string
	if pending > 0 {
		why = append(why, fmt.Sprintf("%d bid tx(s) sent with no result", pending))
	}
	if failed > 0 {
		why = append(why, fmt.Sprintf("%d bid tx(s) failed, last: %s", failed, lastErr))
	}
	e.stalled = true
	e.stallSignal = e.height
	e.emit(Action{Kind: Stalled, Reason: fmt.Sprintf(
		"no bid landed for %d blocks (since height %d) while %d eligible order(s) wait, the oldest since height %d: %s",
		e.height-e.lastLanded, e.lastLanded, waiting, oldest, strings.Join(why, "; "))})
}

// Stalled reports whether the engine is in a stall.
func (e *Engine) Stalled() bool { return e.stalled }
