package sim

// dryIndex orders deployments by the next height at which their escrow needs
// attention: the last block its balance pays (settling to the block after
// closes the leases at exactly that dry height, as the chain's escrow EndBlock does) or, earlier, the height at which the tenant
// considers a top-up. Accounts are otherwise settled lazily, so a block costs
// O(accounts due), not O(accounts). Entries are never removed: a change to an
// account bumps its version and pushes a new entry; stale ones are skipped.
//
// It is a typed binary heap: container/heap's algorithm step for step (so
// entries pop in the same order), without boxing each entry in an interface
// on Push and Pop, which allocated once per pop at a million leases.
type dryIndex []dryEntry

type dryEntry struct {
	at    int64
	dseq  uint64
	ver   uint32
	topup bool
}

func (e *dryEntry) before(o *dryEntry) bool {
	if e.at != o.at {
		return e.at < o.at
	}
	return e.dseq < o.dseq // deterministic among equal heights
}

// push adds e (container/heap.Push).
func (q *dryIndex) push(e dryEntry) {
	*q = append(*q, e)
	h := *q
	j := len(h) - 1
	for {
		i := (j - 1) / 2 // parent
		if i == j || !h[j].before(&h[i]) {
			break
		}
		h[i], h[j] = h[j], h[i]
		j = i
	}
}

// pop removes and returns the first entry (container/heap.Pop).
func (q *dryIndex) pop() dryEntry {
	h := *q
	n := len(h) - 1
	h[0], h[n] = h[n], h[0]
	i := 0
	for {
		j1 := 2*i + 1
		if j1 >= n || j1 < 0 {
			break
		}
		j := j1
		if j2 := j1 + 1; j2 < n && h[j2].before(&h[j1]) {
			j = j2
		}
		if !h[j].before(&h[i]) {
			break
		}
		h[i], h[j] = h[j], h[i]
		i = j
	}
	e := h[n]
	*q = h[:n]
	return e
}

// reindex recomputes when d's escrow next needs attention. When the answer
// is what d's queued entry already says (a withdrawal moves accrued payments
// out but leaves the balance and rate, hence the dry height, as they were),
// the entry stays and nothing is pushed: every provider withdraws each hour,
// and pushing a copy each time kept the heap several times larger than the
// accounts it indexes. Live entries are still popped in (height, dseq)
// order, so what is settled when does not change.
func (w *World) reindex(d *Deployment) {
	if d.finished || !d.leaseOpen {
		d.dropDryEntry()
		return
	}
	dryH, ok := d.acct.DryHeight()
	if !ok {
		d.dropDryEntry()
		return
	}
	// Due in the work of block dryH, the last block the balance pays, as
	// the chain's escrow EndBlock does: settling to dryH+1 then closes the
	// leases at dryH. (At the block after, a run ending at dryH would keep
	// a lease open that the chain closed.)
	e := dryEntry{at: dryH, dseq: d.id.DSeq}
	if tu := d.topUp(); tu.BelowBlocks > 0 && tu.Probability > 0 && !d.topupAsk {
		e.at, e.topup = max(dryH-tu.BelowBlocks, w.height+1), true
	}
	if e.at <= w.height {
		e.at = w.height + 1
	}
	if d.dryLive && d.dryAt == e.at && d.dryTopup == e.topup {
		return
	}
	d.dryVer++
	e.ver = d.dryVer
	d.dryLive, d.dryAt, d.dryTopup = true, e.at, e.topup
	w.dryAccounts.push(e)
}

// dropDryEntry makes d's queued entry (if any) stale.
func (d *Deployment) dropDryEntry() {
	d.dryVer++
	d.dryLive = false
}

func (d *Deployment) topUp() TopUp {
	if d.class == nil {
		return TopUp{}
	}
	return d.class.spec.TopUp
}

// settleDue handles every account whose attention height has come.
func (w *World) settleDue() {
	for len(w.dryAccounts) > 0 && w.dryAccounts[0].at <= w.height {
		e := w.dryAccounts.pop()
		d := w.dep(e.dseq)
		if d == nil || d.finished || d.dryVer != e.ver {
			continue
		}
		d.dryLive = false // this entry is off the heap now
		if e.topup {
			w.considerTopUp(d)
			continue
		}
		w.hintProvider(d)
		if err := d.acct.Settle(w.height+1, &w.settle.effects); err != nil {
			w.fail(err)
			return
		}
		w.applyEffects()
		w.reindex(d)
	}
}

// considerTopUp: the escrow is about to run dry; the tenant refills it with
// its class's probability if the lease has term left beyond the dry height.
func (w *World) considerTopUp(d *Deployment) {
	d.topupAsk = true
	c := d.class
	yes := c.topupR.Float64() < c.spec.TopUp.Probability
	blocks := int64(c.spec.DepositBlocks.Draw(c.topupR))
	dryH, _ := d.acct.DryHeight()
	if yes && blocks > 0 && int64(w.clock.HeightAt(d.termAt)) > dryH {
		amt, err := d.price.MulInt(uint64(blocks))
		if err == nil {
			amt = w.depositAmount(amt)
			if w.trace != nil {
				w.traceDeposit(d, amt)
			}
			if err := w.deposit(d, amt); err != nil {
				w.fail(err)
				return
			}
			w.metrics.topUps++
			w.metrics.tc[c.idx].topUps++
			d.topupAsk = false
		}
	}
	w.reindex(d)
}
