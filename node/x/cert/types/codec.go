package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterInterfaces registers the module's Msgs with the interface registry.
func RegisterInterfaces(r codectypes.InterfaceRegistry) {
	r.RegisterImplementations((*sdk.Msg)(nil), &MsgCreateCertificate{}, &MsgRevokeCertificate{})
	msgservice.RegisterMsgServiceDesc(r, &_Msg_serviceDesc)
}

// RegisterLegacyAminoCodec registers the Msgs for amino JSON signing (ledger).
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(&MsgCreateCertificate{}, "akash/cert/v1/MsgCreateCertificate", nil)
	cdc.RegisterConcrete(&MsgRevokeCertificate{}, "akash/cert/v1/MsgRevokeCertificate", nil)
}
