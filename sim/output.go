package sim

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/akash-market/akash/core/lease"
)

func ff(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 10, 64)
}

// appendFF is ff appending to dst.
func appendFF(dst []byte, x float64) []byte {
	if math.IsNaN(x) {
		return dst
	}
	return strconv.AppendFloat(dst, x, 'g', 10, 64)
}

func fi(x int64) string { return strconv.FormatInt(x, 10) }

// timeSeries renders the samples, one row per sample interval.
func (w *World) timeSeries() Table {
	d := w.denom
	hdr := []string{"time_s", "height", "clearing_price_" + d + "_per_block_per_cpu", "winner_cost_" + d + "_per_block_per_cpu",
		"open_orders", "active_leases", "orders_closed", "orders_matched", "fill_rate", "utilisation"}
	for _, r := range w.regions {
		hdr = append(hdr, "utilisation_"+r)
	}
	hdr = append(hdr, "escrow_closures", "revenue_"+d)
	t := Table{File: "timeseries.csv", Header: hdr, Rows: make([][]string, 0, len(w.metrics.samples))}
	for _, s := range w.metrics.samples {
		fill := nan
		if s.closed > 0 {
			fill = float64(s.matched) / float64(s.closed)
		}
		row := []string{ff(s.t.Seconds()), fi(s.h), ff(s.priceCPU), ff(s.costCPU), fi(s.openOrders), fi(s.activeLeases),
			fi(s.closed), fi(s.matched), ff(fill), ff(s.util)}
		for _, u := range s.utilRegion {
			row = append(row, ff(u))
		}
		row = append(row, fi(s.dryClosures), ff(s.revenue))
		t.Rows = append(t.Rows, row)
	}
	return t
}

// leaseTable renders one row per lease. Each row's cells are slices of one
// string, and rows are written into chunks of about a megabyte: a row's
// string is a slice of its chunk (a Builder only appends, so what String
// returned earlier never changes), so a million rows cost a few hundred
// allocations, not one or more per row.
func (w *World) leaseTable() Table {
	d := w.denom
	hdr := []string{"lease_id", "tenant", "tenant_class", "provider", "provider_class", "provider_region", "shape", "opened_height", "closed_height",
		"time_to_lease_s", "price_" + d + "_per_block", "max_price_" + d + "_per_block", "provider_cost_multiplier", "blocks_paid", "paid_" + d, "close_reason"}
	t := Table{File: "leases.csv", Header: hdr, Rows: make([][]string, len(w.records.leases))}
	cells := make([]string, len(w.records.leases)*len(hdr))
	var b strings.Builder
	var ends [20]int
	var num [32]byte // numbers are formatted here, then copied into the row
	const chunk = 1 << 20
	for i := range w.records.leases {
		l := &w.records.leases[i]
		p := w.providers[l.provider]
		owner := w.records.owners[l.owner]
		if b.Cap()-b.Len() < 1024 { // a row is a few hundred bytes
			b = strings.Builder{}
			b.Grow(chunk)
		}
		rowStart := b.Len()
		n := 0
		mark := func() { ends[n] = b.Len(); n++ }
		b.WriteString(owner)
		b.WriteByte('/')
		b.Write(strconv.AppendUint(num[:0], l.dseq, 10))
		b.WriteString("/1/")
		b.Write(strconv.AppendUint(num[:0], uint64(l.oseq), 10))
		b.WriteByte('/')
		b.WriteString(p.addr)
		mark()
		b.WriteString(owner)
		mark()
		if l.class >= 0 {
			b.WriteString(w.tclasses[l.class].spec.Name)
		}
		mark()
		b.WriteString(p.addr)
		mark()
		b.WriteString(p.class.spec.Name)
		mark()
		if p.region >= 0 {
			b.WriteString(w.regions[p.region])
		}
		mark()
		if l.shape >= 0 && l.class >= 0 {
			b.WriteString(w.tclasses[l.class].shapes[l.shape].Name)
		}
		mark()
		b.Write(strconv.AppendInt(num[:0], l.openH, 10))
		mark()
		if l.reason != lease.ReasonNone {
			b.Write(strconv.AppendInt(num[:0], l.closeH, 10))
		}
		mark()
		b.Write(appendFF(num[:0], float64(l.ttl)))
		mark()
		b.Write(l.price.AppendShort(num[:0]))
		mark()
		b.Write(l.maxPrice.AppendShort(num[:0]))
		mark()
		b.Write(appendFF(num[:0], float64(l.costMul)))
		mark()
		end := l.closeH
		if l.reason == lease.ReasonNone {
			end = w.height
		}
		b.Write(strconv.AppendInt(num[:0], end-l.openH, 10))
		mark()
		b.Write(l.paid.AppendShort(num[:0]))
		mark()
		if l.reason == lease.ReasonNone {
			b.WriteString("open")
		} else {
			b.WriteString(l.reason.String())
		}
		mark()
		s := b.String()
		row := cells[i*len(hdr) : (i+1)*len(hdr) : (i+1)*len(hdr)]
		start := rowStart
		for k := 0; k < n; k++ {
			row[k] = s[start:ends[k]]
			start = ends[k]
		}
		t.Rows[i] = row
	}
	return t
}

