package cli

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	deploymentcli "github.com/akash-market/akash/node/x/deployment/client/cli"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/provider/certs"
	"github.com/akash-market/akash/provider/tenant"
)

// deployCommand is the tenant client: `akash-node deploy create|status|logs|update|deposit|close`.
func deployCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "deploy",
		Short: "Deploy a manifest end to end and manage it (tenant client)",
		Example: `  akash-node deploy create deploy.yaml --from alice --deposit 5000000uakt --chain-id akash-local --keyring-backend test
  akash-node deploy status 42 --from alice --keyring-backend test
  akash-node deploy logs 42 --follow --from alice --keyring-backend test
  akash-node deploy close 42 --from alice --chain-id akash-local --keyring-backend test`,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(deployCreateCmd(), deployStatusCmd(), deployLogsCmd(), deployUpdateCmd(), deployDepositCmd(), deployCloseCmd())
	return cmd
}

// tenantClient loads (or makes and saves) the --from account's certificate
// and builds the client.
func tenantClient(cmd *cobra.Command) (*tenant.Client, error) {
	c, ctx, err := chainClient(cmd)
	if err != nil {
		return nil, err
	}
	addr := ctx.FromAddress.String()
	acct, err := certs.Load(ctx.HomeDir, addr)
	if err != nil {
		if acct, err = certs.New(addr, 365*24*time.Hour); err != nil {
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

func deployCreateCmd() *cobra.Command {
	var deposit string
	var dseq uint64
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "create <manifest.yaml>",
		Short: "Create a deployment and run it: certificate, deployment tx, match, manifest to each provider, wait until running",
		Long: `Does the whole flow: makes and publishes the account's certificate if missing, creates the
deployment (one order per placement group) with the deposit in escrow (--sealed: its
orders take sealed bids; --min-reputation: only providers of that reputation bid), waits for every
group's lease, sends the manifest to each winning provider over mutual TLS (the provider
checks its hash against the deployment's version on chain), waits until every service
runs, and prints the endpoints and where the time went.`,
		Example: `  akash-node deploy create deploy.yaml --from alice --deposit 5000000uakt --chain-id akash-local --keyring-backend test
  akash-node deploy create deploy.yaml --sealed --min-reputation 5000 --from alice --keyring-backend test`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true // from here on errors are about the run, not the flags
			m, err := readManifest(args[0])
			if err != nil {
				return err
			}
			dep, err := sdk.ParseCoinNormalized(deposit)
			if err != nil {
				return fmt.Errorf("--deposit %q: %v (e.g. 5000000uakt)", deposit, err)
			}
			asks, err := deploymentcli.Asks(cmd)
			if err != nil {
				return err
			}
			tc, err := tenantClient(cmd)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			res, err := tc.Create(ctx, m, dep, asks, dseq, timeout)
			if res.Deployment.DSeq != 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "deployment %s (dseq %d), version %s\n", res.Deployment, res.Deployment.DSeq, res.Version)
			}
			for _, l := range res.Leases {
				fmt.Fprintf(cmd.OutOrStdout(), "lease %s at %s\n", l.Lease, l.HostURI)
				for _, e := range l.Endpoints {
					fmt.Fprintf(cmd.OutOrStdout(), "  %s\n", e)
				}
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), res.Timings)
			return nil
		},
	}
	cmd.Flags().StringVar(&deposit, "deposit", "5000000uakt", "escrow deposit (whole coins)")
	cmd.Flags().Uint64Var(&dseq, "dseq", 0, "deployment sequence (default: the current height)")
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Minute, "how long to wait for leases and running services")
	deploymentcli.AddAsksFlags(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func deployStatusCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "status <dseq>",
		Short:   "Show the deployment, why it closed if it did, its leases and their services",
		Example: `  akash-node deploy status 42 --from alice --keyring-backend test --node tcp://127.0.0.1:26657`,
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
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "deployment %s: %s\n", did, d.Deployment.State)
			if d.Deployment.CloseReason != "" {
				fmt.Fprintf(out, "  closed at height %d: %s: %s\n", d.Deployment.ClosedAt, d.Deployment.CloseReason, d.Deployment.CloseDetail)
			}
			for _, l := range d.Leases {
				fmt.Fprintf(out, "lease %s: %s, %s per block", l.ID, l.State, l.Price)
				if l.State != mtypes.LeaseActive {
					fmt.Fprintf(out, ", closed: %s: %s\n", l.CloseReason, l.CloseDetail)
					continue
				}
				fmt.Fprintln(out)
				st, _, err := tc.Status(cmd.Context(), l.ID.ToCore())
				if err != nil {
					fmt.Fprintf(out, "  %v\n", err)
					continue
				}
				for _, s := range st.Services {
					fmt.Fprintf(out, "  %s: %s, %d/%d ready, %d restarts\n", s.Name, s.State, s.Ready, s.Wanted, s.Restarts)
					for _, e := range s.Endpoints {
						fmt.Fprintf(out, "    %d/%s -> %s\n", e.Port, e.Proto, e.Address())
					}
				}
			}
			return nil
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func deployLogsCmd() *cobra.Command {
	var o tenant.LogOptions
	cmd := &cobra.Command{
		Use:     "logs <dseq>",
		Short:   "Print (or --follow) the logs of the deployment's active leases",
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
				if err := tc.Logs(ctx, l.ID.ToCore(), o, cmd.OutOrStdout()); err != nil {
					return err
				}
			}
			if n == 0 {
				return fmt.Errorf("deployment %s has no active lease (see deploy status %d)", did, did.DSeq)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&o.Follow, "follow", "f", false, "keep streaming")
	cmd.Flags().IntVar(&o.Tail, "tail", 0, "last lines per replica (0 = all)")
	cmd.Flags().StringVar(&o.Service, "service", "", "only this service")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func deployUpdateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "update <dseq> <manifest.yaml>",
		Short:   "Record a new manifest version on chain and send it to the deployment's providers",
		Example: `  akash-node deploy update 42 deploy-v2.yaml --from alice --chain-id akash-local --keyring-backend test`,
		Args:    cobra.ExactArgs(2),
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
			m, err := readManifest(args[1])
			if err != nil {
				return err
			}
			return tc.Update(cmd.Context(), did, m)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
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
			tc, err := tenantClient(cmd)
			if err != nil {
				return err
			}
			did, err := parseDSeq(tc, args[0])
			if err != nil {
				return err
			}
			amt, err := sdk.ParseCoinNormalized(args[1])
			if err != nil {
				return fmt.Errorf("amount %q: %v (e.g. 1000000uakt)", args[1], err)
			}
			return tc.Deposit(cmd.Context(), did, amt)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
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
			fmt.Fprintf(cmd.OutOrStdout(), "deployment %s closed\n", did)
			return nil
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}
