package lease_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// TestLeaseSuite runs the behaviour specs: the whitepaper's marketplace
// section on leases, escrow and stake, told as stories.
func TestLeaseSuite(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "core/lease: leases, escrow, stake and reputation")
}
