package main

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/akash-market/akash/loadtest"
)

func init() { moreCommands = append(moreCommands, newLoadtestCommand) }

// loadtestOptions is everything the flags say, checked before anything runs.
type loadtestOptions struct {
	cfg        loadtest.Config
	scale      []int
	format     string
	thresholds []loadtest.Threshold
	baseline   *loadtest.Report
	baseFile   string
	maxRegr    float64
	save       string
}

func newLoadtestCommand(v *viper.Viper) *cobra.Command {
	def := loadtest.DefaultConfig()
	var mixHelp []string
	for _, m := range loadtest.MixNames() {
		mixHelp = append(mixHelp, m+": "+loadtest.MixAbout(m))
	}
	cmd := &cobra.Command{
		Use:   "loadtest",
		Short: "Load-test the matcher: bid placement, eligibility, close and lease creation",
		Long: `loadtest drives the market's order book and escrow (the same core the chain
runs) directly, with no simulation clock: it opens --orders orders, places
--bids-per-order bids on each, checks eligibility alone, reveals sealed bids,
closes every order (one CloseDueInto per order) and opens each winner's lease.
Each phase reports throughput, per-op latency p50/p99/p99.9/max (HdrHistogram,
means of --batch ops), allocations per op and heap in use. A warm-up round
runs first, unmeasured. Generation is deterministic from --seed.

Mixes (--mix):
  ` + strings.Join(mixHelp, "\n  ") + `

Thresholds make it a CI gate: --min-throughput and --max-p99 (repeatable, per
phase: add, place, eligible, reveal, close, lease) and --baseline with
--max-regression (throughput and p99 of every phase against an earlier
--output json or --save result). Any breach exits 1 naming the figure, the
limit and the measured value. See docs/loadtest.md.`,
		Example: `  # The reference load on one core: 100,000 open orders, 20 bids each
  akash-sim loadtest --cpu 1

  # Cost per bid against the size of the book
  akash-sim loadtest --cpu 1 --scale 1e3,1e4,1e5,1e6

  # CI gate: absolute limits and at most 20% worse than the last baseline
  akash-sim loadtest --cpu 1 --min-throughput place=5M --max-p99 place=2us \
    --baseline baseline.json --max-regression 20 --save result.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opt, err := loadtestOptionsFrom(v)
			if err != nil {
				return err
			}
			if opt.cfg.CPU > 0 {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(opt.cfg.CPU))
			}
			rep, err := loadtest.RunScaling(opt.cfg, opt.scale)
			if err != nil {
				if errors.Is(err, loadtest.ErrConfig) {
					return &exitError{exitUsage, err.Error()}
				}
				return &exitError{exitInvalid, fmt.Sprintf("loadtest: %v", err)}
			}
			if opt.save != "" {
				if err := loadtest.Save(opt.save, rep); err != nil {
					return &exitError{exitUsage, fmt.Sprintf("--save: %v", err)}
				}
			}
			if opt.format == "json" {
				data, err := rep.Marshal()
				if err != nil {
					return err
				}
				if _, err := cmd.OutOrStdout().Write(data); err != nil {
					return err
				}
			} else if err := loadtest.WriteText(cmd.OutOrStdout(), rep); err != nil {
				return err
			}
			return judge(cmd, opt, rep)
		},
	}
	f := cmd.Flags()
	f.Int("orders", def.Orders, "open orders in the book while bids are placed")
	f.Int("bids-per-order", def.BidsPerOrder, "bids each order receives per round")
	f.String("mix", def.Mix, "attribute and resource mix: "+strings.Join(loadtest.MixNames(), ", "))
	f.Float64("ineligible", def.Ineligible, "share of bids that fail an eligibility rule (0..1)")
	f.Float64("sealed", def.Sealed, "share of orders that take sealed bids, committed then revealed (0..1)")
	f.String("pattern", def.Pattern, "which orders bids go to: recent (window by window, as in a live market) or uniform (random order, cache-cold)")
	f.Int("window", def.Window, "orders per window for --pattern recent")
	f.String("lookup", def.Lookup, "how open bids name their order and provider: ref (PlaceBidAs with the OrderRef from FillableRefs and the provider's handle) id (PlaceBidFrom by OrderID, with the provider's handle from its registration, as a chain keeping it beside the provider's record would) or id-addr (PlaceBid by OrderID and address)")
	f.Int64("ops", 0, "stop after this many measured bid placements (0: one round, or --duration)")
	f.String("duration", "", "keep running rounds until this much time is measured, e.g. 10s")
	f.Int("warmup", def.Warmup, "unmeasured rounds first")
	f.Int("batch", def.Batch, "ops per timestamp pair (latencies are batch means; 1 times every op, adding the clock's cost)")
	f.Uint64("seed", def.Seed, "generation seed (PCG); the same seed places the same bids and closes the same matches")
	f.Int("cpu", 0, "GOMAXPROCS for the run, e.g. 1 to measure one core (0: unchanged)")
	f.String("scale", "", "comma-separated open-order counts to run in turn, e.g. 1e3,1e4,1e5,1e6 (overrides --orders)")
	f.StringArray("min-throughput", nil, "fail if PHASE's ops/s is below VALUE: PHASE=VALUE, e.g. place=5M (repeatable)")
	f.StringArray("max-p99", nil, "fail if PHASE's p99 per-op latency is above VALUE: PHASE=DURATION, e.g. place=2us (repeatable)")
	f.String("baseline", "", "an earlier --save/--output json result to compare with")
	f.Float64("max-regression", 10, "with --baseline: fail if a phase's throughput falls or p99 rises by more than this percent")
	f.String("save", "", "also write the JSON result to this file (atomically), e.g. as the next baseline")
	addOutputFlag(cmd)
	return cmd
}

// loadtestOptionsFrom reads and checks every flag; any problem is a usage
// error naming the flag, reported before anything runs.
func loadtestOptionsFrom(v *viper.Viper) (*loadtestOptions, error) {
	usage := func(format string, a ...any) error { return &exitError{exitUsage, fmt.Sprintf(format, a...)} }
	format, err := outputFormat(v)
	if err != nil {
		return nil, err
	}
	opt := &loadtestOptions{format: format, save: v.GetString("save"), maxRegr: v.GetFloat64("max-regression")}
	c := loadtest.DefaultConfig()
	c.Orders = v.GetInt("orders")
	c.BidsPerOrder = v.GetInt("bids-per-order")
	c.Mix = v.GetString("mix")
	c.Ineligible = v.GetFloat64("ineligible")
	c.Sealed = v.GetFloat64("sealed")
	c.Pattern = v.GetString("pattern")
	c.Window = v.GetInt("window")
	c.Lookup = v.GetString("lookup")
	c.Ops = v.GetInt64("ops")
	c.Warmup = v.GetInt("warmup")
	c.Batch = v.GetInt("batch")
	c.Seed = v.GetUint64("seed")
	c.CPU = v.GetInt("cpu")
	if s := v.GetString("duration"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, usage("--duration %q: want a positive duration such as 10s", s)
		}
		c.Duration = d
	}
	if s := v.GetString("scale"); s != "" {
		for _, part := range strings.Split(s, ",") {
			f, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil || f < 1 || f != float64(int(f)) {
				return nil, usage("--scale %q: %q is not a whole number of orders (e.g. 1e4 or 10000)", s, part)
			}
			opt.scale = append(opt.scale, int(f))
		}
		c.Orders = opt.scale[len(opt.scale)-1]
	}
	if err := c.Validate(); err != nil {
		return nil, usage("%v", err)
	}
	for _, n := range opt.scale {
		cc := c
		cc.Orders = n
		if err := cc.Validate(); err != nil {
			return nil, usage("--scale: %v", err)
		}
	}
	opt.cfg = c
	for _, kind := range []string{loadtest.MinThroughput, loadtest.MaxP99} {
		for _, s := range v.GetStringSlice(kind) {
			t, err := loadtest.ParseThreshold(kind, s)
			if err != nil {
				return nil, usage("%v", err)
			}
			if t.Phase == loadtest.PhaseReveal && c.Sealed == 0 {
				return nil, usage("--%s %s: the reveal phase runs only with --sealed > 0", kind, s)
			}
			opt.thresholds = append(opt.thresholds, t)
		}
	}
	if !(opt.maxRegr >= 0 && opt.maxRegr < 100) {
		return nil, usage("--max-regression %v: want a percentage in [0, 100)", opt.maxRegr)
	}
	if f := v.GetString("baseline"); f != "" {
		b, err := loadtest.Load(f)
		if err != nil {
			return nil, usage("--baseline: %v", err)
		}
		opt.baseline, opt.baseFile = b, f
	}
	return opt, nil
}

// judge applies the thresholds and the baseline; every breach is listed and
// the command exits 1.
func judge(cmd *cobra.Command, opt *loadtestOptions, rep *loadtest.Report) error {
	breaches, err := loadtest.Check(rep, opt.thresholds)
	if err != nil {
		return &exitError{exitUsage, err.Error()}
	}
	if opt.baseline != nil {
		more, notes := loadtest.Compare(rep, opt.baseline, opt.maxRegr)
		for _, n := range notes {
			fmt.Fprintf(cmd.ErrOrStderr(), "note: --baseline %s: %s\n", opt.baseFile, n)
		}
		breaches = append(breaches, more...)
	}
	if len(breaches) == 0 {
		return nil
	}
	msgs := make([]string, len(breaches))
	for i, b := range breaches {
		msgs[i] = b.Message
	}
	return &exitError{exitInvalid, strings.Join(msgs, "\n")}
}
