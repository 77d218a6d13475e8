package whitepaper_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestMarketplace(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Whitepaper: the marketplace, end to end")
}
