package sim

import "strings"

// SummaryUnit is the unit of a summary.json figure by its dotted path
// (orders.fill_rate, by_provider_class.gpu.revenue), for the report's key
// figures table; "" for counts, names and figures without one. denom is the
// run's money.denom.
func SummaryUnit(path, denom string) string {
	last := path
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		last = path[i+1:]
	}
	switch {
	case strings.HasPrefix(path, "inputs.") || strings.HasSuffix(last, "_exact") || path == "money.denom":
		return ""
	case strings.Contains(path, "time_to_lease_seconds.") || strings.HasSuffix(last, "_seconds"):
		return "s"
	case strings.HasSuffix(last, "_per_second"):
		return "events/s"
	case strings.HasSuffix(last, "_bytes"):
		return "bytes"
	case strings.HasSuffix(last, "_per_cpu"):
		return denom + "/block/cpu"
	case last == "fill_rate" || last == "win_rate" || strings.HasPrefix(path, "utilisation") || last == "utilisation":
		return "share"
	case last == "markup":
		return "× cost − 1"
	case last == "revenue_gini":
		return "Gini 0–1"
	case last == "revenue" || last == "paid" || last == "surplus" || strings.HasPrefix(path, "money."):
		return denom
	case last == "per_order" || last == "bids_per_order":
		return "bids/order"
	case last == "blocks":
		return "blocks"
	}
	return ""
}
