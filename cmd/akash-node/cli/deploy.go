package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/cert/certgen"
	dcli "github.com/akash-market/akash/node/x/deployment/client/cli"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/provider/tenant"
)

// deployCommand is the tenant client: `akash-node deploy create|status|logs|update|send-manifest|deposit|close`
// and the Akash provider-services names lease-status, lease-logs, lease-events.
func deployCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "deploy",
		Short: "Deploy a manifest end to end and manage it (tenant client)",
		Example: `  akash-node deploy create deploy.yaml --from alice --deposit 5000000uakt --chain-id akash-local --keyring-backend test
  akash-node deploy status 42 --from alice --keyring-backend test -o json
  akash-node deploy logs 42 --follow --from alice --keyring-backend test
  akash-node deploy send-manifest 42 deploy.yaml --from alice --keyring-backend test
  akash-node deploy close 42 --from alice --chain-id akash-local --keyring-backend test`,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(deployCreateCmd(), deployStatusCmd(), deployLogsCmd(), deployUpdateCmd(), deploySendManifestCmd(),
		deployDepositCmd(), deployCloseCmd(), leaseStatusCmd(), leaseLogsCmd(), leaseEventsCmd())
	return cmd
}

// tenantFlags adds the tx flags (signing, gas, fees) and makes -o text the
// default of a tenant command (json is one flag away).
func tenantFlags(cmd *cobra.Command) {
	flags.AddTxFlagsToCmd(cmd)
	batchedTxFlags(cmd)
	o := cmd.Flags().Lookup(flags.FlagOutput)
	o.DefValue = "text"
	_ = o.Value.Set("text")
}

// output prints v as JSON with -o json, else calls text.
func output(cmd *cobra.Command, v any, text func(w io.Writer)) error {
	switch f, _ := cmd.Flags().GetString(flags.FlagOutput); f {
	case "json":
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case "text", "":
		text(cmd.OutOrStdout())
		return nil
	default:
		return fmt.Errorf("-o %q: want text or json", f)
	}
}

// tenantClient loads (or makes and saves) the --from account's certificate
// and builds the client.
func tenantClient(cmd *cobra.Command) (*tenant.Client, error) {
	c, ctx, err := chainClient(cmd)
	if err != nil {
		return nil, err
	}
	addr := ctx.FromAddress.String()
	acct, err := certgen.Load(ctx.HomeDir, addr)
	if err != nil {
		if acct, err = certgen.New(addr, 365*24*time.Hour); err != nil {
			return nil, err
		}
		if err := acct.Save(ctx.HomeDir); err != nil {
			return nil, fmt.Errorf("save the certificate of %s under %s: %w", addr, ctx.HomeDir, err)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "created certificate for %s (serial %s)\n", addr, acct.X509.SerialNumber)
	}
	return &tenant.Client{Chain: c, Account: acct, Log: cmd.ErrOrStderr()}, nil
}

func readManifest(path string) (*manifest.Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return manifest.Parse(path, data)
}

func parseDSeq(tc *tenant.Client, s string) (market.DeploymentID, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return market.DeploymentID{}, fmt.Errorf("dseq %q: want the deployment's sequence number (printed by deploy create)", s)
	}
	return market.DeploymentID{Owner: tc.Chain.Signer(), DSeq: n}, nil
}

// leaseJSON is one lease in -o json output.
type leaseJSON struct {
	Lease     string   `json:"lease"`
	HostURI   string   `json:"host_uri,omitempty"`
	Endpoints []string `json:"endpoints,omitempty"`
}

func leasesJSON(ls []tenant.LeaseResult) []leaseJSON {
	out := make([]leaseJSON, len(ls))
	for i, l := range ls {
		out[i] = leaseJSON{Lease: l.Lease.String(), HostURI: l.HostURI, Endpoints: l.Endpoints}
	}
	return out
}

