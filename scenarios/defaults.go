package scenarios

import (
	"fmt"
	"time"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"

	"github.com/akash-market/akash/sim"
)

// Units used below, so every default reads in the same terms.
const (
	gib = 1 << 30
	tib = 1 << 40

	// blocksPerHour at the default 6 s block time.
	blocksPerHour = 600
)

// Reference prices, in uakt per block of one unit. Their ratios come from the
// default price targets of Akash's provider bid-price script (USD per month:
// cpu thread 1.60, memory GiB 0.80, ephemeral storage GiB 0.02, a GPU ≈ 100).
// Their level puts one core at 1 uakt per block, which that script names as
// "about 0.42 AKT/month" (432,000 six-second blocks a month): at AKT ≈ $3.7
// this is the script's 1.60 USD per thread-month. Bandwidth is not priced on
// Akash (endpoints are); it gets a small nominal price so that a shape that
// asks for a lot of it costs something.
var (
	refCPU       = money.MustParseDec("1")      // per core per block
	refMemory    = money.MustParseDec("0.5")    // per GiB per block
	refStorage   = money.MustParseDec("0.0125") // per GiB per block
	refGPU       = money.MustParseDec("60")     // per GPU per block
	refBandwidth = money.MustParseDec("0.001")  // per MiB/s per block
)

// Defaults is the baseline market: the value of every key a scenario file
// leaves out. It is a modest, realistic day of Akash: four regions, one tenant
// class arriving at 300 an hour (≈7,200 orders a day) drawing from the
// built-in mix of real manifests, 100 mid-size servers and 20 GPU servers,
// sized so that the market is neither starved nor idle (≈1,200 concurrent
// leases at the default lease length) and a run finishes in seconds. docs/scenarios.md lists each default with its reason.
//
// Tenants holds one class (DefaultTenantClass), Providers two ("cpu": the
// DefaultProviderClass server; "gpu": GPU servers); a file that lists classes
// replaces them, and each listed class takes the class defaults
// (DefaultTenantClass, DefaultProviderClass) for the keys it leaves out. Tiers are
// off (nil); a tier a file turns on starts from DefaultDeliveryNetwork or
// DefaultMLBatch.
func Defaults() sim.Scenario {
	return sim.Scenario{
		Name:        "baseline",
		Description: "A day of a modest Akash market: one tenant class, one provider class, cost-plus pricing.",
		Seed:        1,
		Duration:    sim.Duration(24 * time.Hour),
		BlockTime:   sim.Duration(6 * time.Second), // Akash's target block time
		SampleEvery: sim.Duration(10 * time.Minute),
		Market:      DefaultMarket(),
		Regions:     DefaultRegions(),
		Tenants:     []sim.TenantClass{DefaultTenantClass()},
		Providers:   []sim.ProviderClass{defaultCPUClass(), defaultGPUClass()},
	}
}

// defaultCPUClass is the defaults' first provider class: 100 of the class
// default server.
func defaultCPUClass() sim.ProviderClass {
	p := DefaultProviderClass()
	p.Name = "cpu"
	return p
}

// defaultGPUClass is the defaults' second provider class: 20 GPU servers (8
// GPUs, 64 threads, 512 GiB, 4 TiB), because about a third of the built-in
// demand mix asks for GPUs. 160 GPUs do not cover all of it: GPUs stay
// scarce, as they are on Akash.
func defaultGPUClass() sim.ProviderClass {
	p := DefaultProviderClass()
	p.Name = "gpu"
	p.Count = 20
	p.Capacity = sim.Capacity{CPU: 64_000, Memory: 512 * gib, Storage: 4 * tib, GPU: 8, Bandwidth: 1_250_000_000}
	p.Cost = sim.Dist{Kind: "uniform", Min: 0.6, Max: 0.9}
	p.Stake = money.MustParseDec("500000000") // 500 AKT
	return p
}

