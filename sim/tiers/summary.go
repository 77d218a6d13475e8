package tiers

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/akash-market/akash/sim/engine"
)

// Summary is the tiers' part of summary.json (sim.Summary.Tiers). A tier
// that is off is absent.
type Summary struct {
	DeliveryNetwork *DeliverySummary `json:"delivery_network,omitempty"`
	MLBatch         *MLSummary       `json:"ml_batch,omitempty"`
}

// DeliverySummary compares tier 5.1 with one static datacenter. Latencies
// are user-weighted over the run's checks (every check_every), over the
// users actually served.
type DeliverySummary struct {
	LatencyTargetMS float64      `json:"latency_target_ms"`
	GroupCapacity   float64      `json:"group_capacity_users"` // users_per_replica × shape.count
	PeakUsers       float64      `json:"peak_users"`           // the day's peak of all regions together
	Checks          int          `json:"checks"`
	Tier            DeliverySide `json:"tier"`
	Static          DeliverySide `json:"static"`
	// LatencySavedMS is static mean latency − tier mean latency.
	LatencySavedMS float64 `json:"latency_saved_ms"`
	// CostRatio is tier cost ÷ static cost (0 when the static paid nothing).
	CostRatio float64 `json:"cost_ratio"`
}

// DeliverySide is one side of the 5.1 comparison.
type DeliverySide struct {
	Region        string  `json:"region,omitempty"` // the static side's home region
	MeanLatencyMS float64 `json:"mean_latency_ms"`
	P95LatencyMS  float64 `json:"p95_latency_ms"`
	// WithinTargetShare is users served within latency_target ÷ all users
	// (user-checks); ServedShare is users served at all ÷ all users.
	WithinTargetShare float64 `json:"within_target_share"`
	ServedShare       float64 `json:"served_share"`
	// Cost is what the side's escrows paid its leases, exact (denom units);
	// CostPerHour is Cost over the simulated hours.
	Cost        string  `json:"cost"`
	CostPerHour float64 `json:"cost_per_hour"`
	GroupsMean  float64 `json:"groups_mean"` // groups alive at the checks
	GroupsMin   int     `json:"groups_min"`  // after the first check
	GroupsMax   int     `json:"groups_max"`  // at any moment
	PoolStats
}

// PoolStats count a side's deployments.
type PoolStats struct {
	Orders    int `json:"orders"`    // deployments posted
	Leases    int `json:"leases"`    // leases opened
	Lost      int `json:"lost"`      // leases closed by anything but the tier (faults, provider leaving)
	Unmatched int `json:"unmatched"` // deployments whose order found no provider
	// PriceOverMax counts leases priced above max_price: the core's matching
	// forbids it, so it must be 0.
	PriceOverMax int `json:"price_over_max"`
}

// MLSummary compares tier 5.2 with static provisioning on the same jobs.
type MLSummary struct {
	Jobs            int     `json:"jobs"`
	WorkHours       float64 `json:"work_worker_hours"` // Σ job_work
	WorkersPerJob   int     `json:"workers_per_job"`
	Elastic         MLSide  `json:"elastic"`
	Static          MLSide  `json:"static"`
	CostRatio       float64 `json:"cost_ratio"`       // elastic ÷ static
	IdleHoursSaved  float64 `json:"idle_hours_saved"` // static − elastic idle worker-hours
	CompletionRatio float64 `json:"completion_ratio"` // elastic ÷ static mean completion time
}

// MLSide is one side of the 5.2 comparison.
type MLSide struct {
	Workers    int `json:"workers"` // static: static_workers; elastic: max_workers
	Completed  int `json:"completed"`
	Unfinished int `json:"unfinished"` // still running or queued at the end
	// Completion time (arrival → last work done) of the completed jobs, hours.
	CompletionMeanH float64 `json:"completion_mean_hours"`
	CompletionP90H  float64 `json:"completion_p90_hours"`
	Cost            string  `json:"cost"` // exact, what its escrows paid
	CostPerJob      float64 `json:"cost_per_completed_job"`
	// Worker-hours leased (paid for), busy (doing a job's work) and idle
	// (leased − busy).
	LeasedWorkerHours float64 `json:"leased_worker_hours"`
	BusyWorkerHours   float64 `json:"busy_worker_hours"`
	IdleWorkerHours   float64 `json:"idle_worker_hours"`
	Utilisation       float64 `json:"utilisation"` // busy ÷ leased
	PoolStats
}

func (p *pool) stats() PoolStats {
	return PoolStats{Orders: p.posted, Leases: p.leases, Lost: p.lost, Unmatched: p.unmatched, PriceOverMax: p.priceOver}
}

func (c *cluster) side(jobs []job) MLSide {
	s := MLSide{Workers: c.want, PoolStats: c.pool.stats()}
	var ct []float64
	for i := range jobs {
		if c.done[i] > 0 {
			ct = append(ct, float64(c.done[i].Sub(jobs[i].arrive))/float64(engine.Hour))
		}
	}
	s.Completed = len(ct)
	s.Unfinished = len(jobs) - len(ct)
	s.CompletionMeanH, s.CompletionP90H = meanP(ct, 0.9)
	paid := c.pool.paidExact()
	s.Cost = paid.ShortString()
	if s.Completed > 0 {
		s.CostPerJob = decFloat(paid) / float64(s.Completed)
	}
	s.LeasedWorkerHours = float64(c.leasedNS) / float64(engine.Hour)
	s.BusyWorkerHours = float64(c.busyNS) / float64(engine.Hour)
	s.IdleWorkerHours = s.LeasedWorkerHours - s.BusyWorkerHours
	s.Utilisation = ratio(s.BusyWorkerHours, s.LeasedWorkerHours)
	return s
}

// meanP returns the mean and the q-quantile (nearest rank) of xs; 0, 0 when empty.
func meanP(xs []float64, q float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	s := slices.Clone(xs)
	slices.SortFunc(s, cmp.Compare[float64])
	k := int(math.Ceil(q*float64(len(s)))) - 1
	return sum(s) / float64(len(s)), s[max(k, 0)]
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// unmetEps ignores rounding dust in the float user counts of the metrics.
const unmetEps = 1e-6

// sum adds xs in order (the order fixes the float result).
func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// ff formats a float for a CSV cell, the same on every machine.
func ff(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }
