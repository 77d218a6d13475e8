// Package bidengine is the provider daemon's decision core: a pure state
// machine in the style of etcd's raft. The caller (provider/manager) owns the
// world: it feeds events (an order seen, a new block, the result of a bid tx,
// a lease won, lost or closed, a manifest received, a catch-up snapshot of
// the chain) and then drains Actions: bids to place, leases to close with a
// reason, withdrawals due, workloads to tear down, and signals (skipped,
// lost, stalled) to log and count. The engine reads no clock and does no IO;
// time is the block height the caller passes in.
//
// Guarantees (tested by table tests and a rapid property):
//   - at most one bid per order is in flight or on chain: a second PlaceBid
//     for an order comes only after the first was reported failed;
//   - no lost order: every open order the engine is told about (by event or
//     catch-up) that fits the inventory, the provider's attributes and the
//     pricing strategy gets a bid, now or when capacity frees up;
//   - capacity is reserved on bid, committed on win and released exactly
//     once on loss, failure or close;
//   - a provider that has eligible orders but lands no bid for StallAfter
//     blocks says so (a Stalled action with the reason), once per StallAfter
//     blocks until a bid lands (Recovered).
package bidengine

import (
	"errors"
	"fmt"
	"slices"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/provider/inventory"
	"github.com/akash-market/akash/provider/pricing"
)

// Config is what the engine needs to know about its provider.
type Config struct {
	Provider   string              // the provider's address
	Attributes manifest.Attributes // as registered on chain
	Audited    []market.AuditedAttributes
	Reputation market.Reputation
	Deposit    money.Coin // bid deposit sent with every bid

	// ManifestTimeout is how many blocks after a lease starts the provider
	// waits for the manifest before it closes the lease (manifest-timeout).
	ManifestTimeout int64
	// WithdrawPeriod is how many blocks apart withdrawals of a lease are due.
	WithdrawPeriod int64
	// StallAfter is K: eligible orders with no bid landed for K blocks is a stall.
	StallAfter int64
	// BidRetries is how many times a bid whose tx failed with a retryable
	// error is tried again (next block, while the order takes bids).
	BidRetries int
}

// Validate reports the first unusable setting.
func (c *Config) Validate() error {
	switch {
	case c.Provider == "":
		return errors.New("bidengine: provider address is empty; set the provider's akash1... address")
	case c.ManifestTimeout <= 0:
		return fmt.Errorf("bidengine: manifest timeout %d blocks; must be >= 1", c.ManifestTimeout)
	case c.WithdrawPeriod <= 0:
		return fmt.Errorf("bidengine: withdraw period %d blocks; must be >= 1", c.WithdrawPeriod)
	case c.StallAfter <= 0:
		return fmt.Errorf("bidengine: stall-after %d blocks; must be >= 1", c.StallAfter)
	case c.BidRetries < 0:
		return fmt.Errorf("bidengine: bid retries %d; must be >= 0", c.BidRetries)
	}
	return nil
}

// Kind names an action.
type Kind uint8

const (
	// PlaceBid: send a bid tx for Order at Price with Deposit; report the
	// result with BidResult.
	PlaceBid Kind = iota + 1
	// CloseLease: send a close-lease tx for Lease with Closure.
	CloseLease
	// Withdraw: send a withdraw tx for Lease.
	Withdraw
	// Teardown: remove Lease's workload (idempotent; nothing may remain).
	Teardown
	// Skipped: the engine will not bid on Order now; Reason says why.
	Skipped
	// Lost: a bid on Order did not win (or its order closed); capacity released.
	Lost
	// Won: Lease is ours; capacity committed; the manifest is awaited.
	Won
	// Stalled: eligible orders exist but no bid landed for StallAfter blocks.
	Stalled
	// Recovered: a bid landed after a stall.
	Recovered
	// Missed: catch-up found an open order the event stream never delivered.
	Missed
	// RevealBid: send the reveal of the sealed bid on Order (committed by an
	// earlier PlaceBid with Sealed set); its reveal window ends below
	// Closes. Report the result with RevealResult.
	RevealBid
)

