package sim

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
	"github.com/akash-market/akash/sim/rng"
)

// tenantClass is a scenario TenantClass with its streams and its agent,
// which decides what each arrival asks for (the default agent draws each
// purpose from its own stream exactly once per arrival, so the k-th tenant
// of a class draws the same shape, region, valuation, deposit, lease length
// and sealing whatever the providers do).
type tenantClass struct {
	idx      int
	spec     *TenantClass
	owner    string
	ownerIdx int32 // owner's index in World.owners
	shapes   []Shape
	// shapeCosts[i] is shape i's size and reference costs, computed once:
	// ten exact multiplications an arrival otherwise.
	shapeCosts []shapeCost
	reqs       []manifest.Attributes // by region+1: the order's requirements (nil for any region)
	agent      TenantAgent
	kind       string // the agent's kind, for errors

	arrivalR, topupR *rand.Rand

	trace  []engine.Time
	traceI int

	chooser   BidChooser // tenant matching: the agent's own, or the class's choice policy
	choiceR   *rand.Rand
	pickDelay int64 // blocks after the close the tenant picks (at least 1)
	n         int64
	w         *World
}

// Deployment is one tenant's deployment: one group, its escrow account, its
// current order and lease.
type Deployment struct {
	// The fields the hot visits read (a bid's placement, the hourly
	// withdrawal, escrow settlement) come first, in the struct's first two
	// cache lines: by the time those events fire the deployment is usually
	// out of cache, and each further line touched is another miss.
	id                                     market.DeploymentID
	oseq                                   uint32
	leaseOpen, orderOpen, finished, sealed bool
	dryVer                                 uint32 // version of d's live dry-index entry; older entries are stale
	dryLive                                bool   // an entry with version dryVer is on the heap, for (dryAt, dryTopup)
	dryTopup                               bool
	topupAsk                               bool // the tenant already decided about topping up at this dry height
	dryAt                                  int64
	provider                               *Provider
	acct                                   *lease.Account
	class                                  *tenantClass    // nil for a tier's deployment
	ref                                    market.OrderRef // the open order's handle in the book: bids skip the order-ID look-up
	closeH                                 int64
	totals                                 manifest.Totals
	refCost                                money.Dec   // reference cost per block of the group
	bidders                                []*Provider // who bid on the open order, in placement order (see bidder)
	bids                                   int32
	gen                                    uint32 // lives of the record (deployment_pool.go), read by every handle

	shape  int
	region int // −1: any region
	reqs   manifest.Attributes
	minRep market.Reputation

	maxPrice money.Dec // per block, whole group
	depositB int64     // blocks of max price a (top-up) deposit covers
	length   engine.Duration
	arrived  engine.Time

	postedAt engine.Time

	price      money.Dec
	leaseRow   int32
	leaseOpenH int64           // height the current lease opened at
	openAt     int32           // position in World.public.open while the order is open
	servedFor  engine.Duration // lease time already served before a re-order
	leaseStart engine.Time
	termAt     engine.Time
	term       engine.EventID
	keepDep    money.Dec // winner's bid deposit kept with the lease

	// Whole-unit payouts (core/lease whole.go), as the chain's bank makes
	// them: the exact totals withdrawn to the current lease's provider and
	// taken to the pool, kept as their fractions below a unit (the whole
	// parts play no part: lease.WholeCarry), and the fractions of a unit
	// held back in escrow, paid to the pool when the account closes.
	// The lease is named by its order (gseq, oseq): every transfer is of
	// this deployment's account, and an order opens at most one lease
	// (0, 0 before the first: no order has GSeq 0).
	payout struct {
		gseq, oseq uint32
		withdrawn  money.Dec
		taken      money.Dec
		carried    money.Dec
	}

	hooks *GroupHooks // tier callbacks (&hookBuf); nil for ordinary tenants
	pick  *awaiting   // tenant matching: the closed order waiting for the tenant's pick

	// The record is reused once the deployment finishes (deployment_pool.go):
	// gen (above) counts its lives, and the account and hooks live in it.
	account lease.Account // acct is &account
	// The account's deposit and (when the scenario needs room for one
	// lease only: paymentsRoom) its payment, next to it: a withdrawal reads
	// the lease's payment right after the account, and in the record it is
	// on the lines that follow, not a separate array's.
	payBuf  [1]lease.Payment
	depBuf  [1]lease.Deposit
	hookBuf GroupHooks
}

