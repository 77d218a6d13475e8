package market

import "github.com/akash-market/akash/core/manifest"

// Check is one eligibility rule. It looks at one dimension of a bid against
// its order and returns ReasonNone when the bid passes, or the Reason naming
// that dimension when it does not. Checks take pointers because the book runs
// them on its hot path and orders and bids are a few hundred bytes.
type Check func(o *Order, b *Bid) Reason

// OfferChecks returns the rules that do not look at the price: they can run
// when a sealed bid is committed, before its price is known. They run
// cheapest first (Nomad's stack orders its checkers the same way) so a
// typical rejection costs a few integer compares. Each call returns a fresh
// slice, so a caller may extend it into its own pipeline.
func OfferChecks() []Check {
	return []Check{
		CheckOrder,
		CheckReputation,
		CheckCPU,
		CheckMemory,
		CheckStorage,
		CheckGPU,
		CheckBandwidth,
		CheckAttributes,
		CheckSignedBy,
	}
}

// PriceChecks returns the rules on the price: they run on open bids at
// placement and on sealed bids at reveal.
func PriceChecks() []Check { return []Check{CheckDenom, CheckPrice} }

// Eligible reports whether bid may compete for order and, if not, the first
// rule it broke. A bid is eligible iff it is for this order, every offered
// resource is at least the order's total, every required attribute is among the
// provider's attributes, the required auditors signed them, its reputation is
// at least the minimum, its price is in the order's denomination and at most
// the order's max price. The bid's State is not looked at: Match handles
// withdrawn and unrevealed bids before asking about eligibility.
func Eligible(order Order, bid Bid) (bool, Reason) {
	r := eligible(&order, &bid)
	return r == ReasonNone, r
}

func eligible(o *Order, b *Bid) Reason {
	if r := offerEligible(o, b); r != ReasonNone {
		return r
	}
	return priceEligible(o, b)
}

// offerEligible and priceEligible run the same rules as OfferChecks and
// PriceChecks, written out as direct calls: the book calls them on every bid,
// and direct calls inline where calls through a slice of funcs cannot.
// TestEligibleRules and TestEachCheckNamesItsReason keep the two forms the same.
func offerEligible(o *Order, b *Bid) Reason {
	if r := CheckOrder(o, b); r != ReasonNone {
		return r
	}
	if r := CheckReputation(o, b); r != ReasonNone {
		return r
	}
	if r := checkResources(&o.Resources, &b.Offer.Resources); r != ReasonNone {
		return r
	}
	if r := CheckAttributes(o, b); r != ReasonNone {
		return r
	}
	return CheckSignedBy(o, b)
}

func priceEligible(o *Order, b *Bid) Reason {
	if r := CheckDenom(o, b); r != ReasonNone {
		return r
	}
	return CheckPrice(o, b)
}

// RunChecks runs checks in order and returns the first failing Reason, or
// ReasonNone. It lets a caller build its own pipeline from the same rules.
func RunChecks(checks []Check, o *Order, b *Bid) Reason {
	for _, c := range checks {
		if r := c(o, b); r != ReasonNone {
			return r
		}
	}
	return ReasonNone
}

// CheckOrder fails a bid that names another order.
func CheckOrder(o *Order, b *Bid) Reason {
	if b.ID.OrderID != o.ID {
		return ReasonOrder
	}
	return ReasonNone
}

// CheckReputation fails a provider whose reputation is below the order's minimum.
func CheckReputation(o *Order, b *Bid) Reason {
	if b.Offer.Reputation < o.MinReputation {
		return ReasonReputation
	}
	return ReasonNone
}

// CheckCPU fails an offer with less cpu than the order's total.
func CheckCPU(o *Order, b *Bid) Reason {
	if b.Offer.Resources.CPUMillis < o.Resources.CPUMillis {
		return ReasonCPU
	}
	return ReasonNone
}

// CheckMemory fails an offer with less memory than the order's total.
func CheckMemory(o *Order, b *Bid) Reason {
	if b.Offer.Resources.MemoryBytes < o.Resources.MemoryBytes {
		return ReasonMemory
	}
	return ReasonNone
}

