package deployment

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
)

// AutoCLIOptions builds the queries and the plain transactions from the
// services; create/update/deposit/close are custom (client/cli) because they
// read an SDL file or take the amount as an argument.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              "akash.deployment.v1.Msg",
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "CreateDeployment", Skip: true},
				{RpcMethod: "DepositDeployment", Skip: true},
				{RpcMethod: "UpdateDeployment", Skip: true},
				{RpcMethod: "CloseDeployment", Skip: true},
				{RpcMethod: "ManageDeployment", Skip: true}, // sent by `manage run` through authz exec
			},
		},
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: "akash.deployment.v1.Query",
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod:      "Deployment",
					Use:            "deployment [owner] [dseq]",
					Short:          "Show a deployment, its groups, its version and why it closed",
					Example:        "akash-node query deployment deployment akash1... 1000 -o json",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "owner"}, {ProtoField: "dseq"}},
				},
				{
					RpcMethod: "Deployments",
					Use:       "deployments",
					Short:     "List deployments, optionally of one --owner and in one --state (active|closed)",
					Example:   "akash-node query deployment deployments --owner akash1... --state active",
				},
				{
					RpcMethod:      "Group",
					Use:            "group [owner] [dseq] [gseq]",
					Short:          "Show one group of a deployment",
					Example:        "akash-node query deployment group akash1... 1000 1",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "owner"}, {ProtoField: "dseq"}, {ProtoField: "gseq"}},
				},
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the deployment parameters (minimum deposits)",
					Example:   "akash-node query deployment params",
				},
			},
		},
	}
}
