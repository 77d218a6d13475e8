package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// Tenant matching (market.matching: tenant) in the simulator. The book
// closes an order exactly as in auto mode; core/market.Await then says
// whether the order waits for its tenant's pick. While it waits, its bids
// keep their deposits and their providers' reservations; the tenant's class
// picks one (a BidChooser: the tenant agent's own, or the class's choice
// policy) at its delay after the close, as a transaction of that block
// (before the block's closes, as on a chain), and core/market.Pick or, at
// the bid timeout, core/market.Expire decides the Result the world applies
// as it applies any close.

// BidChooser is what a tenant agent implements to pick bids itself under
// tenant matching; an agent that does not gets its class's choice policy
// (tenants[].choice).
type BidChooser interface {
	// Choose returns the index in c.Bids of the bid to pick, or false to
	// pick none (the order then closes unmatched at its bid timeout).
	Choose(c *Choosing) (int, bool)
}

// Choosing is an order waiting for its tenant's pick, as the tenant sees it
// when it looks.
type Choosing struct {
	Order  OrderInfo
	Bids   []Candidate // the eligible bids, in placement order
	Height int64
	Until  int64      // the last height a pick is taken
	Rand   *rand.Rand // the class's "choice" stream
	Market MarketView
}

// Candidate is one eligible bid and its provider's reputation now.
type Candidate struct {
	Bid        market.BidID
	Price      money.Dec // per block, the whole group
	PlacedAt   int64
	Seq        uint64
	Reputation market.Reputation
}

// choicePolicy is a built-in policy: the index it picks in cs.Bids.
type choicePolicy func(c *Choice, cs *Choosing) (int, bool)

var choicePolicies = map[string]choicePolicy{
	"cheapest": func(_ *Choice, cs *Choosing) (int, bool) { return cheapest(cs.Bids, nil) },
	"min-reputation": func(c *Choice, cs *Choosing) (int, bool) {
		return cheapest(cs.Bids, func(b *Candidate) bool { return uint32(b.Reputation) >= c.MinReputation })
	},
	"price-per-reputation": pricePerReputation,
	"random-k":             randomK,
}

// cheapest is the lowest price among the bids ok accepts (all when nil), the
// earliest placed on a tie (bids are in placement order).
func cheapest(bs []Candidate, ok func(*Candidate) bool) (int, bool) {
	best := -1
	for i := range bs {
		if ok != nil && !ok(&bs[i]) {
			continue
		}
		if best < 0 || bs[i].Price.Less(bs[best].Price) {
			best = i
		}
	}
	return best, best >= 0
}

// pricePerReputation is the lowest price per point of reputation (a.price ×
// b.rep < b.price × a.rep, exactly); providers at reputation 0 only when no
// other bid is there, then the cheapest of them.
func pricePerReputation(_ *Choice, cs *Choosing) (int, bool) {
	best := -1
	for i := range cs.Bids {
		b := &cs.Bids[i]
		if b.Reputation == 0 {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		o := &cs.Bids[best]
		l, err1 := b.Price.MulInt(uint64(o.Reputation))
		r, err2 := o.Price.MulInt(uint64(b.Reputation))
		if err1 == nil && err2 == nil && l.Less(r) {
			best = i
		}
	}
	if best < 0 {
		return cheapest(cs.Bids, nil)
	}
	return best, true
}

// randomK picks uniformly among the K cheapest (price, then placement).
func randomK(c *Choice, cs *Choosing) (int, bool) {
	if len(cs.Bids) == 0 {
		return -1, false
	}
	idx := make([]int, len(cs.Bids))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cs.Bids[a].Price.Cmp(cs.Bids[b].Price) })
	k := min(cmp.Or(c.K, 3), len(idx))
	return idx[cs.Rand.IntN(k)], true
}

// classChooser is a class's choice policy as a BidChooser.
type classChooser struct {
	c      *Choice
	policy choicePolicy
}

func (p classChooser) Choose(cs *Choosing) (int, bool) { return p.policy(p.c, cs) }

// awaiting is an order waiting for its tenant's pick.
type awaiting struct {
	d      *Deployment
	a      market.Awaiting
	res    market.Result // the close's Result (its own copy of the bids)
	pickAt int64         // the height the tenant looks and picks; 0: never (past the timeout)
}

// awaitPick turns the close r of d's order into a wait for the tenant's pick
// when core says so (tenant matching, an eligible bid) and reports whether it did.
func (w *World) awaitPick(d *Deployment, r *market.Result) bool {
	if w.rules.matching != market.MatchingTenant {
		return false
	}
	closed := d.closeH
	if d.sealed {
		closed += w.rules.revealWindow
	}
	a, wait, err := market.Await(r, closed, w.rules.matching, w.rules.pickTimeout)
	if err != nil {
		w.fail(err)
		return false
	}
	if !wait {
		return false
	}
	e := w.newAwaiting()
	e.d, e.a, e.pickAt = d, a, a.Closed+pickDelay(d)
	r.CopyTo(&e.res) // the book reuses r's memory
	if e.pickAt > a.Until {
		e.pickAt = 0
	}
	d.pick = e
	w.awaiting = append(w.awaiting, e)
	w.metrics.awaited++
	return true
}

