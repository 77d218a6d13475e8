package sim

import (
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/rng"
)

// RandomBand keeps cost × (1 + m) after the take, with m drawn uniformly
// (whole basis points) from [MinMarginBPS, MaxMarginBPS] on every bid, from
// the provider's own "price" stream.
type RandomBand struct {
	NoFeedback   `yaml:"-"`
	MinMarginBPS int64 `yaml:"min_margin_bps"`
	MaxMarginBPS int64 `yaml:"max_margin_bps"`
}

func (s *RandomBand) Check(c *Checker) { checkBand(c, s.MinMarginBPS, s.MaxMarginBPS) }

func (s *RandomBand) NewStrategy(*ProviderInfo) Strategy { return s }

func (s *RandomBand) Price(q *Quote) money.Dec {
	lo, hi := s.MinMarginBPS, s.MaxMarginBPS
	if hi < lo {
		lo, hi = hi, lo
	}
	return KeepMargin(q.Cost(), rng.UniformInt(q.Rand(), lo, hi), q.TakeRateBPS())
}
