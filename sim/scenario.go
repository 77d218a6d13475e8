package sim

import (
	"fmt"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
)

// Scenario is everything a run depends on besides its seed: the market's
// parameters, the regions, the tenant classes (demand), the provider classes
// (supply) and, optionally, the whitepaper's self-managing deployments.
//
// Field names are the YAML keys (snake_case); package scenarios loads files
// into this type, fills defaults (Defaults) and reports bad keys with their
// line. Every quantity carries its unit in its type: Duration ("6s", "24h"),
// Size ("512Mi"), CPU ("0.5", "250m"), money.Dec amounts ("0.25"), and
// float64 only for behaviour (rates, weights, probabilities), never for money.
type Scenario struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Seed        uint64   `yaml:"seed"`     // default seed; --seed overrides
	Duration    Duration `yaml:"duration"` // simulated time to run
	BlockTime   Duration `yaml:"block_time"`
	// SampleEvery is the time-series interval (a multiple of block_time).
	SampleEvery Duration `yaml:"sample_every"`

	Market    Market          `yaml:"market"`
	Regions   []Region        `yaml:"regions"`
	Tenants   []TenantClass   `yaml:"tenants"`
	Providers []ProviderClass `yaml:"providers"`
	Tiers     Tiers           `yaml:"tiers"`
	// Metrics are registered metrics (MetricKind) the run computes besides
	// the built-in summary, each into summary.json's extensions.<kind>.
	Metrics []MetricSpec `yaml:"metrics"`

	// Outputs lists what a run writes besides summary.json and
	// report.html: any of OutputNames. Empty means all of them, except
	// that a run expected to post more than LargeRunOrders orders writes
	// timeseries, providers and plots only (its per-lease and per-order
	// tables would be hundreds of megabytes).
	Outputs []string `yaml:"outputs"`
}

// Market holds the rules' parameters, the same ones the chain's genesis sets.
type Market struct {
	Denom         string    `yaml:"denom"`          // e.g. uakt
	BiddingWindow Duration  `yaml:"bidding_window"` // how long an order takes bids
	RevealWindow  Duration  `yaml:"reveal_window"`  // sealed orders: reveals accepted for this long after bidding closes
	TakeRateBPS   uint32    `yaml:"take_rate_bps"`  // share of provider earnings to the community pool, basis points
	BidDeposit    money.Dec `yaml:"bid_deposit"`    // locked per bid, forfeited by an unrevealed sealed bid
	// MinDeposit is the least a tenant deposits to open a deployment's escrow
	// (the chain's deployment param min_deposits); a tenant that needs less
	// deposits this much and is refunded the unspent rest at close.
	MinDeposit money.Dec `yaml:"min_deposit"`
	// UnbondingPeriod is how long unbonded stake stays slashable.
	UnbondingPeriod Duration `yaml:"unbonding_period"`
	// SlashFaultBPS is the share of a provider's stake slashed when a lease
	// closes by provider fault.
	SlashFaultBPS uint32 `yaml:"slash_fault_bps"`
	// ReorderOnFault: a tenant whose lease closed by provider fault posts the
	// group again (a new order) for the rest of its lease length.
	ReorderOnFault bool `yaml:"reorder_on_fault"`
	// Matching is how an order's winner is chosen (core/market.Matching):
	// "auto" (the default), the lowest eligible price at the close; or
	// "tenant" (Akash mainnet's mode), each tenant picks one of its order's
	// eligible bids by its class's choice policy, within BidTimeout after
	// the close, or the order closes unmatched and every deposit is refunded.
	Matching string `yaml:"matching"`
	// BidTimeout is how long after the close a tenant may pick (tenant matching).
	BidTimeout Duration `yaml:"bid_timeout"`
	// WithdrawEvery is how often each provider withdraws what its leases have
	// accrued (a withdrawal settles the escrow to that block). Zero: providers
	// are paid out only when a lease closes.
	WithdrawEvery Duration `yaml:"withdraw_every"`
	// Reference is the per-block price of one unit of each resource that
	// valuations and costs are drawn around (a researcher's yardstick, not a
	// rule of the market).
	Reference ResourcePrices `yaml:"reference"`
}

