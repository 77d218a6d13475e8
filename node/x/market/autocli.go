package market

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/akash-market/akash/node/x/market/types"
)

// AutoCLIOptions builds `query market ...` from the Query service. Every
// transaction is a custom command (client/cli) because each takes an ID
// written owner/dseq/gseq/oseq[/provider].
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	order := []*autocliv1.PositionalArgDescriptor{{ProtoField: "owner"}, {ProtoField: "dseq"}, {ProtoField: "gseq"}, {ProtoField: "oseq"}}
	bid := append(append([]*autocliv1.PositionalArgDescriptor{}, order...), &autocliv1.PositionalArgDescriptor{ProtoField: "provider"})
	return &autocliv1.ModuleOptions{
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "CreateBid", Skip: true},
				{RpcMethod: "CommitBid", Skip: true},
				{RpcMethod: "RevealBid", Skip: true},
				{RpcMethod: "CloseBid", Skip: true},
				{RpcMethod: "CreateLease", Skip: true},
				{RpcMethod: "CloseLease", Skip: true},
				{RpcMethod: "WithdrawLease", Skip: true},
				{RpcMethod: "UpdateParams", Skip: true}, // governance only
			},
		},
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Orders",
					Use:       "orders [--owner addr] [--state open|matched|unmatched|closed]",
					Short:     "List orders, optionally of one tenant and in one state",
					Example:   "akash-node query market orders --owner akash1... --state open -o json",
				},
				{
					RpcMethod:      "Order",
					Use:            "order [owner] [dseq] [gseq] [oseq]",
					Short:          "Show one order: terms, state, and why it closed",
					Example:        "akash-node query market order akash1... 42 1 1",
					PositionalArgs: order,
				},
				{
					RpcMethod: "Bids",
					Use:       "bids [--owner addr --dseq n --gseq n --oseq n] [--provider addr] [--state s]",
					Short:     "List the bids on one order or of one provider (a sealed bid shows no price until revealed)",
					Example:   "akash-node query market bids --owner akash1... --dseq 42 --gseq 1 --oseq 1\n  akash-node query market bids --provider akash1... --state open",
				},
				{
					RpcMethod:      "Bid",
					Use:            "bid [owner] [dseq] [gseq] [oseq] [provider]",
					Short:          "Show one bid and its outcome",
					Example:        "akash-node query market bid akash1tenant... 42 1 1 akash1prov...",
					PositionalArgs: bid,
				},
				{
					RpcMethod: "Leases",
					Use:       "leases [--owner addr] [--provider addr] [--state active|closed]",
					Short:     "List leases of a tenant, of a provider, or all",
					Example:   "akash-node query market leases --owner akash1... -o json\n  akash-node query market leases --provider akash1... --state active",
				},
				{
					RpcMethod:      "Lease",
					Use:            "lease [owner] [dseq] [gseq] [oseq] [provider]",
					Short:          "Show one lease: price, heights, and why it closed",
					Example:        "akash-node query market lease akash1tenant... 42 1 1 akash1prov...",
					PositionalArgs: bid,
				},
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the market params (bid window, reveal window, minimum bid deposit, sealed bids, matching, bid timeout)",
					Example:   "akash-node query market params",
				},
			},
		},
	}
}
