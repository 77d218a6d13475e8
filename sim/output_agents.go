package sim

import (
	"strconv"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
)

// orderOutcome is how an order ended.
type orderOutcome uint8

const (
	orderMatched orderOutcome = iota
	orderNoBids
	orderNoEligibleBid
	orderOpenAtEnd
)

var orderOutcomeNames = [...]string{"matched", "no_bids", "no_eligible_bid", "open"}

// orderRec is one order's row of orders.csv, pointer-free like leaseRec.
type orderRec struct {
	owner    int32
	oseq     uint32
	dseq     uint64
	provider int32 // the winner; −1: none
	bids     int32 // bids the order received
	class    int16 // −1: a tier's order
	shape    int16
	region   int16 // −1: any region
	sealed   bool
	outcome  orderOutcome
	wait     float32 // seconds from posting to close
	postedH  int64
	closedH  int64
	maxPrice money.Dec
	price    money.Dec
}

// recordOrder adds the row of an order the book just closed.
func (w *World) recordOrder(d *Deployment, r *market.Result, winner *Provider) {
	rec := w.orderRow(d)
	rec.bids = int32(len(r.Bids))
	rec.closedH = w.height
	switch {
	case r.Matched && winner != nil:
		rec.outcome, rec.provider, rec.price = orderMatched, winner.idx, r.Price.Amount
	case len(r.Bids) == 0:
		rec.outcome = orderNoBids
	default:
		rec.outcome = orderNoEligibleBid
	}
	w.records.orders = append(w.records.orders, rec)
}

func (w *World) orderRow(d *Deployment) orderRec {
	cls, shape := int16(-1), int16(-1)
	if d.class != nil {
		cls, shape = int16(d.class.idx), int16(d.shape)
	}
	return orderRec{owner: w.ownerIndex(d), dseq: d.id.DSeq, oseq: d.oseq, provider: -1, class: cls, shape: shape,
		region: int16(d.region), sealed: d.sealed, postedH: int64(w.clock.HeightAt(d.postedAt)), closedH: -1,
		wait: float32(w.now().Sub(d.postedAt).Seconds()), maxPrice: d.maxPrice}
}

// ordersTable renders orders.csv: every order the run closed, then those
// still open at the end.
func (w *World) ordersTable() Table {
	d := w.denom
	hdr := []string{"order_id", "tenant", "tenant_class", "shape", "region", "sealed", "posted_height", "closed_height",
		"max_price_" + d + "_per_block", "bids", "outcome", "provider", "price_" + d + "_per_block", "wait_s"}
	rows := make([]orderRec, len(w.records.orders), len(w.records.orders)+w.book.Len())
	copy(rows, w.records.orders)
	for _, dep := range w.deps {
		if dep != nil && dep.orderOpen {
			r := w.orderRow(dep)
			r.outcome, r.bids = orderOpenAtEnd, dep.bids
			rows = append(rows, r)
		}
	}
	t := Table{File: "orders.csv", Header: hdr, Rows: make([][]string, len(rows))}
	cells := make([]string, len(rows)*len(hdr))
	rw := newRowWriter(len(rows), 200)
	for i := range rows {
		o := &rows[i]
		owner := w.records.owners[o.owner]
		rw.begin()
		rw.b.WriteString(owner)
		rw.b.WriteByte('/')
		rw.b.Write(strconv.AppendUint(rw.num[:0], o.dseq, 10))
		rw.b.WriteString("/1/")
		rw.b.Write(strconv.AppendUint(rw.num[:0], uint64(o.oseq), 10))
		rw.mark()
		rw.str(owner)
		if o.class >= 0 {
			c := w.tclasses[o.class]
			rw.str(c.spec.Name)
			rw.str(c.shapes[o.shape].Name)
		} else {
			rw.str("")
			rw.str("")
		}
		if o.region >= 0 {
			rw.str(w.regions[o.region])
		} else {
			rw.str("")
		}
		rw.bytes(strconv.AppendBool(rw.num[:0], o.sealed))
		rw.bytes(strconv.AppendInt(rw.num[:0], o.postedH, 10))
		if o.closedH >= 0 {
			rw.bytes(strconv.AppendInt(rw.num[:0], o.closedH, 10))
		} else {
			rw.str("")
		}
		rw.bytes(o.maxPrice.AppendShort(rw.num[:0]))
		rw.bytes(strconv.AppendInt(rw.num[:0], int64(o.bids), 10))
		rw.str(orderOutcomeNames[o.outcome])
		if o.provider >= 0 {
			rw.str(w.providers[o.provider].addr)
			rw.bytes(o.price.AppendShort(rw.num[:0]))
		} else {
			rw.str("")
			rw.str("")
		}
		rw.bytes(appendFF(rw.num[:0], float64(o.wait)))
		t.Rows[i] = rw.finish(cells[i*len(hdr) : (i+1)*len(hdr) : (i+1)*len(hdr)])
	}
	return t
}

// providersTable renders providers.csv: one row per provider that took
// part, initial and joined.
func (w *World) providersTable() Table {
	d := w.denom
	hdr := []string{"provider", "class", "strategy", "region", "cpu_cores", "memory_gib", "storage_gib", "gpus",
		"cost_multiplier", "joined_s", "left_s", "utilisation", "leases", "revenue_" + d, "outages", "faults", "stake_" + d, "slashed_" + d}
	// cpu-blocks leased per provider, from the lease table.
	busy := make([]float64, len(w.providers))
	for i := range w.records.leases {
		l := &w.records.leases[i]
		end := l.closeH
		if l.reason == lease.ReasonNone {
			end = w.height
		}
		busy[l.provider] += float64(l.cpu) * float64(end-l.openH)
	}
	t := Table{File: "providers.csv", Header: hdr, Rows: make([][]string, len(w.providers))}
	const gib = 1 << 30
	for i, p := range w.providers {
		region, left := "", ""
		if p.region >= 0 {
			region = w.regions[p.region]
		}
		endH := w.height
		if p.left {
			left = ff(p.leftAt.Seconds())
			endH = int64(w.clock.HeightAt(p.leftAt))
		}
		util := nan
		if present := endH - int64(w.clock.HeightAt(p.joinedAt)); present > 0 && p.capacity.Total.CPUMillis > 0 {
			util = busy[i] / (float64(p.capacity.Total.CPUMillis) * float64(present))
		}
		var stake, slashed money.Dec
		if st, ok := w.settle.stake.Get(p.addr); ok {
			stake, slashed = st.Bonded, st.Slashed
		}
		t.Rows[i] = []string{p.addr, p.class.spec.Name, p.class.spec.Pricing.Kind, region,
			ff(float64(p.capacity.Total.CPUMillis) / 1000), ff(float64(p.capacity.Total.MemoryBytes) / gib), ff(float64(p.capacity.Total.StorageBytes) / gib),
			strconv.FormatUint(p.capacity.Total.GPUUnits, 10), ff(p.costMul), ff(engine.Time(p.joinedAt).Seconds()), left, ff(util),
			fi(p.won), p.revenue.ShortString(), fi(p.outages), fi(p.faults), stake.ShortString(), slashed.ShortString()}
	}
	return t
}
