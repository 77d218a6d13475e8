package sim

import "fmt"

// ProviderAgent decides, for one provider, whether to bid on an order it
// looked at (its class's bid_probability) and has room, deposit and
// uptime for; its Strategy then prices the bid. Each provider has its own,
// built by its class's ProviderAgentParams when it joins.
type ProviderAgent interface {
	Bid(q *Quote) bool
}

// BidWhenRoom is the built-in provider agent "default": it bids on every
// order it looks at while its utilisation (leased and reserved, busiest
// resource) is below MaxUtilisationBPS; 10000 (the default) bids whenever
// the order fits.
type BidWhenRoom struct {
	MaxUtilisationBPS int64 `yaml:"max_utilisation_bps"`
}

func (a *BidWhenRoom) Check(c *Checker) {
	if a.MaxUtilisationBPS < 0 || a.MaxUtilisationBPS > bpsMax {
		c.Add("max_utilisation_bps", fmt.Sprintf("is %d", a.MaxUtilisationBPS), "use basis points 0..10000 (10000: bid whenever the order fits)")
	}
}

func (a *BidWhenRoom) NewProviderAgent(*ProviderInfo) ProviderAgent { return a }

func (a *BidWhenRoom) Bid(q *Quote) bool {
	return a.MaxUtilisationBPS >= bpsMax || q.Self().UtilisationBPS() < a.MaxUtilisationBPS
}
