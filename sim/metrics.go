package sim

import (
	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
)

// metrics are the run's counters and accumulators. Everything here is
// updated in event order, so it is as deterministic as the run.
type metrics struct {
	sampleBlocks int64

	deployments, finished                                      int64
	ordersPosted, ordersClosed, ordersMatched, ordersUnmatched int64
	unmatchedNoBids                                            int64
	bids, bidsAccepted, bidsOnClosed                           int64
	lateBids, noRoom, noDepositFunds                           int64
	reorders, topUps, outages, slashes, joined, left           int64
	awaited, pickedOther, pickedNone, expired                  int64     // tenant matching (pick.go)
	rejectedAtPlacement                                        [32]int64 // by market.Reason
	unmatchedBidReasons                                        [32]int64 // ineligible bids of unmatched orders, by market.Reason
	closedBy                                                   [16]int64 // by lease.CloseReason
	leasesOpened, activeLeases                                 int64

	// utilisation: cpu millicores by region (index r+1; 0 = no region)
	// and by provider class
	regionCap, regionUsed []uint64
	classCap, classUsed   []uint64

	tc          []tenantCounts   // by tenant class
	pc          []providerCounts // by provider class
	shapeOrders [][]int64        // [tenant class][shape] deployments

	ttl                     []float32 // seconds from order to lease, one per lease
	priceCPUSum, costCPUSum float64   // per cpu-equivalent unit, summed over leases
	surplus                 float64

	intervalRevenue money.Dec
	iv              interval
	samples         []sample
	refCPU          float64   // the reference CPU price as a float, converted once
	regionSlab      []float64 // the samples' utilRegion slices are cut from it
}

// interval accumulates what happens between two samples.
type interval struct {
	closed, matched, dryClosures int64
	priceCPU, costCPU            float64
	n                            int64
}

// sample is one time-series row.
type sample struct {
	t               engine.Time
	h               int64
	priceCPU        float64 // mean clearing price per cpu-equivalent (NaN: none)
	costCPU         float64 // mean winner's cost per cpu-equivalent
	openOrders      int64
	activeLeases    int64
	closed, matched int64
	util            float64
	utilRegion      []float64
	dryClosures     int64
	revenue         float64
}

func (m *metrics) addCapacity(p *Provider, sign int) {
	r, c := p.region+1, p.class.idx
	if sign > 0 {
		m.regionCap[r] += p.capacity.Total.CPUMillis
		m.classCap[c] += p.capacity.Total.CPUMillis
	} else {
		m.regionCap[r] -= p.capacity.Total.CPUMillis
		m.regionUsed[r] -= p.capacity.Committed.CPUMillis
		m.classCap[c] -= p.capacity.Total.CPUMillis
		m.classUsed[c] -= p.capacity.Committed.CPUMillis
	}
}

func (m *metrics) addUsed(p *Provider, t manifest.Totals, sign int) {
	if p.left {
		return // its capacity already left the totals
	}
	if sign > 0 {
		m.regionUsed[p.region+1] += t.CPUMillis
		m.classUsed[p.class.idx] += t.CPUMillis
	} else {
		m.regionUsed[p.region+1] -= t.CPUMillis
		m.classUsed[p.class.idx] -= t.CPUMillis
	}
}

// leaseRec is one lease's row, kept compact (a million of them at scale)
// and free of pointers, so the garbage collector never scans the table: the
// tenant's address is an index into World.owners.
type leaseRec struct {
	owner    int32
	cpu      uint32 // millicores of the group (fills what would be padding)
	dseq     uint64
	oseq     uint32
	provider int32
	shape    int16
	class    int16
	openH    int64
	closeH   int64
	ttl      float32
	costMul  float32
	price    money.Dec
	maxPrice money.Dec
	paid     money.Dec
	reason   lease.CloseReason
}

// cpuEq is the order's size in cpu-equivalent units: its reference cost over
// the reference price of one core.
func (w *World) cpuEq(d *Deployment) float64 {
	c := w.metrics.refCPU
	if c <= 0 {
		return 0
	}
	return decFloat(d.refCost) / c
}