// picksDue runs the picks of height h (transactions of the block, before its
// closes): each tenant due looks at its order's eligible bids and picks one,
// or none.
func (w *World) picksDue() {
	for _, e := range w.awaiting {
		if e.pickAt != w.height || e.d.pick != e {
			continue
		}
		w.pick(e)
		if w.err != nil {
			return
		}
	}
	w.dropDecided()
}

func (w *World) pick(e *awaiting) {
	d := e.d
	cs := &w.ext.choosing
	*cs = Choosing{Order: w.orderInfo(d), Bids: cs.Bids[:0], Height: w.height, Until: e.a.Until, Market: MarketView{w: w}}
	if d.class != nil {
		cs.Rand = d.class.choiceR
	}
	for i := range e.res.Bids {
		b := &e.res.Bids[i]
		if !market.Pickable(b) {
			continue
		}
		var rep market.Reputation
		if p := w.providerByAddr(b.Provider); p != nil {
			rep = w.reputation(p)
		}
		cs.Bids = append(cs.Bids, Candidate{Bid: e.res.BidID(b), Price: b.Price, PlacedAt: b.PlacedAt, Seq: b.Seq, Reputation: rep})
	}
	i, ok := chooserOf(d).Choose(cs)
	if !ok {
		w.metrics.pickedNone++
		return // the order expires at its bid timeout
	}
	if i < 0 || i >= len(cs.Bids) {
		w.fail(fmt.Errorf("%s: chooser picked bid %d of %d", whoPicks(d), i, len(cs.Bids)))
		return
	}
	chosen := cs.Bids[i].Bid
	res, err := market.Pick(&e.a, e.res, chosen, w.height)
	if err != nil {
		w.fail(fmt.Errorf("%s: pick of %s: %w", whoPicks(d), chosen, err))
		return
	}
	if w.trace != nil {
		w.traceCreateLease(chosen)
	}
	if res.Winner != e.res.Winner {
		w.metrics.pickedOther++
	}
	d.pick = nil
	w.decide(d, &res)
}

// A tier's deployment (no tenant class) picks the cheapest bid in the block
// after the close: its tier's code, not a tenant, waits on the lease.
var tierChooser = classChooser{c: &Choice{}, policy: choicePolicies["cheapest"]}

func chooserOf(d *Deployment) BidChooser {
	if d.class != nil {
		return d.class.chooser
	}
	return tierChooser
}

func pickDelay(d *Deployment) int64 {
	if d.class != nil {
		return d.class.pickDelay
	}
	return 1
}

func whoPicks(d *Deployment) string {
	if d.class != nil {
		return fmt.Sprintf("tenants[%d] (%s)", d.class.idx, d.class.spec.Name)
	}
	return "tier deployment " + d.id.String()
}

// expiresDue closes unmatched the waiting orders whose bid timeout ends at
// this height (the block's end, after its closes).
func (w *World) expiresDue() {
	for _, e := range w.awaiting {
		if e.d.pick != e || !e.a.Due(w.height) {
			continue
		}
		res := market.Expire(&e.a, e.res)
		e.d.pick = nil
		w.metrics.expired++
		w.decide(e.d, &res)
		if w.err != nil {
			return
		}
	}
	w.dropDecided()
}

// cancelPick ends d's wait when its deployment closes before the pick: every
// deposit back, every reservation released (core/market.Cancel).
func (w *World) cancelPick(d *Deployment) {
	e := d.pick
	d.pick = nil
	r := market.Cancel(e.res)
	w.applyCancel(d, &r)
}

// dropDecided removes the decided entries, keeping the others' order, and
// keeps them for reuse (nothing names a decided entry: its deployment's
// pick is no longer it).
func (w *World) dropDecided() {
	kept := w.awaiting[:0]
	for _, e := range w.awaiting {
		if e.d.pick == e {
			kept = append(kept, e)
			continue
		}
		clear(e.res.Bids)
		*e = awaiting{res: market.Result{Bids: e.res.Bids[:0]}}
		w.pools.awaiting = append(w.pools.awaiting, e)
	}
	clear(w.awaiting[len(kept):])
	w.awaiting = kept
}

// newAwaiting takes an entry from the pool (its bid slice keeps its room).
func (w *World) newAwaiting() *awaiting {
	if n := len(w.pools.awaiting); n > 0 {
		e := w.pools.awaiting[n-1]
		w.pools.awaiting = w.pools.awaiting[:n-1]
		return e
	}
	return &awaiting{}
}