// ID is the deployment's ID.
func (d *Deployment) ID() market.DeploymentID { return d.id }

func (d *Deployment) orderID() market.OrderID {
	return market.OrderID{GroupID: market.GroupID{DeploymentID: d.id, GSeq: 1}, OSeq: d.oseq}
}

func newTenantClass(w *World, i int, spec *TenantClass) (*tenantClass, error) {
	agent := "tenant/" + spec.Name
	st := func(p string) *rand.Rand { return w.seed.StreamFor(agent, p) }
	c := &tenantClass{idx: i, spec: spec, owner: agent, ownerIdx: w.internOwner(agent), w: w,
		arrivalR: st("arrivals"), topupR: st("top-up")}
	c.shapes = spec.Demand
	if len(c.shapes) == 0 {
		c.shapes = BuiltinDemand
	}
	tot := 0.0
	for _, s := range c.shapes {
		tot += max(s.Weight, 0)
	}
	if tot <= 0 {
		return nil, fmt.Errorf("tenants[%d] (%s).demand: every weight is 0; give at least one shape a positive weight", i, spec.Name)
	}
	for si := range c.shapes {
		sh := &c.shapes[si]
		count := uint64(max(sh.Count, 1))
		replica := sh.Replica()
		total, err0 := sh.Totals()
		replicaCost, err1 := w.rules.reference.cost(replica)
		totalCost, err2 := w.rules.reference.cost(total)
		if err := errors.Join(err0, err1, err2); err != nil {
			return nil, fmt.Errorf("tenants[%d] (%s).demand[%d] (%s): %w; lower market.reference or the shape", i, spec.Name, si, sh.Name, err)
		}
		c.shapeCosts = append(c.shapeCosts, shapeCost{count: count, total: total, replica: replicaCost, totalCost: totalCost})
	}
	var err error
	if _, err = newWeighted(spec.Regions, w.regionOf); err != nil {
		return nil, fmt.Errorf("tenants[%d] (%s).regions: %w", i, spec.Name, err)
	}
	c.reqs = make([]manifest.Attributes, len(w.regions)+1)
	for r, name := range w.regions {
		c.reqs[r+1] = manifest.Attributes{{Key: "region", Value: name}}
	}
	if spec.Arrival.Process == "trace" {
		if c.trace, err = ReadTrace(spec.Arrival.TraceFile); err != nil {
			return nil, fmt.Errorf("tenants[%d] (%s).arrival.trace_file: %w", i, spec.Name, err)
		}
	}
	params, _ := spec.Agent.params() // Validate checked it is registered
	c.kind = spec.Agent.kind()
	c.agent = params.NewTenantAgent(&TenantInfo{c: c})
	c.choiceR = st("choice")
	c.pickDelay = max(ceilBlocks(spec.Choice.Delay.Sim(), w.clock.Interval), 1)
	if ch, ok := c.agent.(BidChooser); ok {
		c.chooser = ch
	} else if pol, ok := choicePolicies[cmp.Or(spec.Choice.Policy, "cheapest")]; ok {
		c.chooser = classChooser{c: &spec.Choice, policy: pol}
	} else {
		return nil, fmt.Errorf("tenants[%d] (%s).choice.policy: %q; use cheapest, min-reputation, price-per-reputation or random-k", i, spec.Name, spec.Choice.Policy)
	}
	return c, nil
}

// shapeCost is a demand shape's group totals and reference costs per block.
type shapeCost struct {
	count              uint64          // replicas
	total              manifest.Totals // the whole group
	replica, totalCost money.Dec       // reference cost of one replica, of the group
	clear              *clearRing      // publicInfo.clear[total], once a lease of it opened
}

// ReadTrace reads a trace_file: arrival times, one per line, seconds from the start.
func ReadTrace(path string) ([]engine.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []engine.Time
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		v, err := strconv.ParseFloat(t, 64)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("%s:%d: %q is not a non-negative number of seconds", path, line, t)
		}
		out = append(out, engine.Time(engine.Seconds(v)))
	}
	slices.Sort(out)
	return out, sc.Err()
}

