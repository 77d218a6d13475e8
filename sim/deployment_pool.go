package sim

import "github.com/akash-market/akash/core/lease"

// A finished deployment's memory is reused for a later one: its record, its
// escrow account (lease.Account.Open reopens it in place, keeping the
// deposit and payment slices) and its bidder list. A run then allocates
// deployments only while the number alive grows, and then in chunks.
//
// Events in flight may still name a finished deployment (a bid arriving
// after its order closed, a provider's delayed close). They hold a
// depHandle: the deployment and its generation, which retiring the record
// bumps, so a handle on an earlier life finds nothing (depHandle.get).
// Look-ups by DSeq need no generation: a DSeq is never reused and
// World.deps forgets it when the deployment finishes.

// depChunk is the fewest deployment records one allocation makes.
const depChunk = 256

// minBiddersCap is a fresh record's room for bidders before its list grows,
// at least: a chunk gives each record room for as many bidders as any
// record's list has grown to so far (depPool.biddersCap).
const minBiddersCap = 16

// depHandle names one life of a deployment record.
type depHandle struct {
	d   *Deployment
	gen uint32
}

// handle is a handle on d's current life.
func (d *Deployment) handle() depHandle { return depHandle{d: d, gen: d.gen} }

// get is the deployment the handle names, or nil if that life is over (the
// deployment finished, and its record may serve another one now).
func (h depHandle) get() *Deployment {
	if h.d == nil || h.d.gen != h.gen || h.d.finished {
		return nil
	}
	return h.d
}

// pools hold the records and event payloads the world reuses: a run
// allocates them only while the number in use grows.
type pools struct {
	deps       depPool
	awaiting   []*awaiting        // decided picks' entries (pick.go)
	closeLater []*closeLeaseLater // fired delayed closes (effects.go)
}

// depPool holds the records of finished deployments and a chunk of records
// never used.
type depPool struct {
	// retired is a stack: the record retired last is reused first, while
	// it is likely still in the cache (the oldest one seldom is).
	retired []retiredDep
	fresh   []Deployment // never used; taken from the front

	biddersCap int // the longest bidder list grown so far (at least minBiddersCap)
	made       int // fresh records made so far
}

// retiredDep is a finished record and the event it finished in: the record
// is not handed out again during that event, whose handlers up the stack
// may still read it (they check d.finished).
type retiredDep struct {
	d  *Deployment
	ev uint64
}

// newDeployment returns an empty deployment record (its account, bidder list
// and generation aside), reusing a finished one when it can.
func (w *World) newDeployment() *Deployment {
	pool := &w.pools.deps
	if n := len(pool.retired); n > 0 && pool.retired[n-1].ev != w.eng.Current().Seq() {
		d := pool.retired[n-1].d
		pool.retired[n-1] = retiredDep{}
		pool.retired = pool.retired[:n-1]
		d.reset()
		return d
	}
	if len(pool.fresh) == 0 {
		// Geometric: a run whose deployments alive outgrow the scenario's
		// estimate (presize) allocates O(log n) times.
		w.growDeployments(max(depChunk, pool.made/2))
	}
	d := &pool.fresh[0]
	pool.fresh = pool.fresh[1:]
	return d
}

// growDeployments makes n fresh records (with room in each for its
// account's first deposit and payments) and their bidder lists (room for as
// many bidders as any list has grown to), in one allocation each.
func (w *World) growDeployments(n int) {
	pool := &w.pools.deps
	pool.made += n
	pool.fresh = make([]Deployment, n)
	// Room for the payments of an account: a deployment whose provider
	// failed leases again (market.reorder_on_fault) on the same account.
	// One payment fits in the record, after the account (a withdrawal
	// reads it right after the account's lines); more are a chunk's.
	k := w.paymentsRoom()
	var payments []lease.Payment
	if k > len(Deployment{}.payBuf) {
		payments = make([]lease.Payment, k*n)
	}
	bc := max(pool.biddersCap, minBiddersCap)
	bidders := make([]*Provider, n*bc)
	for i := range pool.fresh {
		d := &pool.fresh[i]
		d.account.Deposits = d.depBuf[:0]
		if payments != nil {
			d.account.Payments = payments[k*i : k*i : k*i+k]
		} else {
			d.account.Payments = d.payBuf[:0]
		}
		d.bidders = bidders[i*bc : i*bc : (i+1)*bc]
		d.acct = &d.account
		d.leaseRow, d.openAt = -1, -1
	}
}

// paymentsRoom is the payments a deployment record has room for: one
// lease, or three (two re-leases after provider faults) when providers can
// fail or leave (MTBF, Lifetime) and the tenant then orders again. Past
// that its account's list grows, and stays grown with the record.
func (w *World) paymentsRoom() int {
	if !w.sc.Market.ReorderOnFault {
		return 1
	}
	for i := range w.sc.Providers {
		if pc := &w.sc.Providers[i]; !pc.MTBF.IsZero() || !pc.Lifetime.IsZero() {
			return 3
		}
	}
	return 1
}

// retire puts a finished deployment's record up for reuse. A record still
// on the market's lists (an open order, a pick awaited) is left to the
// collector instead: nothing may find it recycled.
func (w *World) retire(d *Deployment) {
	d.gen++
	w.pools.deps.biddersCap = max(w.pools.deps.biddersCap, cap(d.bidders))
	if d.orderOpen || d.pick != nil || d.openAt >= 0 || d.leaseOpen {
		return
	}
	w.pools.deps.retired = append(w.pools.deps.retired, retiredDep{d: d, ev: w.eng.Current().Seq()})
}

// reset empties a retired record for its next life, keeping its storage
// (account slices, bidder list) and its generation.
func (d *Deployment) reset() {
	gen, bidders := d.gen, d.bidders[:0]
	deposits, payments := d.account.Deposits, d.account.Payments
	*d = Deployment{}
	d.gen, d.bidders = gen, bidders
	d.account.Deposits, d.account.Payments = deposits, payments
	d.acct = &d.account
	d.leaseRow, d.openAt = -1, -1
}
