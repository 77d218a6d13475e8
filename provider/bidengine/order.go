package bidengine

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/provider/inventory"
	"github.com/akash-market/akash/provider/pricing"
)

// OrderSeen tells the engine about an open order (a new-order event or a
// catch-up). Seeing an order again changes nothing: the engine bids on an
// order at most once.
func (e *Engine) OrderSeen(o market.Order) {
	if _, known := e.orders[o.ID]; known {
		return
	}
	if _, leased := e.leases[o.ID]; leased {
		return
	}
	s := &orderState{order: o}
	e.orders[o.ID] = s
	e.consider(s)
}

// consider decides whether to bid on s now, and bids if so.
func (e *Engine) consider(s *orderState) {
	o := &s.order
	if reason := e.refuse(o); reason != "" {
		e.skip(s, reason, false)
		// An order whose window opens later is considered again then.
		s.early = e.height+1 < o.OpenHeight
		return
	}
	if _, err := e.inv.Reserve(o.ID, o.Requirements.Attributes, o.Resources); err != nil {
		e.skip(s, err.Error(), errors.Is(err, inventory.ErrNoRoom))
		return
	}
	price, err := e.price.Price(pricing.Quote{Order: *o})
	if err == nil {
		bid := market.Bid{ID: market.BidID{OrderID: o.ID, Provider: e.cfg.Provider}, Price: price}
		if r := market.PriceEligible(o, &bid); r != market.ReasonNone {
			err = fmt.Errorf("strategy %s priced %s, which the order refuses: %s", e.price.Name(), price, r)
		}
	}
	if err != nil {
		_, _ = e.inv.Release(o.ID)
		e.skip(s, err.Error(), false)
		return
	}
	if s.since == 0 {
		s.since = e.height
	}
	s.phase = phaseBidding
	s.price = price
	s.attempts++
	e.emit(Action{Kind: PlaceBid, Order: o.ID, Price: price, Deposit: e.cfg.Deposit, Offer: o.Resources, Closes: o.CloseHeight, Sealed: o.Sealed})
}

// refuse runs the market's own offer checks (core/market: the same rules
// the chain applies) against the provider's attributes and the free
// capacity of the pool the order would land in, plus the window. It returns
// "" when the order is worth a reservation.
func (e *Engine) refuse(o *market.Order) string {
	// A bid sent now lands in the next block at the earliest.
	if !o.TakesBidsAt(e.height + 1) {
		return fmt.Sprintf("bidding window [%d, %d) does not include the next block %d", o.OpenHeight, o.CloseHeight, e.height+1)
	}
	bid := market.Bid{
		ID: market.BidID{OrderID: o.ID, Provider: e.cfg.Provider},
		Offer: market.Offer{
			// Capacity is the inventory's business (Reserve says which pool
			// and which dimension); here only the non-resource rules run.
			Resources:  o.Resources,
			Attributes: e.cfg.Attributes,
			Audited:    e.cfg.Audited,
			Reputation: e.cfg.Reputation,
		},
	}
	if r := market.OfferEligible(o, &bid); r != market.ReasonNone {
		return "order requires what this provider does not offer: " + r.String()
	}
	return ""
}

func (e *Engine) skip(s *orderState, reason string, capacity bool) {
	s.phase = phaseSkipped
	s.capacity = capacity
	if s.reason != reason {
		s.reason = reason
		e.emit(Action{Kind: Skipped, Order: s.order.ID, Reason: reason})
	}
}

// BidResult reports what became of the PlaceBid for id.
func (e *Engine) BidResult(id market.OrderID, outcome BidOutcome, detail string) error {
	s, ok := e.orders[id]
	if !ok {
		return fmt.Errorf("bid result for %s: %w", id, ErrUnknownOrder)
	}
	if s.phase != phaseBidding {
		// A late or repeated result; the state already moved on.
		return nil
	}
	switch outcome {
	case BidOK:
		s.phase = phaseBid
		s.since = 0
		e.landed()
		// A commitment whose result comes after the block that opened its
		// reveal window is revealed now, not a block later (with a
		// one-block window that would be too late).
		e.reveal(s)
	case BidRetryable, BidRejected:
		_, _ = e.inv.Release(id)
		s.phase = phaseFailed
		s.reason = detail
		s.retry = outcome == BidRetryable && s.attempts <= e.cfg.BidRetries
		e.emit(Action{Kind: Skipped, Order: id, Reason: "bid tx failed: " + detail})
		e.freed()
	default:
		return fmt.Errorf("bid result for %s: outcome %d is not BidOK, BidRetryable or BidRejected", id, outcome)
	}
	return nil
}

// BidLost reports that order id closed without a lease for this provider
// (another bid won, or nobody did).
func (e *Engine) BidLost(id market.OrderID, detail string) {
	s, ok := e.orders[id]
	if !ok || s.phase == phaseWon || s.phase == phaseDone {
		return
	}
	if s.phase == phaseBidding || s.phase == phaseBid {
		_, _ = e.inv.Release(id)
		e.emit(Action{Kind: Lost, Order: id, Reason: detail})
		s.phase = phaseDone
		e.freed()
		return
	}
	s.phase = phaseDone
}

// landed records a bid on chain for the liveness check.
func (e *Engine) landed() {
	e.lastLanded = e.height
	if e.stalled {
		e.stalled = false
		e.emit(Action{Kind: Recovered, Reason: "a bid landed"})
	}
}

// freed re-considers orders skipped for lack of capacity, oldest first, now
// that some capacity came back.
func (e *Engine) freed() {
	for _, s := range e.sortedOrders() {
		if s.phase == phaseSkipped && s.capacity && s.order.TakesBidsAt(e.height+1) {
			e.consider(s)
		}
	}
}

// reveal asks for the reveal of a sealed bid on chain once its order takes
// reveals in the next block (a reveal sent now lands there at the earliest),
// once at a time; a retryable failure asks again at the next block.
func (e *Engine) reveal(s *orderState) {
	if !s.order.Sealed || s.phase != phaseBid || s.revealed || s.revealing || !s.order.TakesRevealsAt(e.height+1) {
		return
	}
	s.revealing = true
	e.emit(Action{Kind: RevealBid, Order: s.order.ID, Price: s.price, Closes: s.order.RevealEnd})
}

// RevealResult reports what became of the RevealBid for id: BidOK once the
// reveal is on chain (or the chain says it already is), BidRetryable to ask
// again at the next block while the reveal window lasts, BidRejected when
// the chain refused it for good (the commitment is then forfeited; the
// order's close reports the loss).
func (e *Engine) RevealResult(id market.OrderID, outcome BidOutcome, detail string) error {
	s, ok := e.orders[id]
	if !ok {
		return fmt.Errorf("reveal result for %s: %w", id, ErrUnknownOrder)
	}
	if !s.revealing {
		return nil // late or repeated
	}
	s.revealing = false
	switch outcome {
	case BidOK:
		s.revealed = true
	case BidRetryable:
	case BidRejected:
		s.revealed = true
		s.reason = detail
		e.emit(Action{Kind: Skipped, Order: id, Reason: "reveal refused: " + detail})
	default:
		return fmt.Errorf("reveal result for %s: outcome %d is not BidOK, BidRetryable or BidRejected", id, outcome)
	}
	return nil
}
