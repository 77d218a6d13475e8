package bidengine

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// chainModel is the world the property drives the engine against: which
// of our bids are in flight, on chain, won, and which failed.
type chainModel struct {
	orders   []market.Order
	inFlight map[market.OrderID]bool
	onChain  map[market.OrderID]bool
	leased   map[market.OrderID]int64 // opened at
	deployed map[market.OrderID]bool
	failed   map[market.OrderID]bool // a bid tx of ours failed at least once
	closed   map[market.OrderID]bool // matched/lost/closed: no more bids

	// Sealed orders: reveals of our commitments.
	revealing  map[market.OrderID]bool // RevealBid in flight
	revealed   map[market.OrderID]bool // the chain has the reveal (or refused it for good)
	revealWait map[market.OrderID]bool // a reveal failed retryably: asked again next block
}

// TestPropertyNoDoubleBidNoLostOrder feeds random interleavings of events
// (orders seen or missed, block heights, bid results, wins, losses,
// closes, catch-ups) and checks:
//   - safety, after every step: no PlaceBid for an order whose bid is in
//     flight, on chain or leased; the inventory holds exactly the orders
//     with a bid in flight or on chain plus the leases;
//   - liveness, at the end: after results are in and one catch-up, every
//     open order that fits the rules and never had a failed tx has a bid,
//     or the inventory truly has no room for it;
//   - sealed orders, after every step: a reveal only for a commitment on
//     chain, one at a time, inside the reveal window; a commitment not yet
//     revealed whose window includes the next block has its reveal in
//     flight (after a retryable failure: from the next block on).
func TestPropertyNoDoubleBidNoLostOrder(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		e := newEngine(rt, testConfig())
		m := &chainModel{
			inFlight: map[market.OrderID]bool{}, onChain: map[market.OrderID]bool{},
			leased: map[market.OrderID]int64{}, deployed: map[market.OrderID]bool{},
			failed: map[market.OrderID]bool{}, closed: map[market.OrderID]bool{},
			revealing: map[market.OrderID]bool{}, revealed: map[market.OrderID]bool{}, revealWait: map[market.OrderID]bool{},
		}
		n := rapid.IntRange(3, 8).Draw(rt, "orders")
		for i := 0; i < n; i++ {
			cpu := rapid.Uint64Range(1500, 3000).Draw(rt, "cpu")
			max := rapid.SampledFrom([]string{"0.5", "2", "5"}).Draw(rt, "max")
			open := 100 + rapid.Int64Range(0, 10).Draw(rt, "open")
			o := mkOrder(uint64(i+1), cpu, max, open)
			o.CloseHeight = open + rapid.Int64Range(1, 40).Draw(rt, "window")
			if rapid.Bool().Draw(rt, "sealed") {
				o.Sealed, o.RevealEnd = true, o.CloseHeight+rapid.Int64Range(1, 3).Draw(rt, "reveal window")
			}
			m.orders = append(m.orders, o)
		}
		apply := func(step string) {
			for _, a := range e.Actions() {
				m.check(rt, e, a, step)
			}
			m.checkHolds(rt, e, step)
			m.checkReveals(rt, e, step)
		}
		steps := rapid.IntRange(1, 80).Draw(rt, "steps")
		for s := 0; s < steps; s++ {
			h := e.Height()
			o := m.orders[rapid.IntRange(0, n-1).Draw(rt, "which")]
			switch op := rapid.IntRange(0, 9).Draw(rt, "op"); op {
			case 8:
				// kill -9 and restart: a fresh engine and inventory learn
				// the world from one catch-up. A tx in flight either landed
				// or was lost with the process.
				for _, x := range m.orders {
					if m.inFlight[x.ID] {
						delete(m.inFlight, x.ID)
						if rapid.Bool().Draw(rt, "landed before crash") {
							m.onChain[x.ID] = true
						}
					}
					if m.revealing[x.ID] {
						delete(m.revealing, x.ID)
						m.revealed[x.ID] = rapid.Bool().Draw(rt, "reveal landed before crash")
					}
					delete(m.revealWait, x.ID)
				}
				e = newEngine(rt, testConfig())
				e.Block(h)
				if err := e.Catchup(m.snapshot(rt, h)); err != nil {
					rt.Fatal(err)
				}
				apply("restart")
			case 0:
				clear(m.revealWait)
				e.Block(h + rapid.Int64Range(1, 3).Draw(rt, "dh"))
				apply("block")
			case 1:
				if visible(o, h) && !m.closed[o.ID] {
					e.OrderSeen(o)
					apply("seen " + o.ID.String())
				}
			case 2:
				if m.inFlight[o.ID] {
					out := rapid.SampledFrom([]BidOutcome{BidOK, BidRetryable, BidRejected}).Draw(rt, "outcome")
					delete(m.inFlight, o.ID)
					if out == BidOK {
						m.onChain[o.ID] = true
					} else {
						m.failed[o.ID] = true
					}
					if err := e.BidResult(o.ID, out, "test"); err != nil {
						rt.Fatal(err)
					}
					apply(fmt.Sprintf("result %d %s", out, o.ID))
				}
			case 3:
				if m.onChain[o.ID] && h >= o.MatchHeight() && !m.revealing[o.ID] && (!o.Sealed || m.revealed[o.ID]) {
					delete(m.onChain, o.ID)
					m.leased[o.ID] = h
					m.closed[o.ID] = true
					if err := e.LeaseWon(leaseInfo(o, h)); err != nil {
						rt.Fatal(err)
					}
					apply("won " + o.ID.String())
				}
			case 4:
				if m.onChain[o.ID] && h >= o.MatchHeight() && !m.revealing[o.ID] {
					delete(m.onChain, o.ID)
					m.closed[o.ID] = true
					e.BidLost(o.ID, "outbid")
					apply("lost " + o.ID.String())
				}
			case 5:
				if _, ok := m.leased[o.ID]; ok && !m.deployed[o.ID] {
					m.deployed[o.ID] = true
					if err := e.ManifestReceived(market.LeaseID{OrderID: o.ID, Provider: me}); err != nil {
						rt.Fatal(err)
					}
					apply("manifest " + o.ID.String())
				}
			case 6:
				if _, ok := m.leased[o.ID]; ok {
					delete(m.leased, o.ID)
					e.LeaseClosed(market.LeaseID{OrderID: o.ID, Provider: me}, lease.Closure{Reason: lease.ReasonTenantClosed})
					apply("closed " + o.ID.String())
				}
			case 7:
				if err := e.Catchup(m.snapshot(rt, h)); err != nil {
					rt.Fatal(err)
				}
				apply("catchup")
			case 9:
				if m.revealing[o.ID] {
					out := rapid.SampledFrom([]BidOutcome{BidOK, BidRetryable, BidRejected}).Draw(rt, "reveal outcome")
					delete(m.revealing, o.ID)
					switch out {
					case BidOK, BidRejected:
						m.revealed[o.ID] = true
					case BidRetryable:
						m.revealWait[o.ID] = true
					}
					if err := e.RevealResult(o.ID, out, "test"); err != nil {
						rt.Fatal(err)
					}
					apply(fmt.Sprintf("reveal result %d %s", out, o.ID))
				}
			}
		}
		// Liveness phase: every lease closes (capacity comes back), every
		// tx result comes in, then a catch-up.
		for _, o := range m.orders {
			if _, ok := m.leased[o.ID]; ok {
				delete(m.leased, o.ID)
				e.LeaseClosed(market.LeaseID{OrderID: o.ID, Provider: me}, lease.Closure{Reason: lease.ReasonTenantClosed})
				apply("final close")
			}
		}
		for _, o := range m.orders {
			if m.inFlight[o.ID] {
				delete(m.inFlight, o.ID)
				m.onChain[o.ID] = true
				_ = e.BidResult(o.ID, BidOK, "")
				apply("final result")
			}
		}
		h := e.Height()
		if err := e.Catchup(m.snapshot(rt, h)); err != nil {
			rt.Fatal(err)
		}
		apply("final catchup")
		for _, o := range m.orders {
			if !o.TakesBidsAt(h+1) || m.closed[o.ID] || m.failed[o.ID] || o.MaxPrice.Amount.Less(cost(o)) {
				continue
			}
			if m.inFlight[o.ID] || m.onChain[o.ID] {
				continue
			}
			if _, err := e.inv.Fit(nil, o.Resources); err == nil {
				rt.Fatalf("order %s is open, eligible and fits, but has no bid (engine phase %v)", o.ID, e.orders[o.ID])
			}
		}
	})
}

