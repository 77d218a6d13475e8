package sim

import (
	"strconv"
	"testing"
	"time"
)

// Issue 16: per-class data, the outputs key, and defects found when trying
// the simulator.

func col(t *testing.T, tb Table, name string) int {
	t.Helper()
	for i, h := range tb.Header {
		if h == name {
			return i
		}
	}
	t.Fatalf("%s has no column %s (has %v)", tb.File, name, tb.Header)
	return -1
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// timeseries.csv counted a lease active at the height it closed: with
// leases active over [opened, closed), the active count of every sample
// must equal the count from leases.csv (Little's law then holds for both).
func TestActiveLeasesAgreeWithTheLeaseTable(t *testing.T) {
	sc := smallScenario()
	sc.Duration = Duration(4 * time.Hour)
	// Whole-block lease lengths, where the defect showed most.
	sc.Tenants[0].LeaseLength = Dist{Kind: "const", Value: 600}
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ls := res.Leases
	open, closed := col(t, ls, "opened_height"), col(t, ls, "closed_height")
	ts := res.TimeSeries
	hcol, acol := col(t, ts, "height"), col(t, ts, "active_leases")
	checked := 0
	for _, row := range ts.Rows {
		h := atoi(t, row[hcol])
		var n int64
		for _, l := range ls.Rows {
			if atoi(t, l[open]) <= h && (l[closed] == "" || h < atoi(t, l[closed])) {
				n++
			}
		}
		if got := atoi(t, row[acol]); got != n {
			t.Errorf("height %d: timeseries.csv has %d active leases, leases.csv %d", h, got, n)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no samples")
	}
}

// Per-class figures add up to the pooled ones, and the agent tables have a
// row per order and per provider.
func TestPerClassFiguresAddUp(t *testing.T) {
	res, err := Run(smallScenario(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	var posted, matched, deployments, opened, bids, won int64
	for _, c := range s.ByTenantClass {
		posted += c.Orders.Posted
		matched += c.Orders.Matched
		deployments += c.Deployments
		opened += c.Leases.Opened
	}
	if posted != s.Orders.Posted || matched != s.Orders.Matched || deployments != s.Tenants.Deployments || opened != s.Leases.Opened {
		t.Errorf("tenant classes: posted %d matched %d deployments %d opened %d; pooled %d %d %d %d",
			posted, matched, deployments, opened, s.Orders.Posted, s.Orders.Matched, s.Tenants.Deployments, s.Leases.Opened)
	}
	revenue := 0.0
	for name, c := range s.ByProviderClass {
		bids += c.BidsPlaced
		won += c.LeasesWon
		revenue += c.Revenue
		if c.Strategy == "" {
			t.Errorf("provider class %s has no strategy", name)
		}
	}
	if bids != s.Bids.Placed || won != s.Leases.Opened {
		t.Errorf("provider classes: bids %d, won %d; pooled %d, %d", bids, won, s.Bids.Placed, s.Leases.Opened)
	}
	if d := revenue - s.Providers.Revenue; d > 1e-6*s.Providers.Revenue || d < -1e-6*s.Providers.Revenue {
		t.Errorf("provider classes' revenue %v, pooled %v", revenue, s.Providers.Revenue)
	}
	if len(res.Providers.Rows) != int(s.Providers.Initial+s.Providers.Joined) {
		t.Errorf("providers.csv has %d rows for %d providers", len(res.Providers.Rows), s.Providers.Initial+s.Providers.Joined)
	}
	outcome := col(t, res.Orders, "outcome")
	var m int64
	for _, row := range res.Orders.Rows {
		if row[outcome] == "matched" {
			m++
		}
	}
	if int64(len(res.Orders.Rows)) != s.Orders.Posted || m != s.Orders.Matched {
		t.Errorf("orders.csv: %d rows, %d matched; summary %d posted, %d matched", len(res.Orders.Rows), m, s.Orders.Posted, s.Orders.Matched)
	}
}

func TestOutputsKeyChoosesTables(t *testing.T) {
	sc := smallScenario()
	sc.Duration = Duration(time.Hour)
	sc.Outputs = []string{"providers"}
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.TimeSeries.File != "" || res.Leases.File != "" || res.Orders.File != "" || res.Plots != nil || res.Providers.File != "providers.csv" {
		t.Errorf("outputs [providers] gave timeseries %q, leases %q, orders %q, %d plots, providers %q",
			res.TimeSeries.File, res.Leases.File, res.Orders.File, len(res.Plots), res.Providers.File)
	}
	// A large run defaults to summaries only.
	sc.Outputs = nil
	sc.Tenants[0].Arrival.RatePerHour = LargeRunOrders
	if o := sc.OutputSet(); o.Leases || o.Orders || !o.TimeSeries || !o.Providers || !o.Plots {
		t.Errorf("a large run's default outputs: %+v", o)
	}
}

// Reference lines are drawn as references, not data; the Lorenz legend
// carries the Gini; the price axis says per block per cpu.
func TestPlotsMarkReferences(t *testing.T) {
	sc := smallScenario()
	sc.Duration = Duration(time.Hour)
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Plots {
		switch p.File {
		case "price.svg":
			if p.YLabel != "uakt per block per cpu" || !p.Series[2].Reference {
				t.Errorf("price plot: %q, reference %v", p.YLabel, p.Series[2].Reference)
			}
		case "revenue_lorenz.svg":
			want := "revenue (Gini " + strconv.FormatFloat(res.Summary.Providers.RevenueGini, 'f', 3, 64) + ")"
			if p.Series[0].Name != want || !p.Series[1].Reference || !p.UnitSquare {
				t.Errorf("Lorenz plot: %q (want %q), reference %v", p.Series[0].Name, want, p.Series[1].Reference)
			}
		}
	}
}