// DefaultMarket is the market's parameters, close to Akash mainnet's genesis.
func DefaultMarket() sim.Market {
	return sim.Market{
		Denom:         "uakt",
		BiddingWindow: sim.Duration(30 * time.Second), // 5 blocks
		RevealWindow:  sim.Duration(30 * time.Second), // 5 blocks
		Matching:      "auto",
		BidTimeout:    sim.Duration(5 * time.Minute), // 50 blocks, the chain's default bid_timeout_blocks
		TakeRateBPS:   200,                           // 2% of provider earnings
		// 5 AKT, Akash's minimum bid deposit (market param bid_min_deposit).
		BidDeposit:      money.MustParseDec("5000000"),
		MinDeposit:      lease.DefaultMinDeposit,           // 0.5 AKT, the chain's default too
		UnbondingPeriod: sim.Duration(21 * 24 * time.Hour), // Cosmos SDK's 21 days = 302,400 blocks
		SlashFaultBPS:   lease.DefaultFaultSlashBPS,        // 1% of stake per lease closed by provider fault (both modes' default)
		ReorderOnFault:  true,
		// Providers withdraw accrued earnings hourly, as a provider daemon
		// on a withdrawal period would; 0 pays only when a lease closes.
		WithdrawEvery: sim.Duration(time.Hour),
		Reference: sim.ResourcePrices{
			CPU:       refCPU,
			Memory:    refMemory,
			Storage:   refStorage,
			GPU:       refGPU,
			Bandwidth: refBandwidth,
		},
	}
}

// DefaultRegions is four regions with measured-order round trips between them
// (public cloud inter-region RTTs, rounded).
func DefaultRegions() []sim.Region {
	ms := func(n int) sim.Duration { return sim.Duration(time.Duration(n) * time.Millisecond) }
	return []sim.Region{
		{Name: "us-east", Latency: map[string]sim.Duration{"us-east": ms(2), "us-west": ms(65), "eu-west": ms(80), "ap-southeast": ms(220)}},
		{Name: "us-west", Latency: map[string]sim.Duration{"us-west": ms(2), "eu-west": ms(140), "ap-southeast": ms(170)}},
		{Name: "eu-west", Latency: map[string]sim.Duration{"eu-west": ms(2), "ap-southeast": ms(160)}},
		{Name: "ap-southeast", Latency: map[string]sim.Duration{"ap-southeast": ms(2)}},
	}
}

// DefaultTenantClass is the defaults of one tenants[i] entry.
func DefaultTenantClass() sim.TenantClass {
	return sim.TenantClass{
		Arrival: sim.Arrival{Process: "poisson", RatePerHour: 300, Amplitude: 0.5, PeakAt: sim.Duration(15 * time.Hour)},
		// Demand empty: the built-in mix drawn from real Akash manifests.
		// Regions empty: a tenant accepts any region.
		// Max price = reference cost × valuation: most tenants will pay a
		// little over the reference, a few much more.
		Valuation: sim.Dist{Kind: "lognormal", Mean: 1.5, Std: 0.4},
		// The deposit covers six hours at the max price (Akash's deposit is a
		// tenant's choice; a few hours is common), refilled below one hour.
		DepositBlocks: sim.Dist{Kind: "const", Value: 6 * blocksPerHour},
		TopUp:         sim.TopUp{BelowBlocks: blocksPerHour, Probability: 0.9},
		// Most workloads run for hours, a long tail for days.
		LeaseLength:   sim.Dist{Kind: "lognormal", Mean: 4 * 3600, Std: 6 * 3600},
		SealedShare:   0,
		MinReputation: 0,
		Agent:         sim.TenantAgentSpec{Kind: "default"},
		// Tenant matching only: pick the cheapest bid a block after the close.
		Choice: sim.Choice{Policy: "cheapest", K: 3},
	}
}

// DefaultProviderClass is the defaults of one providers[i] entry: a mid-size
// server (32 threads, 128 GiB, 1 TiB, 1 Gbit/s) of the kind most Akash
// providers run, pricing cost-plus 20%.
func DefaultProviderClass() sim.ProviderClass {
	return sim.ProviderClass{
		Count: 100,
		// Regions empty: spread evenly over the scenario's regions (FillImplied).
		Capacity: sim.Capacity{CPU: 32_000, Memory: 128 * gib, Storage: 1 * tib, Bandwidth: 125_000_000},
		// Costs below the reference, so a 20% margin still clears under most
		// tenants' valuations.
		Cost: sim.Dist{Kind: "uniform", Min: 0.5, Max: 0.9},
		// Each strategy's keys default to its registered defaults (margin
		// 20 %, undercut 1 %, margins 5 %..50 %).
		Pricing:        sim.Pricing{Kind: "cost-plus", Params: &sim.CostPlus{MarginBPS: 2000}},
		Agent:          sim.ProviderAgentSpec{Kind: "default"},
		Stake:          money.MustParseDec("100000000"),            // 100 AKT
		BidLatency:     sim.Dist{Kind: "uniform", Min: 1, Max: 12}, // within the first two blocks
		BidProbability: 1,
		// MTBF, MTTR, Lifetime zero: never fails, never leaves. JoinPerDay 0.
	}
}

