package tunnel

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Collector exports tunnel stats to Prometheus. Snapshot is called on every
// scrape and returns the tunnels and routes to report (e.g. a Set's Stats, or
// an Endpoint's Stats joined with each Tunnel's).
type Collector struct {
	Snapshot func() []Stats
}

var (
	labels    = []string{"link", "role", "peer"}
	descState = prometheus.NewDesc("akash_overlay_tunnel_state",
		"1 for the state the tunnel is in (connecting, up, down, closed), 0 for the others.", append(labels, "state"), nil)
	descBytes = prometheus.NewDesc("akash_overlay_tunnel_bytes_total",
		"Bytes carried; direction out = from the local side into the tunnel.", append(labels, "direction"), nil)
	descStreams = prometheus.NewDesc("akash_overlay_tunnel_streams_total",
		"Workload streams carried.", labels, nil)
	descActive = prometheus.NewDesc("akash_overlay_tunnel_active_streams",
		"Workload streams open now.", labels, nil)
	descErrors = prometheus.NewDesc("akash_overlay_tunnel_errors_total",
		"Failed dials, handshakes, probes and workload dials.", labels, nil)
	descRefused = prometheus.NewDesc("akash_overlay_tunnel_refused_total",
		"Handshakes refused for a certificate that failed verification.", labels, nil)
	descReconnects = prometheus.NewDesc("akash_overlay_tunnel_reconnects_total",
		"Times the tunnel came back up after being down.", labels, nil)
	descSetup = prometheus.NewDesc("akash_overlay_tunnel_setup_seconds",
		"Time from opening the tunnel to its first successful handshake.", labels, nil)
)

// Describe implements prometheus.Collector.
func (Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descState, descBytes, descStreams, descActive, descErrors, descRefused, descReconnects, descSetup} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c Collector) Collect(ch chan<- prometheus.Metric) {
	if c.Snapshot == nil {
		return
	}
	for _, s := range c.Snapshot() {
		l := []string{s.Link, s.Role, s.Peer}
		for _, st := range []State{Connecting, Up, Down, Closed} {
			v := 0.0
			if s.State == st {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(descState, prometheus.GaugeValue, v, append(l, st.String())...)
		}
		ch <- prometheus.MustNewConstMetric(descBytes, prometheus.CounterValue, float64(s.BytesOut), append(l, "out")...)
		ch <- prometheus.MustNewConstMetric(descBytes, prometheus.CounterValue, float64(s.BytesIn), append(l, "in")...)
		ch <- prometheus.MustNewConstMetric(descStreams, prometheus.CounterValue, float64(s.Streams), l...)
		ch <- prometheus.MustNewConstMetric(descActive, prometheus.GaugeValue, float64(s.ActiveStreams), l...)
		ch <- prometheus.MustNewConstMetric(descErrors, prometheus.CounterValue, float64(s.Errors), l...)
		ch <- prometheus.MustNewConstMetric(descRefused, prometheus.CounterValue, float64(s.Refused), l...)
		ch <- prometheus.MustNewConstMetric(descReconnects, prometheus.CounterValue, float64(s.Reconnects), l...)
		if s.Role == "client" {
			ch <- prometheus.MustNewConstMetric(descSetup, prometheus.GaugeValue, s.SetupTime.Seconds(), l...)
		}
	}
}
