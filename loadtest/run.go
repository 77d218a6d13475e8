package loadtest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"runtime"
	"time"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// ErrMarket is wrapped when the book or the escrow refuses something the
// generator meant to be valid: a bug in the load test or in the core, never
// a measurement.
var ErrMarket = errors.New("loadtest: the market refused a generated operation")

// RunLoad runs the load described by cfg at cfg.Orders open orders. It returns
// the report with one Run. The caller applies cfg.CPU (GOMAXPROCS), since
// that is process-wide.
func RunLoad(cfg Config) (*Report, error) {
	return RunScaling(cfg, nil)
}

// RunScaling runs cfg once per open-order count in sizes (cfg.Orders when
// sizes is empty), so the cost per op can be read against the book's size.
func RunScaling(cfg Config, sizes []int) (*Report, error) {
	if len(sizes) == 0 {
		sizes = []int{cfg.Orders}
	}
	rep := &Report{Schema: Schema, Config: cfg, Machine: ThisMachine()}
	for _, n := range sizes {
		c := cfg
		c.Orders = n
		if err := c.Validate(); err != nil {
			return nil, err
		}
		run, err := newRunner(c).run()
		if err != nil {
			return nil, err
		}
		rep.Runs = append(rep.Runs, *run)
	}
	return rep, nil
}

// match is a closed order's winner, kept for the lease phase.
type match struct {
	order    uint32
	provider string
	price    money.Coin
}

type runner struct {
	w        *workload
	book     *market.OrderBook
	refs     []market.OrderRef
	provRefs []market.ProviderRef // per w.provNames: each provider's handle, taken once
	commits  []market.Commitment  // sealed, committed bids of this round in plan order
	accounts []*lease.Account
	matches  []match
	closing  market.Closing
	eff      lease.Effects
	recs     map[string]*phaseRec
	counts   Counts
	mem      market.Memory // the book's arrays after the place phase with the most resting bids
}

func newRunner(cfg Config) *runner {
	w := newWorkload(cfg)
	n := cfg.Orders
	r := &runner{
		w:        w,
		book:     market.NewOrderBook(market.BookConfig{Orders: n, Providers: len(w.provNames), BidsPerOrder: cfg.BidsPerOrder}),
		refs:     make([]market.OrderRef, n),
		accounts: make([]*lease.Account, n),
		matches:  make([]match, 0, n),
		recs:     map[string]*phaseRec{},
	}
	for _, name := range PhaseNames() {
		r.recs[name] = newPhaseRec(name, cfg.Batch)
	}
	// Every provider registers its profile (the attributes and audits its
	// bids carry), as a provider registers on the chain, so the book caches
	// its attribute and signed-by verdicts; the ref and id paths keep the
	// handles (as a chain would beside the provider's record), the id-addr
	// path's bids name the provider by address only.
	if cfg.Lookup != LookupIDAddr {
		r.provRefs = make([]market.ProviderRef, len(w.provNames))
	}
	for i, name := range w.provNames {
		c := &w.mix.classes[i/w.provPer]
		p := r.book.RegisterProvider(name, market.ProviderProfile{Attributes: c.attrs, Audited: c.audited})
		if r.provRefs != nil {
			r.provRefs[i] = p
		}
	}
	return r
}

func (r *runner) run() (*Run, error) {
	cfg := r.w.cfg
	round := 0
	for ; round < cfg.Warmup; round++ {
		if _, err := r.round(round, false, -1); err != nil {
			return nil, err
		}
	}
	measured := 0
	var placed int64
	h := fnv.New64a()
	for {
		limit := int64(-1)
		if cfg.Ops > 0 {
			limit = cfg.Ops - placed
		}
		n, err := r.round(round, true, limit)
		if err != nil {
			return nil, err
		}
		placed += n
		round++
		measured++
		if measured == 1 {
			r.hashRound(h)
		}
		if cfg.Ops > 0 && placed >= cfg.Ops {
			break
		}
		if cfg.Duration > 0 && r.elapsed() < cfg.Duration {
			continue
		}
		if cfg.Ops == 0 || cfg.Duration > 0 {
			break
		}
	}
	out := &Run{OpenOrders: cfg.Orders, Rounds: measured, Counts: r.counts,
		Book: BookMemory{Bytes: r.mem.Bytes, RestingBids: r.mem.RestingBids, BytesPerBid: perBid(r.mem)}}
	for _, name := range PhaseNames() {
		rec := r.recs[name]
		if name == PhaseReveal && rec.ops == 0 {
			continue // no sealed orders: the phase did not run
		}
		out.Phases = append(out.Phases, rec.stats())
	}
	c := r.counts
	for _, v := range []int64{c.Bids, c.Accepted, c.Rejected, c.Eligible, c.Revealed, c.Matched, c.Unmatched, c.LeasesOpen} {
		_ = binary.Write(h, binary.LittleEndian, v)
	}
	out.Digest = fmt.Sprintf("%016x", h.Sum64())
	return out, nil
}

