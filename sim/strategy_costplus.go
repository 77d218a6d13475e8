package sim

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// CostPlus prices so that the provider keeps cost × (1 + margin) after the
// take (KeepMargin).
type CostPlus struct {
	NoFeedback `yaml:"-"`
	MarginBPS  int64 `yaml:"margin_bps"`
}

func (s *CostPlus) Check(c *Checker) { checkMargin(c, "margin_bps", s.MarginBPS) }

func (s *CostPlus) NewStrategy(*ProviderInfo) Strategy { return s }

func (s *CostPlus) Price(q *Quote) money.Dec {
	return KeepMargin(q.Cost(), s.MarginBPS, q.TakeRateBPS())
}

// checkMargin: a margin of −100 % or less would price at or below zero.
func checkMargin(c *Checker, key string, bps int64) {
	if bps <= -bpsMax {
		c.Add(key, fmt.Sprintf("%d would price at or below zero", bps), "use basis points above -10000 (2000 = 20% over cost)")
	}
}
