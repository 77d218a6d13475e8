package keeper

import (
	"context"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/types/query"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/akash-market/akash/node/x/provider/types"
)

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

func badAddress(field, addr string) error {
	if err := types.ValidateAddress(field, addr); err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	return nil
}

func (q queryServer) Provider(ctx context.Context, r *types.QueryProviderRequest) (*types.QueryProviderResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := badAddress("owner", r.Owner); err != nil {
		return nil, err
	}
	p, found, err := q.k.Provider(ctx, r.Owner)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	if !found {
		return nil, status.Errorf(codes.NotFound, "provider %s is not registered", r.Owner)
	}
	return &types.QueryProviderResponse{Provider: p}, nil
}

func (q queryServer) Providers(ctx context.Context, r *types.QueryProvidersRequest) (*types.QueryProvidersResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	ps, page, err := query.CollectionPaginate(ctx, q.k.Providers, r.Pagination,
		func(_ string, p types.Provider) (types.Provider, error) { return p, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryProvidersResponse{Providers: ps, Pagination: page}, nil
}

func (q queryServer) Stake(ctx context.Context, r *types.QueryStakeRequest) (*types.QueryStakeResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := badAddress("provider", r.Provider); err != nil {
		return nil, err
	}
	s, err := q.k.Stake(ctx, r.Provider)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	p, err := q.k.GetParams(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryStakeResponse{Stake: s, Denom: p.StakeDenom}, nil
}

func (q queryServer) Reputation(ctx context.Context, r *types.QueryReputationRequest) (*types.QueryReputationResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := badAddress("provider", r.Provider); err != nil {
		return nil, err
	}
	rep, err := q.k.Reputation(ctx, r.Provider)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryReputationResponse{
		Reputation:  uint32(rep.Reputation),
		Fulfillment: rep.Fulfillment,
		StakeScore:  rep.StakeScore,
		History:     rep.History,
		SharePpm:    rep.Share.PPM(),
	}, nil
}

func (q queryServer) Weight(ctx context.Context, r *types.QueryWeightRequest) (*types.QueryWeightResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if err := badAddress("provider", r.Provider); err != nil {
		return nil, err
	}
	w, err := q.k.StakeWeight(ctx, r.Provider)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	p, err := q.k.GetParams(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	bonded, err1 := types.IntFromDec(w.Num)
	total, err2 := types.IntFromDec(w.Den)
	if err1 != nil || err2 != nil {
		return nil, status.Errorf(codes.Internal, "weight %s: %v %v", w, err1, err2)
	}
	if bonded.IsNil() {
		bonded = math.ZeroInt()
	}
	return &types.QueryWeightResponse{
		Bonded: bonded, TotalBonded: total, Denom: p.StakeDenom,
		WeightBps: w.BasisPoints(), WeightPpm: w.PPM(),
	}, nil
}

func (q queryServer) Params(ctx context.Context, r *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, err := q.k.GetParams(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}