// scheduleNext schedules the class's next arrival after now.
func (c *tenantClass) scheduleNext() {
	w := c.w
	a := c.spec.Arrival
	switch a.Process {
	case "trace":
		for c.traceI < len(c.trace) && c.trace[c.traceI] < w.now() {
			c.traceI++
		}
		if c.traceI < len(c.trace) {
			w.eng.At(c.trace[c.traceI], c)
			c.traceI++
		}
	case "diurnal":
		// Thinning (Lewis–Shedler): candidates at the peak rate, each kept
		// with probability rate(t)/peak. Both draws come from the arrival stream.
		peak := a.RatePerHour * (1 + a.Amplitude) / 3600
		if peak <= 0 {
			return
		}
		t := w.now()
		for {
			t = t.Add(rng.InterArrival(c.arrivalR, peak))
			phase := 2 * math.Pi * (float64(t) - float64(a.PeakAt)) / float64(engine.Day)
			rate := a.RatePerHour * (1 + a.Amplitude*math.Cos(phase)) / 3600
			if c.arrivalR.Float64()*peak <= rate {
				break
			}
		}
		w.eng.At(t, c)
	default: // poisson
		if a.RatePerHour > 0 {
			w.eng.After(rng.InterArrival(c.arrivalR, a.RatePerHour/3600), c)
		}
	}
}

// Fire is a tenant's arrival: its agent decides what it wants, and the
// world posts the deployment.
func (c *tenantClass) Fire(s *engine.Sim) {
	w := c.w
	c.scheduleNext()
	c.n++
	a := &w.ext.arrival
	a.c = c
	req, ok := c.agent.Order(a)
	if !ok {
		return
	}
	if err := c.checkRequest(&req); err != nil {
		w.fail(fmt.Errorf("tenants[%d] (%s): agent %s: %w", c.idx, c.spec.Name, c.kind, err))
		return
	}
	sc := &c.shapeCosts[req.Shape]
	d := w.newDeployment()
	d.class, d.shape, d.region, d.totals, d.reqs = c, req.Shape, req.Region, sc.total, c.reqs[req.Region+1]
	d.minRep, d.sealed = market.Reputation(min(req.MinReputation, bpsMax)), req.Sealed
	d.maxPrice, d.refCost, d.depositB = req.MaxPrice, sc.totalCost, req.DepositBlocks
	d.length, d.arrived = engine.Duration(req.Length), w.now()
	if w.onArrival != nil {
		w.onArrival(d)
	}
	w.metrics.deployments++
	w.metrics.tc[c.idx].deployments++
	w.metrics.shapeOrders[c.idx][req.Shape]++
	if err := w.openDeployment(d, c.owner); err != nil {
		w.fail(err)
	}
}

// checkRequest refuses a request the world cannot post.
func (c *tenantClass) checkRequest(r *Request) error {
	switch {
	case r.Shape < 0 || r.Shape >= len(c.shapes):
		return fmt.Errorf("shape %d: want 0..%d (an index of the class's demand)", r.Shape, len(c.shapes)-1)
	case r.Region < -1 || r.Region >= len(c.w.regions):
		return fmt.Errorf("region %d: want -1 (any) or 0..%d (an index of Market.Regions)", r.Region, len(c.w.regions)-1)
	case r.DepositBlocks < 1:
		return fmt.Errorf("deposit of %d blocks: want at least 1", r.DepositBlocks)
	case r.Length < 0:
		return fmt.Errorf("lease length %s: want 0 (until the end) or more", r.Length)
	}
	return nil
}

// retry asks d's tenant agent about its unmatched order (r) and posts it
// again when the agent says so; it reports whether it did.
func (w *World) retry(d *Deployment, r *market.Result) bool {
	u := &w.ext.unmatched
	*u = Unmatched{Order: w.orderInfo(d), Result: r, Orders: int(d.oseq), Market: MarketView{w: w}}
	price, again := d.class.agent.Unmatched(u)
	if !again {
		return false
	}
	if price.IsZero() {
		w.fail(fmt.Errorf("tenants[%d] (%s): agent %s: re-posts %s at a max price of 0", d.class.idx, d.class.spec.Name, d.class.kind, d.id))
		return true
	}
	d.maxPrice = price
	w.metrics.reorders++
	if err := w.postOrder(d); err != nil {
		w.fail(err)
	}
	return true
}

