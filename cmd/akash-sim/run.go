package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/akash-market/akash/reports"
	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
	"github.com/akash-market/akash/sim/tiers"
	"github.com/akash-market/akash/sim/trace"
	"github.com/akash-market/akash/sweep"
)

// version is stamped into every summary; release builds set it with
// -ldflags "-X main.version=...".
var version = "dev"

func newRunCommand(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run [SCENARIO]",
		Short: "Run a deterministic market simulation and write its report",
		Long: `run simulates the market described by a scenario: tenants arrive and post
orders, providers bid by their pricing strategies, the core's matching picks
the lowest eligible bid, leases are paid block by block from escrow, providers
fail and churn. Every market rule is the same code the chain runs.

SCENARIO is a YAML file, the name of a shipped scenario (see 'akash-sim
scenario list'), or nothing for the embedded default. --set overrides any key.

The run writes to --out: summary.json, timeseries.csv, leases.csv, SVG plots
and report.html. The same scenario and seed give the same results; with
--reproducible the files are byte-identical (wall time, speed and memory,
which differ from run to run, are left out).`,
		Example: `  # The embedded default market (a simulated day), report in ./out/default
  akash-sim run

  # A shipped scenario with another seed and a higher take rate
  akash-sim run pricing-undercut --seed 7 --set market.take_rate_bps=500

  # Your own file, for two simulated hours, summary as JSON
  akash-sim run my-market.yaml --until 2h --out results/run1 --output json

  # Record every order, bid, lease and transfer of a short run (docs/trace.md)
  akash-sim run sealed-bids --until 1h --trace out/sealed.trace.jsonl

  # Byte-identical outputs for a regression test
  akash-sim run --seed 1 --reproducible --out a && akash-sim run --seed 1 --reproducible --out b && diff -r a b`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := outputFormat(v)
			if err != nil {
				return err
			}
			sc, name, err := loadScenario(args, v.GetStringSlice("set"), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			var until sim.Duration
			if s := v.GetString("until"); s != "" {
				d, err := time.ParseDuration(s)
				if err != nil || d <= 0 {
					return &exitError{exitUsage, fmt.Sprintf("--until %q: want a positive duration such as 90m or 24h", s)}
				}
				until = sim.Duration(d)
			}
			out := v.GetString("out")
			if out == "" {
				out = filepath.Join("out", name)
			}
			// Everything that can fail before the run is checked before it:
			// a typo in --out must not cost the whole run.
			if err := reports.CheckOut(out); err != nil {
				return &exitError{exitUsage, fmt.Sprintf("--out %s: %v", out, err)}
			}
			if err := fitsInMemory(sc); err != nil {
				return err
			}
			opt := sim.Options{Seed: v.GetUint64("seed"), Until: until, Version: version, Tiers: tiers.Attach}
			if path := v.GetString("trace"); path != "" {
				if opt.Trace, err = trace.Create(path, v.GetInt64("trace-limit")); err != nil {
					return &exitError{exitUsage, fmt.Sprintf("--trace %s: %v", path, err)}
				}
			}
			if bar := newProgress(cmd.ErrOrStderr(), v.GetBool("quiet"), "run "+name, "blocks"); bar != nil {
				opt.Progress = bar.set
				defer bar.finish()
			}
			started := time.Now()
			res, err := sim.Run(sc, opt)
			if opt.Trace != nil {
				if cerr := opt.Trace.Close(); cerr != nil && err == nil {
					return &exitError{exitInvalid, cerr.Error()}
				}
				if opt.Trace.Truncated() {
					fmt.Fprintf(cmd.ErrOrStderr(), "trace %s: stopped at --trace-limit %d records; the run went on untraced\n", v.GetString("trace"), v.GetInt64("trace-limit"))
				}
			}
			if err != nil {
				return &exitError{exitInvalid, fmt.Sprintf("run %s: %v", name, err)}
			}
			report := sweep.ReportOf(res)
			if v.GetBool("reproducible") {
				res.Summary.Run = sim.RunStats{}
			} else {
				// Measured once the tables and plots are written, so the
				// peak memory includes writing them.
				report.BeforeSummary = func() { res.Summary.Run = sim.MeasureRun(res.Summary.Events, time.Since(started)) }
			}
			if err := reports.Write(out, report); err != nil {
				return &exitError{exitInvalid, fmt.Sprintf("write report to %s: %v", out, err)}
			}
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(res.Summary)
			}
			writeRunText(cmd.OutOrStdout(), res.Summary, out)
			return nil
		},
	}
	f := cmd.Flags()
	f.Uint64("seed", 0, "seed of the run (0: the scenario's own seed); one seed reproduces a run exactly")
	f.String("out", "", "directory for the report (default out/<scenario>); replaced atomically")
	f.String("until", "", "simulated time to run, e.g. 2h (default: the scenario's duration)")
	f.StringArray("set", nil, "override a scenario key, e.g. --set market.take_rate_bps=500 --set providers[0].count=50")
	f.Bool("quiet", false, "no progress: neither the bar (on a terminal) nor the line every few seconds (otherwise)")
	f.Bool("reproducible", false, "leave wall time, speed and memory out so outputs are byte-identical across runs")
	f.String("trace", "", "write every action and outcome of the run to this JSON-lines file (docs/trace.md); about 400 bytes per bid, so keep runs short (--until 1h)")
	f.Int64("trace-limit", 0, "stop the trace after this many records (0: no limit); a truncated trace ends with a truncated record")
	addOutputFlag(cmd)
	return cmd
}

