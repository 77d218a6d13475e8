package market

import "github.com/akash-market/akash/core/money"

// Match decides an order from all of its bids, without the book: this is what
// a chain keeper calls at an order's match height with the bids from its store.
//
// Withdrawn bids lose as withdrawn (their deposit went back at withdrawal);
// sealed bids never revealed lose their deposit; every other bid is checked
// for eligibility, and among the eligible ones the best-ranked bid wins (beats): lowest
// price, then earliest (PlacedAt, Seq). The outcome does not depend on the
// order of bids. With no eligible bid the order closes unmatched and
// Explanation says why.
func Match(order Order, bids []Bid) Result { return MatchInto(nil, order, bids) }

// MatchInto is Match writing the outcomes into buf's memory when it has room
// (the Result's Bids then alias buf), so a caller matching many orders in a
// loop can reuse one buffer and allocate nothing.
func MatchInto(buf []BidOutcome, order Order, bids []Bid) Result {
	if cap(buf) < len(bids) {
		buf = make([]BidOutcome, len(bids))
	}
	res := Result{Order: order.ID, Denom: order.MaxPrice.Denom, DepositDenom: depositDenom(bids), Bids: buf[:len(bids)]}
	best := -1
	for i := range bids {
		b := &bids[i]
		oc := &res.Bids[i]
		// Every field is written, as buf may be reused (field by field: a
		// composite literal costs a zeroed temporary and a copy).
		oc.Provider, oc.Price, oc.Deposit, oc.PlacedAt, oc.Seq = b.ID.Provider, b.Price.Amount, b.Deposit.Amount, b.PlacedAt, b.Seq
		oc.Reason, oc.denoms = ReasonNone, 0
		price := b.Price.Denom
		switch b.State {
		case BidWithdrawn:
			oc.Outcome, oc.Action = OutcomeWithdrawn, DepositNone
		case BidSealed:
			oc.Price, price = money.Dec{}, ""
			oc.Outcome, oc.Action = OutcomeUnrevealed, depositAction(&b.Deposit.Amount, DepositForfeit)
		default:
			if r := eligible(&order, b); r != ReasonNone {
				oc.Outcome, oc.Reason, oc.Action = OutcomeIneligible, r, depositAction(&b.Deposit.Amount, DepositRefund)
				if price != res.Denom || b.Deposit.Denom != res.DepositDenom {
					res.setDenoms(oc, price, b.Deposit.Denom)
				}
				continue
			}
			oc.Outcome = outcomePending
			if best < 0 || better(b, &bids[best]) {
				best = i
			}
		}
		if price != res.Denom || b.Deposit.Denom != res.DepositDenom {
			res.setDenoms(oc, price, b.Deposit.Denom)
		}
	}
	res.finish(best)
	// finish sorted Bids, so the winner's index moved; it already copied the
	// winner's ID and price into res before sorting. (The odd denominations
	// are kept by provider, so sorting does not disturb them.)
	return res
}

// depositDenom is the least non-empty deposit denomination of bids (all
// share it as a rule), so that Match's Result does not depend on their order.
func depositDenom(bids []Bid) string {
	d := ""
	for i := range bids {
		if dd := bids[i].Deposit.Denom; dd != d && dd != "" && (d == "" || dd < d) {
			d = dd
		}
	}
	return d
}
