package provider

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/akash-market/akash/node/x/provider/types"
)

// AutoCLIOptions builds `tx provider ...` and `query provider ...` from the
// proto services. Attributes are given as repeated --attr key=value flags by
// the custom create/update commands (client/cli), so autocli skips those two.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "CreateProvider", Skip: true},
				{RpcMethod: "UpdateProvider", Skip: true},
				{
					RpcMethod: "DeleteProvider",
					Use:       "delete",
					Short:     "Remove the signer's provider registration (refused with active leases or bonded stake)",
					Example:   "akash-node tx provider delete --from provider",
				},
				{
					RpcMethod:      "BondStake",
					Use:            "bond [amount]",
					Short:          "Bond stake (any positive amount; held in the provider module account)",
					Example:        "akash-node tx provider bond 5000000uakt --from provider",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "amount"}},
				},
				{
					RpcMethod:      "UnbondStake",
					Use:            "unbond [amount]",
					Short:          "Start unbonding stake; the coins return after the unbonding period (query provider params)",
					Example:        "akash-node tx provider unbond 1000000uakt --from provider",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "amount"}},
				},
				{RpcMethod: "UpdateParams", Skip: true}, // governance only
			},
		},
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod:      "Provider",
					Use:            "provider [owner]",
					Short:          "Show one registered provider",
					Example:        "akash-node query provider provider akash1...",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "owner"}},
				},
				{
					RpcMethod: "Providers",
					Use:       "providers",
					Short:     "List registered providers (paginated)",
					Example:   "akash-node query provider providers --page-limit 50 -o json",
				},
				{
					RpcMethod:      "Stake",
					Use:            "stake [provider]",
					Short:          "Show a provider's bonded and unbonding stake",
					Example:        "akash-node query provider stake akash1...",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "provider"}},
				},
				{
					RpcMethod:      "Reputation",
					Use:            "reputation [provider]",
					Short:          "Show a provider's reputation (bps) and its inputs (history, stake share)",
					Example:        "akash-node query provider reputation akash1...",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "provider"}},
				},
				{
					RpcMethod:      "Weight",
					Use:            "weight [provider]",
					Short:          "Show a provider's governance weight: bonded stake over all bonded provider stake",
					Example:        "akash-node query provider weight akash1...",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "provider"}},
				},
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the provider module params (stake denom, unbonding period, slash, reputation)",
					Example:   "akash-node query provider params",
				},
			},
		},
	}
}