// loadScenario resolves SCENARIO: a file path, a shipped scenario's name, or
// (no argument) the embedded default; its warnings go to warn.
func loadScenario(args, overrides []string, warn io.Writer) (*sim.Scenario, string, error) {
	file, name := scenarios.DefaultName+".yaml", scenarios.DefaultName
	var data []byte
	if len(args) > 0 {
		arg := args[0]
		var err error
		data, err = os.ReadFile(arg)
		switch {
		case err == nil:
			file, name = arg, strings.TrimSuffix(filepath.Base(arg), filepath.Ext(arg))
		case !errors.Is(err, os.ErrNotExist):
			return nil, "", &exitError{exitUsage, fmt.Sprintf("read scenario: %v", err)}
		case slices.Contains(scenarios.Shipped(), arg):
			file, name = arg+".yaml", arg
			data = nil
		default:
			return nil, "", &exitError{exitUsage, fmt.Sprintf("scenario %q is neither a file nor a shipped scenario; shipped: %v (akash-sim scenario list)", arg, scenarios.Shipped())}
		}
	}
	if data == nil {
		var err error
		if data, err = scenarios.Source(name); err != nil {
			return nil, "", &exitError{exitUsage, err.Error()}
		}
	}
	sc, warnings, err := scenarios.Check(file, data, overrides)
	if err != nil {
		return nil, "", scenarioErr(err)
	}
	for _, w := range warnings {
		fmt.Fprintf(warn, "warning: %s\n", w.Error())
	}
	if sc.Name != "" {
		name = sc.Name
	}
	return sc, name, nil
}

func scenarioErr(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{exitInvalid, err.Error()}
}

