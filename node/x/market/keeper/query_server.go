package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"github.com/cosmos/cosmos-sdk/types/query"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/market/types"
)

type queryServer struct{ k Keeper }

// NewQueryServerImpl returns the market's Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

var _ types.QueryServer = queryServer{}

func notFoundOr(err error, what string) error {
	switch {
	case errors.Is(err, types.ErrOrderNotFound), errors.Is(err, market.ErrUnknownBid), errors.Is(err, types.ErrLeaseNotFound),
		errors.Is(err, collections.ErrNotFound):
		return status.Errorf(codes.NotFound, "%s: %v", what, err)
	default:
		return status.Errorf(codes.Internal, "%s: %v", what, err)
	}
}

// bytesPrefix limits a paginated walk over a []byte-keyed map to keys with prefix p.
func bytesPrefix(p []byte) func(*query.CollectionsPaginateOptions[[]byte]) {
	return func(o *query.CollectionsPaginateOptions[[]byte]) { o.Prefix = &p }
}

func orderIDArgs(owner string, dseq uint64, gseq, oseq uint32) (market.OrderID, error) {
	id := types.OrderID{Owner: owner, DSeq: dseq, GSeq: gseq, OSeq: oseq}
	if err := id.Validate(); err != nil {
		return market.OrderID{}, status.Error(codes.InvalidArgument, err.Error())
	}
	return id.ToCore(), nil
}

func bidIDArgs(owner string, dseq uint64, gseq, oseq uint32, provider string) (market.BidID, error) {
	id := types.BidID{Owner: owner, DSeq: dseq, GSeq: gseq, OSeq: oseq, Provider: provider}
	if err := id.Validate(); err != nil {
		return market.BidID{}, status.Error(codes.InvalidArgument, err.Error())
	}
	return id.ToCore(), nil
}

func stateFilter[S ~int32](name string, values map[string]int32, what string) (S, error) {
	if name == "" {
		return 0, nil
	}
	v, ok := values[name]
	if !ok || v == 0 {
		return 0, status.Errorf(codes.InvalidArgument, "%s state %q is not known; use one of %v", what, name, knownStates(values))
	}
	return S(v), nil
}

func knownStates(values map[string]int32) []string {
	out := make([]string, len(values)-1)
	for n, v := range values {
		if v > 0 && int(v) <= len(out) {
			out[v-1] = n
		}
	}
	return out
}

func (q queryServer) Order(ctx context.Context, r *types.QueryOrderRequest) (*types.QueryOrderResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	id, err := orderIDArgs(r.Owner, r.Dseq, r.Gseq, r.Oseq)
	if err != nil {
		return nil, err
	}
	o, err := q.k.GetOrder(ctx, id)
	if err != nil {
		return nil, notFoundOr(err, "order "+id.String())
	}
	return &types.QueryOrderResponse{Order: o}, nil
}

func (q queryServer) Orders(ctx context.Context, r *types.QueryOrdersRequest) (*types.QueryOrdersResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	state, err := stateFilter[types.Order_State](r.State, types.Order_State_value, "order")
	if err != nil {
		return nil, err
	}
	opts := []func(*query.CollectionsPaginateOptions[[]byte]){}
	if r.Owner != "" {
		opts = append(opts, bytesPrefix(types.OwnerPrefix(r.Owner)))
	}
	orders, page, err := query.CollectionFilteredPaginate(ctx, q.k.Orders, r.Pagination,
		func(_ []byte, o types.Order) (bool, error) { return state == 0 || o.State == state, nil },
		func(_ []byte, o types.Order) (types.Order, error) { return o, nil }, opts...)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryOrdersResponse{Orders: orders, Pagination: page}, nil
}

func (q queryServer) Bid(ctx context.Context, r *types.QueryBidRequest) (*types.QueryBidResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	id, err := bidIDArgs(r.Owner, r.Dseq, r.Gseq, r.Oseq, r.Provider)
	if err != nil {
		return nil, err
	}
	b, err := q.k.Bids.Get(ctx, types.BidKey(id))
	if err != nil {
		return nil, notFoundOr(err, "bid "+id.String())
	}
	return &types.QueryBidResponse{Bid: b}, nil
}

