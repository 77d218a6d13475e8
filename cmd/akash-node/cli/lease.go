package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/akash-market/akash/core/market"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/provider/tenant"
)

// Akash's provider-services names one lease by flags: --dseq --gseq --oseq
// --provider. These are those commands over the same tenant client.

type leaseFlags struct {
	dseq       uint64
	gseq, oseq uint32
	provider   string
}

func (f *leaseFlags) add(cmd *cobra.Command) {
	cmd.Flags().Uint64Var(&f.dseq, "dseq", 0, "deployment sequence (required)")
	cmd.Flags().Uint32Var(&f.gseq, "gseq", 1, "group sequence")
	cmd.Flags().Uint32Var(&f.oseq, "oseq", 1, "order sequence")
	cmd.Flags().StringVar(&f.provider, "provider", "", "the lease's provider (default: the group's active lease, whoever holds it)")
}

// lease finds the lease the flags name among the deployment's leases.
func (f *leaseFlags) lease(ctx context.Context, tc *tenant.Client) (mtypes.Lease, error) {
	if f.dseq == 0 {
		return mtypes.Lease{}, fmt.Errorf("--dseq is required: the deployment's sequence number (printed by deploy create)")
	}
	did := market.DeploymentID{Owner: tc.Chain.Signer(), DSeq: f.dseq}
	d, err := tc.Get(ctx, did)
	if err != nil {
		return mtypes.Lease{}, err
	}
	var found *mtypes.Lease
	for i, l := range d.Leases {
		if l.ID.GSeq != f.gseq || l.ID.OSeq != f.oseq || (f.provider != "" && l.ID.Provider != f.provider) {
			continue
		}
		if found == nil || l.State == mtypes.LeaseActive {
			found = &d.Leases[i]
		}
	}
	if found == nil {
		return mtypes.Lease{}, fmt.Errorf("deployment %s has no lease for group %d order %d%s (see akash-node deploy status %d)", did, f.gseq, f.oseq, providerNote(f.provider), f.dseq)
	}
	return *found, nil
}

// run is a RunE that finds the flags' lease for do.
func (f *leaseFlags) run(do func(cmd *cobra.Command, tc *tenant.Client, l mtypes.Lease) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		cmd.SilenceUsage = true
		tc, err := tenantClient(cmd)
		if err != nil {
			return err
		}
		l, err := f.lease(cmd.Context(), tc)
		if err != nil {
			return err
		}
		return do(cmd, tc, l)
	}
}

func providerNote(p string) string {
	if p == "" {
		return ""
	}
	return " with provider " + p
}

func leaseStatusCmd() *cobra.Command {
	var f leaseFlags
	cmd := &cobra.Command{
		Use:     "lease-status --dseq N [--gseq 1 --oseq 1 --provider akash1...]",
		Short:   "Show one lease's services, replicas and endpoints as its provider reports them (Akash provider-services lease-status)",
		Example: `  akash-node deploy lease-status --dseq 42 --from alice --keyring-backend test -o json`,
		Args:    cobra.NoArgs,
		RunE: f.run(func(cmd *cobra.Command, tc *tenant.Client, l mtypes.Lease) error {
			if l.State != mtypes.LeaseActive {
				return fmt.Errorf("lease %s is %s: %s: %s", l.ID, l.State, l.CloseReason, l.CloseDetail)
			}
			st, _, err := tc.Status(cmd.Context(), l.ID.ToCore())
			if err != nil {
				return err
			}
			return output(cmd, st, func(w io.Writer) {
				fmt.Fprintf(w, "lease %s: ready %v\n", st.Lease, st.Ready)
				for _, s := range st.Services {
					fmt.Fprintf(w, "  %s: %s, %d/%d ready, %d restarts\n", s.Name, s.State, s.Ready, s.Wanted, s.Restarts)
					for _, e := range s.Endpoints {
						fmt.Fprintf(w, "    %d/%s -> %s\n", e.Port, e.Proto, e.Address())
					}
				}
			})
		}),
	}
	f.add(cmd)
	tenantFlags(cmd)
	return cmd
}