func writeRunText(w io.Writer, s sim.Summary, out string) {
	fmt.Fprintf(w, "Scenario %s, seed %d: %.0f simulated hours, %d blocks, %d events\n",
		s.Scenario, s.Seed, s.SimulatedSeconds/3600, s.Blocks, s.Events)
	fmt.Fprintf(w, "  orders        %d posted, %d matched, fill rate %.3f, %d bids per order\n",
		s.Orders.Posted, s.Orders.Matched, s.Orders.FillRate, int64(s.Bids.PerOrder+0.5))
	fmt.Fprintf(w, "  time to lease mean %.0fs, p50 %.0fs, p90 %.0fs\n", s.TimeToLease.Mean, s.TimeToLease.P50, s.TimeToLease.P90)
	fmt.Fprintf(w, "  price/cpu     clearing %.4g vs winner's cost %.4g (markup %.1f%%)\n",
		s.Price.MeanClearingPerCPU, s.Price.MeanCostPerCPU, 100*s.Price.Markup)
	fmt.Fprintf(w, "  utilisation   %.1f%%\n", 100*s.Utilisation.Overall)
	fmt.Fprintf(w, "  providers     revenue %s%s, Gini %.3f, %d outages\n", s.Providers.RevenueExact, s.Money.Denom, s.Providers.RevenueGini, s.Providers.Outages)
	fmt.Fprintf(w, "  leases        %d opened; closed: %d served to term, %d out of funds, %d provider fault\n",
		s.Leases.Opened, s.Leases.ServedToTerm, s.Leases.InsufficientFunds, s.Leases.ProviderFault)
	fmt.Fprintf(w, "  take          %s%s to the community pool; conservation %s\n", s.Money.Exact.TakeCollected, s.Money.Denom, s.Conservation)
	for _, name := range slices.Sorted(maps.Keys(s.ByTenantClass)) {
		c := s.ByTenantClass[name]
		fmt.Fprintf(w, "  tenants %-12s %d orders, fill rate %.3f, clearing %.4g/cpu (markup %.1f%%), time to lease %.0fs\n",
			name, c.Orders.Posted, c.Orders.FillRate, c.Price.MeanClearingPerCPU, 100*c.Price.Markup, c.TimeToLease.Mean)
	}
	for _, name := range slices.Sorted(maps.Keys(s.ByProviderClass)) {
		c := s.ByProviderClass[name]
		fmt.Fprintf(w, "  providers %-10s %s: %d leases, utilisation %.1f%%, revenue %s%s (Gini %.3f), %d faults\n",
			name, c.Strategy, c.LeasesWon, 100*c.Utilisation, c.RevenueExact, s.Money.Denom, c.RevenueGini, c.Faults)
	}
	if t, ok := s.Tiers.(*tiers.Summary); ok && t != nil {
		writeTiersText(w, *t, s.Money.Denom)
	}
	if s.Run.WallSeconds > 0 {
		fmt.Fprintf(w, "  run           %.1fs wall, %.0f events/s, %d MiB peak RSS\n", s.Run.WallSeconds, s.Run.EventsPerSec, s.Run.MaxRSSBytes>>20)
	}
	if left := len(sim.OutputNames) - len(s.Outputs); left > 0 {
		fmt.Fprintf(w, "  outputs       %s (the scenario's outputs key; e.g. --set 'outputs=[%s]' for all)\n",
			strings.Join(s.Outputs, ", "), strings.Join(sim.OutputNames, ","))
	}
	fmt.Fprintf(w, "Report: %s\n", filepath.Join(out, "report.html"))
}

// writeTiersText prints the whitepaper section 5 comparisons: each tier
// against its static counterpart on the same market.
func writeTiersText(w io.Writer, t tiers.Summary, denom string) {
	if d := t.DeliveryNetwork; d != nil {
		fmt.Fprintf(w, "  5.1 delivery  tier: mean latency %.0f ms (p95 %.0f), %.1f%% within %.0f ms, cost %s%s, %d-%d groups\n",
			d.Tier.MeanLatencyMS, d.Tier.P95LatencyMS, 100*d.Tier.WithinTargetShare, d.LatencyTargetMS, d.Tier.Cost, denom, d.Tier.GroupsMin, d.Tier.GroupsMax)
		fmt.Fprintf(w, "                static in %s: mean latency %.0f ms (p95 %.0f), %.1f%% within target, cost %s%s (tier/static cost %.2f)\n",
			d.Static.Region, d.Static.MeanLatencyMS, d.Static.P95LatencyMS, 100*d.Static.WithinTargetShare, d.Static.Cost, denom, d.CostRatio)
	}
	if m := t.MLBatch; m != nil {
		fmt.Fprintf(w, "  5.2 ML batch  %d jobs; elastic (<= %d workers): %d done, mean completion %.1f h, cost %s%s, %.1f idle worker-hours\n",
			m.Jobs, m.Elastic.Workers, m.Elastic.Completed, m.Elastic.CompletionMeanH, m.Elastic.Cost, denom, m.Elastic.IdleWorkerHours)
		fmt.Fprintf(w, "                static (%d workers): %d done, mean completion %.1f h, cost %s%s, %.1f idle worker-hours (elastic/static cost %.2f)\n",
			m.Static.Workers, m.Static.Completed, m.Static.CompletionMeanH, m.Static.Cost, denom, m.Static.IdleWorkerHours, m.CostRatio)
	}
}
