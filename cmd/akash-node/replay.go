package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/akash-market/akash/replay"
)

// Exit codes of `akash-node replay`.
const (
	exitAgree  = 0 // the chain did what the simulator did
	exitDiffer = 1 // differences found, or the replay failed
	exitUsage  = 2 // bad flags or arguments, an unreadable trace, one beyond the limits
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usage(err error) error { return &exitError{exitUsage, err} }

func replayCommand() *cobra.Command {
	var (
		output string
		show   int
		quiet  bool
		limits = replay.DefaultLimits
	)
	cmd := &cobra.Command{
		Use:   "replay TRACE",
		Short: "Run a simulator trace through a real in-process chain and print where the two differ",
		Long: `replay reads a trace written by 'akash-sim run SCENARIO --trace TRACE' and runs it through
the real application (every module, FinalizeBlock and Commit, one validator, an in-memory
database): each simulated actor's action becomes its signed transaction in the block the
chain would have seen it in. Then it compares the chain's leases (winner, price, open and
close heights, close reason), orders, providers' stake and every wallet with the
simulator's, and prints the first differences.

Exit status: 0 when the chain agrees with the simulator, 1 when anything differs (or a
transaction the simulator's market accepted was refused), 2 for bad usage or a trace it
cannot replay: truncated (--trace-limit), or beyond the limits below (docs/trace.md,
"Replay limits", says what a chain-sized scenario is and how to scale one down).`,
		Example: `  # a chain-sized day of the default market, then its replay
  akash-sim run default --set providers[0].count=4 --set providers[1].count=2 \
    --set tenants[0].arrival.rate_per_hour=30 --trace day.jsonl --quiet
  akash-node replay day.jsonl

  # the differences as JSON, all of them
  akash-node replay day.jsonl --output json --show 0`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usage(fmt.Errorf("replay takes one trace file, got %d arguments; e.g. akash-node replay day.jsonl", len(args)))
			}
			return nil
		},
		// Not a node or client command: no home directory, config or keyring.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return nil },
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "text" && output != "json" {
				return usage(fmt.Errorf("--output %q: want text or json", output))
			}
			if show < 0 {
				return usage(fmt.Errorf("--show %d: want 0 (all) or more", show))
			}
			cmd.SilenceUsage = true
			// The chain allocates much and keeps little per block: collect
			// less often (a third of a replay's CPU went to the GC at the
			// default 100). GOGC, when set, decides instead.
			if os.Getenv("GOGC") == "" {
				debug.SetGCPercent(400)
			}
			t, err := limits.ReadFile(args[0])
			if err != nil {
				return usage(err)
			}
			bar := newReplayProgress(cmd.ErrOrStderr(), quiet)
			rep, err := replay.Trace(t, replay.Options{Limits: limits, Progress: bar})
			if err != nil {
				var le *replay.LimitError
				if errors.As(err, &le) || !t.Complete {
					return usage(err)
				}
				return &exitError{exitDiffer, err}
			}
			out := cmd.OutOrStdout()
			if output == "json" {
				if err := writeReplayJSON(out, rep, show); err != nil {
					return err
				}
			} else {
				writeReplayText(out, rep, show)
			}
			if !rep.Agree() {
				return &exitError{exitDiffer, fmt.Errorf("replay of %s: %d refused transactions, %d differences", args[0], len(rep.Failed), len(rep.Diffs))}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&output, "output", "o", "text", "text or json")
	f.IntVar(&show, "show", 20, "print at most this many refused transactions and differences each (0: all)")
	f.BoolVar(&quiet, "quiet", false, "no progress")
	f.IntVar(&limits.Providers, "max-providers", limits.Providers, "refuse a trace with more providers (0: no limit)")
	f.IntVar(&limits.Deployments, "max-deployments", limits.Deployments, "refuse a trace with more deployments (0: no limit)")
	f.Int64Var(&limits.Blocks, "max-blocks", limits.Blocks, "refuse a trace of more blocks (0: no limit)")
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usage(err) })
	return cmd
}

// newReplayProgress reports progress on w: a bar on a terminal, otherwise a
// line every tenth of the blocks; nil when quiet.
func newReplayProgress(w io.Writer, quiet bool) func(replay.Progress) {
	if quiet {
		return nil
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		return func(p replay.Progress) {
			if bar == nil {
				bar = progressbar.NewOptions64(p.Blocks, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("replay"),
					progressbar.OptionShowCount(), progressbar.OptionSetItsString("blocks"), progressbar.OptionShowIts(),
					progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			}
			_ = bar.Set64(p.Block)
		}
	}
	start, next := time.Now(), int64(0)
	return func(p replay.Progress) {
		if p.Block*10 >= next*p.Blocks {
			fmt.Fprintf(w, "replay: block %d of %d, %d transactions, %s\n", p.Block, p.Blocks, p.Txs, time.Since(start).Round(100*time.Millisecond))
			next = p.Block*10/p.Blocks + 1
		}
	}
}

func firstN[T any](s []T, n int) []T {
	if n > 0 && len(s) > n {
		return s[:n]
	}
	return s
}

func writeReplayText(w io.Writer, r *replay.Report, show int) {
	fmt.Fprintf(w, "Replayed %s (seed %d): %d providers, %d tenants, %d deployments, %d orders, %d leases; %d blocks, %d transactions in %s\n",
		r.Scenario, r.Seed, r.Providers, r.Tenants, r.Deployments, r.Orders, r.Leases, r.Blocks, r.Txs, time.Duration(r.Took).Round(10*time.Millisecond))
	if r.Agree() {
		fmt.Fprintln(w, "The chain agrees with the simulator: every lease, order, stake and wallet.")
		return
	}
	section := func(title string, n int, lines []string) {
		if n == 0 {
			return
		}
		fmt.Fprintf(w, "%d %s", n, title)
		if len(lines) < n {
			fmt.Fprintf(w, " (the first %d)", len(lines))
		}
		fmt.Fprintln(w, ":")
		for _, l := range lines {
			fmt.Fprintln(w, "  "+l)
		}
	}
	var failed, diffs []string
	for _, f := range firstN(r.Failed, show) {
		failed = append(failed, f.String())
	}
	for _, d := range firstN(r.Diffs, show) {
		diffs = append(diffs, d.String())
	}
	section("transactions the chain refused that the simulator's market accepted", len(r.Failed), failed)
	section("outcomes that differ", len(r.Diffs), diffs)
}

func writeReplayJSON(w io.Writer, r *replay.Report, show int) error {
	out := *r
	out.Failed, out.Diffs = firstN(r.Failed, show), firstN(r.Diffs, show)
	if out.Failed == nil {
		out.Failed = []replay.Failure{}
	}
	if out.Diffs == nil {
		out.Diffs = []replay.Diff{}
	}
	v := struct {
		replay.Report
		Agree     bool `json:"agree"`
		FailedAll int  `json:"failed_total"`
		DiffsAll  int  `json:"diffs_total"`
	}{out, r.Agree(), len(r.Failed), len(r.Diffs)}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
