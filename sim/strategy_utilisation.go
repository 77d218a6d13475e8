package sim

import "github.com/akash-market/akash/core/money"

// Utilisation raises the margin linearly from MinMarginBPS when idle to
// MaxMarginBPS when full: a busy provider is expensive.
type Utilisation struct{ MinMarginBPS, MaxMarginBPS int64 }

func (s Utilisation) Name() string { return "utilisation" }

func (s Utilisation) Price(q Quote) money.Dec {
	u := min(max(q.UtilBPS, 0), 10000)
	return withMargin(q.Cost, s.MinMarginBPS+(s.MaxMarginBPS-s.MinMarginBPS)*u/10000)
}
