package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	sdkmath "cosmossdk.io/math"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	"github.com/akash-market/akash/provider/manage"
)

// manageCommand is the management tier (docs/tiers.md): `manage run` and `manage status`.
func manageCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "manage",
		Short: "Self-managed deployments: scale a tenant's deployments with its load, within the tenant's grant",
		Example: `  akash-node manage run --policy delivery-network --config manage.yaml --granter akash1tenant... --from manager --keyring-backend test
  akash-node manage status --granter akash1tenant... --from manager --keyring-backend test`,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(manageRunCmd(), manageStatusCmd())
	return cmd
}

func manageRunCmd() *cobra.Command {
	var policyName, cfgPath, granter string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run a management policy on live load, acting through the tenant's manage-deployments grant",
		Long: `Reads the load (users per region, or a job queue) from the config's input every
check_every, decides with the simulator's own policy (core/policy: delivery-network
or ml-batch), and creates, closes and tops up the granter's deployments through
its grant (tx authz grant MANAGER manage-deployments). The manager keeps no state:
after any stop (kill -9 included) it rebuilds its deployments from the grant on
chain. It stops when the grant is revoked or expires. A grant that cannot hold the
policy's minimum is reported before anything is sent. --from is the management
key, the only key the manager holds: it sends manifests to the providers it wins
with its own certificate (<home>/certs/<its address>.crt, made and published on
chain at start if missing; the key pays that tx's fee and the authz execs'), which
providers accept because the granter's grant created the deployment.`,
		Example: `  akash-node manage run --policy delivery-network --config manage.yaml --granter akash1tenant... \
    --from manager --chain-id akash-local --keyring-backend test
  akash-node manage run --policy ml-batch --config batch.yaml --granter akash1tenant... --from manager`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := envFallback(cmd, "policy", "config", "granter", flags.FlagNode, flags.FlagChainID, flags.FlagGasPrices, flags.FlagFees); err != nil {
				return err
			}
			if err := keyFromEnv(cmd); err != nil {
				return err
			}
			cfg, err := manage.LoadConfig(cfgPath, policyName)
			if err != nil {
				return err
			}
			m, err := newManager(cmd, cfg, policyName, granter)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if cfg.Listen != "" {
				ln, err := net.Listen("tcp", cfg.Listen)
				if err != nil {
					return fmt.Errorf("%s: listen %s: %w", cfg.File, cfg.Listen, err)
				}
				srv := &http.Server{Handler: m.Handler()}
				go func() { _ = srv.Serve(ln) }()
				defer srv.Close()
				fmt.Fprintf(cmd.ErrOrStderr(), "serving /metrics and /status on %s\n", ln.Addr())
			}
			return m.Run(ctx)
		},
	}
	cmd.Flags().StringVar(&policyName, "policy", "", "delivery-network (whitepaper 5.1) or ml-batch (5.2)")
	cmd.Flags().StringVar(&cfgPath, "config", "manage.yaml", "the manager's config (docs/tiers.md)")
	cmd.Flags().StringVar(&granter, "granter", "", "the tenant whose grant the manager acts under")
	tenantFlags(cmd)
	return cmd
}

// envFallback sets each named flag not given from AKASH_<NAME> (AKASH_POLICY,
// AKASH_CONFIG, AKASH_GRANTER, AKASH_NODE, AKASH_CHAIN_ID, ...): how an
// SDL's env configures a manager that runs as a service of its deployment.
func envFallback(cmd *cobra.Command, names ...string) error {
	for _, name := range names {
		if cmd.Flags().Changed(name) {
			continue
		}
		env := "AKASH_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if err := cmd.Flags().Set(name, v); err != nil {
				return fmt.Errorf("%s=%q: %w", env, v, err)
			}
		}
	}
	return nil
}

// EnvMnemonic carries the management key's mnemonic when the manager runs
// as a service of its deployment: the key is then held in memory only,
// under --from's name (default manager), never written to the home.
const EnvMnemonic = "AKASH_MANAGER_MNEMONIC"

// keyFromEnv puts the key of EnvMnemonic, if set, in an in-memory keyring
// that the command's client context uses from here on.
func keyFromEnv(cmd *cobra.Command) error {
	mnemonic, ok := os.LookupEnv(EnvMnemonic)
	if !ok {
		return nil
	}
	if cmd.Flags().Changed(flags.FlagKeyringBackend) {
		return fmt.Errorf("%s is set: the management key is held in memory from it; drop --keyring-backend (or unset %s to use a keyring)", EnvMnemonic, EnvMnemonic)
	}
	name := "manager"
	if cmd.Flags().Changed(flags.FlagFrom) {
		name, _ = cmd.Flags().GetString(flags.FlagFrom)
	} else if err := cmd.Flags().Set(flags.FlagFrom, name); err != nil {
		return err
	}
	ctx := client.GetClientContextFromCmd(cmd)
	kr := keyring.NewInMemory(ctx.Codec)
	if _, err := kr.NewAccount(name, strings.TrimSpace(mnemonic), "", sdk.FullFundraiserPath, hd.Secp256k1); err != nil {
		return fmt.Errorf("%s: %v; want the management key's BIP-39 mnemonic (e.g. the 24 words akash-node keys add prints)", EnvMnemonic, err)
	}
	return client.SetCmdClientContext(cmd, ctx.WithKeyring(kr))
}

