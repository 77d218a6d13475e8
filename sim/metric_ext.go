package sim

import (
	"time"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// Metric observes a run and reports figures into summary.json under
// extensions.<kind> (a sweep aggregates them like any other figure:
// metrics: [extensions.<kind>.<name>]). One is built per run from an entry
// of the scenario's metrics list. A metric that needs only some of the
// observations embeds NoObservations.
type Metric interface {
	// OrderClosed: an order closed, matched or not.
	OrderClosed(o *OrderClose)
	// LeaseClosed: a lease ended (served to term, out of funds, fault, ...).
	LeaseClosed(l *LeaseClose)
	// Sample is called every sample_every, after the block's work.
	Sample(m MarketView)
	// Values are the metric's figures at the end of the run, by name.
	Values() map[string]float64
}

// NoObservations is embedded by metrics that ignore some observations.
type NoObservations struct{}

func (NoObservations) OrderClosed(*OrderClose) {}
func (NoObservations) LeaseClosed(*LeaseClose) {}
func (NoObservations) Sample(MarketView)       {}

// MetricInfo is what building a metric knows.
type MetricInfo struct{ w *World }

// Scenario is the run's scenario (read only).
func (m *MetricInfo) Scenario() *Scenario { return m.w.sc }

// Market is the public market information.
func (m *MetricInfo) Market() MarketView { return MarketView{w: m.w} }

// OrderClose is an order's close.
type OrderClose struct {
	Result    *market.Result
	Class     string // the tenant class; "" for a management tier's order
	Resources manifest.Totals
	MaxPrice  money.Dec
	Wait      time.Duration // from posting to the close
	Height    int64
}

// LeaseClose is a lease's end.
type LeaseClose struct {
	Lease    *lease.Lease // core's record: ID, price, heights, closure
	Class    string       // the tenant class; "" for a management tier's lease
	Provider string       // the provider class
	Paid     money.Dec    // what the lease paid in all
}

// metricSet is the run's metrics, in the scenario's order.
type metricSet struct {
	kinds []string
	m     []Metric
}

func (w *World) metricOrderClosed(d *Deployment, r *market.Result) {
	o := &w.ext.orderClose
	*o = OrderClose{Result: r, Resources: d.totals, MaxPrice: d.maxPrice, Wait: time.Duration(w.now().Sub(d.postedAt)), Height: w.height}
	if d.class != nil {
		o.Class = d.class.spec.Name
	}
	for _, m := range w.extMetrics.m {
		m.OrderClosed(o)
	}
}

// metricLeaseClosed hands the metrics a copy of l held by the world: a
// pointer to the caller's lease would move it to the heap on every close.
func (w *World) metricLeaseClosed(d *Deployment, l *lease.Lease) {
	w.ext.lease = *l
	c := &w.ext.leaseClose
	*c = LeaseClose{Lease: &w.ext.lease, Provider: d.provider.class.spec.Name}
	if d.class != nil {
		c.Class = d.class.spec.Name
	}
	if pay, ok := d.acct.Payment(l.ID); ok {
		c.Paid = pay.Settled()
	}
	for _, m := range w.extMetrics.m {
		m.LeaseClosed(c)
	}
}

// metricValues is summary.json's extensions: each metric's figures by kind.
func (w *World) metricValues() map[string]map[string]float64 {
	out := make(map[string]map[string]float64, len(w.extMetrics.m))
	for i, m := range w.extMetrics.m {
		out[w.extMetrics.kinds[i]] = m.Values()
	}
	return out
}
