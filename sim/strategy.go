package sim

import (
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// Strategy prices a provider's bids. Each provider has its own (built by
// its class's StrategyParams.NewStrategy when it joins). The price is per
// block for the whole order and may be above the order's max price: the book
// then rejects the bid and records why.
type Strategy interface {
	// Price is the bid for the order q describes.
	Price(q *Quote) money.Dec
	// Outcome tells the strategy how one of its bids fared when the order
	// was matched or closed unmatched (won, outbid, ineligible, ...; the
	// whole result is public then); an order its tenant cancelled reports
	// nothing. It is called as the result is applied, before the losers'
	// capacity is released. A strategy that does not learn embeds
	// NoFeedback.
	Outcome(o *Outcome)
}

// NoFeedback is embedded by strategies that ignore outcomes.
type NoFeedback struct{}

// Outcome does nothing.
func (NoFeedback) Outcome(*Outcome) {}

// KeepMargin is the price at which a provider keeps cost × (1 + bps/10000)
// after the market's take: cost × (1 + bps/10000) × 10000/(10000 − take),
// rounded down to whole micro-units (never below 0). The built-in strategies
// price through it, so a higher take rate raises their prices.
func KeepMargin(cost money.Dec, bps int64, takeBPS uint32) money.Dec {
	if takeBPS == 0 || takeBPS >= 10000 {
		return withMargin(cost, bps)
	}
	bps = max(bps, -10000)
	if v, ok := mulFracMicro(&cost, uint64(10000+bps), uint64(10000-takeBPS)); ok {
		return v
	}
	v, err := cost.MulFrac(uint64(10000+bps), uint64(10000-takeBPS))
	if err != nil {
		return withMargin(cost, bps)
	}
	return roundMicro(v)
}

// withMargin returns cost × (1 + bps/10000), rounded down to whole
// micro-units; a negative margin prices below cost (never below 0).
func withMargin(cost money.Dec, bps int64) money.Dec {
	if bps < -10000 {
		bps = -10000
	}
	if v, ok := mulFracMicro(&cost, uint64(10000+bps), 10000); ok {
		return v
	}
	v, err := cost.MulFrac(uint64(10000+bps), 10000)
	if err != nil {
		return cost
	}
	return roundMicro(v)
}

// mulFracMicro is roundMicro(cost.MulFrac(num, den)) in machine words, for
// den ≤ 10^6 and a cost and result below 2^128 atto (every real price): the
// floor of the floor, ⌊⌊cost × num ÷ den⌋ ÷ 10^12⌋, is ⌊cost × num ÷ (den ×
// 10^12)⌋, in units of the micro grid. It reports false (compute the
// general way) otherwise; TestMulFracMicro holds it equal to that way.
func mulFracMicro(cost *money.Dec, num, den uint64) (money.Dec, bool) {
	if den > 1_000_000 {
		return money.Dec{}, false
	}
	return money.MulDivToGrid(cost, num, den, market.CostQuantum, false)
}
