package cert

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/akash-market/akash/node/x/cert/types"
)

// AutoCLIOptions builds `tx cert revoke` and `query cert certificates` from
// the proto services; generate-and-publish is hand-written (client/cli).
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "CreateCertificate", Skip: true}, // PEM bytes: use generate-and-publish or publish
				{
					RpcMethod:      "RevokeCertificate",
					Use:            "revoke [serial]",
					Short:          "Revoke one of the signer's certificates; peers stop trusting it at once",
					Example:        "akash-node tx cert revoke 170141183460469231731687303715884105727 --from tenant",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "serial"}},
				},
			},
		},
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Certificates",
					Use:       "certificates",
					Short:     "List certificates, filtered by --owner, --state (valid|revoked) and --serial",
					Example: `akash-node query cert certificates --owner akash1... --state valid -o json
akash-node query cert certificates --owner akash1... --serial 1234`,
				},
			},
		},
	}
}