// elapsed is the measured time so far, all phases.
func (r *runner) elapsed() time.Duration {
	var d time.Duration
	for _, rec := range r.recs {
		d += rec.elapsed
	}
	return d
}

// hashRound folds the first measured round's matches into the digest.
func (r *runner) hashRound(h interface{ Write([]byte) (int, error) }) {
	var buf [8]byte
	for _, m := range r.matches {
		binary.LittleEndian.PutUint64(buf[:], uint64(m.order))
		h.Write(buf[:])
		h.Write([]byte(m.provider))
		a := m.price.Amount.Bytes32()
		h.Write(a[:])
	}
}

// round runs every phase once over all orders. With measure false nothing is
// recorded (warm-up). limit caps the bids placed (-1: all). It returns the
// number of bids placed.
func (r *runner) round(round int, measure bool, limit int64) (int64, error) {
	w := r.w
	w.startRound(round)
	base := w.base(round)
	rec := func(name string) *phaseRec {
		if measure {
			return r.recs[name]
		}
		return newPhaseRec(name, w.cfg.Batch) // discarded
	}
	plan := w.plan
	if limit >= 0 && int64(len(plan)) > limit {
		plan = plan[:limit]
	}
	if err := r.prepare(round, base, plan); err != nil {
		return 0, err
	}
	var c Counts
	if err := r.add(rec(PhaseAdd)); err != nil {
		return 0, err
	}
	for k, id := range w.ids {
		ref, ok := r.book.Ref(id)
		if !ok {
			return 0, fmt.Errorf("%w: no handle for %s just added", ErrMarket, id)
		}
		r.refs[k] = ref
	}
	if err := r.place(rec(PhasePlace), plan, base, &c); err != nil {
		return 0, err
	}
	if measure { // untimed: every bid of the round rests, the book is at its largest
		if m := r.book.Memory(); m.RestingBids > r.mem.RestingBids {
			r.mem = m
		}
	}
	r.eligible(rec(PhaseEligible), plan, base, &c)
	if len(r.commits) > 0 {
		if err := r.reveal(rec(PhaseReveal), plan, base, round, &c); err != nil {
			return 0, err
		}
	}
	if err := r.close(rec(PhaseClose), base, &c); err != nil {
		return 0, err
	}
	if err := r.lease(rec(PhaseLease), base, &c); err != nil {
		return 0, err
	}
	if r.book.Len() != 0 {
		return 0, fmt.Errorf("%w: %d orders still open after the last match height", ErrMarket, r.book.Len())
	}
	if measure {
		r.counts.add(c)
	}
	return int64(len(plan)), nil
}

func (c *Counts) add(d Counts) {
	c.Bids += d.Bids
	c.Accepted += d.Accepted
	c.Rejected += d.Rejected
	c.Eligible += d.Eligible
	c.Revealed += d.Revealed
	c.Matched += d.Matched
	c.Unmatched += d.Unmatched
	c.LeasesOpen += d.LeasesOpen
}

// prepare does the round's untimed set-up: the sealed bids' commitments
// (the provider hashes offline) and one funded escrow account per
// deployment (the tenant deposits when it creates the deployment).
func (r *runner) prepare(round int, base int64, plan []bidPlan) error {
	w := r.w
	r.commits = r.commits[:0]
	for _, b := range plan {
		if w.meta[b.order].sealed && b.committed() {
			r.commits = append(r.commits, reveal(w.bid(b, base), b, round).Commitment())
		}
	}
	funds := money.Coin{Denom: denom, Amount: money.NewDec(1_000_000)}
	for k, id := range w.ids {
		a, err := lease.NewAccount(id.DeploymentID, denom, 0, base)
		if err == nil {
			err = a.Deposit(id.Owner, funds, base, &r.eff)
		}
		if err != nil {
			return fmt.Errorf("%w: escrow for %s: %v", ErrMarket, id, err)
		}
		r.accounts[k] = a
	}
	r.eff.Reset()
	// Collect now, untimed, as testing.B does before a benchmark: the
	// book allocates nothing, but the escrow accounts and leases of the
	// rounds before (this set-up's and the lease phase's garbage) would
	// otherwise be marked during whichever timed phase the heap goal
	// happened to fall in. With one P the collector then takes a quarter
	// of the core for a few hundred ms, which a 20 M-bid run read as its
	// place p99.9 (tens of µs per op). A round allocates less than the
	// heap goal leaves, so no collection starts inside the timed phases.
	runtime.GC()
	return nil
}

