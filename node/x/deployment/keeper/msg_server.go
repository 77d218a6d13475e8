package keeper

import (
	"context"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/deployment/types"
)

type msgServer struct{ k Keeper }

// NewMsgServer returns the deployment Msg service: each method validates,
// then calls one keeper method.
func NewMsgServer(k Keeper) types.MsgServer { return msgServer{k} }

var _ types.MsgServer = msgServer{}

func (s msgServer) CreateDeployment(ctx context.Context, msg *types.MsgCreateDeployment) (*types.MsgCreateDeploymentResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgCreateDeploymentResponse{}, s.k.Create(ctx, msg)
}

func (s msgServer) DepositDeployment(ctx context.Context, msg *types.MsgDepositDeployment) (*types.MsgDepositDeploymentResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgDepositDeploymentResponse{}, s.k.Deposit(ctx, msg)
}

func (s msgServer) UpdateDeployment(ctx context.Context, msg *types.MsgUpdateDeployment) (*types.MsgUpdateDeploymentResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	return &types.MsgUpdateDeploymentResponse{}, s.k.Update(ctx, msg)
}

func (s msgServer) CloseDeployment(ctx context.Context, msg *types.MsgCloseDeployment) (*types.MsgCloseDeploymentResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	c := lease.Closure{Reason: lease.ReasonTenantClosed,
		Detail: fmt.Sprintf("owner closed the deployment at height %d", sdk.UnwrapSDKContext(ctx).BlockHeight())}
	return &types.MsgCloseDeploymentResponse{}, s.k.Close(ctx, market.DeploymentID{Owner: msg.Owner, DSeq: msg.Dseq}, c)
}

// ManageDeployment runs the one action it carries, as the plain message would;
// a close of a deployment the chain already closed (its escrow ran dry)
// succeeds without change, so a management grant can forget it.
func (s msgServer) ManageDeployment(ctx context.Context, msg *types.MsgManageDeployment) (*types.MsgManageDeploymentResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	var err error
	switch msg.Action() {
	case types.ActionCreate:
		_, err = s.CreateDeployment(ctx, msg.Create)
	case types.ActionDeposit:
		_, err = s.DepositDeployment(ctx, msg.Deposit)
	case types.ActionUpdate:
		_, err = s.UpdateDeployment(ctx, msg.Update)
	case types.ActionClose:
		d, _, gerr := s.k.Deployment(ctx, market.DeploymentID{Owner: msg.Close.Owner, DSeq: msg.Close.Dseq})
		if gerr == nil && d.State == types.DeploymentClosed {
			return &types.MsgManageDeploymentResponse{}, nil
		}
		_, err = s.CloseDeployment(ctx, msg.Close)
	}
	return &types.MsgManageDeploymentResponse{}, err
}