// Bids lists the bids on one order (owner, dseq, gseq, oseq set) or of one
// provider (provider set), optionally in one state.
func (q queryServer) Bids(ctx context.Context, r *types.QueryBidsRequest) (*types.QueryBidsResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	state, err := stateFilter[types.Bid_State](r.State, types.Bid_State_value, "bid")
	if err != nil {
		return nil, err
	}
	keep := func(b types.Bid) bool { return state == 0 || b.State == state }
	if r.Owner != "" {
		id, err := orderIDArgs(r.Owner, r.Dseq, r.Gseq, r.Oseq)
		if err != nil {
			return nil, err
		}
		bids, page, err := query.CollectionFilteredPaginate(ctx, q.k.Bids, r.Pagination,
			func(_ []byte, b types.Bid) (bool, error) {
				return keep(b) && (r.Provider == "" || b.ID.Provider == r.Provider), nil
			},
			func(_ []byte, b types.Bid) (types.Bid, error) { return b, nil },
			bytesPrefix(types.OrderKey(id)))
		if err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
		return &types.QueryBidsResponse{Bids: bids, Pagination: page}, nil
	}
	if r.Provider == "" {
		return nil, status.Error(codes.InvalidArgument, "give an order (owner, dseq, gseq, oseq) or a provider")
	}
	out, page, err := query.CollectionFilteredPaginate(ctx, q.k.BidsByProvider, r.Pagination,
		func(key collections.Pair[string, []byte], _ collections.NoValue) (bool, error) {
			b, err := q.k.Bids.Get(ctx, key.K2())
			return err == nil && keep(b), err
		},
		func(key collections.Pair[string, []byte], _ collections.NoValue) (types.Bid, error) {
			return q.k.Bids.Get(ctx, key.K2())
		},
		query.WithCollectionPaginationPairPrefix[string, []byte](r.Provider))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryBidsResponse{Bids: out, Pagination: page}, nil
}

func (q queryServer) Lease(ctx context.Context, r *types.QueryLeaseRequest) (*types.QueryLeaseResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	id, err := bidIDArgs(r.Owner, r.Dseq, r.Gseq, r.Oseq, r.Provider)
	if err != nil {
		return nil, err
	}
	l, err := q.k.GetLease(ctx, id)
	if err != nil {
		return nil, notFoundOr(err, "lease "+id.String())
	}
	return &types.QueryLeaseResponse{Lease: l}, nil
}

// Leases lists leases of one tenant (owner), of one provider, or all,
// optionally in one state.
func (q queryServer) Leases(ctx context.Context, r *types.QueryLeasesRequest) (*types.QueryLeasesResponse, error) {
	if r == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	state, err := stateFilter[types.Lease_State](r.State, types.Lease_State_value, "lease")
	if err != nil {
		return nil, err
	}
	keep := func(l types.Lease) bool {
		return (state == 0 || l.State == state) && (r.Owner == "" || l.ID.Owner == r.Owner) && (r.Provider == "" || l.ID.Provider == r.Provider)
	}
	if r.Provider != "" && r.Owner == "" {
		out, page, err := query.CollectionFilteredPaginate(ctx, q.k.LeasesByProvider, r.Pagination,
			func(key collections.Pair[string, []byte], _ collections.NoValue) (bool, error) {
				l, err := q.k.Leases.Get(ctx, key.K2())
				return err == nil && keep(l), err
			},
			func(key collections.Pair[string, []byte], _ collections.NoValue) (types.Lease, error) {
				return q.k.Leases.Get(ctx, key.K2())
			},
			query.WithCollectionPaginationPairPrefix[string, []byte](r.Provider))
		if err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
		return &types.QueryLeasesResponse{Leases: out, Pagination: page}, nil
	}
	opts := []func(*query.CollectionsPaginateOptions[[]byte]){}
	if r.Owner != "" {
		opts = append(opts, bytesPrefix(types.OwnerPrefix(r.Owner)))
	}
	leases, page, err := query.CollectionFilteredPaginate(ctx, q.k.Leases, r.Pagination,
		func(_ []byte, l types.Lease) (bool, error) { return keep(l), nil },
		func(_ []byte, l types.Lease) (types.Lease, error) { return l, nil }, opts...)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryLeasesResponse{Leases: leases, Pagination: page}, nil
}

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.GetParams(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}
