package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterInterfaces registers the module's Msgs with the interface registry.
func RegisterInterfaces(r codectypes.InterfaceRegistry) {
	r.RegisterImplementations((*sdk.Msg)(nil),
		&MsgCreateProvider{}, &MsgUpdateProvider{}, &MsgDeleteProvider{},
		&MsgBondStake{}, &MsgUnbondStake{}, &MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(r, &_Msg_serviceDesc)
}

// RegisterLegacyAminoCodec registers the Msgs for amino JSON signing (ledger).
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(&MsgCreateProvider{}, "akash/provider/v1/MsgCreateProvider", nil)
	cdc.RegisterConcrete(&MsgUpdateProvider{}, "akash/provider/v1/MsgUpdateProvider", nil)
	cdc.RegisterConcrete(&MsgDeleteProvider{}, "akash/provider/v1/MsgDeleteProvider", nil)
	cdc.RegisterConcrete(&MsgBondStake{}, "akash/provider/v1/MsgBondStake", nil)
	cdc.RegisterConcrete(&MsgUnbondStake{}, "akash/provider/v1/MsgUnbondStake", nil)
	cdc.RegisterConcrete(&MsgUpdateParams{}, "akash/provider/v1/MsgUpdateParams", nil)
}
