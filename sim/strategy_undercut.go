package sim

import "github.com/akash-market/akash/core/money"

// Undercut bids the last clearing price of a like order minus UndercutBPS,
// never below cost × (1 + MinMarginBPS); until it has seen a clearing price it
// prices like cost-plus with MarginBPS.
type Undercut struct {
	UndercutBPS  int64
	MinMarginBPS int64
	MarginBPS    int64
}

func (s Undercut) Name() string { return "undercut" }

func (s Undercut) Price(q Quote) money.Dec {
	if !q.HasLast {
		return withMargin(q.Cost, s.MarginBPS)
	}
	p := withMargin(q.LastPrice, -s.UndercutBPS)
	floor := withMargin(q.Cost, s.MinMarginBPS)
	if p.Less(floor) {
		return floor
	}
	return p
}
