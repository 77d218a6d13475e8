package replay_test

import "testing"

// TestTiersUnderTenantMatching: a management tier's own deployments (the
// ML batch tier) under tenant matching: the simulator's tiers pick the
// cheapest bid a block after each close (sim/pick.go), and the chain, whose
// params say matching tenant, agrees.
func TestTiersUnderTenantMatching(t *testing.T) {
	if testing.Short() {
		t.Skip("replays a tier scenario")
	}
	set := append(chainSize(t, "ml-batch"), "market.matching=tenant", "market.bid_timeout=1m")
	plan, res, seen, _ := replayScenario(t, "ml-batch", set, 4, chainRun)
	t.Logf("%d leases; %v", len(plan.Want.Leases), seen)
	if seen["create-lease"] == 0 {
		t.Fatalf("no pick in the run; the case would prove nothing")
	}
	requireAgreement(t, res)
}
