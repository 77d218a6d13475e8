// Package cli holds the market commands autocli cannot build: IDs written as
// owner/dseq/gseq/oseq[/provider], offers that default to the order's totals,
// and sealed bids whose commitment is computed locally.
package cli

import (
	"fmt"
	"strconv"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/market/types"
)

// ParseOrderID reads owner/dseq/gseq/oseq, e.g. akash1.../42/1/1.
func ParseOrderID(s string) (types.OrderID, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 4 {
		return types.OrderID{}, fmt.Errorf("order id %q: want owner/dseq/gseq/oseq, e.g. akash1.../42/1/1 (got %d parts)", s, len(parts))
	}
	return parseOrderParts(s, parts)
}

// ParseLeaseID reads owner/dseq/gseq/oseq/provider (a bid's or lease's ID).
func ParseLeaseID(s string) (types.BidID, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 5 {
		return types.BidID{}, fmt.Errorf("lease id %q: want owner/dseq/gseq/oseq/provider, e.g. akash1.../42/1/1/akash1... (got %d parts)", s, len(parts))
	}
	o, err := parseOrderParts(s, parts[:4])
	if err != nil {
		return types.BidID{}, err
	}
	if _, err := sdk.AccAddressFromBech32(parts[4]); err != nil {
		return types.BidID{}, fmt.Errorf("lease id %q: provider %q: %v; want a bech32 address (akash1...)", s, parts[4], err)
	}
	return types.BidID{Owner: o.Owner, DSeq: o.DSeq, GSeq: o.GSeq, OSeq: o.OSeq, Provider: parts[4]}, nil
}

func parseOrderParts(s string, parts []string) (types.OrderID, error) {
	if _, err := sdk.AccAddressFromBech32(parts[0]); err != nil {
		return types.OrderID{}, fmt.Errorf("id %q: owner %q: %v; want a bech32 address (akash1...)", s, parts[0], err)
	}
	dseq, err := strconv.ParseUint(parts[1], 10, 64)
	if err != nil || dseq == 0 {
		return types.OrderID{}, fmt.Errorf("id %q: dseq %q: want a whole number of at least 1", s, parts[1])
	}
	gseq, err := strconv.ParseUint(parts[2], 10, 32)
	if err != nil || gseq == 0 {
		return types.OrderID{}, fmt.Errorf("id %q: gseq %q: want a whole number of at least 1", s, parts[2])
	}
	oseq, err := strconv.ParseUint(parts[3], 10, 32)
	if err != nil || oseq == 0 {
		return types.OrderID{}, fmt.Errorf("id %q: oseq %q: want a whole number of at least 1", s, parts[3])
	}
	return types.OrderID{Owner: parts[0], DSeq: dseq, GSeq: uint32(gseq), OSeq: uint32(oseq)}, nil
}
