package scenarios

import (
	"testing"

	"github.com/akash-market/akash/sim"
)

// The default scenario (S2's Defaults) validates and runs to the end with
// conservation intact.
func TestDefaultScenarioRuns(t *testing.T) {
	sc := Defaults()
	if err := Validate(&sc); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	res, err := sim.Run(&sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("default: %d orders, fill %.3f, %d leases, wall %.2fs", res.Summary.Orders.Posted, res.Summary.Orders.FillRate,
		res.Summary.Leases.Opened, res.Summary.Run.WallSeconds)
	if res.Summary.Leases.Opened == 0 {
		t.Fatal("the default market opened no lease")
	}
}
