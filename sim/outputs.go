package sim

import (
	"slices"
	"time"
)

// OutputNames are the tables and plots a scenario's outputs key may list.
var OutputNames = []string{"timeseries", "leases", "orders", "providers", "plots"}

// LargeRunOrders is the expected number of orders above which a scenario
// without an outputs key writes summaries only (timeseries, providers,
// plots): leases.csv of a million orders is over 100 MB.
const LargeRunOrders = 250_000

// OutputSet says which tables and plots a run produces.
type OutputSet struct {
	TimeSeries, Leases, Orders, Providers, Plots bool
}

// Names lists the set's members in OutputNames order.
func (o OutputSet) Names() []string {
	var out []string
	for i, on := range []bool{o.TimeSeries, o.Leases, o.Orders, o.Providers, o.Plots} {
		if on {
			out = append(out, OutputNames[i])
		}
	}
	return out
}

// ExpectedOrders is the number of deployments the scenario's tenant classes
// are expected to post over its duration (trace arrivals are not counted:
// their files are read when the run starts).
func (sc *Scenario) ExpectedOrders() float64 { return sc.expectedOrders(sc.Duration) }

func (sc *Scenario) expectedOrders(d Duration) float64 {
	hours := time.Duration(d).Hours()
	n := 0.0
	for _, t := range sc.Tenants {
		if t.Arrival.Process != "trace" {
			n += t.Arrival.RatePerHour * (1 + max(t.Arrival.Amplitude, 0)) * hours
		}
	}
	return n
}

// OutputSet resolves the outputs key (see Scenario.Outputs) for a run of
// the scenario's duration.
func (sc *Scenario) OutputSet() OutputSet { return sc.outputSetFor(sc.Duration) }

// outputSetFor is OutputSet for a run of length d (a shorter --until of a
// large scenario is not a large run).
func (sc *Scenario) outputSetFor(d Duration) OutputSet {
	names := sc.Outputs
	if len(names) == 0 {
		names = OutputNames
		if sc.expectedOrders(d) > LargeRunOrders {
			names = []string{"timeseries", "providers", "plots"}
		}
	}
	return OutputSet{TimeSeries: slices.Contains(names, "timeseries"), Leases: slices.Contains(names, "leases"),
		Orders: slices.Contains(names, "orders"), Providers: slices.Contains(names, "providers"), Plots: slices.Contains(names, "plots")}
}