func newManager(cmd *cobra.Command, cfg *manage.Config, policyName, granter string) (*manage.Manager, error) {
	if _, err := sdk.AccAddressFromBech32(granter); err != nil {
		return nil, fmt.Errorf("--granter %q: %v; want the tenant's akash1... address", granter, err)
	}
	// The management key's chain client and its own certificate (made and
	// saved under --home if missing).
	tc, err := tenantClient(cmd)
	if err != nil {
		return nil, err
	}
	c := tc.Chain
	sdl := cfg.SDLPath()
	sdlText, err := manage.ReadSource(sdl)
	if err != nil {
		return nil, fmt.Errorf("%s: sdl: %w", cfg.File, err)
	}
	man, err := manifest.Parse(sdl, sdlText)
	if err != nil {
		return nil, fmt.Errorf("%s: sdl: %w", cfg.File, err)
	}
	if n := len(man.Groups()); n != 1 {
		return nil, fmt.Errorf("%s: sdl %s has %d groups; the manager places one group per deployment (one placement in the SDL)", cfg.File, sdl, n)
	}
	dep, err := sdk.ParseCoinNormalized(cfg.Deposit)
	if err != nil {
		return nil, fmt.Errorf("%s: deposit %q: %v; want e.g. 5000000uakt", cfg.File, cfg.Deposit, err)
	}
	m := &manage.Manager{Cfg: cfg, Policy: policyName, Owner: granter, Chain: manage.NodeChain{C: c, Owner: granter},
		Source: manage.NewSource(cfg), Manifest: man, SDLFile: sdl, Deposit: dep, Log: cmd.ErrOrStderr()}
	m.SDL = sdlText
	if cfg.TopUp.Below != "" {
		below, err := sdk.ParseDecCoin(cfg.TopUp.Below)
		if err != nil {
			return nil, fmt.Errorf("%s: top_up.below %q: %v; want e.g. 1000000uakt", cfg.File, cfg.TopUp.Below, err)
		}
		amt, err := sdk.ParseCoinNormalized(cfg.TopUp.Amount)
		if err != nil || !amt.IsPositive() {
			return nil, fmt.Errorf("%s: top_up.amount %q: want a positive amount, e.g. 2000000uakt", cfg.File, cfg.TopUp.Amount)
		}
		b := sdkmath.LegacyDec(below.Amount)
		m.TopBelow, m.TopUp = &b, amt
	}
	// The certificate on chain, published by the manager itself if
	// missing: providers accept a manifest from it because the granter's
	// grant created the deployment.
	if published, err := c.PublishCert(cmd.Context(), tc.Account); err != nil {
		return nil, fmt.Errorf("publish the management key's certificate (serial %s of %s): %w; the management key pays its own fees: the tenant funds it, e.g. akash-node tx bank send TENANT %s 1000000uakt (docs/tiers.md)",
			tc.Account.X509.SerialNumber, c.Signer(), err, c.Signer())
	} else if published {
		fmt.Fprintf(cmd.ErrOrStderr(), "published the certificate of %s (serial %s) on chain\n", c.Signer(), tc.Account.X509.SerialNumber)
	}
	m.SendManifest = func(ctx context.Context, did market.DeploymentID, mf *manifest.Manifest, leases []market.LeaseID) error {
		return tc.SendManifest(ctx, did, mf, leases)
	}
	return m, nil
}

func manageStatusCmd() *cobra.Command {
	var granter string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the grant's managed deployments, spend and limits left (read from the chain)",
		Example: `  akash-node manage status --granter akash1tenant... --from manager --keyring-backend test
  akash-node manage status --granter akash1tenant... --from manager -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, _, err := chainClient(cmd)
			if err != nil {
				return err
			}
			ch := manage.NodeChain{C: c, Owner: granter}
			a, err := ch.Grant(cmd.Context())
			if err != nil {
				return err
			}
			if a == nil {
				return fmt.Errorf("%w from %s to %s (revoked, expired or never given)", manage.ErrNoGrant, granter, c.Signer())
			}
			var ds []manage.Managed
			for _, d := range a.Live {
				m, err := ch.Deployment(cmd.Context(), d)
				if err != nil {
					return err
				}
				ds = append(ds, m)
			}
			type out struct {
				Grant       *dtypes.ManageDeploymentsAuthorization `json:"grant"`
				Deployments []manage.Managed                       `json:"deployments"`
			}
			return output(cmd, out{a, ds}, func(w io.Writer) {
				fmt.Fprintf(w, "grant: %s\n", a.Summary())
				for _, d := range ds {
					fmt.Fprintf(w, "deployment %d: region %s, active %v, %d lease(s), escrow %s\n", d.DSeq, d.Region, d.Active, len(d.Leases), d.Balance)
				}
			})
		},
	}
	cmd.Flags().StringVar(&granter, "granter", "", "the tenant whose grant to show")
	tenantFlags(cmd)
	return cmd
}
