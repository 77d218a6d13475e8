package cli

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/provider/chainclient"
	"github.com/akash-market/akash/provider/config"
	"github.com/akash-market/akash/provider/daemon"
	"github.com/akash-market/akash/provider/overlaylink"
)

// providerCommand is `akash-node provider ...`: the provider daemon and its
// certificate.
func providerCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "provider",
		Short: "Run a provider daemon: bid on orders, receive manifests over mTLS, run leases on Docker",
		Example: `  akash-node provider cert create --from provider --chain-id akash-local --keyring-backend test
  akash-node provider run --from provider --config ~/.akash/provider.yaml --chain-id akash-local --keyring-backend test`,
		RunE: client.ValidateCmd,
	}
	cmd.AddCommand(providerRunCmd(), providerCertCmd(), providerTunnelsCmd())
	return cmd
}

// chainClient builds the daemon's chain client from the standard tx flags.
func chainClient(cmd *cobra.Command) (*chainclient.Client, client.Context, error) {
	ctx, err := client.GetClientTxContext(cmd)
	if err != nil {
		return nil, ctx, err
	}
	if ctx.FromName == "" || ctx.FromAddress.Empty() {
		return nil, ctx, fmt.Errorf("--from is required: the key (in --keyring-backend) of the account that signs (the tenant's for deploy commands, the provider's for provider commands)")
	}
	gs, err := flags.ParseGasSetting(mustString(cmd, flags.FlagGas))
	if err != nil {
		return nil, ctx, fmt.Errorf("--gas: %w (want a number of gas units or auto)", err)
	}
	adj := chainclient.DefaultGasAdjustment
	if cmd.Flags().Changed(flags.FlagGasAdjustment) {
		if adj, _ = cmd.Flags().GetFloat64(flags.FlagGasAdjustment); adj <= 0 {
			return nil, ctx, fmt.Errorf("--gas-adjustment %v: must be > 0 (e.g. 1.5)", adj)
		}
	}
	gas := gs.Gas
	if mustString(cmd, flags.FlagGas) == "" {
		gas = 0 // the client's default per message
	}
	c, err := chainclient.New(chainclient.Config{
		RPC: ctx.NodeURI, ChainID: ctx.ChainID, Provider: ctx.FromAddress.String(), KeyName: ctx.FromName,
		Keyring: ctx.Keyring, Codec: ctx.Codec, TxConfig: ctx.TxConfig,
		Gas: gas, GasAuto: gs.Simulate, GasAdjustment: adj,
		GasPrices: mustString(cmd, flags.FlagGasPrices), Fees: mustString(cmd, flags.FlagFees),
	})
	return c, ctx, err
}

// batchedTxFlags says what --gas and --fees mean for the daemon, whose
// transactions carry many messages (bids, closes, withdrawals).
func batchedTxFlags(cmd *cobra.Command) {
	cmd.Flags().Lookup(flags.FlagGas).Usage = fmt.Sprintf("gas limit per message (a transaction of n messages gets n times it; default %d), or auto to simulate every transaction and multiply its gas by --gas-adjustment", chainclient.DefaultGas)
	cmd.Flags().Lookup(flags.FlagGasAdjustment).Usage = fmt.Sprintf("with --gas auto: the simulated gas times this (default %v)", chainclient.DefaultGasAdjustment)
	cmd.Flags().Lookup(flags.FlagFees).Usage = "fee per message, e.g. 5000uakt (a transaction of n messages pays n times it); or use --gas-prices"
	cmd.Flags().Lookup(flags.FlagGasPrices).Usage = "fee per unit of gas, e.g. 0.025uakt (the fee is the transaction's gas limit times this)"
}

func mustString(cmd *cobra.Command, name string) string {
	s, _ := cmd.Flags().GetString(name)
	return s
}