func (w *World) recordLeaseOpen(d *Deployment, p *Provider) {
	m := &w.metrics
	ttl := w.now().Sub(d.postedAt).Seconds()
	m.ttl = append(m.ttl, float32(ttl))
	m.leasesOpened++
	m.activeLeases++
	if eq := w.cpuEq(d); eq > 0 {
		pc := decFloat(d.price) / eq
		cc := p.costMul * m.refCPU
		m.priceCPUSum += pc
		m.costCPUSum += cc
		m.iv.priceCPU += pc
		m.iv.costCPU += cc
		m.iv.n++
	}
	cls := int16(-1)
	if d.class != nil {
		cls = int16(d.class.idx)
	}
	w.records.leases = append(w.records.leases, leaseRec{owner: w.ownerIndex(d), cpu: uint32(min(d.totals.CPUMillis, 1<<32-1)), dseq: d.id.DSeq, oseq: d.oseq, provider: p.idx,
		shape: int16(d.shape), class: cls, openH: w.height, ttl: float32(ttl), costMul: float32(p.costMul),
		price: d.price, maxPrice: d.maxPrice})
	d.leaseRow = int32(len(w.records.leases) - 1)
}

// ownerIndex is the index of d's owner in w.records.owners, added on first sight.
// Tenant classes registered theirs at creation; a tier's owners go through
// a map (few deployments, few owners).
func (w *World) ownerIndex(d *Deployment) int32 {
	if d.class != nil {
		return d.class.ownerIdx
	}
	return w.internOwner(d.id.Owner)
}

func (w *World) internOwner(owner string) int32 {
	if i, ok := w.records.ownerOf[owner]; ok {
		return i
	}
	i := int32(len(w.records.owners))
	w.records.owners = append(w.records.owners, owner)
	if w.records.ownerOf == nil {
		w.records.ownerOf = map[string]int32{}
	}
	w.records.ownerOf[owner] = i
	return i
}

func (w *World) recordLeaseClose(d *Deployment, l *lease.Lease) {
	m := &w.metrics
	m.activeLeases--
	m.closedBy[l.Closure.Reason]++
	if l.Closure.Reason == lease.ReasonInsufficientFunds {
		m.iv.dryClosures++
	}
	rec := &w.records.leases[d.leaseRow]
	rec.closeH = l.ClosedAt
	rec.reason = l.Closure.Reason
	if pay, ok := d.acct.Payment(l.ID); ok {
		rec.paid = pay.Settled()
	}
	blocks := float64(l.ClosedAt - rec.openH)
	surplus := decFloat(rec.maxPrice)*blocks - decFloat(rec.paid)
	m.surplus += surplus
	if k := w.classCounts(d); k != nil {
		k.surplus += surplus
	}
	// A lease closing after this height's sample was taken was counted
	// active there; it was not (leases are active over [opened, closed)).
	if n := len(m.samples); n > 0 && m.samples[n-1].h == l.ClosedAt {
		m.samples[n-1].activeLeases--
	}
}

// sample appends one time-series row.
func (w *World) sample() {
	m := &w.metrics
	s := sample{t: w.now(), h: w.height, openOrders: int64(w.book.Len()), activeLeases: m.activeLeases,
		closed: m.iv.closed, matched: m.iv.matched, dryClosures: m.iv.dryClosures, revenue: decFloat(m.intervalRevenue)}
	s.priceCPU, s.costCPU = nan, nan
	if m.iv.n > 0 {
		s.priceCPU = m.iv.priceCPU / float64(m.iv.n)
		s.costCPU = m.iv.costCPU / float64(m.iv.n)
	}
	var c, u uint64
	// Each sample's regions are a slice of one slab (sized by presize):
	// a sample allocates nothing.
	n := len(m.regionSlab)
	if n+len(w.regions) > cap(m.regionSlab) {
		m.regionSlab = make([]float64, 0, max(64*len(w.regions), cap(m.regionSlab)))
		n = 0
	}
	m.regionSlab = m.regionSlab[:n+len(w.regions)]
	s.utilRegion = m.regionSlab[n : n+len(w.regions) : n+len(w.regions)]
	for r := range m.regionCap {
		c += m.regionCap[r]
		u += m.regionUsed[r]
		if r > 0 {
			s.utilRegion[r-1] = ratio(m.regionUsed[r], m.regionCap[r])
		}
	}
	s.util = ratio(u, c)
	for i := range m.pc {
		m.pc[i].utilSum += ratio(m.classUsed[i], m.classCap[i])
	}
	m.samples = append(m.samples, s)
	m.iv = interval{}
	m.intervalRevenue = money.Dec{}
}

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

var _ = market.ReasonNone
