package sim

import "github.com/akash-market/akash/core/money"

// CostPlus prices at cost × (1 + margin).
type CostPlus struct{ MarginBPS int64 }

func (s CostPlus) Name() string { return "cost-plus" }

func (s CostPlus) Price(q Quote) money.Dec { return withMargin(q.Cost, s.MarginBPS) }
