package sim

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// Undercut bids the last clearing price of a like order minus UndercutBPS,
// never below the price that keeps cost × (1 + MinMarginBPS) after the take;
// until it has seen a clearing price it prices like cost-plus with MarginBPS.
type Undercut struct {
	NoFeedback   `yaml:"-"`
	UndercutBPS  int64 `yaml:"undercut_bps"`
	MinMarginBPS int64 `yaml:"min_margin_bps"`
	MarginBPS    int64 `yaml:"margin_bps"`
}

func (s *Undercut) Check(c *Checker) {
	if s.UndercutBPS < 0 || s.UndercutBPS >= bpsMax {
		c.Add("undercut_bps", fmt.Sprintf("is %d", s.UndercutBPS), "use basis points 0..9999 (100 = 1% under the last clearing price)")
	}
	checkMargin(c, "min_margin_bps", s.MinMarginBPS)
	checkMargin(c, "margin_bps", s.MarginBPS)
}

func (s *Undercut) NewStrategy(*ProviderInfo) Strategy { return s }

func (s *Undercut) Price(q *Quote) money.Dec {
	take := q.TakeRateBPS()
	last, ok := q.LastClearing()
	if !ok {
		return KeepMargin(q.Cost(), s.MarginBPS, take)
	}
	p := withMargin(last, -s.UndercutBPS)
	if floor := KeepMargin(q.Cost(), s.MinMarginBPS, take); p.Less(floor) {
		return floor
	}
	return p
}
