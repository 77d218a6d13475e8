package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"github.com/cosmos/cosmos-sdk/types/query"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/akash-market/akash/node/x/cert/types"
)

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

// Certificates lists certificates by owner (a prefix scan), state and serial.
func (q queryServer) Certificates(ctx context.Context, r *types.QueryCertificatesRequest) (*types.QueryCertificatesResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	state, err := types.ParseState(r.State)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	if r.Owner != "" {
		if err := types.ValidateAddress("owner", r.Owner); err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
	}
	if r.Serial != "" {
		if _, err := types.ParseSerial(r.Serial); err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
	}
	keep := func(c types.Certificate) bool {
		return (state == types.CertificateStateInvalid || c.State == state) && (r.Serial == "" || c.Serial == r.Serial)
	}
	// One owner and serial: a direct read.
	if r.Owner != "" && r.Serial != "" {
		c, found, err := q.k.Get(ctx, r.Owner, r.Serial)
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		out := &types.QueryCertificatesResponse{Pagination: &query.PageResponse{}}
		if found && keep(c) {
			out.Certificates = []types.Certificate{c}
			out.Pagination.Total = 1
		}
		return out, nil
	}
	var opts []func(*query.CollectionsPaginateOptions[collections.Pair[string, string]])
	if r.Owner != "" {
		opts = append(opts, query.WithCollectionPaginationPairPrefix[string, string](r.Owner))
	}
	certs, page, err := query.CollectionFilteredPaginate(ctx, q.k.Certificates, r.Pagination,
		func(_ collections.Pair[string, string], c types.Certificate) (bool, error) { return keep(c), nil },
		func(_ collections.Pair[string, string], c types.Certificate) (types.Certificate, error) {
			return c, nil
		},
		opts...)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryCertificatesResponse{Certificates: certs, Pagination: page}, nil
}
