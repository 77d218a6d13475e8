package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/akash-market/akash/node/x/provider/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the Msg service: it checks the message and calls one keeper method.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) CreateProvider(ctx context.Context, m *types.MsgCreateProvider) (*types.MsgCreateProviderResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgCreateProviderResponse{}, s.k.CreateProvider(ctx, m.Owner, m.HostURI, m.Attributes, m.Info)
}

func (s msgServer) UpdateProvider(ctx context.Context, m *types.MsgUpdateProvider) (*types.MsgUpdateProviderResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgUpdateProviderResponse{}, s.k.UpdateProvider(ctx, m.Owner, m.HostURI, m.Attributes, m.Info)
}

func (s msgServer) DeleteProvider(ctx context.Context, m *types.MsgDeleteProvider) (*types.MsgDeleteProviderResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgDeleteProviderResponse{}, s.k.DeleteProvider(ctx, m.Owner)
}

func (s msgServer) BondStake(ctx context.Context, m *types.MsgBondStake) (*types.MsgBondStakeResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgBondStakeResponse{}, s.k.Bond(ctx, m.Provider, m.Amount)
}

func (s msgServer) UnbondStake(ctx context.Context, m *types.MsgUnbondStake) (*types.MsgUnbondStakeResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	at, err := s.k.Unbond(ctx, m.Provider, m.Amount)
	if err != nil {
		return nil, err
	}
	return &types.MsgUnbondStakeResponse{MatureAt: at}, nil
}

func (s msgServer) UpdateParams(ctx context.Context, m *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if m.Authority != s.k.authority {
		return nil, errorsmod.Wrapf(types.ErrUnauthorized, "signer %s; params change only through governance (authority %s)", m.Authority, s.k.authority)
	}
	if err := m.Params.Validate(); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, s.k.SetParams(ctx, m.Params)
}
