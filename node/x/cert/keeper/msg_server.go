package keeper

import (
	"context"

	"github.com/akash-market/akash/node/x/cert/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }

func (s msgServer) CreateCertificate(ctx context.Context, m *types.MsgCreateCertificate) (*types.MsgCreateCertificateResponse, error) {
	if err := types.ValidateAddress("owner", m.Owner); err != nil {
		return nil, err
	}
	serial, err := s.k.Create(ctx, m.Owner, m.Cert, m.Pubkey)
	if err != nil {
		return nil, err
	}
	return &types.MsgCreateCertificateResponse{Serial: serial}, nil
}

func (s msgServer) RevokeCertificate(ctx context.Context, m *types.MsgRevokeCertificate) (*types.MsgRevokeCertificateResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgRevokeCertificateResponse{}, s.k.Revoke(ctx, m.Owner, m.Serial)
}
