// Package cli holds the deployment transactions autocli cannot build: the
// ones that read an SDL file through core/manifest.
package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/node/x/conv"
	"github.com/akash-market/akash/node/x/deployment/types"
)

const (
	flagDeposit = "deposit"
	flagDSeq    = "dseq"
	flagOwner   = "owner"
)

// TxCmd is `tx deployment`.
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Deployment transactions: create from an SDL, update its version, deposit, close",
		Example:                    "akash-node tx deployment create deploy.yaml --deposit 5000000uakt --from tenant",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(createCmd(), updateCmd(), depositCmd(), closeCmd())
	return cmd
}

// ReadManifest parses an SDL file with core/manifest; errors carry file:line:col.
func ReadManifest(path string) (*manifest.Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the SDL: %w", err)
	}
	return manifest.Parse(path, data)
}

// Specs converts a manifest's groups to the GroupSpecs a MsgCreateDeployment carries.
func Specs(m *manifest.Manifest) []types.GroupSpec { return conv.GroupSpecs(m.Groups()) }

func createCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create [sdl-file]",
		Short: "Create a deployment from an SDL file: its groups become orders, --deposit funds its escrow",
		Long: `Create a deployment from an SDL (Akash SDL 2.x) file. The file is parsed and
validated locally (errors name file:line:col); the deployment records the
manifest's version (Akash's: sha256 of the services providers run, keys sorted;
see docs/manifest.md) and one group per placement,
and each group becomes a market order. --dseq defaults to the latest block height.
--sealed asks for sealed (commit-reveal) bids on every order (the market param
sealed_bids may force them on or off); --min-reputation admits only providers of
at least that reputation (basis points, 0..10000).`,
		Example: `akash-node tx deployment create deploy.yaml --deposit 5000000uakt --from tenant
akash-node tx deployment create deploy.yaml --deposit 5000000uakt --dseq 42 --from tenant --chain-id akash-local
akash-node tx deployment create deploy.yaml --sealed --min-reputation 5000 --from tenant`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			m, err := ReadManifest(args[0])
			if err != nil {
				return err
			}
			depStr, _ := cmd.Flags().GetString(flagDeposit)
			dep, err := ParseWholeCoin("--deposit", depStr)
			if err != nil {
				return err
			}
			dseq, err := dseqOrHeight(cmd, cctx)
			if err != nil {
				return err
			}
			v := m.Version()
			asks, err := Asks(cmd)
			if err != nil {
				return err
			}
			msg := &types.MsgCreateDeployment{Owner: cctx.GetFromAddress().String(), Dseq: dseq, Groups: Specs(m), Version: v[:], Deposit: dep,
				Sealed: asks.Sealed, MinReputation: uint32(asks.MinReputation)}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagDeposit, types.DefaultMinDeposit.String(), "escrow deposit, e.g. 5000000uakt (at least the chain's min_deposits)")
	cmd.Flags().Uint64(flagDSeq, 0, "deployment sequence (default: the latest block height)")
	AddAsksFlags(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func updateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "update [sdl-file]",
		Short: "Record a new manifest version for a deployment; its groups must fit the ordered ones",
		Long: `Update a deployment to the manifest in the SDL file. Only the version (Akash's
manifest version, docs/manifest.md) changes on chain. The manifest's groups must fit
the ones the deployment ordered (same placements; every replica with the resources
of an ordered one, no more replicas, no more published ports; prices are not
compared): this command checks that against the chain, and the chain and the
providers check it again. To get more, close the deployment and create a new one.`,
		Example: "akash-node tx deployment update deploy.yaml --dseq 42 --from tenant",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			m, err := ReadManifest(args[0])
			if err != nil {
				return err
			}
			dseq, err := requiredDSeq(cmd)
			if err != nil {
				return err
			}
			owner := cctx.GetFromAddress().String()
			res, err := types.NewQueryClient(cctx).Deployment(context.Background(), &types.QueryDeploymentRequest{Owner: owner, Dseq: dseq})
			if err != nil {
				return fmt.Errorf("reading deployment %s/%d to compare its groups: %w", owner, dseq, err)
			}
			// The chain applies the same rule; checking first names the
			// problem before any fee is paid.
			ordered, err := conv.OrderedGroups(res.Groups)
			if err != nil {
				return fmt.Errorf("deployment %s/%d on chain: %w", owner, dseq, err)
			}
			if err := manifest.FitsOrders(ordered, m.Groups()); err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			v := m.Version()
			msg := &types.MsgUpdateDeployment{Owner: owner, Dseq: dseq, Version: v[:], Groups: Specs(m)}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().Uint64(flagDSeq, 0, "deployment sequence (required)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func depositCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "deposit [amount]",
		Short: "Add funds to a deployment's escrow account (yours, or --owner's)",
		Example: `akash-node tx deployment deposit 1000uakt --dseq 42 --from tenant
akash-node tx deployment deposit 1000uakt --dseq 42 --owner akash1... --from friend`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			amt, err := ParseWholeCoin("amount", args[0])
			if err != nil {
				return err
			}
			dseq, err := requiredDSeq(cmd)
			if err != nil {
				return err
			}
			from := cctx.GetFromAddress().String()
			owner, _ := cmd.Flags().GetString(flagOwner)
			if owner == "" {
				owner = from
			}
			msg := &types.MsgDepositDeployment{Owner: owner, Dseq: dseq, Amount: amt, Depositor: from}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().Uint64(flagDSeq, 0, "deployment sequence (required)")
	cmd.Flags().String(flagOwner, "", "deployment owner (default: --from)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func closeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "close",
		Short:   "Close a deployment: its orders and leases close, leases are paid to now, the rest of the escrow is refunded",
		Example: "akash-node tx deployment close --dseq 42 --from tenant",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			dseq, err := requiredDSeq(cmd)
			if err != nil {
				return err
			}
			msg := &types.MsgCloseDeployment{Owner: cctx.GetFromAddress().String(), Dseq: dseq}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().Uint64(flagDSeq, 0, "deployment sequence (required)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func requiredDSeq(cmd *cobra.Command) (uint64, error) {
	dseq, _ := cmd.Flags().GetUint64(flagDSeq)
	if dseq == 0 {
		return 0, fmt.Errorf("--dseq: required (the deployment's sequence, shown by `akash-node query deployment deployments --owner <addr>`)")
	}
	return dseq, nil
}

// dseqOrHeight is --dseq, or the latest block height as Akash's clients use.
func dseqOrHeight(cmd *cobra.Command, cctx client.Context) (uint64, error) {
	if dseq, _ := cmd.Flags().GetUint64(flagDSeq); dseq != 0 {
		return dseq, nil
	}
	if cctx.Client == nil {
		return 0, fmt.Errorf("--dseq: required when no node is reachable (e.g. with --generate-only)")
	}
	st, err := cctx.Client.Status(context.Background())
	if err != nil {
		return 0, fmt.Errorf("--dseq not given and the node's latest height is unknown: %w", err)
	}
	return uint64(st.SyncInfo.LatestBlockHeight), nil
}

// SameGroups reports how the manifest's groups differ from the deployment's
// (byte for byte, prices included), or nil. Stricter than the chain's rule
// (manifest.FitsOrders): for a tenant tool that refuses changes the chain
// would accept but that change nothing it pays for (a new price).
func SameGroups(onChain []types.Group, specs []types.GroupSpec) error {
	if len(onChain) != len(specs) {
		return fmt.Errorf("the manifest has %d groups, the deployment %d", len(specs), len(onChain))
	}
	for i := range specs {
		a, _ := onChain[i].Spec.Marshal()
		b, _ := specs[i].Marshal()
		if !bytes.Equal(a, b) {
			d := GroupDiffs(onChain[i].Spec, specs[i])
			if len(d) == 0 {
				d = []string{"their encodings differ"}
			}
			return fmt.Errorf("group %d (%q) differs from the deployment's: %s", i+1, specs[i].Name, strings.Join(d, "; "))
		}
	}
	return nil
}
