package sim

import (
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/rng"
)

// RandomBand prices at cost × (1 + m) with m drawn uniformly (whole basis
// points) from [MinMarginBPS, MaxMarginBPS] on every bid, from the provider's
// own "price" stream.
type RandomBand struct{ MinMarginBPS, MaxMarginBPS int64 }

func (s RandomBand) Name() string { return "random-band" }

func (s RandomBand) Price(q Quote) money.Dec {
	lo, hi := s.MinMarginBPS, s.MaxMarginBPS
	if hi < lo {
		lo, hi = hi, lo
	}
	return withMargin(q.Cost, rng.UniformInt(q.Rand, lo, hi))
}
