package market

import "fmt"

// SealedPolicy is the market's rule for who decides whether a new order takes
// sealed (commit–reveal) bids: the tenant, per deployment (the default), or
// the market, for every order. The simulator's tenants and the chain's
// MsgCreateDeployment both say what the tenant asks; the policy decides.
type SealedPolicy uint8

// The policies, in the order of the chain's market param sealed_bids.
const (
	SealedByTenant SealedPolicy = iota // the tenant's choice stands
	SealedAlways                       // every order is sealed, whatever the tenant asked
	SealedNever                        // no order is sealed, whatever the tenant asked
)

var sealedPolicyNames = [...]string{SealedByTenant: "tenant", SealedAlways: "always", SealedNever: "never"}

func (p SealedPolicy) String() string {
	if int(p) < len(sealedPolicyNames) {
		return sealedPolicyNames[p]
	}
	return fmt.Sprintf("SealedPolicy(%d)", uint8(p))
}

// ParseSealedPolicy reads "tenant", "always" or "never".
func ParseSealedPolicy(s string) (SealedPolicy, error) {
	for i, n := range sealedPolicyNames {
		if n == s {
			return SealedPolicy(i), nil
		}
	}
	return 0, fmt.Errorf("sealed bids policy %q: want tenant (each deployment chooses), always or never", s)
}

// Sealed is whether an order is sealed when its tenant asked for asked.
func (p SealedPolicy) Sealed(asked bool) bool {
	switch p {
	case SealedAlways:
		return true
	case SealedNever:
		return false
	}
	return asked
}

// Asks are what a tenant chooses for every order of its deployment besides
// the manifest group: sealed bids, and the least reputation a bidder needs.
// A re-order of the group asks the same.
type Asks struct {
	Sealed        bool
	MinReputation Reputation
}

// Validate checks the minimum reputation is on the scale.
func (a Asks) Validate() error {
	if a.MinReputation > MaxReputation {
		return fmt.Errorf("%w: min reputation %d is above the scale's top %d (basis points)", ErrInvalidOrder, a.MinReputation, MaxReputation)
	}
	return nil
}

// OrderParams are the market parameters every new order is opened under, in
// blocks: the same in the simulator (scenario market.bidding_window,
// market.reveal_window, market.matching, market.bid_timeout) and on the chain
// (market params bid_window_blocks, reveal_window_blocks, sealed_bids,
// matching, bid_timeout_blocks).
type OrderParams struct {
	BidWindow    int64 // blocks an order takes bids (or commitments)
	RevealWindow int64 // blocks a sealed order then takes reveals
	Sealed       SealedPolicy
	Matching     Matching // who picks the winner (pick.go)
	BidTimeout   int64    // tenant matching: blocks after the close in which the tenant picks
}

// TermsAt are the terms of an order opened at height h for a tenant that
// asks a: bids from h for BidWindow blocks, then for a sealed order reveals
// for RevealWindow blocks.
func (p OrderParams) TermsAt(h int64, a Asks) Terms {
	t := Terms{OpenHeight: h, CloseHeight: h + p.BidWindow, Sealed: p.Sealed.Sealed(a.Sealed), MinReputation: a.MinReputation}
	if t.Sealed {
		t.RevealEnd = t.CloseHeight + p.RevealWindow
	}
	return t
}
