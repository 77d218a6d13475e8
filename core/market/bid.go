package market

import (
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

// Bid is a provider's fulfillment order: its price for the whole group per
// block and what it offers. Like Order it is a plain value for keeper storage.
//
// (PlacedAt, Seq) orders bids in time: the book assigns Seq from one counter
// shared by every order, so the pair is unique and "earliest" is the lower
// pair. A keeper assigns Seq the same way from a stored counter.
type Bid struct {
	ID         BidID
	Price      money.Coin // per block for the whole group; unknown (zero) while a sealed bid is unrevealed
	Offer      Offer
	PlacedAt   int64  // height of the bid, or of the commitment for a sealed bid
	Seq        uint64 // global placement sequence number
	Deposit    money.Coin
	State      BidState
	Commitment Commitment // sealed bids only: sha256 of the reveal's encoding
}

// BidState is where a bid stands before its order is matched.
type BidState uint8

const (
	BidActive    BidState = iota // competing (an open bid, or a sealed bid that was revealed)
	BidWithdrawn                 // withdrawn by its provider before close; its deposit was returned then
	BidSealed                    // a commitment that has not been revealed yet
)

func (s BidState) String() string {
	switch s {
	case BidActive:
		return "active"
	case BidWithdrawn:
		return "withdrawn"
	case BidSealed:
		return "sealed"
	}
	return "unknown-state"
}

// Offer is what the provider commits to the order: free capacity at least the
// order's totals, its attributes, the attributes auditors have signed for it,
// and its reputation when it bid (a snapshot: reputation moving later does not
// reopen the check).
type Offer struct {
	Resources  manifest.Totals
	Attributes manifest.Attributes // the provider's own attributes, any order
	Audited    []AuditedAttributes // one entry per auditor that signed some of the provider's attributes
	Reputation Reputation
}

// AuditedAttributes are the provider attributes one auditor has signed.
type AuditedAttributes struct {
	Auditor    string
	Attributes manifest.Attributes
}

// The lowest-price rule is written once, as beats on ranks: Match ranks
// the bids it is given with it, and the book keeps its incremental best bid
// with it, so a change to the rule changes both modes at once.

// rank is what the lowest-price rule reads of a bid in the book: its
// price, and its place in time (height, seq).
type rank struct {
	price  money.Dec
	height int64
	seq    uint64
}

// beats reports whether a bid with price pa, placed at (ha, sa) by provider
// na, beats one with pb at (hb, sb) by nb, when both are eligible for the
// same order: a lower price wins; at an equal price the earlier (height, seq)
// wins. The provider address breaks a remaining tie so that ranking is a
// strict total order even on hand-built bids with equal sequence numbers
// (the book and the chain never assign two equal ones), which keeps Match
// independent of the order of its input. Prices must share a denom
// (eligibility guarantees it). The fields come one by one so that each
// caller passes them from where they live, without copying a price.
func beats(pa *money.Dec, ha int64, sa uint64, na string, pb *money.Dec, hb int64, sb uint64, nb string) bool {
	if c := pa.Cmp(*pb); c != 0 {
		return c < 0
	}
	return earlier(ha, sa, na, hb, sb, nb)
}

// better is beats on two bids.
func better(a, b *Bid) bool {
	return beats(&a.Price.Amount, a.PlacedAt, a.Seq, a.ID.Provider, &b.Price.Amount, b.PlacedAt, b.Seq, b.ID.Provider)
}

// earlier is placement order: the lower (height, seq), then the provider
// address. It is the tie-break of beats and the order of a Result's Bids.
func earlier(ha int64, sa uint64, pa string, hb int64, sb uint64, pb string) bool {
	if ha != hb {
		return ha < hb
	}
	if sa != sb {
		return sa < sb
	}
	return pa < pb
}
