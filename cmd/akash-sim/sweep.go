package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sweep"
)

func init() { moreCommands = append(moreCommands, newSweepCommand, newMergeCommand) }

func newSweepCommand(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sweep SPEC",
		Short: "Run a parameter sweep with replicates and aggregate it with confidence intervals",
		Long: `sweep runs a scenario at every point of a grid (or list) of overrides, each
point with N replicates, in parallel, and aggregates the chosen summary.json
metrics per point: mean, standard deviation and a 95% Student-t interval.

SPEC is a sweep spec (YAML, see docs/sweeps.md) or the name of a shipped one
(take-rate, pricing, tenant-pick, tiny). Replicate r runs with the same seed at every
point (common random numbers), derived from the spec's seed.

DIR (--out) receives runs/<point>/<replicate>/ (each a full, reproducible
run report), then sweep.csv, sweep.html and plots/*.svg. The same spec gives
byte-identical aggregates whatever -j, the finishing order, or the sharding.

Crash-safe: each run appears atomically; running the same command again in
the same DIR runs only what is missing. A DIR started by another spec is
refused. Ctrl-C stops cleanly, keeping every finished run.

--shard i/n runs only runs k with k mod n = i (0 ≤ i < n) and writes no
aggregate; 'akash-sim merge' combines the shards' directories (or one shared
directory) into the aggregate. deploy/ has a Kubernetes Indexed Job and a
Slurm array script that do exactly this.`,
		Example: `  # A shipped sweep on all cores, results in out/sweep-take-rate
  akash-sim sweep take-rate

  # Your own spec, 4 workers; run it again after a crash to finish it
  akash-sim sweep my-sweep.yaml --out results/take -j 4

  # Three machines, one shard each, then merge into one aggregate
  akash-sim sweep pricing --out /shared/pricing --shard 0/3   # on host A
  akash-sim sweep pricing --out /shared/pricing --shard 1/3   # on host B
  akash-sim sweep pricing --out /shared/pricing --shard 2/3   # on host C
  akash-sim merge /shared/pricing`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			plan, err := loadSweepSpec(args[0])
			if err != nil {
				return err
			}
			shard := sweep.All
			if s := v.GetString("shard"); s != "" {
				if shard, err = sweep.ParseShard(s); err != nil {
					return &exitError{exitUsage, "--shard: " + err.Error()}
				}
			}
			out := v.GetString("out")
			if out == "" {
				out = filepath.Join("out", "sweep-"+plan.Name)
			}
			jobs := v.GetInt("jobs")
			if jobs < 1 {
				return &exitError{exitUsage, fmt.Sprintf("--jobs %d: want at least 1", jobs)}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			go func() { <-ctx.Done(); stop() }() // a second Ctrl-C kills at once

			stderr := cmd.ErrOrStderr()
			what := fmt.Sprintf("sweep %s: %d points × %d replicates", plan.Name, len(plan.Points), plan.Replicates)
			if shard.N > 1 {
				what += ", shard " + shard.String()
			}
			bar := newProgress(stderr, v.GetBool("quiet"), what, "runs")
			o, err := sweep.Execute(ctx, plan, sweep.Options{Dir: out, Jobs: jobs, Shard: shard, Version: version,
				Progress: func(e sweep.Event) { bar.finished(e.Run, e.Err, int64(e.Done), int64(e.Total)) }})
			bar.finish()
			if err != nil {
				if errors.Is(err, sweep.ErrInternal) { // a run panicked: a bug, never exit 2
					return &exitError{exitInternal, "internal error (a bug in akash-sim or in an extension, please report it with the spec): " + err.Error()}
				}
				if errors.Is(err, sweep.ErrRunFailed) {
					return &exitError{exitInvalid, err.Error()}
				}
				return sweepErr(err)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s: %d runs, %d done before, %d run now\n", what, o.Total, o.AlreadyDone, o.Ran)
			if o.Interrupted {
				return &exitError{exitInvalid, fmt.Sprintf("interrupted: %d of %d runs done and kept in %s; run the same command again to finish", o.AlreadyDone+o.Ran, o.Total, out)}
			}
			if shard.N > 1 {
				fmt.Fprintf(w, "Shard %s complete in %s; when every shard is done: akash-sim merge %s\n", shard, out, out)
				return nil
			}
			if err := sweep.Aggregate(out); err != nil {
				return sweepErr(err)
			}
			fmt.Fprintf(w, "Aggregate: %s, %s\n", filepath.Join(out, "sweep.csv"), filepath.Join(out, "sweep.html"))
			return nil
		},
	}
	f := cmd.Flags()
	f.String("out", "", "sweep directory (default out/sweep-<name>); reuse it to resume")
	f.IntP("jobs", "j", runtime.NumCPU(), "runs at once (each run uses one core)")
	f.String("shard", "", "run only shard i/n of the runs (0 ≤ i < n), e.g. 0/4; merge the shards with akash-sim merge")
	f.Bool("quiet", false, "no progress: neither the bar (on a terminal) nor the line per finished run (otherwise)")
	return cmd
}