// ResourcePrices are prices per block of one unit of each resource.
type ResourcePrices struct {
	CPU       money.Dec `yaml:"cpu"`       // per core
	Memory    money.Dec `yaml:"memory"`    // per GiB
	Storage   money.Dec `yaml:"storage"`   // per GiB
	GPU       money.Dec `yaml:"gpu"`       // per GPU
	Bandwidth money.Dec `yaml:"bandwidth"` // per MiB/s
}

// Region is a place providers are and end users come from.
type Region struct {
	Name string `yaml:"name"`
	// Latency to other regions by name (symmetric; missing pairs fall back to
	// the larger direction given, or to DefaultLatency). Used by tier 5.1.
	Latency map[string]Duration `yaml:"latency"`
}

// bpsMax is 100% in basis points.
const bpsMax = 10_000

// DefaultLatency is the round trip assumed between regions whose latency the
// scenario does not give.
const DefaultLatency = 100 * time.Millisecond

// TenantClass is one kind of demand: how tenants of this kind arrive, what
// they ask for, what they will pay and for how long.
type TenantClass struct {
	Name    string  `yaml:"name"`
	Arrival Arrival `yaml:"arrival"`
	// Demand is the mix of shapes an arriving tenant draws from; empty means
	// the built-in mix drawn from real Akash manifests.
	Demand []Shape `yaml:"demand"`
	// Regions weights the region a tenant requires (placement attribute
	// region=<name>); empty means any region.
	Regions map[string]float64 `yaml:"regions"`
	// Valuation multiplies the reference cost of the demand to give the
	// tenant's max price per block.
	Valuation Dist `yaml:"valuation"`
	// DepositBlocks: the escrow deposit covers this many blocks at the max price.
	DepositBlocks Dist `yaml:"deposit_blocks"`
	// TopUp: when the escrow has fewer than TopUp.BelowBlocks blocks left, the
	// tenant tops up another DepositBlocks with probability TopUp.Probability.
	TopUp TopUp `yaml:"top_up"`
	// LeaseLength is how long the tenant wants the workload to run (seconds).
	LeaseLength Dist `yaml:"lease_length"`
	// SealedShare is the fraction of this class's orders that ask for sealed bids.
	SealedShare float64 `yaml:"sealed_share"`
	// MinReputation an order requires, basis points 0..10000.
	MinReputation uint32 `yaml:"min_reputation"`
	// Agent decides what each arriving tenant asks for and offers, and what
	// it does when no provider matched (TenantAgentKind; "default" draws
	// from the keys above and gives up).
	Agent TenantAgentSpec `yaml:"agent"`
	// Choice is how the class's tenants pick a bid under market.matching
	// tenant (ignored under auto). A tenant agent that implements
	// BidChooser decides instead.
	Choice Choice `yaml:"choice"`
}

// Choice is a tenant class's bid-choice policy under tenant matching.
type Choice struct {
	// Policy: "cheapest" (the lowest price, earliest on a tie: what auto
	// matching would pick), "min-reputation" (the cheapest whose provider
	// has at least MinReputation), "price-per-reputation" (the lowest price
	// per point of provider reputation; providers at 0 only if no other) or
	// "random-k" (uniformly among the K cheapest, from the class's own
	// "choice" stream).
	Policy        string `yaml:"policy"`
	MinReputation uint32 `yaml:"min_reputation"` // min-reputation: basis points 0..10000
	K             int    `yaml:"k"`              // random-k: how many of the cheapest
	// Delay is how long after the close the tenant looks at the bids and
	// picks (at least one block); past market.bid_timeout it never picks.
	Delay Duration `yaml:"delay"`
}

// IsChoicePolicy says whether name is a built-in Choice.Policy.
func IsChoicePolicy(name string) bool {
	_, ok := choicePolicies[name]
	return ok
}

