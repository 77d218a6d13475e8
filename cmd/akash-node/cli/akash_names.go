package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/types/query"

	certcli "github.com/akash-market/akash/node/x/cert/client/cli"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/provider/chainclient"
)

// Akash's command names beside ours, so an Akash user's habits and scripts
// work (docs/provider.md, "Akash command names"): `query market
// order|bid|lease list|get` with --owner --dseq --gseq --oseq --provider,
// `tx market lease create`, `tx cert revoke client --serial`. They are
// attached after autocli built the module commands.

func addAkashNames(root *cobra.Command) error {
	for _, what := range []string{"order", "bid", "lease"} {
		c, err := findCmd(root, "query", "market", what)
		if err != nil {
			return err
		}
		c.AddCommand(marketListCmd(what), marketGetCmd(what))
	}
	txMarket, err := findCmd(root, "tx", "market")
	if err != nil {
		return err
	}
	lease := &cobra.Command{Use: "lease", Short: "Akash's lease commands (create: a tenant's pick under matching tenant)", RunE: client.ValidateCmd,
		Example: "  akash-node tx market lease create --dseq 42 --provider akash1... --from tenant"}
	lease.AddCommand(leaseCreateCmd())
	txMarket.AddCommand(lease)
	revoke, err := findCmd(root, "tx", "cert", "revoke")
	if err != nil {
		return err
	}
	revoke.AddCommand(certcli.NewRevokeClientCmd())
	return nil
}

// orderNow says what became of an order that is not waiting for a pick.
func orderNow(o mtypes.Order, owner string, dseq uint64) string {
	switch o.State {
	case mtypes.OrderOpen:
		return fmt.Sprintf("it takes bids until height %d; under matching tenant its tenant picks after that, under auto matching the lowest eligible bid wins then", o.CloseHeight)
	case mtypes.OrderMatched:
		return fmt.Sprintf("it is already leased: akash-node query market lease list --owner %s --dseq %d", owner, dseq)
	}
	return fmt.Sprintf("it is %s: %s (%s)", o.State, o.CloseReason, o.CloseDetail)
}

func findCmd(root *cobra.Command, path ...string) (*cobra.Command, error) {
	c, rest, err := root.Find(path)
	if err != nil || len(rest) > 0 || c.Name() != path[len(path)-1] {
		return nil, fmt.Errorf("cli: command %v not found to attach Akash names to", path)
	}
	return c, nil
}

type idFlags struct {
	owner, provider, state string
	dseq                   uint64
	gseq, oseq             uint32
}

func (f *idFlags) add(cmd *cobra.Command, what string) {
	cmd.Flags().StringVar(&f.owner, "owner", "", "the tenant's address")
	cmd.Flags().Uint64Var(&f.dseq, "dseq", 0, "deployment sequence")
	cmd.Flags().Uint32Var(&f.gseq, "gseq", 0, "group sequence (get: default 1)")
	cmd.Flags().Uint32Var(&f.oseq, "oseq", 0, "order sequence (get: default 1)")
	if what != "order" {
		cmd.Flags().StringVar(&f.provider, "provider", "", "the provider's address")
	}
}

// match reports whether an ID's parts pass the --dseq/--gseq/--oseq filters
// (0 = any).
func (f *idFlags) match(dseq uint64, gseq, oseq uint32) bool {
	return (f.dseq == 0 || f.dseq == dseq) && (f.gseq == 0 || f.gseq == gseq) && (f.oseq == 0 || f.oseq == oseq)
}

func marketListCmd(what string) *cobra.Command {
	var f idFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: fmt.Sprintf("List %ss, filtered by --owner --dseq --gseq --oseq%s --state (Akash: query market %s list)", what, map[bool]string{true: " --provider", false: ""}[what != "order"], what),
		Example: fmt.Sprintf(`  akash-node query market %[1]s list --owner akash1... --dseq 42 -o json
  akash-node query market %[1]s list --owner akash1... --state active`, what),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			if (f.gseq != 0 || f.oseq != 0) && f.dseq == 0 {
				return fmt.Errorf("--gseq/--oseq need --dseq (and --owner)")
			}
			if f.dseq != 0 && f.owner == "" {
				return fmt.Errorf("--dseq needs --owner: a deployment sequence is per tenant")
			}
			q := mtypes.NewQueryClient(cctx)
			ctx := cmd.Context()
			switch what {
			case "order":
				out := &mtypes.QueryOrdersResponse{}
				err = chainclient.Pages(func(p *query.PageRequest) (*query.PageResponse, error) {
					r, err := q.Orders(ctx, &mtypes.QueryOrdersRequest{Owner: f.owner, State: f.state, Pagination: p})
					if err != nil {
						return nil, err
					}
					for _, o := range r.Orders {
						if f.match(o.ID.DSeq, o.ID.GSeq, o.ID.OSeq) {
							out.Orders = append(out.Orders, o)
						}
					}
					return r.Pagination, nil
				})
				if err != nil {
					return err
				}
				return cctx.PrintProto(out)
			case "bid":
				out := &mtypes.QueryBidsResponse{}
				err = chainclient.Pages(func(p *query.PageRequest) (*query.PageResponse, error) {
					r, err := q.Bids(ctx, &mtypes.QueryBidsRequest{Owner: f.owner, Dseq: f.dseq, Gseq: f.gseq, Oseq: f.oseq, Provider: f.provider, State: f.state, Pagination: p})
					if err != nil {
						return nil, err
					}
					out.Bids = append(out.Bids, r.Bids...)
					return r.Pagination, nil
				})
				if err != nil {
					return err
				}
				return cctx.PrintProto(out)
			default:
				out := &mtypes.QueryLeasesResponse{}
				err = chainclient.Pages(func(p *query.PageRequest) (*query.PageResponse, error) {
					r, err := q.Leases(ctx, &mtypes.QueryLeasesRequest{Owner: f.owner, Provider: f.provider, State: f.state, Pagination: p})
					if err != nil {
						return nil, err
					}
					for _, l := range r.Leases {
						if f.match(l.ID.DSeq, l.ID.GSeq, l.ID.OSeq) {
							out.Leases = append(out.Leases, l)
						}
					}
					return r.Pagination, nil
				})
				if err != nil {
					return err
				}
				return cctx.PrintProto(out)
			}
		},
	}
	f.add(cmd, what)
	cmd.Flags().StringVar(&f.state, "state", "", "only this state (orders: open|matched|unmatched|closed; bids: open|won|lost|closed; leases: active|closed)")
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}