func providerRunCmd() *cobra.Command {
	var o daemon.Options
	var verbose bool
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the provider daemon until interrupted",
		Long: `Runs the provider daemon next to a Docker Engine:

  - publishes the provider's certificate (<home>/certs/<address>.crt) and registers or
    updates the provider (host-uri, attributes from the config) on chain;
  - reconciles Docker with the chain (adopts what runs, restarts what is missing,
    removes containers of leases that closed), then catches up on open orders;
  - bids on orders that fit its inventory and attributes at its rate card's price,
    watching new orders on the CometBFT websocket (and catching up after any gap);
  - after a win waits manifest-timeout-blocks for the manifest on the mTLS gateway
    (tenant or fellow provider, hash = on-chain version), runs it on Docker, and
    closes the lease with reason manifest-timeout if none comes;
  - withdraws earnings every withdraw-period-blocks, tears down closed leases;
  - fetches a manifest the tenant sent only to another provider of the deployment from
    that provider (mTLS, hash = on-chain version) when none came 2 blocks after the lease;
  - with --tunnel-listen: opens the overlay's mutual-TLS tunnels for the connections the
    manifest allows between services at different providers (akash-node provider tunnels);
  - serves Prometheus metrics; says "bidding stalled" (log + metric) when eligible
    orders wait and no bid lands for stall-after-blocks.

The config file (provider.yaml):

` + config.Example,
		Example: `  akash-node provider run --from provider --config ~/.akash/provider.yaml \
    --chain-id akash-local --keyring-backend test --node tcp://127.0.0.1:26657 \
    --gateway-listen 0.0.0.0:8443 --metrics-listen 127.0.0.1:9102 --public-host 203.0.113.7 \
    --tunnel-listen 0.0.0.0:8444

  # inside a container (docker run -v /var/run/docker.sock:/var/run/docker.sock --name prov ...)
  akash-node provider run --from provider --node tcp://10.0.0.1:26657 --keyring-backend test \
    --gateway-listen 10.0.0.20:8443 --tunnel-listen 10.0.0.20:8444 --metrics-listen 127.0.0.1:9102 \
    --tunnel-container prov`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SilenceUsage = true // from here on errors are about the run, not the flags
			c, ctx, err := chainClient(cmd)
			if err != nil {
				return err
			}
			o.Chain, o.Provider, o.Home = c, ctx.FromAddress.String(), ctx.HomeDir
			if o.ConfigFile == "" {
				o.ConfigFile = filepath.Join(ctx.HomeDir, "provider.yaml")
			}
			level := slog.LevelInfo
			if verbose {
				level = slog.LevelDebug
			}
			o.Log = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			sctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return daemon.Run(sctx, o)
		},
	}
	cmd.Flags().StringVar(&o.ConfigFile, "config", "", "provider config file (default <home>/provider.yaml)")
	cmd.Flags().StringVar(&o.GatewayListen, "gateway-listen", "0.0.0.0:8443", "address of the mTLS gateway (manifests, status, logs)")
	cmd.Flags().StringVar(&o.MetricsListen, "metrics-listen", "127.0.0.1:9102", "address of /metrics (Prometheus); empty = off")
	cmd.Flags().StringVar(&o.TunnelListen, "tunnel-listen", "", "address of the overlay's tunnel endpoint, e.g. 0.0.0.0:8444 (peers learn where to dial it from the gateway, see --tunnel-advertise); empty = no tunnels")
	cmd.Flags().StringVar(&o.TunnelAdvertise, "tunnel-advertise", "", "host:port peers dial for this provider's tunnel endpoint, told to them by the gateway (GET /v1/overlay/endpoint); default: the host-uri's host and --tunnel-listen's port")
	cmd.Flags().StringVar(&o.TunnelContainer, "tunnel-container", "", "when the daemon runs in a container of the Docker Engine it drives (socket mounted in): that container's name or ID; tunnel ends join the lease networks through it, and the listeners must name the container's own address, not 0.0.0.0")
	cmd.Flags().StringVar(&o.PublicHost, "public-host", "127.0.0.1", "host name or IP tenants use to reach global exposes (reported as endpoints)")
	cmd.Flags().BoolVar(&o.Register, "register", true, "publish the certificate and create/update the provider registration before running")
	cmd.Flags().BoolVar(&verbose, "verbose", false, "log every skipped order and tx")
	flags.AddTxFlagsToCmd(cmd)
	batchedTxFlags(cmd)
	return cmd
}

func providerCertCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "cert",
		Short:   "The account certificate every mTLS connection presents",
		Example: "  akash-node provider cert create --from provider --chain-id akash-local --keyring-backend test",
		RunE:    client.ValidateCmd,
	}
	var validity time.Duration
	var hosts []string
	create := &cobra.Command{
		Use:   "create",
		Short: "Make the account's certificate (if missing) and publish it in the cert module",
		Long: `Makes a self-signed ECDSA P-256 certificate whose subject CN is the --from account's
address, saves it under <home>/certs/<address>.crt/.key (key 0600), and publishes it on
chain. Tenants and providers present it on every mTLS connection; the gateway accepts
only a certificate that is on chain and not revoked. Running it again publishes the
existing certificate if the chain lacks it.`,
		Example: `  akash-node provider cert create --from provider --host provider.example.com --chain-id akash-local --keyring-backend test`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SilenceUsage = true // from here on errors are about the run, not the flags
			c, ctx, err := chainClient(cmd)
			if err != nil {
				return err
			}
			addr := ctx.FromAddress.String()
			acct, err := certgen.Load(ctx.HomeDir, addr)
			if err != nil {
				if acct, err = certgen.New(addr, validity, hosts...); err != nil {
					return err
				}
				if err := acct.Save(ctx.HomeDir); err != nil {
					return fmt.Errorf("save certificate under %s: %w", ctx.HomeDir, err)
				}
				crt, _ := certgen.Paths(ctx.HomeDir, addr)
				fmt.Fprintf(cmd.OutOrStdout(), "created %s (serial %s, valid until %s)\n", crt, acct.X509.SerialNumber, acct.X509.NotAfter.Format(time.DateOnly))
			}
			published, err := c.PublishCert(cmd.Context(), acct)
			if err != nil {
				return err
			}
			if published {
				fmt.Fprintf(cmd.OutOrStdout(), "published certificate serial %s of %s on chain\n", acct.X509.SerialNumber, addr)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "certificate serial %s of %s is already on chain\n", acct.X509.SerialNumber, addr)
			}
			return nil
		},
	}
	create.Flags().DurationVar(&validity, "validity", 365*24*time.Hour, "how long the certificate is valid")
	create.Flags().StringSliceVar(&hosts, "host", nil, "DNS names or IPs of the provider's gateway (SANs); tenants pin the certificate, so this is informative")
	flags.AddTxFlagsToCmd(create)
	cmd.AddCommand(create)
	return cmd
}

// providerTunnelsCmd is `akash-node provider tunnels`: the daemon's overlay
// links as its /tunnels endpoint reports them.
func providerTunnelsCmd() *cobra.Command {
	var addr string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "tunnels",
		Short: "List the overlay tunnels of a running provider daemon: state, bytes, streams, errors",
		Long: `Reads GET /tunnels from the daemon's --metrics-listen address and prints one line per
link end: client ends (this provider runs the connecting service) and served routes (it runs
the service connected to). The same numbers are on /metrics as akash_overlay_tunnel_*.`,
		Example: `  akash-node provider tunnels
  akash-node provider tunnels --metrics 127.0.0.1:9102 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SilenceUsage = true
			st, err := overlaylink.GetStats(cmd.Context(), addr)
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(st)
			}
			return overlaylink.PrintStats(cmd.OutOrStdout(), st)
		},
	}
	cmd.Flags().StringVar(&addr, "metrics", "127.0.0.1:9102", "the daemon's --metrics-listen address")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the stats as JSON")
	return cmd
}
