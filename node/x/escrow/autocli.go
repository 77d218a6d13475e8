package escrow

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
)

// AutoCLIOptions builds `akash-node query escrow ...` from the Query service.
// Escrow has no transactions of its own (see module.go).
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: "akash.escrow.v1.Query",
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the escrow parameters (take rate in basis points)",
					Example:   "akash-node query escrow params -o json",
				},
				{
					RpcMethod:      "Account",
					Use:            "account [owner] [dseq]",
					Short:          "Show the escrow account of a deployment: balance, leases, dry height, close reason",
					Example:        "akash-node query escrow account akash1... 1000",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "owner"}, {ProtoField: "dseq"}},
				},
				{
					RpcMethod: "Accounts",
					Use:       "accounts",
					Short:     "List escrow accounts, optionally of one --owner and in one --state (active|closed)",
					Example:   "akash-node query escrow accounts --owner akash1... --state active",
				},
				{
					RpcMethod:      "Payments",
					Use:            "payments [provider]",
					Short:          "List a provider's lease payments: accrued, earned, taken by the pool",
					Example:        "akash-node query escrow payments akash1...",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "provider"}},
				},
			},
		},
	}
}