func cost(o market.Order) money.Dec {
	// The test rate card: 1 uakt per core per block.
	c, _ := money.NewDec(o.Resources.CPUMillis).MulFrac(1, 1000)
	return c
}

// snapshot is what a catch-up query sees at h. Orders past their match
// height were settled by the chain (won or lost) whether or not the engine
// heard of it: the query sees the result, as after an RPC gap.
func (m *chainModel) snapshot(rt *rapid.T, h int64) Snapshot {
	for _, x := range m.orders {
		if x.MatchHeight() > h || m.closed[x.ID] {
			continue
		}
		if m.onChain[x.ID] && (!x.Sealed || m.revealed[x.ID]) && rapid.Bool().Draw(rt, "won in gap") {
			m.leased[x.ID] = x.MatchHeight()
		}
		delete(m.onChain, x.ID)
		delete(m.inFlight, x.ID)
		delete(m.revealing, x.ID)
		delete(m.revealWait, x.ID)
		m.closed[x.ID] = true
	}
	s := Snapshot{Height: h}
	for _, o := range m.orders {
		if visible(o, h) && !m.closed[o.ID] {
			s.Orders = append(s.Orders, o)
		}
		if m.onChain[o.ID] {
			s.Bids = append(s.Bids, o.ID)
			if o.Sealed && !m.revealed[o.ID] {
				s.Sealed = append(s.Sealed, o.ID)
			}
		}
		if at, ok := m.leased[o.ID]; ok {
			li := leaseInfo(o, at)
			li.Deployed = m.deployed[o.ID]
			s.Leases = append(s.Leases, li)
		}
	}
	return s
}

