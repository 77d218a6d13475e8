package keeper

import (
	"context"
	"fmt"

	"github.com/akash-market/akash/node/x/market/types"
)

type msgServer struct{ k Keeper }

// NewMsgServerImpl returns the market's Msg service: each method checks the
// message and calls one keeper verb, and every refusal leaves with its ABCI
// code (types.WithCode), so clients can tell a duplicate bid from a closed
// window without parsing text.
func NewMsgServerImpl(k Keeper) types.MsgServer { return codedServer{msgServer{k: k}} }

var _ types.MsgServer = msgServer{}

// codedServer gives each error of the wrapped server its ABCI code.
type codedServer struct{ s msgServer }

func (c codedServer) CreateBid(ctx context.Context, m *types.MsgCreateBid) (*types.MsgCreateBidResponse, error) {
	r, err := c.s.CreateBid(ctx, m)
	return r, types.WithCode(err)
}

func (c codedServer) CommitBid(ctx context.Context, m *types.MsgCommitBid) (*types.MsgCommitBidResponse, error) {
	r, err := c.s.CommitBid(ctx, m)
	return r, types.WithCode(err)
}

func (c codedServer) RevealBid(ctx context.Context, m *types.MsgRevealBid) (*types.MsgRevealBidResponse, error) {
	r, err := c.s.RevealBid(ctx, m)
	return r, types.WithCode(err)
}

func (c codedServer) CloseBid(ctx context.Context, m *types.MsgCloseBid) (*types.MsgCloseBidResponse, error) {
	r, err := c.s.CloseBid(ctx, m)
	return r, types.WithCode(err)
}

func (c codedServer) CreateLease(ctx context.Context, m *types.MsgCreateLease) (*types.MsgCreateLeaseResponse, error) {
	r, err := c.s.CreateLease(ctx, m)
	return r, types.WithCode(err)
}

func (c codedServer) CloseLease(ctx context.Context, m *types.MsgCloseLease) (*types.MsgCloseLeaseResponse, error) {
	r, err := c.s.CloseLease(ctx, m)
	return r, types.WithCode(err)
}

func (c codedServer) WithdrawLease(ctx context.Context, m *types.MsgWithdrawLease) (*types.MsgWithdrawLeaseResponse, error) {
	r, err := c.s.WithdrawLease(ctx, m)
	return r, types.WithCode(err)
}

func (c codedServer) UpdateParams(ctx context.Context, m *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	r, err := c.s.UpdateParams(ctx, m)
	return r, types.WithCode(err)
}

func (s msgServer) CreateBid(ctx context.Context, m *types.MsgCreateBid) (*types.MsgCreateBidResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	seq, err := s.k.CreateBid(ctx, m)
	if err != nil {
		return nil, err
	}
	return &types.MsgCreateBidResponse{Seq: seq}, nil
}

func (s msgServer) CommitBid(ctx context.Context, m *types.MsgCommitBid) (*types.MsgCommitBidResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	seq, err := s.k.CommitBid(ctx, m)
	if err != nil {
		return nil, err
	}
	return &types.MsgCommitBidResponse{Seq: seq}, nil
}

func (s msgServer) RevealBid(ctx context.Context, m *types.MsgRevealBid) (*types.MsgRevealBidResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgRevealBidResponse{}, s.k.RevealBid(ctx, m)
}

func (s msgServer) CloseBid(ctx context.Context, m *types.MsgCloseBid) (*types.MsgCloseBidResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgCloseBidResponse{}, s.k.CloseBid(ctx, m)
}

func (s msgServer) CreateLease(ctx context.Context, m *types.MsgCreateLease) (*types.MsgCreateLeaseResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgCreateLeaseResponse{}, s.k.CreateLease(ctx, m)
}

func (s msgServer) CloseLease(ctx context.Context, m *types.MsgCloseLease) (*types.MsgCloseLeaseResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgCloseLeaseResponse{}, s.k.CloseLease(ctx, m)
}

func (s msgServer) WithdrawLease(ctx context.Context, m *types.MsgWithdrawLease) (*types.MsgWithdrawLeaseResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgWithdrawLeaseResponse{}, s.k.WithdrawLease(ctx, m)
}

func (s msgServer) UpdateParams(ctx context.Context, m *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if m.Authority != s.k.authority {
		return nil, fmt.Errorf("%w: params are set by %s, not %s", types.ErrUnauthorized, s.k.authority, m.Authority)
	}
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, s.k.SetParams(ctx, m.Params)
}