// openDeployment creates the escrow account, makes the first deposit and
// posts the first order.
func (w *World) openDeployment(d *Deployment, owner string) error {
	w.deps = append(w.deps, d)
	d.id = market.DeploymentID{Owner: owner, DSeq: uint64(len(w.deps))}
	if err := d.acct.Open(d.id, w.denom, w.rules.takeRateBPS, w.height); err != nil {
		return fmt.Errorf("deployment %s: %w", d.id, err)
	}
	d.leaseRow = -1
	var amt money.Dec
	var err error
	if !d.maxPrice.IsZero() {
		if amt, err = d.maxPrice.MulInt(uint64(d.depositB)); err != nil {
			return fmt.Errorf("deployment %s: deposit overflows: %w", d.id, err)
		}
		amt = w.depositAmount(amt)
	}
	amt = lease.OpeningDeposit(amt, w.rules.minDeposit)
	if w.trace != nil {
		w.traceDeployment(d, amt)
	}
	if err := w.deposit(d, amt); err != nil {
		return err
	}
	return w.postOrder(d)
}

// depositAmount is what a tenant deposits to cover amt: amt rounded up to a
// whole unit, as on chain (core/lease.WholeDeposit).
func (w *World) depositAmount(amt money.Dec) money.Dec { return lease.WholeDeposit(amt) }

// deposit moves amt from outside into the tenant's wallet and from there into
// the deployment's escrow (core/lease decides the escrow side).
func (w *World) deposit(d *Deployment, amt money.Dec) error {
	if amt.IsZero() {
		return nil
	}
	if err := moveFor(&w.settle.ledger.Outside, &w.settle.ledger.Tenants, amt, "fund tenant", d.id.Owner); err != nil {
		return err
	}
	if w.trace != nil {
		w.traceFundTenant(d.id.Owner, amt)
	}
	err := d.acct.Deposit(d.id.Owner, money.Coin{Denom: w.denom, Amount: amt}, w.height, &w.settle.effects)
	w.applyEffects()
	if err != nil {
		// The money stays in the tenant's wallet; a closed account is not a bug.
		if d.acct.State == lease.StateClosed {
			return nil
		}
		return fmt.Errorf("deployment %s: deposit %s: %w", d.id, amt.ShortString(), err)
	}
	return nil
}

// postOrder opens the next order of the deployment's group and tells the
// providers who might fill it.
func (w *World) postOrder(d *Deployment) error {
	d.oseq++
	d.bids = 0
	clear(d.bidders)
	d.bidders = d.bidders[:0]
	t := market.OrderParams{BidWindow: w.rules.bidWindow, RevealWindow: w.rules.revealWindow}.TermsAt(w.height, market.Asks{Sealed: d.sealed, MinReputation: d.minRep})
	o := market.Order{
		ID:            d.orderID(),
		Resources:     d.totals,
		MaxPrice:      money.Coin{Denom: w.denom, Amount: d.maxPrice},
		OpenHeight:    t.OpenHeight,
		CloseHeight:   t.CloseHeight,
		RevealEnd:     t.RevealEnd,
		MinReputation: t.MinReputation,
		Sealed:        t.Sealed,
		Requirements:  manifest.PlacementRequirements{Attributes: d.reqs},
	}
	if err := w.book.AddOrder(o); err != nil {
		return fmt.Errorf("deployment %s: %w", d.id, err)
	}
	d.ref, _ = w.book.Ref(o.ID)
	if w.trace != nil {
		w.traceOrder(&o)
	}
	d.orderOpen = true
	w.public.orderOpened(d)
	d.closeH = o.CloseHeight
	d.postedAt = w.now()
	w.metrics.ordersPosted++
	if k := w.classCounts(d); k != nil {
		k.posted++
	}
	w.notify(d)
	return nil
}

