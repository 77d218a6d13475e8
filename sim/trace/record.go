package trace

import (
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// Version names the format of the header and every record. A change that an
// older reader would misread (a field renamed, a meaning changed) takes a new
// version; the reader refuses any other.
const Version = "akash-sim-trace/v2"

// Kind says what a record is and which payload field it carries.
type Kind string

// Actions are what an agent decided and a replay submits; outcomes are what
// the market's rules decided and a replay checks.
const (
	KindHeader Kind = "header" // first line: the run and the market's parameters

	// Actions.
	KindProvider        Kind = "provider"         // a provider joined: attributes, stake bonded
	KindProviderStatus  Kind = "provider-status"  // outage, repaired, left, stake-released
	KindDeployment      Kind = "deployment"       // a tenant created a deployment: group, deposit
	KindDeposit         Kind = "deposit"          // a tenant topped up its escrow
	KindBid             Kind = "bid"              // an open bid (accepted or rejected at placement)
	KindCommit          Kind = "commit"           // a sealed bid's commitment (with the secret price and salt)
	KindReveal          Kind = "reveal"           // a sealed bid revealed
	KindBidWithdrawn    Kind = "bid-withdrawn"    // a provider withdrew an open bid (outage, leaving)
	KindCloseLease      Kind = "close-lease"      // the provider side closed a lease (fault, leaving)
	KindCloseDeployment Kind = "close-deployment" // the tenant closed its deployment
	KindWithdraw        Kind = "withdraw"         // a provider withdrew a lease's earnings
	KindCreateLease     Kind = "create-lease"     // a tenant picked a bid (tenant matching)

	// Outcomes.
	KindOrder       Kind = "order"        // an order opened (first, or a re-order after a fault)
	KindOrderClosed Kind = "order-closed" // an order matched, closed unmatched, or was cancelled
	KindLeaseOpened Kind = "lease-opened"
	KindLeaseClosed Kind = "lease-closed"
	KindTransfer    Kind = "transfer" // tokens moved (core/lease transfers and the simulator's own moves)

	// Ends.
	KindTruncated Kind = "truncated" // the writer's record limit was reached; nothing follows
	KindEnd       Kind = "end"       // the run finished: final ledger and wallets
)

// Record is one line of a trace: its kind, the height in force, and exactly
// the one payload field its kind names.
type Record struct {
	Kind   Kind  `json:"kind"`
	Height int64 `json:"h"`

	Header          *Header          `json:"header,omitempty"`
	Provider        *Provider        `json:"provider,omitempty"`
	ProviderStatus  *ProviderStatus  `json:"provider_status,omitempty"`
	Deployment      *Deployment      `json:"deployment,omitempty"`
	Deposit         *Deposit         `json:"deposit,omitempty"`
	Order           *Order           `json:"order,omitempty"`
	Bid             *Bid             `json:"bid,omitempty"` // KindBid and KindCommit
	Reveal          *Reveal          `json:"reveal,omitempty"`
	BidWithdrawn    *BidWithdrawn    `json:"bid_withdrawn,omitempty"`
	OrderClosed     *OrderClosed     `json:"order_closed,omitempty"`
	LeaseOpened     *LeaseOpened     `json:"lease_opened,omitempty"`
	LeaseClosed     *LeaseClosed     `json:"lease_closed,omitempty"`
	CloseLease      *CloseLease      `json:"close_lease,omitempty"`
	CloseDeployment *CloseDeployment `json:"close_deployment,omitempty"`
	Withdraw        *Withdraw        `json:"withdraw,omitempty"`
	CreateLease     *CreateLease     `json:"create_lease,omitempty"`
	Transfer        *Transfer        `json:"transfer,omitempty"`
	Truncated       *Truncated       `json:"truncated,omitempty"`
	End             *End             `json:"end,omitempty"`
}

// Header is the first line: what ran, and the market parameters a replay
// must configure the chain with.
type Header struct {
	Version        string `json:"version"`         // Version
	Scenario       string `json:"scenario"`        // the scenario's name
	ScenarioSHA256 string `json:"scenario_sha256"` // sha256 of the scenario's YAML (resolved, overrides applied)
	Seed           uint64 `json:"seed"`
	CodeVersion    string `json:"code_version"` // the simulator build's version
	Denom          string `json:"denom"`        // every amount in the trace is in this denomination
	BlockTimeNS    int64  `json:"block_time_ns"`
	EndHeight      int64  `json:"end_height"` // the run's last block
	Market         Market `json:"market"`
}

// Market holds the market rules' parameters in blocks and exact amounts.
type Market struct {
	BidWindowBlocks    int64     `json:"bid_window_blocks"`    // CloseHeight − OpenHeight
	RevealWindowBlocks int64     `json:"reveal_window_blocks"` // RevealEnd − CloseHeight (sealed orders)
	BidDeposit         money.Dec `json:"bid_deposit"`
	MinDeposit         money.Dec `json:"min_deposit"` // least opening deposit of a deployment (v2)
	TakeRateBPS        uint32    `json:"take_rate_bps"`
	SlashFaultBPS      uint32    `json:"slash_fault_bps"`
	UnbondingBlocks    int64     `json:"unbonding_blocks"`
	ReorderOnFault     bool      `json:"reorder_on_fault"`
	// Matching is core/market.Matching's name; empty is auto. BidTimeoutBlocks
	// is how many blocks after the close a tenant picks (tenant matching).
	Matching         string `json:"matching,omitempty"`
	BidTimeoutBlocks int64  `json:"bid_timeout_blocks,omitempty"`
}

// ID names a deployment, an order, a bid or a lease: the fields beyond the
// level named are zero (and left out).
type ID struct {
	Owner    string `json:"owner"`
	DSeq     uint64 `json:"dseq"`
	GSeq     uint32 `json:"gseq,omitempty"`
	OSeq     uint32 `json:"oseq,omitempty"`
	Provider string `json:"provider,omitempty"`
}

// DeploymentID converts a core ID.
func DeploymentID(id market.DeploymentID) ID { return ID{Owner: id.Owner, DSeq: id.DSeq} }

// OrderID converts a core ID.
func OrderID(id market.OrderID) ID {
	return ID{Owner: id.Owner, DSeq: id.DSeq, GSeq: id.GSeq, OSeq: id.OSeq}
}

// BidID converts a core ID (a lease's ID is its bid's).
func BidID(id market.BidID) ID {
	return ID{Owner: id.Owner, DSeq: id.DSeq, GSeq: id.GSeq, OSeq: id.OSeq, Provider: id.Provider}
}

// Deployment is the ID as a core deployment ID.
func (id ID) Deployment() market.DeploymentID {
	return market.DeploymentID{Owner: id.Owner, DSeq: id.DSeq}
}

// Order is the ID as a core order ID.
func (id ID) Order() market.OrderID {
	return market.OrderID{GroupID: market.GroupID{DeploymentID: id.Deployment(), GSeq: id.GSeq}, OSeq: id.OSeq}
}

// Bid is the ID as a core bid (or lease) ID.
func (id ID) Bid() market.BidID { return market.BidID{OrderID: id.Order(), Provider: id.Provider} }

func (id ID) String() string {
	switch {
	case id.Provider != "":
		return id.Bid().String()
	case id.OSeq != 0 || id.GSeq != 0:
		return id.Order().String()
	}
	return id.Deployment().String()
}

// Provider: a provider joined the market and bonded its stake.
type Provider struct {
	Addr       string              `json:"addr"`
	Class      string              `json:"class"`
	Attributes manifest.Attributes `json:"attributes"` // sorted by key then value
	Capacity   manifest.Totals     `json:"capacity"`
	Funds      money.Dec           `json:"funds"` // the wallet it joined with, before bonding
	Stake      money.Dec           `json:"stake"` // bonded at join
}

// Provider statuses.
const (
	StatusOutage        = "outage"         // went down: open bids withdrawn, leases closed provider-fault
	StatusRepaired      = "repaired"       // came back up
	StatusLeft          = "left"           // left the market: leases closed provider-closed, stake unbonding
	StatusStakeReleased = "stake-released" // the unbonding period ended
)

// ProviderStatus is a change of a provider's state that is not a market verb.
type ProviderStatus struct {
	Addr   string `json:"addr"`
	Status string `json:"status"`
}

// Deployment: a tenant created a deployment of one group with an escrow deposit.
type Deployment struct {
	ID            ID             `json:"id"`
	Group         manifest.Group `json:"group"` // its MaxPrice and Totals are the order's
	Deposit       money.Dec      `json:"deposit"`
	Sealed        bool           `json:"sealed"`
	MinReputation uint32         `json:"min_reputation"`
}

// Deposit: a tenant added funds to its deployment's escrow.
type Deposit struct {
	ID     ID        `json:"id"`
	Amount money.Dec `json:"amount"`
}

// Order is an order as it opened on the book.
type Order struct {
	ID            ID                             `json:"id"`
	Resources     manifest.Totals                `json:"resources"`
	MaxPrice      money.Dec                      `json:"max_price"`
	OpenHeight    int64                          `json:"open_height"`
	CloseHeight   int64                          `json:"close_height"`
	RevealEnd     int64                          `json:"reveal_end,omitempty"`
	MinReputation uint32                         `json:"min_reputation"`
	Sealed        bool                           `json:"sealed"`
	Requirements  manifest.PlacementRequirements `json:"requirements"`
}

// Offer is what a bid offered.
type Offer struct {
	Resources  manifest.Totals     `json:"resources"`
	Attributes manifest.Attributes `json:"attributes"`
	Reputation uint32              `json:"reputation"`
}

// Bid is an open bid or a sealed commitment as the book received it. For a
// commitment, Price and Salt are the provider's secret (the trace is a full
// record of the run, not public data); Commitment is what the book saw.
type Bid struct {
	ID         ID        `json:"id"`
	Price      money.Dec `json:"price"`
	Offer      Offer     `json:"offer"`
	PlacedAt   int64     `json:"placed_at"`
	Seq        uint64    `json:"seq"`
	Deposit    money.Dec `json:"deposit"`
	Accepted   bool      `json:"accepted"`
	Reason     string    `json:"reason,omitempty"`     // the eligibility rule that rejected it at placement
	Commitment string    `json:"commitment,omitempty"` // hex; commitments only
	Salt       string    `json:"salt,omitempty"`       // hex; commitments only
}

// Reveal: a sealed bid was revealed. Error is set when the book refused it
// (too late, order gone) and the simulator carried on.
type Reveal struct {
	ID    ID        `json:"id"`
	Price money.Dec `json:"price"`
	Salt  string    `json:"salt"`
	Error string    `json:"error,omitempty"`
}

// BidWithdrawn: the provider withdrew its bid before the close; the deposit
// went back to it.
type BidWithdrawn struct {
	ID     ID        `json:"id"`
	Refund money.Dec `json:"refund"`
}

// OrderClosed is core/market's Result for an order.
type OrderClosed struct {
	ID          ID           `json:"id"`
	Matched     bool         `json:"matched"`
	Cancelled   bool         `json:"cancelled"` // the tenant closed the deployment before the match
	Winner      string       `json:"winner,omitempty"`
	Price       money.Dec    `json:"price"` // zero when not matched
	Explanation string       `json:"explanation,omitempty"`
	Bids        []BidOutcome `json:"bids"` // in placement order
}

// BidOutcome is one bid's fate at the close.
type BidOutcome struct {
	Provider string    `json:"provider"`
	Price    money.Dec `json:"price"` // zero for a commitment never revealed
	Deposit  money.Dec `json:"deposit"`
	PlacedAt int64     `json:"placed_at"`
	Seq      uint64    `json:"seq"`
	Outcome  string    `json:"outcome"` // core/market Outcome name
	Reason   string    `json:"reason,omitempty"`
	Action   string    `json:"action"` // core/market DepositAction name
}

// LeaseOpened: the winning bid became a lease paid from the deployment's escrow.
type LeaseOpened struct {
	ID    ID        `json:"id"`
	Price money.Dec `json:"price"` // per block, whole group
}

// LeaseClosed: a lease stopped accruing at ClosedAt, for Reason.
type LeaseClosed struct {
	ID       ID     `json:"id"`
	ClosedAt int64  `json:"closed_at"`
	Reason   string `json:"reason"` // core/lease CloseReason name
	Detail   string `json:"detail,omitempty"`
}

// CloseLease: the provider side closed a lease (an outage, leaving, or
// winning while down).
type CloseLease struct {
	ID     ID     `json:"id"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

// CloseDeployment: the tenant closed its deployment (served to term, no
// match, its lease ended, or a management tier's decision).
type CloseDeployment struct {
	ID     ID     `json:"id"`
	Detail string `json:"detail"`
}

// CreateLease: under tenant matching, the order's tenant picked this bid
// (the chain's MsgCreateLease); the order-closed record that follows is the
// pick's Result.
type CreateLease struct {
	ID ID `json:"id"`
}

// Withdraw: a provider withdrew what a lease accrued.
type Withdraw struct {
	ID ID `json:"id"`
}

// Transfer purposes beyond core/lease's Why names (deposit, withdraw, take,
// refund, bond, unbond, slash), for the simulator's own moves.
const (
	WhyFund       = "fund"        // outside → a tenant or provider wallet
	WhyBidLock    = "bid-lock"    // provider → its bid deposit, locked
	WhyBidRefund  = "bid-refund"  // bid deposit → provider
	WhyBidForfeit = "bid-forfeit" // bid deposit → pool
	WhyDust       = "dust"        // escrow → pool: the fractions of a unit a closed account held back (core/lease whole.go)
)

// Party kinds beyond core/lease's (depositor, escrow, lease, provider, pool, stake).
const (
	PartyOutside   = "outside"     // money not yet in the market
	PartyBidLocked = "bid-deposit" // locked bid deposits
)

// Party is one end of a transfer.
type Party struct {
	Kind string `json:"kind"`
	Addr string `json:"addr,omitempty"`
}

// Transfer is tokens moved from one party to another.
type Transfer struct {
	Why     string    `json:"why"`
	From    Party     `json:"from"`
	To      Party     `json:"to"`
	Amount  money.Dec `json:"amount"`
	Account *ID       `json:"account,omitempty"` // the escrow account involved
	Lease   *ID       `json:"lease,omitempty"`   // the lease involved
}

// Truncated: the writer stopped at its record limit.
type Truncated struct {
	Limit int64 `json:"limit"`
}

// End is the state at the end of the run: the ledger's buckets and every
// provider's wallet.
type End struct {
	Records int64     `json:"records"` // records before this one, header included
	Ledger  Ledger    `json:"ledger"`
	Wallets []Balance `json:"wallets"` // providers, in the order they joined
}

// Ledger mirrors the simulator's token buckets.
type Ledger struct {
	Supply    money.Dec `json:"supply"`
	Outside   money.Dec `json:"outside"`
	Tenants   money.Dec `json:"tenants"`
	Escrow    money.Dec `json:"escrow"`
	Providers money.Dec `json:"providers"`
	BidLocked money.Dec `json:"bid_locked"`
	Pool      money.Dec `json:"pool"`
	Staked    money.Dec `json:"staked"`
	Slashed   money.Dec `json:"slashed"`
	Take      money.Dec `json:"take"`
	Forfeited money.Dec `json:"forfeited"`
}

// Balance is one address's holding.
type Balance struct {
	Addr   string    `json:"addr"`
	Amount money.Dec `json:"amount"`
}
