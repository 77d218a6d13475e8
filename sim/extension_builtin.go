package sim

// The built-in extensions, registered through the same calls a researcher's
// package uses.
func init() {
	RegisterStrategy(StrategyKind{Name: "cost-plus", Doc: "keeps cost × (1 + margin_bps) after the take",
		Params: func() StrategyParams { return &CostPlus{MarginBPS: 2000} }})
	RegisterStrategy(StrategyKind{Name: "undercut", Doc: "the last clearing price of a like order minus undercut_bps, never keeping less than cost × (1 + min_margin_bps); cost-plus (margin_bps) until a price is seen",
		Params: func() StrategyParams { return &Undercut{UndercutBPS: 100, MinMarginBPS: 500, MarginBPS: 2000} }})
	RegisterStrategy(StrategyKind{Name: "utilisation", Doc: "the margin kept rises linearly from min_margin_bps (idle) to max_margin_bps (full)",
		Params: func() StrategyParams { return &Utilisation{MinMarginBPS: 500, MaxMarginBPS: 5000} }})
	RegisterStrategy(StrategyKind{Name: "random-band", Doc: "keeps cost × (1 + m), m uniform in [min_margin_bps, max_margin_bps] per bid",
		Params: func() StrategyParams { return &RandomBand{MinMarginBPS: 500, MaxMarginBPS: 5000} }})
	RegisterProviderAgent(ProviderAgentKind{Name: "default", Doc: "bids on every order it looks at and has room for, below max_utilisation_bps",
		Params: func() ProviderAgentParams { return &BidWhenRoom{MaxUtilisationBPS: bpsMax} }})
	RegisterTenantAgent(TenantAgentKind{Name: "default", Doc: "draws shape, region, valuation, deposit, lease length and sealing from the class's keys; gives up on an unmatched order",
		Params: func() TenantAgentParams { return &DrawFromClass{} }})
	RegisterMetric(MetricKind{Name: "price-index", Doc: "matched orders' clearing price over the reference cost of their resources: mean, and the share above `above`",
		Params: func() MetricParams { return &PriceIndex{Above: 1} }})
	RegisterTenantAgent(TenantAgentKind{Name: "raise-on-miss", Doc: "the default tenant, which re-posts an unmatched order up to retries times at a max price raised by raise_bps",
		Params: func() TenantAgentParams { return &RaiseOnMiss{Retries: 2, RaiseBPS: 2000} }})
}
