package manager

import (
	"context"
	"errors"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/provider/bidengine"
)

// ChainClient is what the daemon needs from the chain: a catch-up query, an
// event stream, and the provider's txs. The production implementation sits
// on CometBFT's websocket (tm.event='Tx' / 'NewBlock' queries) and the
// modules' gRPC queries; it signs txs one at a time (the daemon sends them
// from one goroutine, so account sequences never race).
type ChainClient interface {
	// Snapshot returns every open order, this provider's open bids and its
	// active leases, at one height (bidengine.Snapshot; LeaseInfo.Deployed
	// is filled in by the daemon).
	Snapshot(ctx context.Context) (bidengine.Snapshot, error)
	// Subscribe streams events from now on. The channel closes when the
	// subscription breaks (RPC restart, websocket drop): a gap the daemon
	// fills with a catch-up before it subscribes again.
	Subscribe(ctx context.Context) (<-chan Event, error)

	// PlaceBid sends a bid. It returns nil once the tx is in a block,
	// an error wrapping ErrBidExists if the provider already bid on the
	// order, ErrRejected when the chain refused it for good (ineligible,
	// window closed, deposit unaffordable), anything else when it may pass.
	PlaceBid(ctx context.Context, order market.OrderID, price, deposit money.Coin, offer manifest.Totals) error
	// CloseLease closes a lease of this provider with a reason.
	CloseLease(ctx context.Context, id market.LeaseID, c lease.Closure) error
	// Withdraw pays the lease's accrued earnings to the provider.
	Withdraw(ctx context.Context, id market.LeaseID) error
}

// Errors a ChainClient wraps to classify a failed bid.
var (
	ErrBidExists = errors.New("bid already exists")
	ErrRejected  = errors.New("rejected by the chain")
)

// EventKind names a chain event.
type EventKind uint8

const (
	// NewBlock: a block was committed at Height.
	NewBlock EventKind = iota + 1
	// OrderCreated: Order opened.
	OrderCreated
	// OrderClosed: OrderID was matched or closed; a lease, if any, comes as
	// LeaseCreated. Sent for orders closed unmatched.
	OrderClosed
	// LeaseCreated: Lease (any provider) was created.
	LeaseCreated
	// LeaseClosed: LeaseID was closed with Closure.
	LeaseClosed
)

// Event is one chain event; only the fields its Kind names are set.
type Event struct {
	Kind    EventKind
	Height  int64
	Order   market.Order
	OrderID market.OrderID
	Lease   bidengine.LeaseInfo
	LeaseID market.LeaseID
	Closure lease.Closure
	Detail  string
}

// classifyBid maps a PlaceBid error to the engine's outcomes.
func classifyBid(err error) (bidengine.BidOutcome, string) {
	switch {
	case err == nil:
		return bidengine.BidOK, ""
	case errors.Is(err, ErrBidExists):
		return bidengine.BidOK, err.Error()
	case errors.Is(err, ErrRejected):
		return bidengine.BidRejected, err.Error()
	}
	return bidengine.BidRetryable, err.Error()
}
