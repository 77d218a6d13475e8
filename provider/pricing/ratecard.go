package pricing

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// RateCard prices an order at the cost of its resources (per-resource rates,
// per unit per block: core/market Rates, per core, GiB, GPU and MiB/s) plus a
// margin. It refuses an order whose max price is below that cost; when the
// max price is between cost and cost + margin it bids the max price (still
// above cost, and the best it can get).
type RateCard struct {
	Denom string
	market.Rates
	MarginBPS uint64 // added on top of cost, basis points (1500 = 15%)
}

// RateCardConfig is the rate card as an operator writes it (YAML/flags):
// decimal strings, e.g. cpu: "0.5".
type RateCardConfig struct {
	Denom     string `mapstructure:"denom" yaml:"denom"`
	CPU       string `mapstructure:"cpu" yaml:"cpu"`
	Memory    string `mapstructure:"memory" yaml:"memory"`
	Storage   string `mapstructure:"storage" yaml:"storage"`
	GPU       string `mapstructure:"gpu" yaml:"gpu"`
	Bandwidth string `mapstructure:"bandwidth" yaml:"bandwidth"`
	MarginBPS uint64 `mapstructure:"margin-bps" yaml:"margin-bps"`
}

// Build checks the config and returns the rate card. Empty rates are zero.
func (c RateCardConfig) Build() (RateCard, error) {
	if !money.ValidDenom(c.Denom) {
		return RateCard{}, fmt.Errorf("pricing.denom %q is not a valid denomination; want e.g. uakt", c.Denom)
	}
	r := RateCard{Denom: c.Denom, MarginBPS: c.MarginBPS}
	for _, f := range []struct {
		key string
		in  string
		out *money.Dec
	}{
		{"cpu", c.CPU, &r.CPU},
		{"memory", c.Memory, &r.Memory},
		{"storage", c.Storage, &r.Storage},
		{"gpu", c.GPU, &r.GPU},
		{"bandwidth", c.Bandwidth, &r.Bandwidth},
	} {
		if f.in == "" {
			continue
		}
		d, err := money.ParseDec(f.in)
		if err != nil {
			return RateCard{}, fmt.Errorf("pricing.%s %q: %v; want a plain decimal per unit per block, e.g. 0.25", f.key, f.in, err)
		}
		*f.out = d
	}
	if r.MarginBPS > 1_000_000 {
		return RateCard{}, fmt.Errorf("pricing.margin-bps %d is above 1000000 (100x); basis points: 1500 = 15%%", r.MarginBPS)
	}
	return r, nil
}

// Name implements Strategy.
func (RateCard) Name() string { return "rate-card" }

// Cost is what the order's resources cost per block at the card's rates:
// core/market Rates.Cost, the rule the simulated providers follow too
// (rounded up, to the micro-unit grid; an overflow is an error).
func (r RateCard) Cost(t manifest.Totals) (money.Dec, error) {
	c, err := r.Rates.Cost(t)
	if errors.Is(err, money.ErrOverflow) {
		return money.Dec{}, fmt.Errorf("%w: %v", ErrOverflow, err)
	}
	return c, err
}

// Price implements Strategy.
func (r RateCard) Price(q Quote) (money.Coin, error) {
	o := &q.Order
	if o.MaxPrice.Denom != r.Denom {
		return money.Coin{}, fmt.Errorf("%w: order %s pays in %q, the rate card prices in %q", ErrDenom, o.ID, o.MaxPrice.Denom, r.Denom)
	}
	cost, err := r.Cost(o.Resources)
	if err != nil {
		return money.Coin{}, fmt.Errorf("order %s: %w", o.ID, err)
	}
	if o.MaxPrice.Amount.Less(cost) {
		return money.Coin{}, fmt.Errorf("%w: order %s offers at most %s%s per block, its resources cost %s%s",
			ErrBelowCost, o.ID, o.MaxPrice.Amount.ShortString(), r.Denom, cost.ShortString(), r.Denom)
	}
	price, err := cost.MulFracCeil(10_000+r.MarginBPS, 10_000)
	if err != nil {
		return money.Coin{}, fmt.Errorf("order %s: %w", o.ID, ErrOverflow)
	}
	return money.Coin{Denom: r.Denom, Amount: money.Min(price, o.MaxPrice.Amount)}, nil
}
