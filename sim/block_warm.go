package sim

import "github.com/akash-market/akash/core/market"

// warmResults reads a word of each cache line that applying rs (one
// block's closed orders) will read, in two tight loops before any is
// applied: each order's deployment (flags, totals, bidder list, escrow
// account, the payment slot OpenLease fills) and each of its bidders'
// lines (capacity, address and strategy, wallet and open-bid list, the
// open bids in the provider; the winner's lease list and counters), then
// the arrays the first loop found (open bids beyond the provider's two, the
// winner's free lease slot). The deployments were touched last when their
// bids came, seconds of simulated time earlier, and their bidders are any
// of the market's providers: applied one after another, each result waited
// on a miss per line in turn (the first touch of a bidder's line alone was
// a quarter of decide); read here, the misses overlap. Reads only: what is
// applied and in which order is unchanged.
func (w *World) warmResults(rs []market.Result) uint64 {
	var s uint64
	for i := range rs {
		d := w.dep(rs[i].Order.DSeq)
		if d == nil {
			continue
		}
		a := &d.account
		s += uint64(d.oseq) + d.totals.CPUMillis + uint64(d.openAt) + uint64(d.length) +
			uint64(d.servedFor) + wordOf(&d.keepDep) + uint64(a.State) + wordOf(&a.Balance) +
			wordOf(&a.Rate) + uint64(a.SettledTo)
		if ps := a.Payments; cap(ps) > len(ps) { // the slot OpenLease fills
			s += uint64(ps[:len(ps)+1][len(ps)].Lease.SettledTo)
		}
		bs := rs[i].Bids
		n := min(len(d.bidders), len(bs))
		for j, p := range d.bidders[:n] {
			s += p.capacity.Total.CPUMillis + p.capacity.Committed.CPUMillis + uint64(len(p.addr)) +
				uint64(len(p.pending)) + p.pendBuf[0].dseq
			if bs[j].Outcome == market.OutcomeWon { // openLease: its lease list, counters, cost
				s += uint64(len(p.leases)) + uint64(p.won) + uint64(p.costMul)
			}
		}
	}
	for i := range rs {
		d := w.dep(rs[i].Order.DSeq)
		if d == nil {
			continue
		}
		bs := rs[i].Bids
		n := min(len(d.bidders), len(bs))
		for j, p := range d.bidders[:n] {
			if ps := p.pending; len(ps) > 0 && &ps[0] != &p.pendBuf[0] { // spilled to pendMore
				s += ps[0].dseq
			}
			if ls := p.leases; bs[j].Outcome == market.OutcomeWon && cap(ls) > len(ls) {
				if ls[:len(ls)+1][len(ls)] != nil {
					s++
				}
			}
		}
	}
	return s
}
