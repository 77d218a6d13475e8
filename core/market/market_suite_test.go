package market_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestMarketSuite runs the behaviour specs: the whitepaper's marketplace
// section on orders, fulfillment orders and matching, told as stories
// through the public API only.
func TestMarketSuite(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "core/market: orders, bids and matching")
}
