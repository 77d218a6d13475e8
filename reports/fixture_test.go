package reports

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/akash-market/akash/reports/stats"
)

type sampleMetrics struct {
	FillRate         float64            `json:"fill_rate"`
	TimeToLeaseP50   float64            `json:"time_to_lease_p50_s"`
	BidsPerOrder     float64            `json:"bids_per_order"`
	ProviderRevenue  string             `json:"provider_revenue_uakt"`
	RevenueGini      float64            `json:"provider_revenue_gini"`
	UtilisationByReg map[string]float64 `json:"utilisation_by_region"`
	Closures         struct {
		NoFunds       int `json:"no_funds"`
		ProviderFault int `json:"provider_fault"`
	} `json:"closures"`
}

type sampleSummary struct {
	Version  string        `json:"version"`
	Seed     uint64        `json:"seed"`
	Scenario string        `json:"scenario"`
	Events   int64         `json:"events"`
	Metrics  sampleMetrics `json:"metrics"`
	Regions  []string      `json:"regions"`
	PerProv  []int         `json:"revenue_per_provider"`
	Note     string        `json:"note"`
}

// sampleRun is a report shaped like a simulator run's: a noisy price series
// converging on cost, fill rate, a sweep plot with CI bands and a Lorenz plot.
func sampleRun() Run {
	rng := rand.New(rand.NewPCG(7, 1))
	const n = 3000 // above maxDrawnPoints, so decimation is exercised
	t := make([]float64, n)
	price := make([]float64, n)
	cost := make([]float64, n)
	fill := make([]float64, n)
	rows := make([][]string, n)
	for i := range n {
		t[i] = float64(i) * 6 / 3600 // hours
		cost[i] = 80
		price[i] = 80 + 60*math.Exp(-t[i]/1.2) + 4*rng.NormFloat64()
		fill[i] = 100 * (0.92 - 0.3*math.Exp(-t[i]/0.8) + 0.02*math.Sin(t[i]*2*math.Pi/1))
		if i >= 1500 && i < 1540 {
			fill[i] = math.NaN() // a gap: no orders closed in that window
		}
		rows[i] = []string{strconv.Itoa(i * 6), strconv.FormatFloat(price[i], 'f', 6, 64), strconv.FormatFloat(fill[i], 'f', 4, 64)}
	}
	take := []float64{0, 1, 2, 5, 10, 20}
	var sums, sums2 []stats.Summary
	for _, tr := range take {
		var a, b []float64
		for r := range 8 {
			rr := rand.New(rand.NewPCG(uint64(tr*100), uint64(r)))
			a = append(a, 95-1.2*tr+2*rr.NormFloat64())
			b = append(b, 90-0.4*tr+3*rr.NormFloat64())
		}
		sums = append(sums, stats.Summarize(a))
		sums2 = append(sums2, stats.Summarize(b))
	}
	sums2[2] = stats.Summarize([]float64{sums2[2].Mean}) // one replicate: no band there
	rev := make([]float64, 200)
	rev2 := make([]float64, 200)
	perProv := make([]int, 200)
	for i := range rev {
		rev[i] = math.Exp(1.2 * rng.NormFloat64())
		rev2[i] = 1 + 0.3*rng.Float64()
		perProv[i] = int(rev[i] * 1000)
	}
	lorenz, err := LorenzPlot("revenue-lorenz", "Provider revenue concentration", "providers",
		[]string{"cost-plus", "undercut"}, [][]float64{rev2, rev})
	if err != nil {
		panic(err)
	}
	var m sampleMetrics
	m.FillRate = 0.9123456789
	m.TimeToLeaseP50 = 42
	m.BidsPerOrder = 9.87654321
	m.ProviderRevenue = "123456.789000000000000000"
	m.RevenueGini = 0.3141592653
	m.UtilisationByReg = map[string]float64{"us-west": 0.71, "eu-central": 0.64, "ap-south": 0.5}
	m.Closures.NoFunds = 17
	m.Closures.ProviderFault = 3
	return Run{
		Title: "Baseline market <seed 7> & friends",
		Summary: sampleSummary{
			Version: "v0.0.0-test", Seed: 7, Scenario: "baseline", Events: 1234567,
			Metrics: m, Regions: []string{"us-west", "eu-central", "ap-south"},
			PerProv: perProv, Note: "quotes \" and <tags> survive",
		},
		Tables: []Table{
			{File: "timeseries", Header: []string{"time_s", "clearing_price_cpu", "fill_rate_pct"}, Rows: rows, Caption: "one row per 6 s block"},
			{File: "leases.csv", Header: []string{"lease_id", "price", "note"}, Rows: [][]string{
				{"1/1/1/p1", "12.500000000000000000", "plain"},
				{"1/1/2/p2", "0.000000000000000001", "comma, and \"quote\""},
			}},
		},
		Plots: []Plot{
			{File: "price", Title: "Clearing price vs provider cost", XLabel: "time (h)", YLabel: "price (uakt per cpu-block)",
				Series: []Series{
					{Name: "clearing price", X: t, Y: price},
					{Name: "provider cost", X: []float64{0, t[n-1]}, Y: []float64{80, 80}, Reference: true},
				}},
			{File: "fill-rate.svg", Title: "Fill rate", XLabel: "time (h)", YLabel: "orders filled (%)", YFromZero: true,
				Caption: "Share of orders closed in each interval that got a lease.",
				Series:  []Series{{Name: "fill rate", X: t, Y: fill}}},
			{File: "sweep-fill-vs-take", Title: "Fill rate vs take rate (8 replicates, 95% CI)", XLabel: "take rate (%)", YLabel: "fill rate (%)",
				Series: []Series{CISeries("open bids", take, sums), CISeries("sealed bids", take, sums2)}},
			lorenz,
		},
	}
}

func nanValue() float64 { return math.NaN() }
