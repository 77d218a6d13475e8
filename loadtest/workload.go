package loadtest

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// flaw is what makes a generated bid ineligible, if anything. Each flaw
// fails a different rule, so rejections are spread along the check pipeline
// (an early cpu compare, the attribute and audit scans, the final price
// compare) instead of all costing the same.
type flaw uint8

const (
	flawNone       flaw = iota
	flawPrice           // above the order's max price: passes every offer check first
	flawCPU             // too little cpu
	flawAttr            // a required attribute has another value
	flawAudit           // no auditor signed (reputation on sets that need no audit)
	flawReputation      // below the order's minimum reputation
	numFlaws
)

// Price levels: bids are priced at 50..99% of the order's max, so the best
// bid changes often, as in a real auction; level overPrice is above the max.
const (
	priceLevels = 50
	overPrice   = priceLevels
)

const (
	denom         = "uakt"
	minReputation = 100
)

// Generation streams: one PCG stream per purpose, so changing how bids are
// drawn does not change the orders.
const (
	streamOrders = iota + 1
	streamBids
	streamPerm
)

// bidPlan is one bid of a round, in placement order: which order, which of
// the order's class's providers bids, its price level and flaw. 8 bytes,
// streamed sequentially by the measured loops.
type bidPlan struct {
	order uint32
	prov  uint16 // index among the class's providers
	price uint8
	flaw  flaw
}

// orderMeta is the compact per-order data the measured loops read.
type orderMeta struct {
	class  uint16
	shape  uint16
	sealed bool
}

// workload is everything generated from a Config before anything is timed.
type workload struct {
	cfg       Config
	mix       mix
	orders    []market.Order // this round's orders (IDs and heights change per round)
	meta      []orderMeta
	ids       []market.OrderID // orders[k].ID, compact for the hot loops
	plan      []bidPlan
	tmpl      []market.Bid // per class, per flaw: the bid every provider of the class sends
	provNames []string     // per class, provPerClass each
	provPer   int
	prices    [][]money.Dec // per shape: levels 0..49 and overPrice
	flawed    int64         // bids in plan with a flaw
}

var tenants = func() []string {
	t := make([]string, 1000)
	for i := range t {
		t[i] = fmt.Sprintf("akash1tenant%04d", i)
	}
	return t
}()

func newWorkload(cfg Config) *workload {
	w := &workload{cfg: cfg, mix: mixes[cfg.Mix]}
	w.genOrders(rand.New(rand.NewPCG(cfg.Seed, streamOrders)))
	w.genProviders()
	w.genPrices()
	w.genPlan(rand.New(rand.NewPCG(cfg.Seed, streamBids)), rand.New(rand.NewPCG(cfg.Seed, streamPerm)))
	return w
}

func (w *workload) genOrders(r *rand.Rand) {
	n := w.cfg.Orders
	w.orders = make([]market.Order, n)
	w.meta = make([]orderMeta, n)
	w.ids = make([]market.OrderID, n)
	for k := range n {
		m := orderMeta{class: uint16(r.IntN(len(w.mix.classes))), shape: uint16(r.IntN(len(w.mix.shapes)))}
		m.sealed = r.Float64() < w.cfg.Sealed
		c, s := &w.mix.classes[m.class], &w.mix.shapes[m.shape]
		w.orders[k] = market.Order{
			ID: market.OrderID{GroupID: market.GroupID{
				DeploymentID: market.DeploymentID{Owner: tenants[k%len(tenants)], DSeq: uint64(k + 1)}, GSeq: 1}},
			Resources:     s.res,
			MaxPrice:      money.Coin{Denom: denom, Amount: money.NewDec(s.maxPrice)},
			MinReputation: minReputation,
			Sealed:        m.sealed,
			Requirements:  c.req,
		}
		w.meta[k] = m
	}
}

// genProviders builds each class's providers (twice as many as bids per
// order, so the providers bidding on neighbouring orders overlap but differ)
// and one bid template per class and flaw.
func (w *workload) genProviders() {
	w.provPer = max(2*w.cfg.BidsPerOrder, 1)
	big := manifest.Totals{CPUMillis: 64000, MemoryBytes: 512 * gib, StorageBytes: 8192 * gib, GPUUnits: 8, BandwidthBps: 10 << 30}
	deposit := money.Coin{Denom: denom, Amount: money.NewDec(5)}
	for ci := range w.mix.classes {
		c := &w.mix.classes[ci]
		for p := range w.provPer {
			w.provNames = append(w.provNames, fmt.Sprintf("akash1provider%02d%04d", ci, p))
		}
		for f := range numFlaws {
			b := market.Bid{
				Price:   money.Coin{Denom: denom},
				Deposit: deposit,
				Offer:   market.Offer{Resources: big, Attributes: c.attrs, Audited: c.audited, Reputation: 9000},
			}
			switch flaw(f) {
			case flawCPU:
				b.Offer.Resources.CPUMillis = 100
			case flawAttr:
				b.Offer.Attributes = c.wrong
			case flawAudit:
				if len(c.req.SignedBy.AllOf)+len(c.req.SignedBy.AnyOf) > 0 {
					b.Offer.Audited = nil
				} else {
					b.Offer.Reputation = 0
				}
			case flawReputation:
				b.Offer.Reputation = 0
			}
			w.tmpl = append(w.tmpl, b)
		}
	}
}