func newMergeCommand(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "merge DIR...",
		Short: "Combine the shards of a sweep into one aggregate",
		Long: `merge combines the directories that 'akash-sim sweep --shard i/n' wrote into
the aggregate (sweep.csv, sweep.html, plots/) that one process running every
run would have written, byte for byte.

Every DIR must hold the same sweep (same spec). Each run must be done in
exactly one DIR: a run present in two, or in none, is refused with the runs
named (and the shard that owns a missing run, from the shard manifests).

With one DIR (shards that shared a volume), the aggregate is written into
it. With several, --out names a new directory; the runs are hard-linked into
it (copied across file systems), so it is a complete sweep directory.`,
		Example: `  # Shards that wrote to one shared directory
  akash-sim merge /shared/pricing

  # Shards that each wrote their own directory
  akash-sim merge --out results/pricing shard-0 shard-1 shard-2`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := v.GetString("out")
			if out == "" {
				if len(args) > 1 {
					return &exitError{exitUsage, fmt.Sprintf("merge of %d directories needs --out: a new directory for the merged sweep", len(args))}
				}
				out = args[0]
			}
			res, err := sweep.Merge(out, args)
			if err != nil {
				return sweepErr(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Merged %d runs (%d brought in) into %s: %s, %s\n", res.Runs, res.Copied, out,
				filepath.Join(out, "sweep.csv"), filepath.Join(out, "sweep.html"))
			return nil
		},
	}
	cmd.Flags().String("out", "", "directory for the merged sweep (default: the DIR, when only one is given)")
	return cmd
}

// loadSweepSpec reads SPEC: a file, or a shipped sweep's name.
func loadSweepSpec(arg string) (*sweep.Plan, error) {
	data, err := os.ReadFile(arg)
	name := arg
	if errors.Is(err, os.ErrNotExist) && !strings.ContainsRune(arg, '/') {
		if data, err = scenarios.SweepSource(arg); err != nil {
			return nil, &exitError{exitUsage, fmt.Sprintf("sweep spec %q is neither a file nor a shipped sweep; shipped: %s", arg, strings.Join(scenarios.Sweeps(), ", "))}
		}
		name = strings.TrimSuffix(arg, ".yaml") + ".yaml"
	} else if err != nil {
		return nil, &exitError{exitUsage, fmt.Sprintf("read sweep spec: %v", err)}
	}
	plan, err := sweep.LoadSpec(name, data)
	if err != nil {
		return nil, &exitError{exitInvalid, err.Error()}
	}
	return plan, nil
}

func sweepErr(err error) error {
	switch {
	case errors.Is(err, sweep.ErrSpecChanged), errors.Is(err, sweep.ErrNotSweepDir), errors.Is(err, sweep.ErrShard):
		return &exitError{exitUsage, err.Error()}
	}
	return &exitError{exitInvalid, err.Error()}
}
