package sim

import (
	"fmt"
	"math/rand/v2"

	"github.com/akash-market/akash/core/money"
)

// Quote is what a pricing strategy sees when a provider prices an order.
type Quote struct {
	Cost      money.Dec // the provider's cost per block of the order's resources
	LastPrice money.Dec // last clearing price of a like order (same resource totals)
	HasLast   bool      // LastPrice is known
	UtilBPS   int64     // the provider's utilisation, basis points (the busiest resource)
	Rand      *rand.Rand
}

// Strategy prices one bid. Implementations are small and stateless; one file
// each (strategy_*.go). The price is per block for the whole order and may be
// above the order's max price: the book then rejects the bid and records why.
type Strategy interface {
	Price(q Quote) money.Dec
	Name() string
}

// NewStrategy builds the strategy a scenario's Pricing names.
func NewStrategy(p Pricing) (Strategy, error) {
	switch p.Strategy {
	case "cost-plus", "":
		return CostPlus{MarginBPS: p.MarginBPS}, nil
	case "undercut":
		return Undercut{UndercutBPS: p.UndercutBPS, MinMarginBPS: p.MinMarginBPS, MarginBPS: p.MarginBPS}, nil
	case "utilisation":
		return Utilisation{MinMarginBPS: p.MinMarginBPS, MaxMarginBPS: p.MaxMarginBPS}, nil
	case "random-band":
		return RandomBand{MinMarginBPS: p.MinMarginBPS, MaxMarginBPS: p.MaxMarginBPS}, nil
	}
	return nil, fmt.Errorf("pricing.strategy %q: want one of cost-plus, undercut, utilisation, random-band", p.Strategy)
}

// withMargin returns cost × (1 + bps/10000), rounded down to whole
// micro-units; a negative margin prices below cost (never below 0).
func withMargin(cost money.Dec, bps int64) money.Dec {
	if bps < -10000 {
		bps = -10000
	}
	v, err := cost.MulFrac(uint64(10000+bps), 10000)
	if err != nil {
		return cost
	}
	return roundMicro(v)
}
