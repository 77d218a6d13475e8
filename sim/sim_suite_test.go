package sim

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestSimSuite(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "sim: the market world")
}