// notify picks the providers that look at a new order. Each provider of a
// class looks with its class's BidProbability, independently; rather than
// drawing once per provider (10,000 draws per order at scale) the world skips
// ahead by geometric gaps, which picks the same distribution of subsets with
// one draw per provider picked. Only providers in the order's region (or all,
// for an order without one) are candidates: the order-arrival notification
// filtered by the region attribute.
//
// Every provider of a class has the class's capacity: when the order does
// not fit in it (a GPU order, for a class without GPUs) none of them has
// room, and the class's picks are counted as such (what consider does with
// no room) without reading the providers; the draws are the same.
func (w *World) notify(d *Deployment) {
	for ci, pc := range w.pclasses {
		list := w.candidates[ci][d.region+1]
		p := pc.spec.BidProbability
		never := !d.totals.FitsIn(&pc.capacity)
		if p >= 1 {
			if never {
				w.metrics.noRoom += int64(len(list))
				continue
			}
			for _, q := range list {
				w.consider(q, d, q.hasRoom(d))
			}
			continue
		}
		if p <= 0 || len(list) == 0 {
			continue
		}
		lq := pc.skipLog // math.Log1p(-p)
		i := -1
		picked := w.picked[:0]
		for {
			gap := math.Log(1-w.attention.Float64()) / lq
			if gap >= float64(len(list)) {
				break
			}
			i += 1 + int(gap)
			if i >= len(list) {
				break
			}
			if never {
				w.metrics.noRoom++
				continue
			}
			picked = append(picked, pick{i: int32(i)})
		}
		// Three passes over the picked providers: first a read of one
		// word of each line of theirs that this order's room check,
		// consider and (a second or so later) its bid read; then whether
		// each has room; then the rest in the same order. Considering one
		// reads nothing another changes, so this is the same as one pass,
		// but the first pass's reads, with no branch on what they load,
		// are independent: the misses of ten or so providers' seven lines
		// overlap instead of coming one by one, here or in the bids. A
		// provider without room (a few per cent of picks) has its bid
		// lines read for nothing.
		var warm uint64
		for k := range picked {
			warm += list[picked[k].i].warmNotice()
		}
		for k := range picked {
			picked[k].room = list[picked[k].i].hasRoom(d)
		}
		w.settle.warmed += warm
		for _, pk := range picked {
			w.consider(list[pk.i], d, pk.room)
		}
		w.picked = picked[:0]
	}
}

// pick is a provider notify picked (its position in the candidate list),
// and whether it has room for the order. It holds no pointer: appending one
// needs no write barrier, and the scratch needs no clearing.
type pick struct {
	i    int32
	room bool
}

// hasRoom: p is up and has the free capacity for d.
func (p *Provider) hasRoom(d *Deployment) bool {
	return p.online && p.capacity.Fits(&d.totals)
}

// consider: a provider looked at an order. If it is up and has room
// (hasRoom, passed in) it will bid after its latency, provided that is
// inside the bidding window.
func (w *World) consider(p *Provider, d *Deployment, room bool) {
	if !room {
		w.metrics.noRoom++
		return
	}
	lat := engine.Seconds(p.class.bidLatency.draw(p.latencyRand()))
	if w.onLatency != nil {
		w.onLatency(p, lat)
	}
	at := w.now().Add(lat)
	if int64(w.clock.HeightAt(at)) >= d.closeH {
		w.metrics.lateBids++
		return
	}
	ev := w.newBidEvent()
	ev.p, ev.d, ev.oseq, ev.reveal = p, d.handle(), d.oseq, false
	w.eng.At(at, ev)
}

// warmNotice reads one word of each line of p's record that notify and
// then p's bid read, whether the record starts on a line or half-way
// through one (records are 864 bytes): online and capacity (bytes 0–127,
// the room check), class, latency stream and cost (128–159, consider and
// the bid), and for the bid its open bids, wallet and reputation inputs
// and attributes (160–383). Its value means nothing; notify adds it to a
// counter so that the reads are made.
func (p *Provider) warmNotice() uint64 {
	return p.capacity.Total.CPUMillis + p.capacity.Reserved.GPUUnits + p.costPPM +
		uint64(p.rep) + uint64(len(p.pending)) + p.pendBuf[0].dseq + uint64(p.repEpoch) + uint64(len(p.attrs))
}
