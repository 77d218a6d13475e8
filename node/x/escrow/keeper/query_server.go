package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"github.com/cosmos/cosmos-sdk/types/query"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/escrow/types"
)

type queryServer struct{ k Keeper }

// NewQueryServer returns the gRPC query service of the escrow module.
func NewQueryServer(k Keeper) types.QueryServer { return queryServer{k} }

var _ types.QueryServer = queryServer{}

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

// Info returns the stored account with its dry height and carried dust.
func (k Keeper) Info(s types.Account) (types.AccountInfo, error) {
	a, err := s.ToCore()
	if err != nil {
		return types.AccountInfo{}, err
	}
	info := types.AccountInfo{Account: s, Carried: Carried(a).String()}
	if dry, ok := a.DryHeight(); ok {
		info.DryHeight = dry
	}
	return info, nil
}

func (q queryServer) Account(ctx context.Context, req *types.QueryAccountRequest) (*types.QueryAccountResponse, error) {
	if req == nil || req.Owner == "" {
		return nil, status.Error(codes.InvalidArgument, "owner: required (the deployment owner's akash1... address)")
	}
	s, err := q.k.load(ctx, market.DeploymentID{Owner: req.Owner, DSeq: req.Dseq})
	if err != nil {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	info, err := q.k.Info(s)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryAccountResponse{Info: info}, nil
}

func (q queryServer) Accounts(ctx context.Context, req *types.QueryAccountsRequest) (*types.QueryAccountsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	var want types.State
	switch req.State {
	case "":
	case "active":
		want = types.StateActive
	case "closed":
		want = types.StateClosed
	default:
		return nil, status.Errorf(codes.InvalidArgument, "state %q: want active, closed or empty for both", req.State)
	}
	var opts []func(*query.CollectionsPaginateOptions[AccountKey])
	if req.Owner != "" {
		opts = append(opts, query.WithCollectionPaginationPairPrefix[string, uint64](req.Owner))
	}
	infos, page, err := query.CollectionFilteredPaginate(ctx, q.k.Accounts, req.Pagination,
		func(_ AccountKey, s types.Account) (bool, error) {
			return want == types.StateInvalid || s.State == want, nil
		},
		func(_ AccountKey, s types.Account) (types.AccountInfo, error) { return q.k.Info(s) },
		opts...)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryAccountsResponse{Accounts: infos, Pagination: page}, nil
}

func (q queryServer) Payments(ctx context.Context, req *types.QueryPaymentsRequest) (*types.QueryPaymentsResponse, error) {
	if req == nil || req.Provider == "" {
		return nil, status.Error(codes.InvalidArgument, "provider: required (the provider's akash1... address)")
	}
	type key = collections.Triple[string, string, uint64]
	var out []types.ProviderPayment
	_, page, err := query.CollectionPaginate(ctx, q.k.ProviderIndex, req.Pagination,
		func(k key, _ collections.NoValue) (struct{}, error) {
			s, err := q.k.load(ctx, market.DeploymentID{Owner: k.K2(), DSeq: k.K3()})
			if err != nil {
				return struct{}{}, err
			}
			for _, p := range s.Payments {
				if p.Provider == req.Provider {
					out = append(out, types.ProviderPayment{Owner: s.Owner, Dseq: s.Dseq, Denom: s.Denom, Payment: p})
				}
			}
			return struct{}{}, nil
		},
		func(o *query.CollectionsPaginateOptions[key]) {
			prefix := collections.TriplePrefix[string, string, uint64](req.Provider)
			o.Prefix = &prefix
		})
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryPaymentsResponse{Payments: out, Pagination: page}, nil
}
