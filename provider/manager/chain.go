package manager

import (
	"context"
	"errors"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/provider/bidengine"
)

// ChainClient is what the daemon needs from the chain: a catch-up query, an
// event stream, and the provider's txs. The production implementation sits
// on CometBFT's websocket (tm.event='Tx' / 'NewBlock' queries) and the
// modules' gRPC queries; it signs txs one at a time from one goroutine (so
// account sequences never race) and may have several waiting for a block.
type ChainClient interface {
	// Snapshot returns every open order, this provider's open bids and its
	// active leases, at one height (bidengine.Snapshot; LeaseInfo.Deployed
	// is filled in by the daemon).
	Snapshot(ctx context.Context) (bidengine.Snapshot, error)
	// Subscribe streams events from now on. The channel closes when the
	// subscription breaks (RPC restart, websocket drop): a gap the daemon
	// fills with a catch-up before it subscribes again.
	Subscribe(ctx context.Context) (<-chan Event, error)

	// Submit sends the tx actions (PlaceBid, CloseLease, Withdraw) as the
	// messages of one transaction. It returns once the node accepted the
	// transaction into its mempool (an error: nothing was sent, the same
	// answer for every action); the Landing then waits for the block and
	// returns one error per action: nil once it is in a block, an error
	// wrapping ErrBidExists if the provider already bid on the order,
	// ErrRejected when the chain refused it for good (ineligible, window
	// closed, deposit unaffordable), anything else when it may pass. A
	// failed message fails only its own action. Submit is called from one
	// goroutine; several Landings may wait at once (pipelined sequences).
	Submit(ctx context.Context, acts []bidengine.Action) (Landing, error)
}

// Landing waits for a submitted transaction's block: one error per action.
type Landing func(ctx context.Context) []error

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