// plots draws the report's figures from the samples and the providers.
func (w *World) plots() []Plot {
	var ts, price, cost, util, open, active []float64
	regionU := make([][]float64, len(w.regions))
	for _, s := range w.metrics.samples {
		h := s.t.Seconds() / 3600
		ts = append(ts, h)
		price = append(price, s.priceCPU)
		cost = append(cost, s.costCPU)
		util = append(util, s.util)
		open = append(open, float64(s.openOrders))
		active = append(active, float64(s.activeLeases))
		for r := range regionU {
			regionU[r] = append(regionU[r], s.utilRegion[r])
		}
	}
	ref := make([]float64, len(ts))
	for i := range ref {
		ref[i] = decFloat(w.sc.Market.Reference.CPU)
	}
	// Intervals with no lease have no price: drop those points.
	px, py := dropNaN(ts, price)
	cx, cy := dropNaN(ts, cost)
	ps := []Plot{
		{File: "price.svg", Title: "Clearing price vs provider cost (per cpu-equivalent)", XLabel: "time (h)", YLabel: w.denom + " per block per cpu",
			Series: []Series{{Name: "clearing price", X: px, Y: py}, {Name: "winner's cost", X: cx, Y: cy}, {Name: "reference price", X: ts, Y: ref, Reference: true}}},
	}
	us := []Series{{Name: "all", X: ts, Y: util}}
	for r, name := range w.regions {
		us = append(us, Series{Name: name, X: ts, Y: regionU[r]})
	}
	ps = append(ps,
		Plot{File: "utilisation.svg", Title: "Utilisation (cpu leased ÷ capacity)", XLabel: "time (h)", YLabel: "utilisation (share of cpu)", Series: us, YFromZero: true},
		Plot{File: "orders_leases.svg", Title: "Open orders and active leases", XLabel: "time (h)", YLabel: "count",
			Series: []Series{{Name: "open orders", X: ts, Y: open}, {Name: "active leases", X: ts, Y: active}}, YFromZero: true})
	// Lorenz curve of provider revenue.
	rev := make([]float64, len(w.providers))
	total := 0.0
	for i, p := range w.providers {
		rev[i] = decFloat(p.revenue)
		total += rev[i]
	}
	slices.Sort(rev)
	lx, ly := []float64{0}, []float64{0}
	cum := 0.0
	for i, r := range rev {
		cum += r
		lx = append(lx, float64(i+1)/float64(len(rev)))
		if total > 0 {
			ly = append(ly, cum/total)
		} else {
			ly = append(ly, float64(i+1)/float64(len(rev)))
		}
	}
	ps = append(ps, Plot{File: "revenue_lorenz.svg", Title: "Provider revenue distribution (Lorenz curve)", XLabel: "share of providers",
		YLabel: "share of revenue", UnitSquare: true, Series: []Series{
			{Name: fmt.Sprintf("revenue (Gini %.3f)", gini(rev)), X: lx, Y: ly},
			{Name: "perfect equality", X: []float64{0, 1}, Y: []float64{0, 1}, Reference: true}}})
	return ps
}

func dropNaN(x, y []float64) ([]float64, []float64) {
	var ox, oy []float64
	for i := range y {
		if !math.IsNaN(y[i]) {
			ox = append(ox, x[i])
			oy = append(oy, y[i])
		}
	}
	return ox, oy
}
