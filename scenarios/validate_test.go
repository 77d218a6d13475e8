package scenarios

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/akash-market/akash/core/money"

	"github.com/akash-market/akash/sim"
)

func TestDefaultsValidate(t *testing.T) {
	sc := Defaults()
	FillImplied(&sc)
	if err := Validate(&sc); err != nil {
		t.Fatalf("Defaults() does not validate:\n%v", err)
	}
	// With both tiers on at their defaults (plus the users the file must
	// give), it still validates: the default GPU class holds an ML worker.
	dn, ml := DefaultDeliveryNetwork(), DefaultMLBatch()
	dn.Users = map[string]sim.DiurnalLoad{"us-east": {Peak: 5000, Amplitude: 0.5, PeakAt: sim.Duration(20 * time.Hour)}}
	sc.Tiers = sim.Tiers{DeliveryNetwork: &dn, MLBatch: &ml}
	FillImplied(&sc)
	if err := Validate(&sc); err != nil {
		t.Fatalf("Defaults() with tiers does not validate:\n%v", err)
	}
}

func TestValidate(t *testing.T) {
	type want struct{ path, fragment string }
	cases := []struct {
		name   string
		break_ func(sc *sim.Scenario)
		want   []want
	}{
		{"unknown strategy", func(sc *sim.Scenario) { sc.Providers[0].Pricing.Kind = "cheap" },
			[]want{{"providers[0].pricing.strategy", `"cheap" is not a registered strategy; use one of cost-plus, random-band, undercut, utilisation`}}},
		{"block time zero", func(sc *sim.Scenario) { sc.BlockTime = 0 },
			[]want{{"block_time", "positive"}}},
		{"sample not a multiple", func(sc *sim.Scenario) { sc.SampleEvery = sim.Duration(10 * time.Second) },
			[]want{{"sample_every", "not a multiple of block_time 6s; samples are taken on blocks; use 6s or 12s"}}},
		{"duration zero", func(sc *sim.Scenario) { sc.Duration = 0 }, []want{{"duration", "nothing would run"}}},
		{"bidding window under a block", func(sc *sim.Scenario) { sc.Market.BiddingWindow = sim.Duration(time.Second) },
			[]want{{"market.bidding_window", "shorter than one block"}, {"providers[0].bid_latency", "too late"}}},
		{"withdraw under a block", func(sc *sim.Scenario) { sc.Market.WithdrawEvery = sim.Duration(time.Second) },
			[]want{{"market.withdraw_every", "shorter than one block"}}},
		{"take rate over 100%", func(sc *sim.Scenario) { sc.Market.TakeRateBPS = 10_001 }, []want{{"market.take_rate_bps", "more than 100%"}}},
		{"slash over 100%", func(sc *sim.Scenario) { sc.Market.SlashFaultBPS = 20_000 }, []want{{"market.slash_fault_bps", "more than 100%"}}},
		{"bad denom", func(sc *sim.Scenario) { sc.Market.Denom = "1x" }, []want{{"market.denom", "not a denomination"}}},
		{"zero cpu reference", func(sc *sim.Scenario) { sc.Market.Reference.CPU = money.Zero() }, []want{{"market.reference.cpu", "is 0"}}},
		{"sealed without reveal", func(sc *sim.Scenario) { sc.Tenants[0].SealedShare = 0.5; sc.Market.RevealWindow = 0 },
			[]want{{"market.reveal_window", "sealed"}}},
		{"probabilities", func(sc *sim.Scenario) {
			sc.Tenants[0].SealedShare = 1.5
			sc.Tenants[0].TopUp.Probability = -0.1
			sc.Providers[0].BidProbability = math.NaN()
			sc.Tenants[0].Arrival.Amplitude = 2
		}, []want{
			{"tenants[0].arrival.amplitude", "from 0 to 1"},
			{"tenants[0].top_up.probability", "is -0.1"},
			{"tenants[0].sealed_share", "is 1.5"},
			{"providers[0].bid_probability", "is NaN"},
		}},
		{"unknown region references", func(sc *sim.Scenario) {
			sc.Tenants[0].Regions = map[string]float64{"mars": 1, "us-east": 1}
			sc.Providers[0].Regions = map[string]float64{"us-east": 1, "atlantis": 2}
			sc.Regions[0].Latency["moon"] = sim.Duration(time.Second)
		}, []want{
			{"regions[0].latency.moon", `"moon" is not a region; use one of us-east, us-west, eu-west, ap-southeast`},
			{"tenants[0].regions.mars", "not a region"},
			{"providers[0].regions.atlantis", "not a region"},
		}},
		{"weights", func(sc *sim.Scenario) {
			sc.Tenants[0].Regions = map[string]float64{"us-east": 0, "us-west": 0}
			sc.Providers[0].Regions = map[string]float64{"us-east": -1, "eu-west": 1}
		}, []want{{"tenants[0].regions", "every weight is 0"}, {"providers[0].regions.us-east", "weight is -1"}}},
		{"demand weights all zero", func(sc *sim.Scenario) {
			sc.Tenants[0].Demand = []sim.Shape{{Weight: 0, CPU: 1000, Memory: 1 << 30, Count: 1}}
		}, []want{{"tenants[0].demand", "weight 0"}}},
		{"shape fields", func(sc *sim.Scenario) {
			sc.Tenants[0].Demand = []sim.Shape{{Weight: 1, Count: 0}, {Weight: -1, CPU: 1000, Memory: 1 << 30, Count: 1}}
		}, []want{
			{"tenants[0].demand[0].cpu", "is 0"}, {"tenants[0].demand[0].memory", "is 0"}, {"tenants[0].demand[0].count", "is 0"},
			{"tenants[0].demand[1].weight", "is -1"},
		}},
		{"shape fits nowhere", func(sc *sim.Scenario) {
			sc.Tenants[0].Demand = []sim.Shape{{Weight: 1, CPU: 1000, Memory: 512 << 30, Count: 1}}
		}, []want{{"tenants[0].demand[0]", "no provider class can hold it (1 × cpu 1, memory 512Gi"}}},
		{"dist kinds and parameters", func(sc *sim.Scenario) {
			sc.Tenants[0].Valuation = sim.Dist{Kind: "gaussian", Mean: 1}
			sc.Tenants[0].LeaseLength = sim.Dist{Kind: "uniform", Min: 10, Max: 5, Mean: 3}
			sc.Tenants[0].DepositBlocks = sim.Dist{}
			sc.Providers[0].Cost = sim.Dist{Kind: "lognormal", Mean: 0, Std: -1}
			sc.Providers[0].MTBF = sim.Dist{Kind: "exponential", Mean: math.Inf(1)}
		}, []want{
			{"tenants[0].valuation.kind", `"gaussian" is not a distribution; use one of const, uniform, exponential, lognormal`},
			{"tenants[0].deposit_blocks", "is not set"},
			{"tenants[0].lease_length.mean", "is not used by kind uniform; uniform takes min, max"},
			{"tenants[0].lease_length.max", "5 is below min 10"},
			{"providers[0].cost.std", "is -1"},
			{"providers[0].cost.mean", "is 0"},
			{"providers[0].mtbf.mean", "is +Inf"},
			{"providers[0].mttr", "would never come back"},
		}},
		{"mttr without mtbf", func(sc *sim.Scenario) { sc.Providers[0].MTTR = sim.Dist{Kind: "const", Value: 60} },
			[]want{{"providers[0].mttr", "never fails"}}},
		{"counts and capacity", func(sc *sim.Scenario) {
			sc.Providers[0].Count = -1
			sc.Providers[0].Capacity.CPU = 0
			sc.Providers[0].JoinPerDay = -2
		}, []want{
			{"providers[0].count", "is -1"}, {"providers[0].capacity.cpu", "is 0"}, {"providers[0].join_per_day", "is -2"},
			{"providers", "no provider"},
		}},
		{"pricing margins", func(sc *sim.Scenario) {
			sc.Providers[0].Pricing = sim.Pricing{Kind: "undercut", Params: &sim.Undercut{MarginBPS: -10_000, UndercutBPS: 10_000}}
		}, []want{
			{"providers[0].pricing.undercut_bps", "is 10000"},
			{"providers[0].pricing.margin_bps", "at or below zero"},
		}},
		{"pricing band", func(sc *sim.Scenario) {
			sc.Providers[0].Pricing = sim.Pricing{Kind: "random-band", Params: &sim.RandomBand{MinMarginBPS: 500, MaxMarginBPS: 100}}
		}, []want{{"providers[0].pricing.max_margin_bps", "below min_margin_bps 500"}}},
		{"parameters of another strategy", func(sc *sim.Scenario) {
			sc.Providers[0].Pricing = sim.Pricing{Kind: "undercut", Params: &sim.CostPlus{}}
		}, []want{{"providers[0].pricing", `not those of strategy "undercut"`}}},
		{"agents and metrics", func(sc *sim.Scenario) {
			sc.Providers[0].Agent = sim.ProviderAgentSpec{Kind: "default", Params: &sim.BidWhenRoom{MaxUtilisationBPS: 20_000}}
			sc.Tenants[0].Agent = sim.TenantAgentSpec{Kind: "haggler"}
			sc.Metrics = []sim.MetricSpec{{Kind: "nope"}}
		}, []want{
			{"tenants[0].agent.kind", `"haggler" is not a registered tenant agent`},
			{"providers[0].agent.max_utilisation_bps", "is 20000"},
			{"metrics[0].kind", `"nope" is not a registered metric`},
		}},
		{"region names", func(sc *sim.Scenario) {
			sc.Regions = append(sc.Regions, sim.Region{Name: "us-east"}, sim.Region{Name: "eu west"}, sim.Region{})
		}, []want{{"regions[4].name", "listed twice"}, {"regions[5].name", "characters"}, {"regions[6].name", "is empty"}}},
		{"no regions", func(sc *sim.Scenario) { sc.Regions = nil; sc.Providers[0].Regions = nil },
			[]want{{"regions", "is empty"}}},
		{"duplicate class names and reserved attribute", func(sc *sim.Scenario) {
			sc.Tenants = append(sc.Tenants, sc.Tenants[0])
			p := sc.Providers[0]
			p.Attributes = map[string]string{"region": "us-east"}
			sc.Providers = append(sc.Providers, p)
		}, []want{
			{"tenants[1].name", "names two tenant classes"},
			{"providers[1].name", "names two provider classes"},
			{"providers[1].attributes.region", "move it to regions: {us-east: 1}"},
		}},
		{"arrival", func(sc *sim.Scenario) {
			sc.Tenants[0].Arrival = sim.Arrival{Process: "bursty", RatePerHour: -1, PeakAt: sim.Duration(25 * time.Hour), TraceFile: "x.txt"}
		}, []want{
			{"tenants[0].arrival.process", `"bursty" is not an arrival process; use one of poisson, diurnal, trace`},
			{"tenants[0].arrival.rate_per_hour", "is -1"},
			{"tenants[0].arrival.peak_at", "not a time of day"},
			{"tenants[0].arrival.trace_file", "only read by process trace"},
		}},
		{"trace without file", func(sc *sim.Scenario) { sc.Tenants[0].Arrival.Process = "trace" },
			[]want{{"tenants[0].arrival.trace_file", "is empty but process is trace"}}},
		{"outputs", func(sc *sim.Scenario) { sc.Outputs = []string{"providers", "nope", "providers"} }, []want{
			{"outputs[1]", `"nope" is not an output; use any of timeseries`},
			{"outputs[2]", `"providers" is listed twice`},
		}},
		{"reputation", func(sc *sim.Scenario) { sc.Tenants[0].MinReputation = 10_001 }, []want{{"tenants[0].min_reputation", "above the top"}}},
		{"no tenants", func(sc *sim.Scenario) { sc.Tenants = nil }, []want{{"tenants", "nothing would post"}}},
		{"delivery network", func(sc *sim.Scenario) {
			dn := DefaultDeliveryNetwork()
			dn.Users = map[string]sim.DiurnalLoad{"narnia": {Peak: -5, Amplitude: 3}}
			dn.HomeRegion = "narnia"
			dn.MinGroups, dn.MaxGroups = 4, 2
			dn.MaxPrice = money.Zero()
			dn.CheckEvery = sim.Duration(time.Second)
			sc.Tiers.DeliveryNetwork = &dn
		}, []want{
			{"tiers.delivery_network.users.narnia", "not a region"},
			{"tiers.delivery_network.users.narnia.peak", "is -5"},
			{"tiers.delivery_network.users.narnia.amplitude", "is 3"},
			{"tiers.delivery_network.max_price", "is 0"},
			{"tiers.delivery_network.max_groups", "is 2 (min_groups 4)"},
			{"tiers.delivery_network.home_region", `"narnia" is not a region`},
			{"tiers.delivery_network.check_every", "shorter than a block"},
		}},
		{"ml batch", func(sc *sim.Scenario) {
			ml := DefaultMLBatch()
			ml.JobsPerHour, ml.MaxWorkers, ml.StaticWorkers = 0, 0, 0
			sc.Tiers.MLBatch = &ml // no GPU provider either
		}, []want{
			{"tiers.ml_batch.jobs_per_hour", "is 0"},
			{"tiers.ml_batch.max_workers", "is 0"},
			{"tiers.ml_batch.static_workers", "is 0"},
			{"tiers.ml_batch.worker", "no provider class can hold it"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := Defaults()
			sc.Providers = sc.Providers[:1] // one class keeps the expected paths short
			FillImplied(&sc)
			c.break_(&sc)
			err := Validate(&sc)
			if err == nil {
				t.Fatal("validated; want errors")
			}
			if !errors.Is(err, sim.ErrInvalidScenario) {
				t.Fatalf("errors.Is(err, ErrInvalidScenario) is false for %T", err)
			}
			var got sim.ValidationErrors
			if !errors.As(err, &got) {
				t.Fatalf("err is %T, want ValidationErrors", err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(c.want), err)
			}
			for i, w := range c.want {
				if got[i].Path != w.path || !strings.Contains(got[i].Error(), w.fragment) {
					t.Errorf("problem %d = %q, want path %s with %q", i, got[i].Error(), w.path, w.fragment)
				}
				if got[i].Hint == "" {
					t.Errorf("problem %d (%s) has no hint", i, got[i].Path)
				}
			}
		})
	}
}
