package sim

import "fmt"

// PriceIndex is the built-in metric "price-index": the clearing price of
// every matched order over the reference cost of its resources (1 = the
// market.reference yardstick), averaged, and the share of matched orders
// priced above Above times the reference. Its figures are
// extensions.price-index.{orders, mean, share_above}.
type PriceIndex struct {
	Above float64 `yaml:"above"`
}

func (p *PriceIndex) Check(c *Checker) {
	if !(p.Above > 0) {
		c.Add("above", fmt.Sprintf("is %v", p.Above), "use a positive multiple of the reference cost, e.g. 1.2")
	}
}

func (p *PriceIndex) NewMetric(m *MetricInfo) Metric {
	return &priceIndex{above: p.Above, market: m.Market()}
}

type priceIndex struct {
	NoObservations
	above     float64
	market    MarketView
	n, nAbove int64
	sum       float64
}

func (x *priceIndex) OrderClosed(o *OrderClose) {
	if !o.Result.Matched {
		return
	}
	ref := decFloat(x.market.ReferenceCost(o.Resources))
	if ref <= 0 {
		return
	}
	r := decFloat(o.Result.Price.Amount) / ref
	x.n++
	x.sum += r
	if r > x.above {
		x.nAbove++
	}
}

func (x *priceIndex) Values() map[string]float64 {
	v := map[string]float64{"orders": float64(x.n), "mean": 0, "share_above": 0}
	if x.n > 0 {
		v["mean"] = x.sum / float64(x.n)
		v["share_above"] = float64(x.nAbove) / float64(x.n)
	}
	return v
}