// Arrival is a tenant arrival process.
type Arrival struct {
	// Process is "poisson" (constant rate), "diurnal" (rate follows a daily
	// sine: rate × (1 + amplitude × cos(2π (t − peak) / 24h))) or "trace"
	// (arrival times replayed from TraceFile, one per line, seconds from start).
	Process     string   `yaml:"process"`
	RatePerHour float64  `yaml:"rate_per_hour"`
	Amplitude   float64  `yaml:"amplitude"` // diurnal: 0..1
	PeakAt      Duration `yaml:"peak_at"`   // diurnal: time of day of the peak
	TraceFile   string   `yaml:"trace_file"`
}

// Shape is one resource demand: Count replicas of the given size.
type Shape struct {
	Name      string  `yaml:"name"`
	Weight    float64 `yaml:"weight"`
	CPU       CPU     `yaml:"cpu"`
	Memory    Size    `yaml:"memory"`
	Storage   Size    `yaml:"storage"`
	GPU       uint64  `yaml:"gpu"`
	Bandwidth Size    `yaml:"bandwidth"` // bytes per second
	Count     uint32  `yaml:"count"`
}

// TopUp is a tenant's refill policy.
type TopUp struct {
	BelowBlocks int64   `yaml:"below_blocks"`
	Probability float64 `yaml:"probability"`
}

// ProviderClass is one kind of supply: Count providers with the same
// distribution of capacity, cost and behaviour.
type ProviderClass struct {
	Name  string `yaml:"name"`
	Count int    `yaml:"count"`
	// Regions weights where each provider of the class sits.
	Regions map[string]float64 `yaml:"regions"`
	// Attributes every provider of the class advertises besides region.
	Attributes map[string]string `yaml:"attributes"`
	Capacity   Capacity          `yaml:"capacity"`
	// Cost multiplies the reference prices to give each provider's cost per
	// block of its resources (drawn once per provider).
	Cost Dist `yaml:"cost"`
	// Pricing is the strategy every provider of the class prices by
	// (StrategyKind), with its keys.
	Pricing Pricing `yaml:"pricing"`
	// Agent decides which orders a provider bids on (ProviderAgentKind).
	Agent ProviderAgentSpec `yaml:"agent"`
	Stake money.Dec         `yaml:"stake"`
	// BidLatency is the delay from an order's posting to this provider's bid (seconds).
	BidLatency Dist `yaml:"bid_latency"`
	// BidProbability is the chance the provider looks at a given order it could
	// fill (attention); 1 means it bids on everything it can.
	BidProbability float64 `yaml:"bid_probability"`
	// Failures: time between failures and time to repair (seconds); a failure
	// closes the provider's leases by provider fault. Zero MTBF: never fails.
	MTBF Dist `yaml:"mtbf"`
	MTTR Dist `yaml:"mttr"`
	// Churn: providers leave after Lifetime (zero: never) and new ones of the
	// class join at JoinPerDay.
	Lifetime   Dist    `yaml:"lifetime"`
	JoinPerDay float64 `yaml:"join_per_day"`
}

// Capacity is one provider's total resources.
type Capacity struct {
	CPU       CPU    `yaml:"cpu"`
	Memory    Size   `yaml:"memory"`
	Storage   Size   `yaml:"storage"`
	GPU       uint64 `yaml:"gpu"`
	Bandwidth Size   `yaml:"bandwidth"`
}

// Dist is a distribution a value is drawn from, in the unit of its key.
// Kind is "const" (Value), "uniform" (Min..Max), "exponential" (Mean),
// "lognormal" (Mean, Std: of the value itself, not of its log) or "" (zero).
type Dist struct {
	Kind  string  `yaml:"kind"`
	Value float64 `yaml:"value"`
	Min   float64 `yaml:"min"`
	Max   float64 `yaml:"max"`
	Mean  float64 `yaml:"mean"`
	Std   float64 `yaml:"std"`
}

// Tiers are the whitepaper's management tiers (section 5): deployments that
// scale themselves within limits their tenant set. Nil ones are off.
type Tiers struct {
	DeliveryNetwork *DeliveryNetwork `yaml:"delivery_network"`
	MLBatch         *MLBatch         `yaml:"ml_batch"`
}