// CheckStorage fails an offer with less storage than the order's total.
func CheckStorage(o *Order, b *Bid) Reason {
	if b.Offer.Resources.StorageBytes < o.Resources.StorageBytes {
		return ReasonStorage
	}
	return ReasonNone
}

// CheckGPU fails an offer with fewer gpu units than the order's total.
func CheckGPU(o *Order, b *Bid) Reason {
	if b.Offer.Resources.GPUUnits < o.Resources.GPUUnits {
		return ReasonGPU
	}
	return ReasonNone
}

// CheckBandwidth fails an offer with less bandwidth than the order's total.
func CheckBandwidth(o *Order, b *Bid) Reason {
	if b.Offer.Resources.BandwidthBps < o.Resources.BandwidthBps {
		return ReasonBandwidth
	}
	return ReasonNone
}

// checkResources is CheckCPU..CheckBandwidth in one call, in the same order
// (manifest.Dimensions order, the one per-dimension comparison).
func checkResources(need, have *manifest.Totals) Reason {
	return dimReason[need.ShortIn(have)]
}

// dimReason names the eligibility Reason of each resource dimension.
var dimReason = [...]Reason{
	manifest.DimNone:      ReasonNone,
	manifest.DimCPU:       ReasonCPU,
	manifest.DimMemory:    ReasonMemory,
	manifest.DimStorage:   ReasonStorage,
	manifest.DimGPU:       ReasonGPU,
	manifest.DimBandwidth: ReasonBandwidth,
}

// CheckAttributes fails a provider that lacks one of the order's required
// attributes (same key and value).
func CheckAttributes(o *Order, b *Bid) Reason {
	if !attributesSubset(o.Requirements.Attributes, b.Offer.Attributes) {
		return ReasonAttribute
	}
	return ReasonNone
}

// CheckSignedBy fails a provider whose required attributes are not vouched for
// as the order asks: every auditor in AllOf, and at least one in AnyOf when
// AnyOf is not empty, must have signed every required attribute. This is
// Akash's rule: a signature counts only if it covers what the order requires.
func CheckSignedBy(o *Order, b *Bid) Reason {
	if !signedBySatisfied(&o.Requirements, b.Offer.Audited) {
		return ReasonSignedBy
	}
	return ReasonNone
}

// attributesSubset reports whether every attribute of need is in have. Both
// lists are a handful of entries, so a nested scan beats sorting or hashing and
// needs neither list sorted.
func attributesSubset(need, have manifest.Attributes) bool {
next:
	for i := range need {
		for j := range have {
			if need[i].Key == have[j].Key && need[i].Value == have[j].Value {
				continue next
			}
		}
		return false
	}
	return true
}

func signedBySatisfied(req *manifest.PlacementRequirements, audited []AuditedAttributes) bool {
	for _, a := range req.SignedBy.AllOf {
		if !auditorVouches(a, req.Attributes, audited) {
			return false
		}
	}
	if len(req.SignedBy.AnyOf) == 0 {
		return true
	}
	for _, a := range req.SignedBy.AnyOf {
		if auditorVouches(a, req.Attributes, audited) {
			return true
		}
	}
	return false
}

func auditorVouches(auditor string, need manifest.Attributes, audited []AuditedAttributes) bool {
	for i := range audited {
		if audited[i].Auditor == auditor && attributesSubset(need, audited[i].Attributes) {
			return true
		}
	}
	return false
}

// CheckDenom fails a price in another denomination than the order's max price.
func CheckDenom(o *Order, b *Bid) Reason {
	if b.Price.Denom != o.MaxPrice.Denom {
		return ReasonDenom
	}
	return ReasonNone
}

// CheckPrice fails a price above the order's max price.
func CheckPrice(o *Order, b *Bid) Reason {
	if o.MaxPrice.Amount.Less(b.Price.Amount) {
		return ReasonPrice
	}
	return ReasonNone
}
