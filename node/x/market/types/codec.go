package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the Msgs for amino JSON signing (ledger).
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgCreateBid{}, "akash/market/v1/MsgCreateBid")
	legacy.RegisterAminoMsg(cdc, &MsgCommitBid{}, "akash/market/v1/MsgCommitBid")
	legacy.RegisterAminoMsg(cdc, &MsgRevealBid{}, "akash/market/v1/MsgRevealBid")
	legacy.RegisterAminoMsg(cdc, &MsgCloseBid{}, "akash/market/v1/MsgCloseBid")
	legacy.RegisterAminoMsg(cdc, &MsgCreateLease{}, "akash/market/v1/MsgCreateLease")
	legacy.RegisterAminoMsg(cdc, &MsgCloseLease{}, "akash/market/v1/MsgCloseLease")
	legacy.RegisterAminoMsg(cdc, &MsgWithdrawLease{}, "akash/market/v1/MsgWithdrawLease")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "akash/market/v1/MsgUpdateParams")
}

// RegisterInterfaces registers the Msgs and the Msg service.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgCreateBid{}, &MsgCommitBid{}, &MsgRevealBid{}, &MsgCloseBid{},
		&MsgCreateLease{}, &MsgCloseLease{}, &MsgWithdrawLease{}, &MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