// DefaultShape is the defaults of a shape (tenants[i].demand[j], a tier's
// shape or worker): one replica, weight 1, 1 core and 1 GiB.
func DefaultShape() sim.Shape {
	return sim.Shape{Weight: 1, Count: 1, CPU: 1000, Memory: 1 * gib}
}

// DefaultDeliveryNetwork is tier 5.1 as it starts when a file turns it on:
// one edge replica per 500 concurrent users, up to 8 groups, checked every
// five minutes. Users is empty: the file says where the users are.
func DefaultDeliveryNetwork() sim.DeliveryNetwork {
	return sim.DeliveryNetwork{
		UsersPerReplica: 500,
		Shape:           sim.Shape{Name: "edge", Weight: 1, Count: 1, CPU: 1000, Memory: 1 * gib, Storage: 10 * gib, Bandwidth: 12_500_000},
		// Reference cost of the shape ≈ 1.64 per block; 5 leaves room for
		// the premium a region with few providers asks.
		MaxPrice:   money.MustParseDec("5"),
		MinGroups:  1,
		MaxGroups:  8,
		CheckEvery: sim.Duration(5 * time.Minute),
		// 50 ms: a replica in the users' own region; the nearest other
		// region of the default matrix is 65 ms away.
		LatencyTarget: sim.Duration(50 * time.Millisecond),
		// HomeRegion empty: the first region (FillImplied).
	}
}

// DefaultMLBatch is tier 5.2 as it starts when a file turns it on: a job
// every ≈3 hours (0.3 an hour) of ≈16 GPU-worker-hours each, at most 4
// workers a job and 16 in all, of 8 cores, 32 GiB and one GPU, compared with
// 8 static workers. The load (≈4.8 worker-hours an hour) is one the 16
// elastic workers and the 8 static ones can both finish, so the comparison
// is of cost and idle capacity, not of a backlog that grows without end.
func DefaultMLBatch() sim.MLBatch {
	return sim.MLBatch{
		JobsPerHour:   0.3,
		JobWork:       sim.Dist{Kind: "lognormal", Mean: 16, Std: 8},
		MaxWorkers:    16,
		StaticWorkers: 8,
		Worker:        sim.Shape{Name: "worker", Weight: 1, Count: 1, CPU: 8000, Memory: 32 * gib, Storage: 100 * gib, GPU: 1},
		// Reference cost of a worker ≈ 85 per block.
		MaxPrice:      money.MustParseDec("120"),
		WorkersPerJob: 4,
		// ArrivalsFor zero: jobs arrive during the whole run.
	}
}

// FillImplied sets the values that follow from other keys, after a file
// (or Defaults) has given everything else: a class without a name is named by
// its place ("tenant-0", "provider-2"), a provider class without regions is
// spread evenly over the scenario's regions, and tier 5.1's home region is the
// first region when not given. The loader calls it after decoding.
func FillImplied(sc *sim.Scenario) {
	for i := range sc.Tenants {
		fillZero(&sc.Tenants[i].Name, fmt.Sprintf("tenant-%d", i))
	}
	for i := range sc.Providers {
		p := &sc.Providers[i]
		fillZero(&p.Name, fmt.Sprintf("provider-%d", i))
		if len(p.Regions) == 0 && len(sc.Regions) > 0 {
			p.Regions = make(map[string]float64, len(sc.Regions))
			for _, r := range sc.Regions {
				p.Regions[r.Name] = 1
			}
		}
	}
	if t := sc.Tiers.DeliveryNetwork; t != nil && t.HomeRegion == "" && len(sc.Regions) > 0 {
		t.HomeRegion = sc.Regions[0].Name
	}
}

// fillZero sets *p to d when *p is its type's zero value.
func fillZero[T comparable](p *T, d T) {
	var zero T
	if *p == zero {
		*p = d
	}
}
