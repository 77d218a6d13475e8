package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
	"github.com/cosmos/cosmos-sdk/x/authz"
)

// RegisterLegacyAminoCodec registers the Msgs for amino JSON signing (ledger).
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgCreateDeployment{}, "deployment/MsgCreateDeployment")
	legacy.RegisterAminoMsg(cdc, &MsgDepositDeployment{}, "deployment/MsgDepositDeployment")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateDeployment{}, "deployment/MsgUpdateDeployment")
	legacy.RegisterAminoMsg(cdc, &MsgCloseDeployment{}, "deployment/MsgCloseDeployment")
	legacy.RegisterAminoMsg(cdc, &MsgManageDeployment{}, "deployment/MsgManageDeployment")
	cdc.RegisterConcrete(&ManageDeploymentsAuthorization{}, "deployment/ManageDeploymentsAuthorization", nil)
}

// RegisterInterfaces registers the Msgs and the Msg service.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgCreateDeployment{}, &MsgDepositDeployment{}, &MsgUpdateDeployment{}, &MsgCloseDeployment{}, &MsgManageDeployment{})
	registry.RegisterImplementations((*authz.Authorization)(nil), &ManageDeploymentsAuthorization{})
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
