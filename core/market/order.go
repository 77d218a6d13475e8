package market

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

// Order is one group's request on the order book. It is a plain value (no
// pointers into the book) so a chain keeper can store it as is.
//
// Heights: bids (or sealed commitments) are accepted at OpenHeight <= h <
// CloseHeight. An open order is matched at CloseHeight. A sealed order takes
// reveals at CloseHeight <= h < RevealEndHeight and is matched at
// RevealEndHeight. The caller converts "open for N seconds" to blocks.
//
// Field order is deliberate: the fields every bid placement reads come first
// so they share the first cache lines of the book's order slot.
type Order struct {
	ID            OrderID
	Resources     manifest.Totals // the whole group: every replica of every unit
	MaxPrice      money.Coin      // per block, for the whole group
	OpenHeight    int64
	CloseHeight   int64
	RevealEnd     int64 // sealed orders only; 0 otherwise
	MinReputation Reputation
	Sealed        bool
	Requirements  manifest.PlacementRequirements // attributes sorted by key then value
}

// Terms are the order's parameters that do not come from the manifest group.
type Terms struct {
	MinReputation Reputation
	OpenHeight    int64
	CloseHeight   int64 // first height at which no bid is taken
	Sealed        bool  // bids are commitments until CloseHeight
	RevealEnd     int64 // sealed only: first height at which no reveal is taken; matching happens here
}

// NewOrder builds the order for group g and checks it. The requirement lists
// are copied and sorted, so the order shares no memory with g.
func NewOrder(id OrderID, g manifest.Group, t Terms) (Order, error) {
	if len(g.Units) == 0 {
		return Order{}, fmt.Errorf("%w %s: group %q has no resource units; a group needs at least one compute profile with count >= 1", ErrInvalidOrder, id, g.Name)
	}
	totals, err := g.Totals()
	if err != nil {
		return Order{}, fmt.Errorf("%w %s: %v", ErrInvalidOrder, id, err)
	}
	price, err := g.MaxPrice()
	if err != nil {
		return Order{}, fmt.Errorf("%w %s: %v", ErrInvalidOrder, id, err)
	}
	o := Order{
		ID:            id,
		Requirements:  copyRequirements(g.Requirements),
		Resources:     totals,
		MinReputation: t.MinReputation,
		MaxPrice:      price,
		OpenHeight:    t.OpenHeight,
		CloseHeight:   t.CloseHeight,
		Sealed:        t.Sealed,
		RevealEnd:     t.RevealEnd,
	}
	if err := o.Validate(); err != nil {
		return Order{}, err
	}
	return o, nil
}

// Validate checks an order that did not come from NewOrder, e.g. one a keeper
// loaded from its store or a test built by hand.
func (o *Order) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w %s: %s", ErrInvalidOrder, o.ID, fmt.Sprintf(format, args...))
	}
	switch {
	case o.ID.Owner == "":
		return bad("owner is empty; an order belongs to a tenant address")
	case !money.ValidDenom(o.MaxPrice.Denom):
		return bad("max price denom %q is not a valid denomination (e.g. uakt)", o.MaxPrice.Denom)
	case o.MinReputation > MaxReputation:
		return bad("min reputation %d is above the scale's top %d", o.MinReputation, MaxReputation)
	case o.OpenHeight < 0:
		return bad("open height %d is negative", o.OpenHeight)
	case o.CloseHeight <= o.OpenHeight:
		return bad("close height %d must be after open height %d (the window must hold at least one block)", o.CloseHeight, o.OpenHeight)
	case o.Sealed && o.RevealEnd <= o.CloseHeight:
		return bad("sealed: reveal end %d must be after close height %d (reveals need at least one block)", o.RevealEnd, o.CloseHeight)
	case !o.Sealed && o.RevealEnd != 0:
		return bad("reveal end %d set on an order that is not sealed; set Sealed or leave RevealEnd 0", o.RevealEnd)
	}
	if i := unsortedAt(o.Requirements.Attributes); i >= 0 {
		a := o.Requirements.Attributes[i]
		return bad("requirements.attributes[%d] %s=%s is out of order or repeated; sort by key then value with no duplicates (NewOrder does this)", i, a.Key, a.Value)
	}
	return nil
}

// MatchHeight is the height at which the order is matched: its close height,
// or for a sealed order the end of its reveal window.
func (o *Order) MatchHeight() int64 {
	if o.Sealed {
		return o.RevealEnd
	}
	return o.CloseHeight
}

// TakesBidsAt reports whether a bid or commitment placed at height h is inside
// the bidding window.
func (o *Order) TakesBidsAt(h int64) bool { return h >= o.OpenHeight && h < o.CloseHeight }

// TakesWithdrawalsAt reports whether a bid may still be withdrawn at height
// h: only before the close height, where matching (or revealing) begins.
func (o *Order) TakesWithdrawalsAt(h int64) bool { return h < o.CloseHeight }

// TakesRevealsAt reports whether a reveal at height h is inside the reveal window.
func (o *Order) TakesRevealsAt(h int64) bool {
	return o.Sealed && h >= o.CloseHeight && h < o.RevealEnd
}

func copyRequirements(r manifest.PlacementRequirements) manifest.PlacementRequirements {
	attrs := slices.Clone(r.Attributes)
	slices.SortFunc(attrs, compareAttribute)
	attrs = slices.Compact(attrs)
	return manifest.PlacementRequirements{
		Attributes: attrs,
		SignedBy: manifest.SignedBy{
			AllOf: sortedSet(r.SignedBy.AllOf),
			AnyOf: sortedSet(r.SignedBy.AnyOf),
		},
	}
}

func sortedSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	c := slices.Clone(s)
	slices.Sort(c)
	return slices.Compact(c)
}

func compareAttribute(a, b manifest.Attribute) int {
	if c := cmp.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return cmp.Compare(a.Value, b.Value)
}

// unsortedAt returns the first index that breaks strict (key, value) order, or -1.
func unsortedAt(attrs manifest.Attributes) int {
	for i := 1; i < len(attrs); i++ {
		if compareAttribute(attrs[i-1], attrs[i]) >= 0 {
			return i
		}
	}
	return -1
}

// Reorder builds the order that puts prev's group back on the book after its
// lease closed (see lease.Reopens): the same resources, max price, placement
// requirements, minimum reputation and kind (sealed or open), as order oseq
// of the group with new heights from t (t.Sealed and t.MinReputation are
// taken from prev).
func Reorder(prev *Order, oseq uint32, t Terms) (Order, error) {
	if oseq <= prev.ID.OSeq {
		return Order{}, fmt.Errorf("%w %s: re-order as oseq %d; it must come after %d", ErrInvalidOrder, prev.ID, oseq, prev.ID.OSeq)
	}
	o := *prev
	o.ID.OSeq = oseq
	o.OpenHeight, o.CloseHeight, o.RevealEnd = t.OpenHeight, t.CloseHeight, 0
	if o.Sealed {
		o.RevealEnd = t.RevealEnd
	}
	o.Requirements = copyRequirements(prev.Requirements)
	if err := o.Validate(); err != nil {
		return Order{}, err
	}
	return o, nil
}
