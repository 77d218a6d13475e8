package market

import "github.com/akash-market/akash/core/manifest"

// Eligibility is one pipeline, written once: offerEligible (the rules that
// do not look at the price, so they can run when a sealed bid is committed)
// then priceEligible (the rules on the price, run on open bids at placement
// and on sealed bids at reveal). The book, Match, the chain's market keeper
// and the provider daemon's bid engine all run these two functions. Each
// step is a small named check on one dimension that returns the Reason
// naming that dimension, run cheapest first as Nomad's stack orders its
// checkers, so a typical rejection costs a few integer compares and an
// unmatched order can say why.

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

// OfferEligible runs the rules that do not look at the price (order,
// reputation, resources, attributes, auditors) and returns the first one b
// breaks, or ReasonNone.
func OfferEligible(o *Order, b *Bid) Reason { return offerEligible(o, &o.Requirements, b) }

// PriceEligible runs the rules on the price (denomination, at most the
// order's max price) and returns the first one b breaks, or ReasonNone.
func PriceEligible(o *Order, b *Bid) Reason { return priceEligible(o, b) }

func eligible(o *Order, b *Bid) Reason {
	if r := offerEligible(o, &o.Requirements, b); r != ReasonNone {
		return r
	}
	return priceEligible(o, b)
}

// offerEligible is the offer half of the pipeline. req is o's placement
// requirements: the book passes the copy in the order's fill-index bucket
// (the same requirements, since the bucket is keyed by them, and usually in
// cache when the order is not).
func offerEligible(o *Order, req *manifest.PlacementRequirements, b *Bid) Reason {
	if r := orderEligible(o, b); r != ReasonNone {
		return r
	}
	return requirementsEligible(req, &b.Offer)
}

// orderEligible is the first part of the offer half: the rules that read the
// order's own numbers (its ID, minimum reputation, resource totals), a few
// integer compares.
func orderEligible(o *Order, b *Bid) Reason {
	if r := checkOrder(o, b); r != ReasonNone {
		return r
	}
	return sameOrderEligible(o, b)
}

// sameOrderEligible is orderEligible for a bid already known to name o:
// the book finds a bid's order by its ID (or checks that the handle's order
// is the bid's), so placement skips checkOrder's second compare of the ID.
func sameOrderEligible(o *Order, b *Bid) Reason {
	if r := checkReputation(o, b); r != ReasonNone {
		return r
	}
	return checkResources(&o.Resources, &b.Offer.Resources)
}

// requirementsEligible is the second part: the rules that read only the
// order's requirement set and the provider's attributes and audits (string
// compares). Its verdict for one (requirement set, provider profile) pair
// never changes, which is what the book's verdict cache
// (eligibility_cache.go) keeps; on a miss the cache calls this function.
func requirementsEligible(req *manifest.PlacementRequirements, off *Offer) Reason {
	if r := checkAttributes(req, off); r != ReasonNone {
		return r
	}
	return checkSignedBy(req, off)
}

func priceEligible(o *Order, b *Bid) Reason {
	if r := checkDenom(o, b); r != ReasonNone {
		return r
	}
	return checkPrice(o, b)
}

// checkOrder fails a bid that names another order.
func checkOrder(o *Order, b *Bid) Reason {
	if b.ID.OrderID != o.ID {
		return ReasonOrder
	}
	return ReasonNone
}

// checkReputation fails a provider whose reputation is below the order's minimum.
func checkReputation(o *Order, b *Bid) Reason {
	if b.Offer.Reputation < o.MinReputation {
		return ReasonReputation
	}
	return ReasonNone
}

// checkResources fails an offer with less of some resource than the order's
// total, naming the first short dimension in the order cpu, memory, storage,
// gpu, bandwidth (manifest.Totals.ShortIn, the one per-dimension comparison;
// ReasonCPU..ReasonBandwidth follow manifest.DimCPU..DimBandwidth).
func checkResources(need, have *manifest.Totals) Reason {
	if d := need.ShortIn(have); d != manifest.DimNone {
		return ReasonCPU + Reason(d-manifest.DimCPU)
	}
	return ReasonNone
}

// checkAttributes fails a provider that lacks one of the order's required
// attributes (same key and value).
func checkAttributes(req *manifest.PlacementRequirements, off *Offer) Reason {
	if !attributesSubset(req.Attributes, off.Attributes) {
		return ReasonAttribute
	}
	return ReasonNone
}

// checkSignedBy fails a provider whose required attributes are not vouched for
// as the order asks: every auditor in AllOf, and at least one in AnyOf when
// AnyOf is not empty, must have signed every required attribute. This is
// Akash's rule: a signature counts only if it covers what the order requires.
func checkSignedBy(req *manifest.PlacementRequirements, off *Offer) Reason {
	if !signedBySatisfied(req, off.Audited) {
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

// checkDenom fails a price in another denomination than the order's max price.
func checkDenom(o *Order, b *Bid) Reason {
	if b.Price.Denom != o.MaxPrice.Denom {
		return ReasonDenom
	}
	return ReasonNone
}

// checkPrice fails a price above the order's max price.
func checkPrice(o *Order, b *Bid) Reason {
	if o.MaxPrice.Amount.Less(b.Price.Amount) {
		return ReasonPrice
	}
	return ReasonNone
}