func (w *workload) genPrices() {
	for _, s := range w.mix.shapes {
		levels := make([]money.Dec, priceLevels+1)
		for i := range priceLevels {
			d, err := money.NewDec(s.maxPrice).MulFrac(uint64(50+i), 100)
			if err != nil || d.IsZero() {
				d = money.NewDec(1)
			}
			levels[i] = d
		}
		levels[overPrice] = money.NewDec(s.maxPrice + 1)
		w.prices = append(w.prices, levels)
	}
}

// genPlan lays out one round's bids in placement order for the pattern.
func (w *workload) genPlan(r, perm *rand.Rand) {
	n, bpo := w.cfg.Orders, w.cfg.BidsPerOrder
	w.plan = make([]bidPlan, 0, n*bpo)
	add := func(k, p int) {
		// The p-th bid on order k comes from provider k+p of the class, so an
		// order's bidders are distinct and neighbouring orders' overlap.
		b := bidPlan{order: uint32(k), prov: uint16((k + p) % w.provPer), price: uint8(r.IntN(priceLevels))}
		if r.Float64() < w.cfg.Ineligible {
			b.flaw = flaw(1 + r.IntN(int(numFlaws)-1))
			if b.flaw == flawPrice {
				b.price = overPrice
			}
			w.flawed++
		}
		w.plan = append(w.plan, b)
	}
	switch w.cfg.Pattern {
	case PatternRecent:
		for lo := 0; lo < n; lo += w.cfg.Window {
			hi := min(lo+w.cfg.Window, n)
			for p := range bpo {
				for k := lo; k < hi; k++ {
					add(k, p)
				}
			}
		}
	case PatternUniform:
		order := perm.Perm(n)
		for p := range bpo {
			for _, k := range order {
				add(k, p)
			}
		}
	}
}

// heights of round r: every order opens at base and is matched at
// base+2+k (order k), one order per height so closing is timed per order.
// Open orders close at their match height; sealed orders stop taking
// commitments at base+1 and take reveals from base+1 to their match height.
func (w *workload) base(round int) int64 { return 10 + int64(round)*int64(w.cfg.Orders+10) }

// startRound stamps this round's IDs (a re-order of the same groups: OSeq
// is the round) and heights onto the orders.
func (w *workload) startRound(round int) {
	h := w.base(round)
	for k := range w.orders {
		o := &w.orders[k]
		o.ID.OSeq = uint32(round + 1)
		o.OpenHeight, o.CloseHeight = h, h+2+int64(k)
		if o.Sealed {
			o.CloseHeight, o.RevealEnd = h+1, h+2+int64(k)
		}
		w.ids[k] = o.ID
	}
}

// bid fills the class's template for plan entry b and returns it. The
// template is reused: the result is valid until the next call.
func (w *workload) bid(b bidPlan, height int64) *market.Bid {
	m := w.meta[b.order]
	t := &w.tmpl[int(m.class)*int(numFlaws)+int(b.flaw)]
	t.ID.OrderID = w.ids[b.order]
	t.ID.Provider = w.provNames[w.provIndex(b)]
	t.Price.Amount = w.prices[m.shape][b.price]
	t.PlacedAt = height
	return t
}

// provIndex is the bidder of plan entry b, as an index into provNames.
func (w *workload) provIndex(b bidPlan) int {
	return int(w.meta[b.order].class)*w.provPer + int(b.prov)
}

// committed reports whether a sealed order's bid survives its commitment
// (offer checks): only price flaws wait for the reveal.
func (b bidPlan) committed() bool { return b.flaw == flawNone || b.flaw == flawPrice }

// reveal is the reveal of plan entry b (the bid as bid returns it); the
// salt is derived from the bid's position so nothing random is stored.
func reveal(bid *market.Bid, b bidPlan, round int) market.Reveal {
	r := market.Reveal{Bid: bid.ID, Price: bid.Price}
	binary.LittleEndian.PutUint32(r.Salt[0:], b.order)
	binary.LittleEndian.PutUint16(r.Salt[4:], b.prov)
	binary.LittleEndian.PutUint32(r.Salt[8:], uint32(round))
	r.Salt[31] = 0x5a
	return r
}
