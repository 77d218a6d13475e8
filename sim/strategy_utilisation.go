package sim

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// Utilisation raises the margin it keeps after the take linearly from
// MinMarginBPS when idle to MaxMarginBPS when full: a busy provider is
// expensive.
type Utilisation struct {
	NoFeedback   `yaml:"-"`
	MinMarginBPS int64 `yaml:"min_margin_bps"`
	MaxMarginBPS int64 `yaml:"max_margin_bps"`
}

func (s *Utilisation) Check(c *Checker) { checkBand(c, s.MinMarginBPS, s.MaxMarginBPS) }

func (s *Utilisation) NewStrategy(*ProviderInfo) Strategy { return s }

func (s *Utilisation) Price(q *Quote) money.Dec {
	u := min(max(q.Self().UtilisationBPS(), 0), 10000)
	return KeepMargin(q.Cost(), s.MinMarginBPS+(s.MaxMarginBPS-s.MinMarginBPS)*u/10000, q.TakeRateBPS())
}

// checkBand: min_margin_bps ≤ max_margin_bps, both above −100 %.
func checkBand(c *Checker, lo, hi int64) {
	checkMargin(c, "min_margin_bps", lo)
	checkMargin(c, "max_margin_bps", hi)
	if hi < lo {
		c.Add("max_margin_bps", fmt.Sprintf("%d is below min_margin_bps %d", hi, lo), "make max_margin_bps ≥ min_margin_bps")
	}
}
