// Package customstrategy is a worked example of the simulator's extension
// API (docs/simulator.md, "Extensions"): a pricing strategy and a metric,
// registered from a module of their own, named in a scenario file with
// their own keys, checked with the same file:line:col errors as the
// simulator's keys, and run by the unchanged simulator.
//
// adaptive-margin is a learning strategy. Each provider starts at
// start_margin_bps and moves its own margin after every order it bid on:
// step_bps up after a win (it could have asked more), step_bps down after a
// loss to a cheaper bid, within [min_margin_bps, max_margin_bps]. It prices
// so that it keeps that margin over its cost after the market's take rate,
// and never asks more than cap_over_last_bps over the last clearing price of
// a like order (public market information).
package customstrategy

import (
	"fmt"
	"strconv"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim"
)

func init() {
	sim.RegisterStrategy(sim.StrategyKind{
		Name: "adaptive-margin",
		Doc:  "a margin per provider that rises after a win and falls after a loss",
		Params: func() sim.StrategyParams {
			return &AdaptiveMargin{StartMarginBPS: 2000, StepBPS: 100, MinMarginBPS: 0, MaxMarginBPS: 8000, CapOverLastBPS: 1000}
		},
	})
	sim.RegisterMetric(sim.MetricKind{
		Name:   "bid-spread",
		Doc:    "per matched order: (highest eligible bid - winning bid) / winning bid, mean",
		Params: func() sim.MetricParams { return &BidSpread{} },
	})
}

// AdaptiveMargin is the strategy's parameters: the keys of a provider
// class's pricing besides strategy (yaml tags), holding their defaults when
// the registered Params function returns them.
type AdaptiveMargin struct {
	StartMarginBPS int64 `yaml:"start_margin_bps"`
	StepBPS        int64 `yaml:"step_bps"`
	MinMarginBPS   int64 `yaml:"min_margin_bps"`
	MaxMarginBPS   int64 `yaml:"max_margin_bps"`
	CapOverLastBPS int64 `yaml:"cap_over_last_bps"`
}

// Check reports every bad key; the scenario loader places each on its line.
func (a *AdaptiveMargin) Check(c *sim.Checker) {
	if a.StepBPS <= 0 {
		c.Add("step_bps", fmt.Sprintf("is %d; the margin would never move", a.StepBPS), "use basis points > 0, e.g. 100")
	}
	if a.MinMarginBPS <= -10000 {
		c.Add("min_margin_bps", fmt.Sprintf("%d would price at or below zero", a.MinMarginBPS), "use basis points above -10000")
	}
	if a.MaxMarginBPS < a.MinMarginBPS {
		c.Add("max_margin_bps", fmt.Sprintf("%d is below min_margin_bps %d", a.MaxMarginBPS, a.MinMarginBPS), "make max_margin_bps ≥ min_margin_bps")
	}
	if a.StartMarginBPS < a.MinMarginBPS || a.StartMarginBPS > a.MaxMarginBPS {
		c.Add("start_margin_bps", fmt.Sprintf("%d is outside [%d, %d]", a.StartMarginBPS, a.MinMarginBPS, a.MaxMarginBPS), "start inside the band")
	}
	if a.CapOverLastBPS < 0 {
		c.Add("cap_over_last_bps", fmt.Sprintf("is %d", a.CapOverLastBPS), "use basis points ≥ 0")
	}
}

// NewStrategy gives every provider its own state: the strategy learns.
func (a *AdaptiveMargin) NewStrategy(*sim.ProviderInfo) sim.Strategy {
	return &adaptive{p: *a, margin: a.StartMarginBPS}
}

type adaptive struct {
	p      AdaptiveMargin
	margin int64 // basis points, this provider's own
}

func (s *adaptive) Price(q *sim.Quote) money.Dec {
	price := sim.KeepMargin(q.Cost(), s.margin, q.TakeRateBPS())
	if last, ok := q.LastClearing(); ok {
		if lastCap, err := last.MulFrac(uint64(10000+s.p.CapOverLastBPS), 10000); err == nil && lastCap.Less(price) {
			price = lastCap
		}
	}
	// Never below the price that keeps the floor margin.
	if floor := sim.KeepMargin(q.Cost(), s.p.MinMarginBPS, q.TakeRateBPS()); price.Less(floor) {
		price = floor
	}
	return price
}

func (s *adaptive) Outcome(o *sim.Outcome) {
	switch o.Bid().Outcome {
	case market.OutcomeWon:
		s.margin = min(s.margin+s.p.StepBPS, s.p.MaxMarginBPS)
	case market.OutcomeOutbid, market.OutcomeLaterAtSamePrice:
		s.margin = max(s.margin-s.p.StepBPS, s.p.MinMarginBPS)
	}
}

// BidSpread is a metric: how far above the winning bid the losing eligible
// bids were. It takes no keys.
type BidSpread struct{}

func (*BidSpread) Check(*sim.Checker)                   {}
func (*BidSpread) NewMetric(*sim.MetricInfo) sim.Metric { return &bidSpread{} }

type bidSpread struct {
	sim.NoObservations // only OrderClosed is used
	n                  int
	sum                float64
}

func (m *bidSpread) OrderClosed(o *sim.OrderClose) {
	r := o.Result
	if !r.Matched || len(r.Bids) < 2 {
		return
	}
	win := r.Price.Amount
	var hi money.Dec
	for _, b := range r.Bids {
		if (b.Outcome == market.OutcomeOutbid || b.Outcome == market.OutcomeLaterAtSamePrice) && hi.Less(b.Price) {
			hi = b.Price
		}
	}
	if hi.IsZero() || win.IsZero() {
		return
	}
	d, err := hi.Sub(win)
	if err != nil {
		return
	}
	m.n++
	m.sum += float(d) / float(win)
}

func float(d money.Dec) float64 {
	f, _ := strconv.ParseFloat(d.ShortString(), 64)
	return f
}

func (m *bidSpread) Values() map[string]float64 {
	v := map[string]float64{"orders": float64(m.n), "mean": 0}
	if m.n > 0 {
		v["mean"] = m.sum / float64(m.n)
	}
	return v
}