func (m *chainModel) check(t *rapid.T, e *Engine, a Action, step string) {
	switch a.Kind {
	case PlaceBid:
		id := a.Order
		if m.inFlight[id] || m.onChain[id] {
			t.Fatalf("%s: double bid on %s (in flight %v, on chain %v)", step, id, m.inFlight[id], m.onChain[id])
		}
		if _, ok := m.leased[id]; ok || m.closed[id] {
			t.Fatalf("%s: bid on %s, which is leased or closed", step, id)
		}
		m.inFlight[id] = true
	case RevealBid:
		id := a.Order
		o := m.order(id)
		if !m.onChain[id] || m.revealed[id] || m.revealing[id] || !o.Sealed {
			t.Fatalf("%s: reveal of %s (on chain %v, revealed %v, in flight %v, sealed %v)", step, id, m.onChain[id], m.revealed[id], m.revealing[id], o.Sealed)
		}
		if !o.TakesRevealsAt(e.Height() + 1) {
			t.Fatalf("%s: reveal of %s at height %d, outside its window [%d, %d)", step, id, e.Height(), o.CloseHeight, o.RevealEnd)
		}
		m.revealing[id] = true
		delete(m.revealWait, id)
	case Lost:
		if m.onChain[a.Order] {
			// The engine may only declare a loss the chain agrees with.
			t.Fatalf("%s: %s declared lost while its bid is open on chain", step, a.Order)
		}
	}
}

func (m *chainModel) order(id market.OrderID) market.Order {
	for _, o := range m.orders {
		if o.ID == id {
			return o
		}
	}
	return market.Order{}
}

// checkReveals: a commitment on chain, unrevealed, whose reveal window
// includes the next block has its reveal in flight (or waits for the next
// block after a retryable failure).
func (m *chainModel) checkReveals(t *rapid.T, e *Engine, step string) {
	for _, o := range m.orders {
		if o.Sealed && m.onChain[o.ID] && !m.revealed[o.ID] && !m.revealing[o.ID] && !m.revealWait[o.ID] && o.TakesRevealsAt(e.Height()+1) {
			t.Fatalf("%s: commitment on %s not revealed at height %d, in its window [%d, %d)", step, o.ID, e.Height(), o.CloseHeight, o.RevealEnd)
		}
	}
}

// checkHolds: the inventory holds exactly the orders with a bid in flight or
// on chain, plus the leases.
func (m *chainModel) checkHolds(t *rapid.T, e *Engine, step string) {
	for _, o := range m.orders {
		_, leased := m.leased[o.ID]
		want := m.inFlight[o.ID] || m.onChain[o.ID] || leased
		_, held := e.inv.Hold(o.ID)
		if want != held {
			t.Fatalf("%s: order %s: held=%v, want %v (in flight %v, on chain %v, leased %v)", step, o.ID, held, want, m.inFlight[o.ID], m.onChain[o.ID], leased)
		}
	}
}

func TestPropertyDeterministic(t *testing.T) {
	// The same event sequence gives the same actions: nothing depends on
	// map order.
	run := func() []string {
		e := newEngine(t, testConfig())
		var out []string
		snap := Snapshot{Height: 101}
		for i := uint64(1); i <= 20; i++ {
			snap.Orders = append(snap.Orders, mkOrder(i, 300, "5", 100))
		}
		_ = e.Catchup(snap)
		out = append(out, drain(e)...)
		for i := uint64(1); i <= 20; i++ {
			_ = e.BidResult(oid(i), BidRejected, "x")
		}
		e.Block(110)
		return append(out, drain(e)...)
	}
	a, b := fmt.Sprint(run()), fmt.Sprint(run())
	if a != b {
		t.Fatalf("two runs differ:\n%s\n%s", a, b)
	}
}

// visible reports whether the chain lists o as open at height h: it is
// created at most one block before its window opens (the engine handles
// both that and creation in the opening block) and matched at its close.
func visible(o market.Order, h int64) bool { return h >= o.OpenHeight-1 && h < o.MatchHeight() }
