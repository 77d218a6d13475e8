// Package metrics holds the provider daemon's Prometheus collectors, one
// registry per daemon (no global state), so tests can read exact values.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
)

// Metrics are the daemon's collectors. A nil *Metrics is valid and records
// nothing, so packages can take one optionally.
type Metrics struct {
	Registry *prometheus.Registry

	BidsPlaced        prometheus.Counter
	BidsDropped       prometheus.Counter // queued bids whose order stopped taking bids before they were sent
	TxMessages        prometheus.Histogram
	TxsInFlight       prometheus.Gauge
	BidsFailed        *prometheus.CounterVec // outcome: retryable|rejected
	BidsWon           prometheus.Counter
	Reveals           *prometheus.CounterVec // result: ok|retryable|rejected
	BidsLost          prometheus.Counter
	OrdersSkipped     *prometheus.CounterVec // reason: capacity|price|attributes|window|other
	OrdersMissed      prometheus.Counter
	LeasesActive      *prometheus.GaugeVec // phase: awaiting-manifest|running|closing
	LeasesClosed      *prometheus.CounterVec
	ManifestsReceived prometheus.Counter
	ManifestsRejected *prometheus.CounterVec // reason
	Containers        *prometheus.GaugeVec   // state
	Withdrawals       *prometheus.CounterVec // result: ok|error
	ReconcileActions  *prometheus.CounterVec // kind, object
	BiddingStalled    prometheus.Gauge
	StallEvents       prometheus.Counter
	Height            prometheus.Gauge
}

// New registers every collector on a fresh registry (plus Go and process
// collectors) under the "akash_provider" namespace.
func New() *Metrics {
	r := prometheus.NewRegistry()
	f := func(c prometheus.Collector) { r.MustRegister(c) }
	ns := "akash_provider"
	m := &Metrics{Registry: r}
	counter := func(name, help string) prometheus.Counter {
		c := prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: name, Help: help})
		f(c)
		return c
	}
	counterVec := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: name, Help: help}, labels)
		f(c)
		return c
	}
	gaugeVec := func(name, help string, labels ...string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: name, Help: help}, labels)
		f(g)
		return g
	}
	gauge := func(name, help string) prometheus.Gauge {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: name, Help: help})
		f(g)
		return g
	}
	m.BidsPlaced = counter("bids_placed_total", "Bid txs sent.")
	m.BidsDropped = counter("bids_dropped_total", "Queued bids not sent because their order's bidding window closed first.")
	m.TxMessages = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "tx_messages",
		Help: "Messages per transaction sent (bids, closes and withdrawals are batched).", Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200, 500}})
	f(m.TxMessages)
	m.TxsInFlight = gauge("txs_in_flight", "Transactions accepted by the node and not yet seen in a block.")
	m.BidsFailed = counterVec("bids_failed_total", "Bid txs that did not land, by outcome.", "outcome")
	m.BidsWon = counter("bids_won_total", "Leases won.")
	m.Reveals = counterVec("reveals_total", "Reveals of sealed bids sent, by result (ok|retryable|rejected).", "result")
	m.BidsLost = counter("bids_lost_total", "Bids that did not win.")
	m.OrdersSkipped = counterVec("orders_skipped_total", "Orders not bid on, by reason.", "reason")
	m.OrdersMissed = counter("orders_missed_total", "Open orders found by catch-up that the event stream did not deliver.")
	m.LeasesActive = gaugeVec("leases_active", "Leases held, by phase.", "phase")
	m.LeasesClosed = counterVec("leases_closed_total", "Leases closed, by close reason.", "reason")
	m.ManifestsReceived = counter("manifests_received_total", "Manifests accepted on the gateway.")
	m.ManifestsRejected = counterVec("manifests_rejected_total", "Manifests refused on the gateway, by reason.", "reason")
	m.Containers = gaugeVec("containers", "Containers of leases, by state.", "state")
	m.Withdrawals = counterVec("withdrawals_total", "Withdraw txs, by result.", "result")
	m.ReconcileActions = counterVec("reconcile_actions_total", "Runtime actions of deploy/reconcile/teardown, by kind and object.", "kind", "object")
	m.BiddingStalled = gauge("bidding_stalled", "1 while eligible orders wait and no bid lands (see the daemon log for the reason).")
	m.StallEvents = counter("bidding_stalled_total", "Stall signals raised.")
	m.Height = gauge("chain_height", "Last block height the daemon processed.")
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// ManifestRejected counts one refused manifest (nil-safe).
func (m *Metrics) ManifestRejected(reason string) {
	if m != nil {
		m.ManifestsRejected.WithLabelValues(reason).Inc()
	}
}

// ManifestAccepted counts one accepted manifest (nil-safe).
func (m *Metrics) ManifestAccepted() {
	if m != nil {
		m.ManifestsReceived.Inc()
	}
}

// Value reads one counter's or gauge's current value (for tests and the
// status command).
func Value(c prometheus.Metric) float64 {
	var d dto.Metric
	if err := c.Write(&d); err != nil {
		return 0
	}
	switch {
	case d.Counter != nil:
		return d.Counter.GetValue()
	case d.Gauge != nil:
		return d.Gauge.GetValue()
	}
	return 0
}
