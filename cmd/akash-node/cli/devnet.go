package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	cmtcfg "github.com/cometbft/cometbft/config"

	"github.com/cosmos/cosmos-sdk/client"
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/akash-market/akash/node/devnet"
	"github.com/akash-market/akash/node/loadgen"
)

// devnetReadyTimeout bounds the wait for the first block after starting.
const devnetReadyTimeout = 2 * time.Minute

// devnetCommand is `akash-node devnet`: create (or restart) and run a local
// network until SIGINT/SIGTERM.
func devnetCommand(clientCtx client.Context, basicManager module.BasicManager) *cobra.Command {
	var (
		cfg   devnet.Config
		keys  string
		reset bool
	)
	cmd := &cobra.Command{
		Use:   "devnet",
		Short: "Run a local network: N validators and funded keys, ready to use",
		Long: `devnet creates a local akash network in --home (one directory per validator, a shared
test keyring with funded keys, client.toml), starts every validator as a child process of
this binary, prints how to reach it, and runs until SIGINT/SIGTERM, when it stops every
validator cleanly. Run it again with the same --home to continue from the saved state;
--reset deletes the devnet first. Creation flags (--validators, --keys, --fund,
--block-time, --ports-from, --chain-id, --host, --bid-window, --matching, --bid-timeout)
apply only when the devnet is created.

Validator i listens on --ports-from + 10*i: +0 CometBFT RPC, +1 P2P, +2 gRPC, +3 REST,
+4 Prometheus metrics.`,
		Example: `  akash-node devnet
  akash-node devnet --validators 3 --keys tenant,provider1,provider2 --block-time 500ms
  akash-node devnet --home /tmp/dn --reset --fund 5000000000000uakt --ports-from 36657
  akash-node devnet --reset --matching tenant --bid-timeout 20   # tenants pick bids: deploy create --pick
  akash-node devnet --host 172.30.0.1   # listen on a Docker bridge's address: containers reach the chain
  akash-node --home ~/.akash-devnet tx bank send tenant akash1... 1000uakt --fees 5000uakt --yes`,
		Args: cobra.NoArgs,
		// The root's pre-run reads and creates node config files in --home,
		// which here is the devnet's own directory: nothing to intercept.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Flag parse errors have printed the usage already; what fails
			// from here names the flag itself.
			cmd.SilenceUsage = true
			// Zero means "the default" to Config; given explicitly it is a
			// mistake, not a request for the default.
			for _, f := range []struct {
				name string
				zero bool
			}{{"validators", cfg.Validators == 0}, {"ports-from", cfg.PortsFrom == 0}, {"block-time", cfg.BlockTime == 0}} {
				if f.zero && cmd.Flags().Changed(f.name) {
					return fmt.Errorf("--%s 0: give a positive value, or leave the flag out for the default (%s)", f.name, cmd.Flags().Lookup(f.name).DefValue)
				}
			}
			cfg.Keys = splitKeys(keys)
			bin, err := os.Executable()
			if err != nil {
				return fmt.Errorf("devnet: locating this binary to start validators: %w", err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			m, err := createOrLoad(cmd, cfg.WithDefaults(), reset, devnet.Encoding{
				Codec: clientCtx.Codec, TxConfig: clientCtx.TxConfig, BasicManager: basicManager,
			})
			if err != nil {
				return err
			}
			return runDevnet(ctx, cmd, m, bin)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Home, "home", devnet.DefaultHome(), "directory of the devnet (validators, keyring, logs)")
	f.IntVar(&cfg.Validators, "validators", devnet.DefaultValidators, "number of validators (1..20)")
	f.StringVar(&keys, "keys", strings.Join(devnet.DefaultKeys, ","), "comma-separated names of the funded keys")
	f.StringVar(&cfg.Fund, "fund", devnet.DefaultFund, "coins given to every key and validator operator at genesis")
	f.DurationVar(&cfg.BlockTime, "block-time", devnet.DefaultBlockTime, "CometBFT timeout_commit: the pause between blocks")
	f.IntVar(&cfg.PortsFrom, "ports-from", devnet.DefaultPortsFrom, "first port; validator i uses ports-from+10*i .. +4")
	f.StringVar(&cfg.ChainID, "chain-id", devnet.DefaultChainID, "chain id of a new devnet")
	f.StringVar(&cfg.Host, "host", "127.0.0.1", "address every validator listens on (RPC, P2P, gRPC, REST) and peers dial; e.g. a bridge address so containers reach the chain")
	f.Int64Var(&cfg.BidWindow, "bid-window", 0, "market bid_window_blocks in genesis (0: the chain default); wide for bid load tests")
	f.StringVar(&cfg.Matching, "matching", "", "market matching in genesis: auto (lowest eligible bid wins at the close) or tenant (the tenant picks a bid); empty: the chain default, auto")
	f.Int64Var(&cfg.BidTimeout, "bid-timeout", 0, "market bid_timeout_blocks in genesis: under --matching tenant, blocks after an order's close to pick a bid (0: the chain default)")
	f.BoolVar(&reset, "reset", false, "delete the devnet in --home and create a new one")
	cmd.AddCommand(devnetLoadCommand(clientCtx))

	return cmd
}

// createOrLoad returns the devnet in cfg.Home, creating it when there is none
// (or when reset deletes it first).
func createOrLoad(cmd *cobra.Command, cfg devnet.Config, reset bool, enc devnet.Encoding) (*devnet.Manifest, error) {
	out := cmd.OutOrStdout()
	if reset {
		if err := devnet.Reset(cfg.Home); err != nil {
			return nil, err
		}
	}
	exists, err := devnet.Exists(cfg.Home)
	if err != nil {
		return nil, err
	}
	if exists {
		m, err := devnet.LoadManifest(cfg.Home)
		if err != nil {
			return nil, err
		}
		var ignored []string
		for _, name := range []string{"validators", "keys", "fund", "block-time", "ports-from", "chain-id", "bid-window", "matching", "bid-timeout", "host"} {
			if cmd.Flags().Changed(name) {
				ignored = append(ignored, "--"+name)
			}
		}
		fmt.Fprintf(out, "restarting the devnet in %s (%s)\n", m.Home, devnet.Summary(m))
		if len(ignored) > 0 {
			fmt.Fprintf(out, "note: %s ignored: they apply when a devnet is created (add --reset to start over with them)\n", strings.Join(ignored, ", "))
		}
		return m, nil
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "creating a devnet in %s: %d validator(s), keys %s\n", cfg.Home, cfg.Validators, strings.Join(cfg.Keys, ","))
	return devnet.Create(cfg, enc, devnet.NodeDefaults{
		App: func() *serverconfig.Config {
			_, c := appConfigDefaults()
			return c.(*serverconfig.Config)
		},
		Comet: func() *cmtcfg.Config { return cometConfigDefaults() },
	})
}

// runDevnet starts the validators, waits for the first block, prints how to
// reach the network and runs until ctx ends or a validator dies.
func runDevnet(ctx context.Context, cmd *cobra.Command, m *devnet.Manifest, bin string) error {
	n, err := devnet.Start(m, bin)
	if err != nil {
		return err
	}
	readyCtx, cancel := context.WithTimeout(ctx, devnetReadyTimeout)
	err = n.WaitReady(readyCtx, 1)
	cancel()
	if err != nil {
		n.Stop()
		if ctx.Err() != nil {
			return nil // interrupted while starting
		}
		return err
	}
	devnet.PrintInfo(cmd.OutOrStdout(), m, "akash-node")
	err = n.Wait(ctx)
	fmt.Fprintln(cmd.OutOrStdout(), "devnet stopped: every validator has exited")
	return err
}

func splitKeys(s string) []string {
	keys := []string{}
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// devnetLoadCommand is `akash-node devnet load`: measure committed tx/s on a
// running devnet with the load generator.
func devnetLoadCommand(clientCtx client.Context) *cobra.Command {
	var (
		home, from, kind string
		cfg              loadgen.Config
	)
	cmd := &cobra.Command{
		Use:   "load",
		Short: "Send many presigned txs to a running devnet and report committed tx/s",
		Long: `load funds --senders accounts from the key --from (one MsgMultiSend), signs --txs
transactions of --kind offline, broadcasts them to validator 0 (one worker per sender, in
sequence order), and reads from the blocks how many committed and at what rate:
tx/s = committed txs / (time of the last block with load - time of the block before the first).
Run it against an otherwise idle devnet: every tx in those blocks is counted.`,
		Example: `  akash-node devnet load --txs 5000 --kind send
  akash-node devnet --reset --bid-window 300     # terminal 1: a devnet whose orders stay open 300 blocks
  akash-node devnet load --txs 5000 --kind bid   # terminal 2
  akash-node devnet load --home /tmp/dn --txs 20000 --senders 64 --fee 0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := devnet.LoadManifest(home)
			if err != nil {
				return fmt.Errorf("devnet load: no devnet in %s (%w); start one with akash-node devnet --home %s", home, err, home)
			}
			if cfg.Funder, err = m.PrivKey(from); err != nil {
				return fmt.Errorf("devnet load: --from %s: %w", from, err)
			}
			if cfg.Kind, err = loadgen.KindByName(kind); err != nil {
				return err
			}
			cfg.RPC, cfg.ChainID = m.RPCURL(0), m.ChainID
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "funding %d senders from %s on %s ...\n", cfg.Senders, from, cfg.RPC)
			run, err := loadgen.Prepare(ctx, cfg, loadgen.Encoding{Codec: clientCtx.Codec, TxConfig: clientCtx.TxConfig})
			if err != nil {
				return err
			}
			t0 := time.Now()
			if err := run.Sign(); err != nil {
				return err
			}
			fmt.Fprintf(out, "signed %d %s txs in %s; broadcasting ...\n", cfg.Txs, kind, time.Since(t0).Round(time.Millisecond))
			res, err := run.Broadcast(ctx)
			fmt.Fprintln(out, res)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&home, "home", devnet.DefaultHome(), "directory of the running devnet")
	f.StringVar(&from, "from", devnet.DefaultKeys[0], "funded devnet key that pays the senders")
	f.StringVar(&kind, "kind", "send", "transaction kind: send (bank send) or bid (market bid on orders it opens; start the devnet with --bid-window 300)")
	f.IntVar(&cfg.Txs, "txs", 5000, "number of transactions")
	f.IntVar(&cfg.Senders, "senders", 32, "parallel sender accounts (one broadcast worker each)")
	f.Int64Var(&cfg.Fee, "fee", 1000, "fee per tx in uakt")
	f.Uint64Var(&cfg.Seed, "seed", 1, "seed of the sender keys (same seed, same accounts)")
	f.DurationVar(&cfg.Timeout, "timeout", 2*time.Minute, "how long to wait for the last tx to commit")
	return cmd
}