func (r *runner) add(rec *phaseRec) error {
	rec.begin()
	for k := range r.w.orders {
		if err := r.book.AddOrder(r.w.orders[k]); err != nil {
			return fmt.Errorf("%w: %v", ErrMarket, err)
		}
		rec.tick()
	}
	rec.end()
	return nil
}

func (r *runner) place(rec *phaseRec, plan []bidPlan, base int64, c *Counts) error {
	w, book := r.w, r.book
	byRef, byID := w.cfg.Lookup == LookupRef, w.cfg.Lookup == LookupID
	ci := 0
	var accepted int64
	rec.begin()
	for _, b := range plan {
		bid := w.bid(b, base)
		var rc market.Receipt
		var err error
		switch {
		case w.meta[b.order].sealed:
			if b.committed() {
				bid.Commitment = r.commits[ci]
				ci++
			}
			rc, err = book.CommitRef(r.refs[b.order], bid)
		case byRef:
			rc, err = book.PlaceBidAs(r.refs[b.order], r.provRefs[w.provIndex(b)], bid)
		case byID:
			rc, err = book.PlaceBidFrom(r.provRefs[w.provIndex(b)], bid)
		default:
			rc, err = book.PlaceBid(bid)
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrMarket, err)
		}
		if rc.Reason == market.ReasonNone {
			accepted++
		}
		rec.tick()
	}
	rec.end()
	c.Bids += int64(len(plan))
	c.Accepted += accepted
	c.Rejected += int64(len(plan)) - accepted
	return nil
}

func (r *runner) eligible(rec *phaseRec, plan []bidPlan, base int64, c *Counts) {
	w := r.w
	var n int64
	rec.begin()
	for _, b := range plan {
		if ok, _ := market.Eligible(w.orders[b.order], *w.bid(b, base)); ok {
			n++
		}
		rec.tick()
	}
	rec.end()
	c.Eligible += n
}

func (r *runner) reveal(rec *phaseRec, plan []bidPlan, base int64, round int, c *Counts) error {
	w, book := r.w, r.book
	var n int64
	rec.begin()
	for _, b := range plan {
		if !w.meta[b.order].sealed || !b.committed() {
			continue
		}
		rc, err := book.Reveal(reveal(w.bid(b, base), b, round), base+1)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrMarket, err)
		}
		if rc.Reason == market.ReasonNone {
			n++
		}
		rec.tick()
	}
	rec.end()
	c.Revealed += n
	return nil
}

func (r *runner) close(rec *phaseRec, base int64, c *Counts) error {
	n := len(r.w.orders)
	r.matches = r.matches[:0]
	var unmatched int64
	rec.begin()
	for k := range n {
		res := r.book.CloseDueInto(&r.closing, base+2+int64(k))
		if len(res) != 1 {
			return fmt.Errorf("%w: %d results at the match height of order %d, want 1", ErrMarket, len(res), k)
		}
		if res[0].Matched {
			r.matches = append(r.matches, match{order: uint32(k), provider: res[0].Winner.Provider, price: res[0].Price})
		} else {
			unmatched++
		}
		rec.tick()
	}
	rec.end()
	c.Matched += int64(len(r.matches))
	c.Unmatched += unmatched
	return nil
}

func (r *runner) lease(rec *phaseRec, base int64, c *Counts) error {
	ids := r.w.ids
	rec.begin()
	for _, m := range r.matches {
		id := market.LeaseID{OrderID: ids[m.order], Provider: m.provider}
		if err := r.accounts[m.order].OpenLease(id, m.price, base+2+int64(m.order), &r.eff); err != nil {
			return fmt.Errorf("%w: %v", ErrMarket, err)
		}
		r.eff.Reset()
		rec.tick()
	}
	rec.end()
	c.LeasesOpen += int64(len(r.matches))
	return nil
}

// perBid is the book's heap per resting bid, its share of its order's slot
// included (0 with no bids); core keeps integers, the report divides.
func perBid(m market.Memory) float64 {
	if m.RestingBids == 0 {
		return 0
	}
	return float64(m.Bytes) / float64(m.RestingBids)
}