func printLeases(w io.Writer, ls []tenant.LeaseResult) {
	for _, l := range ls {
		fmt.Fprintf(w, "lease %s at %s\n", l.Lease, l.HostURI)
		for _, e := range l.Endpoints {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

func deployCreateCmd() *cobra.Command {
	var deposit string
	var dseq uint64
	var timeout time.Duration
	var keep bool
	var retry time.Duration
	var pick string
	cmd := &cobra.Command{
		Use:   "create <manifest.yaml>",
		Short: "Create a deployment and run it: certificate, deployment tx, match, manifest to each provider, wait until running",
		Long: `Does the whole flow: makes and publishes the account's certificate if missing, creates the
deployment (one order per placement group) with the deposit in escrow (--sealed: its
orders take sealed bids; --min-reputation: only providers of that reputation bid), waits for every
group's lease, sends the manifest to each winning provider over mutual TLS (the provider
checks its hash against the deployment's version on chain; a provider that is briefly
down is tried again with backoff for --manifest-retry), waits until every service runs,
and prints the endpoints and where the time went.

When the market's params say matching: tenant (query market params), each order waits after
its bidding window for your pick: the command lists its bids (price, provider, reputation,
attributes) and picks by --pick (cheapest, or a provider address), or asks you when stdin is
a terminal; without either it stops and says so (the deployment is closed as below).

When an order closes without a lease, or the manifest cannot be delivered, the deployment
is closed so its deposit returns (unless --keep-on-failure). Once leases run, a failure
to see the services ready leaves the deployment open (see deploy status and logs).`,
		Example: `  akash-node deploy create deploy.yaml --from alice --deposit 5000000uakt --chain-id akash-local --keyring-backend test
  akash-node deploy create deploy.yaml --from alice --gas auto --gas-prices 0.025uakt -o json
  akash-node deploy create deploy.yaml --sealed --min-reputation 5000 --from alice --keyring-backend test
  akash-node deploy create deploy.yaml --pick cheapest --from alice   # matching: tenant
  akash-node deploy create deploy.yaml --pick akash1prov... --from alice`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true // from here on errors are about the run, not the flags
			m, err := readManifest(args[0])
			if err != nil {
				return err
			}
			dep, err := dcli.ParseWholeCoin("--deposit", deposit)
			if err != nil {
				return err
			}
			asks, err := dcli.Asks(cmd)
			if err != nil {
				return err
			}
			tc, err := tenantClient(cmd)
			if err != nil {
				return err
			}
			tc.KeepOnFailure, tc.ManifestRetry = keep, retry
			switch {
			case pick != "":
				if tc.Picker, err = tenant.PickBy(pick); err != nil {
					return err
				}
			case term.IsTerminal(int(os.Stdin.Fd())):
				tc.Picker = tenant.AskPicker(os.Stdin, cmd.ErrOrStderr())
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			res, err := tc.Create(ctx, m, dep, asks, dseq, timeout)
			if res.Deployment.DSeq == 0 {
				return err
			}
			t := res.Timings
			perr := output(cmd, map[string]any{
				"deployment": res.Deployment.String(), "dseq": res.Deployment.DSeq, "version": res.Version, "leases": leasesJSON(res.Leases),
				"timings_ms": map[string]int64{"certificate": t.Cert.Milliseconds(), "create_tx": t.CreateTx.Milliseconds(), "match": t.Match.Milliseconds(),
					"manifest": t.Manifest.Milliseconds(), "running": t.Running.Milliseconds(), "total": t.Total.Milliseconds()},
			}, func(w io.Writer) {
				fmt.Fprintf(w, "deployment %s (dseq %d), version %s\n", res.Deployment, res.Deployment.DSeq, res.Version)
				printLeases(w, res.Leases)
				if err == nil {
					fmt.Fprintln(w, res.Timings)
				}
			})
			if err != nil {
				return err
			}
			return perr
		},
	}
	cmd.Flags().StringVar(&deposit, "deposit", "5000000uakt", "escrow deposit: a whole amount of the smallest unit (1 AKT = 1000000uakt)")
	cmd.Flags().Uint64Var(&dseq, "dseq", 0, "deployment sequence (default: the current height)")
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Minute, "how long to wait for leases and running services")
	cmd.Flags().BoolVar(&keep, "keep-on-failure", false, "leave the deployment open (deposit in escrow) when no lease comes or the manifest cannot be delivered")
	cmd.Flags().DurationVar(&retry, "manifest-retry", 30*time.Second, "how long to keep trying a provider that does not answer or answers 5xx")
	cmd.Flags().StringVar(&pick, "pick", "", "matching tenant: the bid to pick for each order, cheapest or a provider address (default: ask on a terminal)")
	dcli.AddAsksFlags(cmd)
	tenantFlags(cmd)
	return cmd
}

// leaseView is one lease of deploy status.
type leaseView struct {
	Lease       string              `json:"lease"`
	State       string              `json:"state"`
	Price       string              `json:"price"`
	CloseReason string              `json:"close_reason,omitempty"`
	CloseDetail string              `json:"close_detail,omitempty"`
	Status      *tenant.LeaseStatus `json:"status,omitempty"`
	StatusError string              `json:"status_error,omitempty"`
}

func deployStatusCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "status <dseq>",
		Short:   "Show the deployment, why it closed if it did, its leases and their services",
		Example: `  akash-node deploy status 42 --from alice --keyring-backend test --node tcp://127.0.0.1:26657 -o json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true // from here on errors are about the run, not the flags
			tc, err := tenantClient(cmd)
			if err != nil {
				return err
			}
			did, err := parseDSeq(tc, args[0])
			if err != nil {
				return err
			}
			d, err := tc.Get(cmd.Context(), did)
			if err != nil {
				return err
			}
			var views []leaseView
			active := 0
			for _, l := range d.Leases {
				v := leaseView{Lease: l.ID.String(), State: l.State.String(), Price: l.Price.String(), CloseReason: l.CloseReason, CloseDetail: l.CloseDetail}
				if l.State == mtypes.LeaseActive {
					active++
					st, _, err := tc.Status(cmd.Context(), l.ID.ToCore())
					if err != nil {
						v.StatusError = err.Error()
					} else {
						v.Status = &st
					}
				}
				views = append(views, v)
			}
			dep := d.Deployment
			hint := ""
			if dep.State.String() == "active" && active == 0 && len(d.Leases) > 0 {
				hint = fmt.Sprintf("no lease of this deployment is active: its deposit stays in escrow until you close it (akash-node deploy close %d)", did.DSeq)
			}
			return output(cmd, map[string]any{"deployment": did.String(), "state": dep.State.String(), "version": fmt.Sprintf("%x", dep.Version),
				"close_reason": dep.CloseReason, "close_detail": dep.CloseDetail, "closed_at": dep.ClosedAt, "leases": views, "hint": hint,
			}, func(out io.Writer) {
				fmt.Fprintf(out, "deployment %s: %s\n", did, dep.State)
				if dep.CloseReason != "" {
					fmt.Fprintf(out, "  closed at height %d: %s: %s\n", dep.ClosedAt, dep.CloseReason, dep.CloseDetail)
				}
				for _, v := range views {
					fmt.Fprintf(out, "lease %s: %s, %s per block", v.Lease, v.State, v.Price)
					if v.State != mtypes.LeaseActive.String() {
						fmt.Fprintf(out, ", closed: %s: %s\n", v.CloseReason, v.CloseDetail)
						continue
					}
					fmt.Fprintln(out)
					if v.Status == nil {
						fmt.Fprintf(out, "  %s\n", v.StatusError)
						continue
					}
					for _, s := range v.Status.Services {
						fmt.Fprintf(out, "  %s: %s, %d/%d ready, %d restarts\n", s.Name, s.State, s.Ready, s.Wanted, s.Restarts)
						for _, e := range s.Endpoints {
							fmt.Fprintf(out, "    %d/%s -> %s\n", e.Port, e.Proto, e.Address())
						}
					}
				}
				if hint != "" {
					fmt.Fprintln(out, hint)
				}
			})
		},
	}
	tenantFlags(cmd)
	return cmd
}

func deployLogsCmd() *cobra.Command {
	var o tenant.LogOptions
	cmd := &cobra.Command{
		Use:   "logs <dseq>",
		Short: "Print (or --follow) the logs of the deployment's active leases",
		Long: `Prints the logs of every active lease of the deployment, as its providers' gateways
serve them ("<service>-<replica> | <line>"). With -o json each line is a JSON object
{"lease": ..., "line": ...}.`,
		Example: `  akash-node deploy logs 42 --follow --service web --tail 100 --from alice --keyring-backend test`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true // from here on errors are about the run, not the flags
			tc, err := tenantClient(cmd)
			if err != nil {
				return err
			}
			did, err := parseDSeq(tc, args[0])
			if err != nil {
				return err
			}
			d, err := tc.Get(cmd.Context(), did)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			n := 0
			for _, l := range d.Leases {
				if l.State != mtypes.LeaseActive {
					continue
				}
				n++
				if err := streamLogs(cmd, tc, ctx, l.ID.ToCore(), o); err != nil {
					return err
				}
			}
			if n == 0 {
				return fmt.Errorf("deployment %s has no active lease (see deploy status %d)", did, did.DSeq)
			}
			return nil
		},
	}
	logFlags(cmd, &o)
	tenantFlags(cmd)
	return cmd
}

func logFlags(cmd *cobra.Command, o *tenant.LogOptions) {
	cmd.Flags().BoolVarP(&o.Follow, "follow", "f", false, "keep streaming")
	cmd.Flags().IntVar(&o.Tail, "tail", 0, "last lines per replica (0 = all)")
	cmd.Flags().StringVar(&o.Service, "service", "", "only this service")
}

func deployUpdateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "update <dseq> <manifest.yaml>",
		Short: "Record a new manifest version on chain, send it to the deployment's providers and show the new endpoints",
		Long: `Updates what runs (images, env, commands, ports) without a new deployment: the manifest's
new version goes on chain, the manifest to each provider of an active lease, and the
command waits until the services run again and prints their endpoints (a global port
may move to a new host port).

A deployment's groups (resources, counts, placement, prices) are fixed on chain for its
life: a manifest that changes them is refused, naming what differs; close the deployment
and create a new one instead.`,
		Example: `  akash-node deploy update 42 deploy-v2.yaml --from alice --chain-id akash-local --keyring-backend test`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return resend(cmd, args[0], args[1], true)
		},
	}
	tenantFlags(cmd)
	return cmd
}

// resend is deploy update (update: a new version on chain first) and
// send-manifest (the version on chain already).
func resend(cmd *cobra.Command, dseqArg, path string, update bool) error {
	cmd.SilenceUsage = true // from here on errors are about the run, not the flags
	tc, err := tenantClient(cmd)
	if err != nil {
		return err
	}
	did, err := parseDSeq(tc, dseqArg)
	if err != nil {
		return err
	}
	m, err := readManifest(path)
	if err != nil {
		return err
	}
	var ls []tenant.LeaseResult
	if update {
		ls, err = tc.Update(cmd.Context(), did, m)
	} else {
		ls, err = tc.Resend(cmd.Context(), did, m)
	}
	if err != nil {
		return err
	}
	v := m.Version()
	return output(cmd, map[string]any{"deployment": did.String(), "version": fmt.Sprintf("%x", v[:]), "leases": leasesJSON(ls)}, func(w io.Writer) {
		fmt.Fprintf(w, "deployment %s at version %x\n", did, v[:])
		printLeases(w, ls)
	})
}

func deploySendManifestCmd() *cobra.Command {
	var dseq string
	cmd := &cobra.Command{
		Use:   "send-manifest <dseq> <manifest.yaml> | send-manifest <manifest.yaml> --dseq N",
		Short: "Send the deployment's manifest again to the providers of its active leases",
		Long: `Sends the manifest (its hash must be the deployment's version on chain) to the provider
of every active lease and waits until the services run: for a provider that restarted
without it, or after deploy create gave up waiting (--keep-on-failure). A provider that
does not answer is tried again with backoff. The Akash form (file first, --dseq) works too.`,
		Example: `  akash-node deploy send-manifest 42 deploy.yaml --from alice --keyring-backend test
  akash-node deploy send-manifest deploy.yaml --dseq 42 --from alice --keyring-backend test`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 2 && dseq == "":
				return resend(cmd, args[0], args[1], false)
			case len(args) == 1 && dseq != "":
				return resend(cmd, dseq, args[0], false)
			}
			return fmt.Errorf("send-manifest: give <dseq> <manifest.yaml>, or <manifest.yaml> --dseq N")
		},
	}
	cmd.Flags().StringVar(&dseq, "dseq", "", "deployment sequence (Akash form: the manifest file is then the only argument)")
	tenantFlags(cmd)
	return cmd
}

func deployDepositCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "deposit <dseq> <amount>",
		Short:   "Add funds to the deployment's escrow",
		Example: `  akash-node deploy deposit 42 1000000uakt --from alice --chain-id akash-local --keyring-backend test`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true // from here on errors are about the run, not the flags
			amt, err := dcli.ParseWholeCoin("amount", args[1])
			if err != nil {
				return err
			}
			tc, err := tenantClient(cmd)
			if err != nil {
				return err
			}
			did, err := parseDSeq(tc, args[0])
			if err != nil {
				return err
			}
			if err := tc.Deposit(cmd.Context(), did, amt); err != nil {
				return err
			}
			return output(cmd, map[string]any{"deployment": did.String(), "deposited": amt.String()}, func(w io.Writer) {
				fmt.Fprintf(w, "deposited %s into deployment %s\n", amt, did)
			})
		},
	}
	tenantFlags(cmd)
	return cmd
}

func deployCloseCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "close <dseq>",
		Short:   "Close the deployment: its leases end, providers tear down, the rest of the deposit returns",
		Example: `  akash-node deploy close 42 --from alice --chain-id akash-local --keyring-backend test`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true // from here on errors are about the run, not the flags
			tc, err := tenantClient(cmd)
			if err != nil {
				return err
			}
			did, err := parseDSeq(tc, args[0])
			if err != nil {
				return err
			}
			if err := tc.Close(cmd.Context(), did); err != nil {
				return err
			}
			return output(cmd, map[string]any{"deployment": did.String(), "closed": true}, func(w io.Writer) {
				fmt.Fprintf(w, "deployment %s closed\n", did)
			})
		},
	}
	tenantFlags(cmd)
	return cmd
}
