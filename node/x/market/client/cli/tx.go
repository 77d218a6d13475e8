package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/market/types"
)

const (
	flagPrice      = "price"
	flagDeposit    = "deposit"
	flagCPU        = "cpu"
	flagMemory     = "memory"
	flagStorage    = "storage-bytes" // not "storage": the server config binds flags by name, and config.toml has a [storage] section
	flagGPU        = "gpu"
	flagBandwidth  = "bandwidth"
	flagSalt       = "salt"
	flagRevealFile = "reveal-file"
	flagReason     = "reason"
	flagDetail     = "detail"
)

// TxCmd is `tx market`; every market transaction is built here because each
// takes an ID written owner/dseq/gseq/oseq[/provider].
func TxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Market transactions: bid, commit/reveal sealed bids, close bids and leases, withdraw",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(bidCmd(), commitCmd(), revealCmd(), closeBidCmd(), closeLeaseCmd(), withdrawCmd())
	return cmd
}

func addOfferFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String(flagDeposit, "", "bid deposit (default: the market's bid_min_deposit), e.g. 5000000uakt")
	f.Uint64(flagCPU, 0, "offered cpu in millicpu (default: the order's total)")
	f.Uint64(flagMemory, 0, "offered memory in bytes (default: the order's total)")
	f.Uint64(flagStorage, 0, "offered storage in bytes (default: the order's total)")
	f.Uint64(flagGPU, 0, "offered gpu units (default: the order's total)")
	f.Uint64(flagBandwidth, 0, "offered bandwidth in bytes/s (default: the order's total)")
}

// offer reads the offer flags; a resource left out offers the order's total,
// which is read from the chain.
func offer(cmd *cobra.Command, cctx client.Context, id types.OrderID) (types.Resources, sdk.Coin, error) {
	var dep sdk.Coin
	if s, _ := cmd.Flags().GetString(flagDeposit); s != "" {
		c, err := sdk.ParseCoinNormalized(s)
		if err != nil {
			return types.Resources{}, sdk.Coin{}, fmt.Errorf("--deposit %q: %v; e.g. 5000000uakt", s, err)
		}
		dep = c
	}
	res, err := types.NewQueryClient(cctx).Order(context.Background(), &types.QueryOrderRequest{Owner: id.Owner, Dseq: id.DSeq, Gseq: id.GSeq, Oseq: id.OSeq})
	if err != nil {
		return types.Resources{}, sdk.Coin{}, fmt.Errorf("reading order %s to fill in the offer: %w", id, err)
	}
	r := res.Order.Resources
	for _, x := range []struct {
		flag string
		v    *uint64
	}{{flagCPU, &r.CPUMillis}, {flagMemory, &r.MemoryBytes}, {flagStorage, &r.StorageBytes}, {flagGPU, &r.GPUUnits}, {flagBandwidth, &r.BandwidthBps}} {
		if cmd.Flags().Changed(x.flag) {
			*x.v, _ = cmd.Flags().GetUint64(x.flag)
		}
	}
	return r, dep, nil
}

func parsePrice(cmd *cobra.Command) (sdk.DecCoin, error) {
	s, _ := cmd.Flags().GetString(flagPrice)
	if s == "" {
		return sdk.DecCoin{}, fmt.Errorf("--price is required: the price per block for the whole group, e.g. --price 10uakt")
	}
	p, err := sdk.ParseDecCoin(s)
	if err != nil {
		return sdk.DecCoin{}, fmt.Errorf("--price %q: %v; e.g. 10uakt or 0.5uakt", s, err)
	}
	return p, nil
}

func bidCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bid <owner>/<dseq>/<gseq>/<oseq> --price COIN",
		Short: "Bid on an open order: a price per block for the whole group, and the resources offered",
		Long: `Bid on an open order. The price is per block for the whole group and must be at most
the order's max price; the provider's attributes and reputation come from its registration.
A bid that is not eligible is refused with the rule it breaks. The deposit is locked until
the order is matched (refunded unless the bid wins; the winner's returns when its lease closes).`,
		Example: `  akash-node tx market bid akash1tenant.../42/1/1 --price 10uakt --from provider
  akash-node tx market bid akash1tenant.../42/1/1 --price 9.5uakt --cpu 4000 --deposit 6000000uakt --from provider`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			id, err := ParseOrderID(args[0])
			if err != nil {
				return err
			}
			price, err := parsePrice(cmd)
			if err != nil {
				return err
			}
			res, dep, err := offer(cmd, cctx, id)
			if err != nil {
				return err
			}
			msg := &types.MsgCreateBid{Provider: cctx.GetFromAddress().String(), Order: id, Price: price, Resources: res, Deposit: dep}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagPrice, "", "price per block for the whole group, e.g. 10uakt")
	addOfferFlags(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func commitCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "commit <owner>/<dseq>/<gseq>/<oseq> --price COIN [--salt HEX]",
		Short: "Place a sealed bid: commit to a price now, reveal it after the bidding window",
		Long: `Place a sealed bid on an order that takes them. The commitment (sha256 of the order,
provider, price and a 32-byte secret salt) is computed here; only it goes on chain, so
nobody sees the price before the window closes. The reveal material is written to
--reveal-file (keep it secret until the reveal window); send it with 'tx market reveal'.
A commitment never revealed forfeits its deposit to the community pool.`,
		Example: `  akash-node tx market commit akash1tenant.../42/1/1 --price 10uakt --from provider
  akash-node tx market commit akash1tenant.../42/1/1 --price 10uakt --reveal-file bid.reveal --from provider
  akash-node tx market reveal bid.reveal --from provider`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			id, err := ParseOrderID(args[0])
			if err != nil {
				return err
			}
			price, err := parsePrice(cmd)
			if err != nil {
				return err
			}
			cprice, err := types.DecCoinToCore(price)
			if err != nil {
				return fmt.Errorf("--price: %w", err)
			}
			salt, err := readSalt(cmd)
			if err != nil {
				return err
			}
			res, dep, err := offer(cmd, cctx, id)
			if err != nil {
				return err
			}
			provider := cctx.GetFromAddress().String()
			rev := market.Reveal{Bid: market.BidID{OrderID: id.ToCore(), Provider: provider}, Price: cprice, Salt: salt}
			path, _ := cmd.Flags().GetString(flagRevealFile)
			if path == "" {
				path = fmt.Sprintf("reveal-%d-%d-%d.hex", id.DSeq, id.GSeq, id.OSeq)
			}
			if err := os.WriteFile(path, []byte(hex.EncodeToString(rev.Encode())+"\n"), 0o600); err != nil {
				return fmt.Errorf("writing the reveal to %s: %w", path, err)
			}
			c := rev.Commitment()
			fmt.Fprintf(cmd.ErrOrStderr(), "commitment %s; reveal saved to %s (send it with: tx market reveal %s)\n", c, path, path)
			msg := &types.MsgCommitBid{Provider: provider, Order: id, Commitment: c[:], Resources: res, Deposit: dep}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagPrice, "", "price per block for the whole group, e.g. 10uakt")
	cmd.Flags().String(flagSalt, "", "64 hex digits of secret salt (default: fresh random bytes)")
	cmd.Flags().String(flagRevealFile, "", "where to save the reveal (default: reveal-<dseq>-<gseq>-<oseq>.hex)")
	addOfferFlags(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func readSalt(cmd *cobra.Command) ([32]byte, error) {
	var salt [32]byte
	s, _ := cmd.Flags().GetString(flagSalt)
	if s == "" {
		if _, err := rand.Read(salt[:]); err != nil {
			return salt, fmt.Errorf("drawing a random salt: %w", err)
		}
		return salt, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(salt) {
		return salt, fmt.Errorf("--salt %q: want exactly 64 hex digits (32 bytes)", s)
	}
	copy(salt[:], b)
	return salt, nil
}

func revealCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reveal <reveal-file>",
		Short: "Reveal a sealed bid during its order's reveal window",
		Long: `Reveal a sealed bid: send the reveal 'tx market commit' saved. The chain checks that it
hashes to the commitment; a wrong reveal is refused and may be retried before the window ends.`,
		Example: `  akash-node tx market reveal reveal-42-1-1.hex --from provider`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			raw, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("reading the reveal: %w", err)
			}
			b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
			if err != nil {
				return fmt.Errorf("reveal file %s: not hex (%v); pass the file 'tx market commit' wrote", args[0], err)
			}
			msg := &types.MsgRevealBid{Provider: cctx.GetFromAddress().String(), Reveal: b}
			if err := msg.ValidateBasic(); err != nil {
				return fmt.Errorf("reveal file %s: %w", args[0], err)
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func closeBidCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "close-bid <owner>/<dseq>/<gseq>/<oseq>",
		Short:   "Withdraw the signer's bid (or commitment) on an order before its close height; the deposit comes back",
		Example: `  akash-node tx market close-bid akash1tenant.../42/1/1 --from provider`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			id, err := ParseOrderID(args[0])
			if err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), &types.MsgCloseBid{Provider: cctx.GetFromAddress().String(), Order: id})
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func closeLeaseCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "close-lease <owner>/<dseq>/<gseq>/<oseq>/<provider> [--reason R] [--detail TEXT]",
		Short: "Close a lease as its tenant or provider, with a reason",
		Long: `Close a lease. The escrow pays it up to this block. The tenant's reason is tenant-closed
(the default for the tenant); the provider's is provider-closed (its default), provider-fault
or manifest-timeout.`,
		Example: `  akash-node tx market close-lease akash1tenant.../42/1/1/akash1prov... --from tenant
  akash-node tx market close-lease akash1tenant.../42/1/1/akash1prov... --reason manifest-timeout --detail "no manifest after 5 min" --from provider`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			id, err := ParseLeaseID(args[0])
			if err != nil {
				return err
			}
			sender := cctx.GetFromAddress().String()
			reason, _ := cmd.Flags().GetString(flagReason)
			if reason == "" {
				reason = "tenant-closed"
				if sender == id.Provider {
					reason = "provider-closed"
				}
			}
			detail, _ := cmd.Flags().GetString(flagDetail)
			msg := &types.MsgCloseLease{Sender: sender, Lease: id, Reason: reason, Detail: detail}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagReason, "", "tenant-closed | provider-closed | provider-fault | manifest-timeout (default by signer)")
	cmd.Flags().String(flagDetail, "", "free text stored with the close (at most 256 bytes)")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

func withdrawCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "withdraw <owner>/<dseq>/<gseq>/<oseq>/<provider>",
		Short:   "Withdraw a lease's earnings so far to its provider (the take rate goes to the community pool)",
		Example: `  akash-node tx market withdraw akash1tenant.../42/1/1/akash1prov... --from provider`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			id, err := ParseLeaseID(args[0])
			if err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), &types.MsgWithdrawLease{Provider: cctx.GetFromAddress().String(), Lease: id})
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}