func marketGetCmd(what string) *cobra.Command {
	var f idFlags
	cmd := &cobra.Command{
		Use:     "get",
		Short:   fmt.Sprintf("Show one %s named by --owner --dseq [--gseq 1 --oseq 1]%s (Akash: query market %s get)", what, map[bool]string{true: " --provider", false: ""}[what != "order"], what),
		Example: fmt.Sprintf("  akash-node query market %s get --owner akash1... --dseq 42%s -o json", what, map[bool]string{true: " --provider akash1...", false: ""}[what != "order"]),
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			if f.owner == "" || f.dseq == 0 {
				return fmt.Errorf("--owner and --dseq are required (and --provider for a %s)", what)
			}
			if what != "order" && f.provider == "" {
				return fmt.Errorf("--provider is required: a %s is one provider's", what)
			}
			gseq, oseq := max(f.gseq, 1), max(f.oseq, 1)
			q := mtypes.NewQueryClient(cctx)
			ctx := context.Background()
			switch what {
			case "order":
				r, err := q.Order(ctx, &mtypes.QueryOrderRequest{Owner: f.owner, Dseq: f.dseq, Gseq: gseq, Oseq: oseq})
				if err != nil {
					return err
				}
				return cctx.PrintProto(r)
			case "bid":
				r, err := q.Bid(ctx, &mtypes.QueryBidRequest{Owner: f.owner, Dseq: f.dseq, Gseq: gseq, Oseq: oseq, Provider: f.provider})
				if err != nil {
					return err
				}
				return cctx.PrintProto(r)
			default:
				r, err := q.Lease(ctx, &mtypes.QueryLeaseRequest{Owner: f.owner, Dseq: f.dseq, Gseq: gseq, Oseq: oseq, Provider: f.provider})
				if err != nil {
					return err
				}
				return cctx.PrintProto(r)
			}
		},
	}
	f.add(cmd, what)
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}

// leaseCreateCmd is Akash's `tx market lease create`: the tenant picks a
// bid of its order (MsgCreateLease). It works when the market's params say
// matching: tenant and the order closed with eligible bids (core/market.Pick
// decides); under auto matching the chain refuses it and says what became of
// the order.
func leaseCreateCmd() *cobra.Command {
	var f idFlags
	cmd := &cobra.Command{
		Use:   "create --dseq N [--gseq 1 --oseq 1] --provider akash1...",
		Short: "Pick a bid: create the lease of your order with the named provider (matching: tenant)",
		Long: `Under tenant matching (query market params: matching tenant) an order's bids stay open after
its bidding window until its tenant picks one of them here, or until bid_timeout_blocks pass
(the order then closes unmatched and every bid deposit is refunded). Any eligible bid may be
picked, not only the cheapest; a withdrawn, ineligible or unknown bid is refused with its code.
List the bids first: akash-node query market bid list --owner <you> --dseq N.
Under auto matching (the default) the chain makes the lease itself at the close and refuses
this message: the command then says what became of the order.`,
		Example: "  akash-node tx market lease create --dseq 42 --provider akash1... --from tenant",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			owner := cctx.GetFromAddress().String()
			if f.owner != "" && f.owner != owner {
				return fmt.Errorf("--owner %s: only the order's tenant picks its bid; sign with --from %s", f.owner, f.owner)
			}
			if owner == "" || f.dseq == 0 || f.provider == "" {
				return fmt.Errorf("--from (the tenant), --dseq and --provider (the bid to pick) are required; list the bids with: akash-node query market bid list --owner <tenant> --dseq N")
			}
			gseq, oseq := max(f.gseq, 1), max(f.oseq, 1)
			q := mtypes.NewQueryClient(cctx)
			r, err := q.Order(cmd.Context(), &mtypes.QueryOrderRequest{Owner: owner, Dseq: f.dseq, Gseq: gseq, Oseq: oseq})
			if err != nil {
				return fmt.Errorf("order %s/%d/%d/%d: %w", owner, f.dseq, gseq, oseq, err)
			}
			if o := r.Order; o.State != mtypes.OrderOpen || o.PickUntil == 0 {
				return fmt.Errorf("order %s is not waiting for a pick: %s", o.ID, orderNow(o, owner, f.dseq))
			}
			id := mtypes.BidID{Owner: owner, DSeq: f.dseq, GSeq: gseq, OSeq: oseq, Provider: f.provider}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), &mtypes.MsgCreateLease{Owner: owner, Bid: id})
		},
	}
	f.add(cmd, "lease")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}
