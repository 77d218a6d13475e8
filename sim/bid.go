package sim

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
)

// bidEvent is a provider's bid arriving at the book after its latency, and
// for a sealed order later its reveal. Events are pooled: a run allocates
// them only while the number in flight grows.
type bidEvent struct {
	w      *World
	p      *Provider
	d      depHandle // the deployment may finish (and its record serve another) before the bid arrives
	oseq   uint32
	reveal bool
	price  money.Coin
	salt   [32]byte
}

func (w *World) newBidEvent() *bidEvent {
	if n := len(w.freeBids); n > 0 {
		ev := w.freeBids[n-1]
		w.freeBids = w.freeBids[:n-1]
		return ev
	}
	return &bidEvent{w: w}
}

func (w *World) freeBid(ev *bidEvent) {
	ev.p, ev.d = nil, depHandle{}
	w.freeBids = append(w.freeBids, ev)
}

// bidder is the provider of the i-th bid in a Result of d's open order. The
// book lists a result's bids in placement order, the order d.bidders
// records them in, and names each provider by the address string the world
// gave it, so the check is one string compare that usually ends at the
// pointers; anything else falls back to the address map.
func (w *World) bidder(d *Deployment, i int, addr string) *Provider {
	if i < len(d.bidders) {
		if p := d.bidders[i]; p.addr == addr {
			return p
		}
	}
	return w.provAddr[addr]
}

func (ev *bidEvent) Fire(s *engine.Sim) {
	w := ev.w
	if ev.reveal {
		w.reveal(ev)
	} else if w.placeBid(ev) {
		return // rescheduled as its reveal
	}
	w.freeBid(ev)
}

// placeBid prices and places the bid; it reports whether ev was rescheduled
// for the sealed bid's reveal.
func (w *World) placeBid(ev *bidEvent) bool {
	p, d := ev.p, ev.d.get()
	if d == nil || !d.orderOpen || d.oseq != ev.oseq || !p.online {
		return false
	}
	free := p.free()
	if !d.totals.FitsIn(&free) {
		w.metrics.noRoom++
		return false
	}
	if p.wallet.Less(w.rules.bidDeposit.Amount) {
		w.metrics.noDepositFunds++
		return false
	}
	cost, err := providerCost(p, d.refCost)
	if err != nil {
		w.fail(fmt.Errorf("provider %s: bid on %s: %w", p.addr, d.orderID(), err))
		return false
	}
	q := &w.ext.quote
	*q = Quote{w: w, p: p, d: d, cost: cost}
	if !p.agent.Bid(q) {
		return false
	}
	price := p.pricer.Price(q)
	bid := market.Bid{
		ID:       market.BidID{OrderID: d.orderID(), Provider: p.addr},
		Price:    money.Coin{Denom: w.denom, Amount: price},
		Offer:    market.Offer{Resources: free, Attributes: p.attrs, Reputation: w.reputation(p)},
		PlacedAt: w.height,
		Deposit:  w.rules.bidDeposit,
	}
	var rc market.Receipt
	if d.sealed {
		for i := 0; i < 4; i++ {
			binary.BigEndian.PutUint64(ev.salt[8*i:], p.saltR.Uint64())
		}
		ev.price = bid.Price
		bid.Commitment = market.Reveal{Bid: bid.ID, Price: bid.Price, Salt: ev.salt}.Commitment()
		rc, err = w.book.Commit(&bid)
	} else {
		rc, err = w.book.PlaceBidAs(d.ref, p.bookRef, &bid)
	}
	if err != nil {
		if errors.Is(err, market.ErrBiddingClosed) || errors.Is(err, market.ErrUnknownOrder) {
			w.metrics.lateBids++
			return false
		}
		w.fail(err)
		return false
	}
	if w.trace != nil {
		var salt *[32]byte
		if d.sealed {
			salt = &ev.salt
		}
		w.traceBid(&bid, rc, salt)
	}
	w.metrics.bids++
	w.metrics.pc[p.class.idx].bids++
	d.bids++
	d.bidders = append(d.bidders, p)
	if !rc.Accepted() {
		w.metrics.rejectedAtPlacement[rc.Reason]++
		return false
	}
	w.metrics.bidsAccepted++
	w.metrics.pc[p.class.idx].bidsAccepted++
	if !w.rules.bidDeposit.Amount.IsZero() {
		amt := w.rules.bidDeposit.Amount
		_ = p.wallet.SubAssign(&amt)
		if err := moveFor(&w.settle.ledger.Providers, &w.settle.ledger.BidLocked, amt, "bid deposit", p.addr); err != nil {
			w.fail(err)
			return false
		}
		if w.trace != nil {
			w.traceBidDeposit(p, amt, true)
		}
	}
	if err := p.capacity.Reserve(d.totals); err != nil { // fits: checked above, and nothing ran since
		w.fail(fmt.Errorf("provider %s: bid on %s: %w", p.addr, d.orderID(), err))
		return false
	}
	p.addPending(d)
	if d.sealed {
		ev.reveal = true
		w.eng.At(w.clock.TimeOf(engine.Height(d.closeH)), ev)
		return true
	}
	return false
}

// reveal opens a sealed bid at the first block of its order's reveal window.
// Providers that went down meanwhile do not reveal and forfeit the deposit.
func (w *World) reveal(ev *bidEvent) {
	p, d := ev.p, ev.d.get()
	if d == nil || !d.orderOpen || d.oseq != ev.oseq || !p.online {
		return
	}
	id := market.BidID{OrderID: d.orderID(), Provider: p.addr}
	_, err := w.book.Reveal(market.Reveal{Bid: id, Price: ev.price, Salt: ev.salt}, w.height)
	if w.trace != nil {
		w.traceReveal(id, ev, err)
	}
	if err != nil {
		if errors.Is(err, market.ErrUnknownOrder) || errors.Is(err, market.ErrRevealWindow) || errors.Is(err, market.ErrWithdrawn) || errors.Is(err, market.ErrUnknownBid) {
			return
		}
		w.fail(err)
	}
}
