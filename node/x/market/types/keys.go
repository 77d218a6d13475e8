package types

import (
	"encoding/binary"
	"fmt"

	"cosmossdk.io/collections"

	"github.com/akash-market/akash/core/market"
)

const (
	// ModuleName is the market module's name, store key and module account.
	ModuleName = "market"
	// StoreKey is the market module's KV store key.
	StoreKey = ModuleName
)

// Store prefixes, numbered once here (x/bank style).
var (
	ParamsKey          = collections.NewPrefix(0)
	SeqKey             = collections.NewPrefix(1)
	OrdersKey          = collections.NewPrefix(16)
	OrdersByMatchKey   = collections.NewPrefix(17)
	NextOSeqKey        = collections.NewPrefix(18)
	BidsKey            = collections.NewPrefix(32)
	BidsByProviderKey  = collections.NewPrefix(33)
	LeasesKey          = collections.NewPrefix(48)
	LeasesByProvider   = collections.NewPrefix(49)
	maxOwnerKeyLength  = 255
	orderKeyFixedBytes = 8 + 4 + 4
)

// Keys are byte strings laid out so that a deployment's, a group's and an
// order's records are contiguous: owner (length-prefixed) | dseq (8 bytes BE)
// | gseq (4) | oseq (4) | provider. A prefix scan then finds "every order of a
// deployment" or "every bid on an order" without a secondary index.

// OwnerPrefix is the key prefix of every record of one tenant.
func OwnerPrefix(owner string) []byte {
	b := make([]byte, 0, 1+len(owner))
	return appendOwner(b, owner)
}

func appendOwner(b []byte, owner string) []byte {
	if len(owner) > maxOwnerKeyLength {
		// Addresses are validated before they reach a key; a longer one is a bug.
		panic(fmt.Sprintf("market: owner address of %d bytes cannot be a key (max %d)", len(owner), maxOwnerKeyLength))
	}
	b = append(b, byte(len(owner)))
	return append(b, owner...)
}

// DeploymentPrefix is the key prefix of every order, bid and lease of a deployment.
func DeploymentPrefix(id market.DeploymentID) []byte {
	b := make([]byte, 0, 1+len(id.Owner)+8)
	b = appendOwner(b, id.Owner)
	return binary.BigEndian.AppendUint64(b, id.DSeq)
}

// GroupPrefix is the key prefix of every order, bid and lease of a group.
func GroupPrefix(id market.GroupID) []byte {
	return binary.BigEndian.AppendUint32(DeploymentPrefix(id.DeploymentID), id.GSeq)
}

// OrderKey is the store key of an order, and the prefix of its bids.
func OrderKey(id market.OrderID) []byte {
	return binary.BigEndian.AppendUint32(GroupPrefix(id.GroupID), id.OSeq)
}

// BidKey is the store key of a bid and of the lease it may become.
func BidKey(id market.BidID) []byte {
	return append(OrderKey(id.OrderID), id.Provider...)
}

// ParseBidKey is the inverse of BidKey.
func ParseBidKey(b []byte) (market.BidID, error) {
	id, rest, err := parseOrderKey(b)
	if err != nil {
		return market.BidID{}, err
	}
	return market.BidID{OrderID: id, Provider: string(rest)}, nil
}

// ParseOrderKey is the inverse of OrderKey.
func ParseOrderKey(b []byte) (market.OrderID, error) {
	id, rest, err := parseOrderKey(b)
	if err == nil && len(rest) != 0 {
		err = fmt.Errorf("market: order key has %d trailing bytes", len(rest))
	}
	return id, err
}

func parseOrderKey(b []byte) (market.OrderID, []byte, error) {
	if len(b) < 1 || len(b) < 1+int(b[0])+orderKeyFixedBytes {
		return market.OrderID{}, nil, fmt.Errorf("market: key of %d bytes is too short for an order key", len(b))
	}
	n := int(b[0])
	owner := string(b[1 : 1+n])
	b = b[1+n:]
	var id market.OrderID
	id.Owner = owner
	id.DSeq = binary.BigEndian.Uint64(b)
	id.GSeq = binary.BigEndian.Uint32(b[8:])
	id.OSeq = binary.BigEndian.Uint32(b[12:])
	return id, b[16:], nil
}