// DeliveryNetwork is section 5.1: a latency-optimised delivery network. End
// users in each region follow a diurnal pattern; the tier adds a group near
// demand and removes it when demand leaves, within MinGroups..MaxGroups, and
// is compared with one static deployment in HomeRegion.
type DeliveryNetwork struct {
	Users           map[string]DiurnalLoad `yaml:"users"` // by region
	UsersPerReplica float64                `yaml:"users_per_replica"`
	Shape           Shape                  `yaml:"shape"`
	MaxPrice        money.Dec              `yaml:"max_price"` // per block per group
	MinGroups       int                    `yaml:"min_groups"`
	MaxGroups       int                    `yaml:"max_groups"`
	HomeRegion      string                 `yaml:"home_region"`
	CheckEvery      Duration               `yaml:"check_every"`
	// LatencyTarget is the round trip within which a replica serves a
	// region's users acceptably: the tier adds a group where users have no
	// replica within it, and reports the share of demand served within it.
	LatencyTarget Duration `yaml:"latency_target"`
}

// DiurnalLoad is a daily load curve: Peak at PeakAt, Peak × (1 − Amplitude) at its trough.
type DiurnalLoad struct {
	Peak      float64  `yaml:"peak"`
	Amplitude float64  `yaml:"amplitude"`
	PeakAt    Duration `yaml:"peak_at"`
}

// MLBatch is section 5.2: an ML batch job tier. Jobs arrive, the tier leases
// workers for a job and releases them when it is done, within MaxWorkers; it
// is compared with StaticWorkers leased for the whole run.
type MLBatch struct {
	JobsPerHour   float64   `yaml:"jobs_per_hour"`
	JobWork       Dist      `yaml:"job_work"` // worker-hours per job
	MaxWorkers    int       `yaml:"max_workers"`
	StaticWorkers int       `yaml:"static_workers"`
	Worker        Shape     `yaml:"worker"`
	MaxPrice      money.Dec `yaml:"max_price"` // per block per worker
	// WorkersPerJob is the most workers one job can use at once (its
	// parallelism); a job with n workers does n worker-hours per hour.
	WorkersPerJob int `yaml:"workers_per_job"`
	// ArrivalsFor: jobs arrive during this first part of the run, so the
	// rest of it drains the queue (0, or longer than the run: the whole run).
	ArrivalsFor Duration `yaml:"arrivals_for"`
}

// Duration is a time span written as Go writes durations ("6s", "1h30m").
type Duration time.Duration

// UnmarshalText reads "6s", "24h", "1h30m".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: want a number with a unit such as 500ms, 6s, 10m, 24h", b)
	}
	if v < 0 {
		return fmt.Errorf("duration %q: must not be negative", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the Go form ("6s").
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Sim converts to the engine's virtual time (both are nanoseconds).
func (d Duration) Sim() engine.Duration { return engine.Duration(d) }

// Size is a byte quantity written as manifests write it ("512Mi", "1Gi", "1.5G").
type Size uint64

// UnmarshalText reads a manifest size.
func (s *Size) UnmarshalText(b []byte) error {
	v, err := manifest.ParseSize(string(b))
	if err != nil {
		return fmt.Errorf("size %q: want a number with an optional unit Ki Mi Gi Ti (1024-based) or k M G T (1000-based), e.g. 512Mi", b)
	}
	*s = Size(v)
	return nil
}

// MarshalText writes the byte count.
func (s Size) MarshalText() ([]byte, error) { return fmt.Appendf(nil, "%d", uint64(s)), nil }

// CPU is a cpu quantity in millicores, written as manifests write it ("0.5", "2", "250m").
type CPU uint64

// UnmarshalText reads manifest cpu units.
func (c *CPU) UnmarshalText(b []byte) error {
	v, err := manifest.ParseCPU(string(b))
	if err != nil {
		return fmt.Errorf("cpu %q: want cores (\"2\", \"0.5\") or millicores (\"250m\")", b)
	}
	*c = CPU(v)
	return nil
}

// MarshalText writes millicores ("500m").
func (c CPU) MarshalText() ([]byte, error) { return fmt.Appendf(nil, "%dm", uint64(c)), nil }