func leaseLogsCmd() *cobra.Command {
	var f leaseFlags
	var o tenant.LogOptions
	cmd := &cobra.Command{
		Use:     "lease-logs --dseq N [--gseq 1 --oseq 1 --provider akash1...]",
		Short:   "Print (or --follow) one lease's logs (Akash provider-services lease-logs)",
		Example: `  akash-node deploy lease-logs --dseq 42 --service web --tail 50 --follow --from alice --keyring-backend test`,
		Args:    cobra.NoArgs,
		RunE: f.run(func(cmd *cobra.Command, tc *tenant.Client, l mtypes.Lease) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return streamLogs(cmd, tc, ctx, l.ID.ToCore(), o)
		}),
	}
	f.add(cmd)
	logFlags(cmd, &o)
	tenantFlags(cmd)
	return cmd
}

// streamLogs copies a lease's logs to stdout: as served, or with -o json one
// {"lease", "line"} object per line.
func streamLogs(cmd *cobra.Command, tc *tenant.Client, ctx context.Context, id market.LeaseID, o tenant.LogOptions) error {
	if f, _ := cmd.Flags().GetString("output"); f != "json" {
		return tc.Logs(ctx, id, o, cmd.OutOrStdout())
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		enc := json.NewEncoder(cmd.OutOrStdout())
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if err := enc.Encode(map[string]string{"lease": id.String(), "line": sc.Text()}); err != nil {
				pr.CloseWithError(err)
				done <- err
				return
			}
		}
		done <- sc.Err()
	}()
	err := tc.Logs(ctx, id, o, pw)
	pw.Close()
	if werr := <-done; err == nil {
		err = werr
	}
	return err
}

// leaseEvent is one line of lease-events.
type leaseEvent struct {
	Source string `json:"source"` // chain or provider
	Height int64  `json:"height,omitempty"`
	Event  string `json:"event"`
}

func leaseEventsCmd() *cobra.Command {
	var f leaseFlags
	cmd := &cobra.Command{
		Use:   "lease-events --dseq N [--gseq 1 --oseq 1 --provider akash1...]",
		Short: "What happened to one lease: on chain (opened, closed and why) and at its provider (each replica's state and restarts)",
		Long: `The Akash command of this name streams Kubernetes events; here a lease runs on Docker, and
its events are the lease's life on chain (opened at a height and price, closed with a reason)
and each replica's container state and restarts as the provider reports them.`,
		Example: `  akash-node deploy lease-events --dseq 42 --from alice --keyring-backend test -o json`,
		Args:    cobra.NoArgs,
		RunE: f.run(func(cmd *cobra.Command, tc *tenant.Client, l mtypes.Lease) error {
			evs := []leaseEvent{{Source: "chain", Height: l.OpenedAt, Event: fmt.Sprintf("lease %s opened at %s per block", l.ID, l.Price)}}
			if l.State != mtypes.LeaseActive {
				evs = append(evs, leaseEvent{Source: "chain", Height: l.ClosedAt, Event: fmt.Sprintf("closed: %s: %s", l.CloseReason, l.CloseDetail)})
			} else if st, _, err := tc.Status(cmd.Context(), l.ID.ToCore()); err != nil {
				evs = append(evs, leaseEvent{Source: "provider", Event: "status unavailable: " + err.Error()})
			} else {
				for _, s := range st.Services {
					for _, r := range s.Replicas {
						ev := fmt.Sprintf("%s-%d (%s): %s since %s, ready %v", s.Name, r.Replica, r.Container, r.State, r.StartedAt, r.Ready)
						if r.Error != "" {
							ev += ", error: " + r.Error
						}
						evs = append(evs, leaseEvent{Source: "provider", Event: ev})
					}
					if s.Restarts > 0 {
						evs = append(evs, leaseEvent{Source: "provider", Event: fmt.Sprintf("%s: %d restarts", s.Name, s.Restarts)})
					}
				}
			}
			return output(cmd, evs, func(w io.Writer) {
				for _, e := range evs {
					if e.Height > 0 {
						fmt.Fprintf(w, "%-8s height %d  %s\n", e.Source, e.Height, e.Event)
					} else {
						fmt.Fprintf(w, "%-8s %s\n", e.Source, e.Event)
					}
				}
			})
		}),
	}
	f.add(cmd)
	tenantFlags(cmd)
	return cmd
}
