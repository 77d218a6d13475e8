package market

import "fmt"

// Identifiers follow Akash's: a deployment is (owner, dseq); each of its
// groups adds gseq; the order for a group adds oseq (a group is re-ordered
// after its lease closes); a bid and the lease it becomes add the provider.
// They are plain comparable values so they work as map keys with no encoding.

// DeploymentID names a tenant's deployment.
type DeploymentID struct {
	Owner string // tenant address
	DSeq  uint64 // chosen by the tenant, usually the creation height
}

// GroupID names one group (placement) of a deployment.
type GroupID struct {
	DeploymentID
	GSeq uint32 // 1-based position of the group in the manifest
}

// OrderID names one order for a group.
type OrderID struct {
	GroupID
	OSeq uint32 // 1 for the first order of a group, +1 for each re-order
}

// BidID names one provider's bid on an order. One provider bids at most once
// per order, so the pair is unique.
type BidID struct {
	OrderID
	Provider string // provider address
}

// LeaseID names the lease a winning bid became; it is the bid's ID.
type LeaseID = BidID

func (id DeploymentID) String() string { return fmt.Sprintf("%s/%d", id.Owner, id.DSeq) }
func (id GroupID) String() string      { return fmt.Sprintf("%s/%d", id.DeploymentID, id.GSeq) }
func (id OrderID) String() string      { return fmt.Sprintf("%s/%d", id.GroupID, id.OSeq) }
func (id BidID) String() string        { return fmt.Sprintf("%s/%s", id.OrderID, id.Provider) }

// Reputation is a provider's score in basis points, 0 (none) to MaxReputation.
// core/lease computes it from stake and history; an order may require a minimum.
type Reputation uint32

// MaxReputation is the top of the Reputation scale.
const MaxReputation Reputation = 10_000