var kindNames = [...]string{
	PlaceBid: "place-bid", CloseLease: "close-lease", Withdraw: "withdraw", Teardown: "teardown",
	Skipped: "skipped", Lost: "lost", Won: "won", Stalled: "stalled", Recovered: "recovered", Missed: "missed",
	RevealBid: "reveal-bid",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Action is one thing for the caller to do or record. Only the fields the
// Kind names are set.
type Action struct {
	Kind    Kind
	Order   market.OrderID
	Lease   market.LeaseID
	Price   money.Coin
	Deposit money.Coin
	// Offer is the capacity a PlaceBid commits (MsgCreateBid's resources):
	// the order's totals, which the inventory has reserved.
	Offer manifest.Totals
	// Closes is a PlaceBid's order's close height (a RevealBid's: the end
	// of the reveal window): a tx that cannot be in a block below it is too
	// late (the caller drops it unsent).
	Closes int64
	// Sealed marks a PlaceBid on a sealed order: the caller commits to Price
	// (core/market.Reveal.Commitment with a fresh secret salt it keeps
	// durably) instead of bidding in the clear, and reveals it when the
	// engine asks with RevealBid.
	Sealed bool
	// Reveal is filled in by the caller, not the engine: the price and salt
	// a sealed PlaceBid commits to, or a RevealBid discloses.
	Reveal  *market.Reveal
	Closure lease.Closure
	Reason  string
	Height  int64
	// Adopted marks a Won for a lease this engine did not bid for (found on
	// chain after a restart): not a new win.
	Adopted bool
}

func (a Action) String() string {
	switch a.Kind {
	case PlaceBid:
		return fmt.Sprintf("%s %s price=%s deposit=%s", a.Kind, a.Order, a.Price, a.Deposit)
	case CloseLease:
		return fmt.Sprintf("%s %s: %s", a.Kind, a.Lease, a.Closure)
	case RevealBid:
		return fmt.Sprintf("%s %s (reveal window ends below %d)", a.Kind, a.Order, a.Closes)
	case Withdraw, Teardown, Won:
		return fmt.Sprintf("%s %s", a.Kind, a.Lease)
	case Stalled, Recovered:
		return fmt.Sprintf("%s at %d: %s", a.Kind, a.Height, a.Reason)
	}
	return fmt.Sprintf("%s %s: %s", a.Kind, a.Order, a.Reason)
}

// BidOutcome is what became of a PlaceBid tx.
type BidOutcome uint8

const (
	// BidOK: the bid is on chain. (A "bid already exists" rejection means the
	// same: the caller reports it as BidOK.)
	BidOK BidOutcome = iota + 1
	// BidRetryable: the tx did not land for a reason that may pass (RPC
	// down, sequence mismatch, mempool full).
	BidRetryable
	// BidRejected: the chain refused the bid (ineligible, window closed,
	// insufficient funds for the deposit); retrying the same bid won't help.
	BidRejected
)

// orderPhase is where one order stands for this provider.
type orderPhase uint8

const (
	phaseSkipped orderPhase = iota + 1 // not bid on; reason kept, re-evaluated when capacity frees
	phaseBidding                       // PlaceBid emitted, result not in yet; capacity reserved
	phaseBid                           // bid on chain; capacity reserved
	phaseFailed                        // last bid tx failed; capacity released
	phaseWon                           // lease; the lease record owns the capacity
	phaseDone                          // lost, expired or closed: kept until the window passes so a re-sent event is ignored
)

type orderState struct {
	order    market.Order
	phase    orderPhase
	reason   string // why skipped / failed
	capacity bool   // skipped for lack of capacity (re-tried on release)
	early    bool   // skipped because its window opens later (re-tried then)
	attempts int    // PlaceBid actions sent
	retry    bool   // the last failure may be retried
	since    int64  // height it became eligible without a bid on chain (liveness)
	price    money.Coin

	// Sealed orders: the bid on chain is a commitment until revealed.
	revealing bool // RevealBid emitted, result not in yet
	revealed  bool // the chain has the reveal (or refused it for good)
}

// LeaseInfo describes a lease: enough to adopt it after a restart.
type LeaseInfo struct {
	ID        market.LeaseID
	Price     money.Coin
	Resources manifest.Totals
	// Requirements are the group's placement attributes (to pick the pool).
	Requirements manifest.Attributes
	OpenedAt     int64
	// Deployed: the provider already has the manifest (its store or the
	// runtime has the workload), so no manifest timeout applies. Set on
	// catch-up after a restart.
	Deployed bool
}

type leasePhase uint8

const (
	leaseAwaiting leasePhase = iota + 1 // waiting for the manifest
	leaseRunning                        // manifest received, deployed
	leaseClosing                        // CloseLease emitted, waiting for the chain
)

type leaseState struct {
	info         LeaseInfo
	phase        leasePhase
	deadline     int64 // manifest due before this height
	lastWithdraw int64
	closeAt      int64         // height the CloseLease was sent
	closure      lease.Closure // why, while closing (sent again with it)
	refused      string        // why the last manifest sent was refused (awaiting)
}

// Engine is the state machine. Not safe for concurrent use: the caller's
// loop owns it.
type Engine struct {
	cfg    Config
	inv    *inventory.Inventory
	price  pricing.Strategy
	height int64

	orders map[market.OrderID]*orderState
	leases map[market.OrderID]*leaseState

	lastLanded  int64 // height of the last bid that landed (or start)
	stalled     bool
	stallSignal int64 // height of the last Stalled action

	out []Action
}

// New returns an engine at height start over an inventory the engine owns
// from now on (the caller may read it, e.g. for metrics, but not change it).
func New(cfg Config, inv *inventory.Inventory, strategy pricing.Strategy, start int64) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if inv == nil || strategy == nil {
		return nil, errors.New("bidengine: inventory and pricing strategy are required")
	}
	cfg.Attributes = slices.Clone(cfg.Attributes)
	return &Engine{
		cfg: cfg, inv: inv, price: strategy, height: start, lastLanded: start,
		orders: make(map[market.OrderID]*orderState),
		leases: make(map[market.OrderID]*leaseState),
	}, nil
}

// Actions returns what the caller must do, in order, and clears the list.
// Like raft's Ready: do them (send the txs, tear down), then feed results.
func (e *Engine) Actions() []Action {
	a := e.out
	e.out = nil
	return a
}

// Height is the last height the engine was told about.
func (e *Engine) Height() int64 { return e.height }

// SetReputation updates the reputation used in offers from now on.
func (e *Engine) SetReputation(r market.Reputation) { e.cfg.Reputation = r }

func (e *Engine) emit(a Action) {
	if a.Height == 0 {
		a.Height = e.height
	}
	e.out = append(e.out, a)
}

// Errors for events that do not fit the engine's state; the caller logs
// them (and may run a catch-up).
var (
	ErrUnknownOrder = errors.New("order unknown to the bid engine")
	ErrUnknownLease = errors.New("lease unknown to the bid engine")
	ErrNotOurs      = errors.New("lease names another provider")
)
