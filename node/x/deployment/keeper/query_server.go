package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"github.com/cosmos/cosmos-sdk/types/query"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/deployment/types"
)

type queryServer struct{ k Keeper }

// NewQueryServer returns the deployment query service.
func NewQueryServer(k Keeper) types.QueryServer { return queryServer{k} }

var _ types.QueryServer = queryServer{}

func (q queryServer) Deployment(ctx context.Context, req *types.QueryDeploymentRequest) (*types.QueryDeploymentResponse, error) {
	if req == nil || req.Owner == "" {
		return nil, status.Error(codes.InvalidArgument, "owner: required (the tenant's akash1... address)")
	}
	d, groups, err := q.k.Deployment(ctx, market.DeploymentID{Owner: req.Owner, DSeq: req.Dseq})
	if errors.Is(err, types.ErrDeploymentNotFound) {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryDeploymentResponse{Deployment: d, Groups: groups}, nil
}

func (q queryServer) Deployments(ctx context.Context, req *types.QueryDeploymentsRequest) (*types.QueryDeploymentsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	var want types.Deployment_State
	switch req.State {
	case "":
	case "active":
		want = types.DeploymentActive
	case "closed":
		want = types.DeploymentClosed
	default:
		return nil, status.Errorf(codes.InvalidArgument, "state %q: want active, closed or empty for both", req.State)
	}
	var opts []func(*query.CollectionsPaginateOptions[DeploymentKey])
	if req.Owner != "" {
		opts = append(opts, query.WithCollectionPaginationPairPrefix[string, uint64](req.Owner))
	}
	out, page, err := query.CollectionFilteredPaginate(ctx, q.k.Deployments, req.Pagination,
		func(_ DeploymentKey, d types.Deployment) (bool, error) {
			return want == types.DeploymentStateInvalid || d.State == want, nil
		},
		func(_ DeploymentKey, d types.Deployment) (types.QueryDeploymentResponse, error) {
			groups, err := q.k.groupsOf(ctx, market.DeploymentID{Owner: d.ID.Owner, DSeq: d.ID.Dseq})
			return types.QueryDeploymentResponse{Deployment: d, Groups: groups}, err
		}, opts...)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryDeploymentsResponse{Deployments: out, Pagination: page}, nil
}

func (q queryServer) Group(ctx context.Context, req *types.QueryGroupRequest) (*types.QueryGroupResponse, error) {
	if req == nil || req.Owner == "" {
		return nil, status.Error(codes.InvalidArgument, "owner: required (the tenant's akash1... address)")
	}
	g, err := q.k.Groups.Get(ctx, collections.Join3(req.Owner, req.Dseq, req.Gseq))
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Errorf(codes.NotFound, "%v: group %s/%d/%d does not exist", types.ErrGroupNotFound, req.Owner, req.Dseq, req.Gseq)
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryGroupResponse{Group: g}, nil
}

func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}
