package sim

import (
	"bytes"
	"testing"
	"time"

	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/trace"
)

// market.min_deposit: every deployment opens its escrow with at least the
// minimum (tenants that need less deposit exactly it), top-ups are free of
// it, the surplus comes back as refunds, and every token is conserved.
func TestTenantsDepositAtLeastTheMinimum(t *testing.T) {
	sc := smallScenario()
	min := money.MustParseDec("20000")
	sc.Market.MinDeposit = min
	_, data := tracedRun(t, sc, Options{Seed: 3, Until: Duration(3 * time.Hour), CheckEveryBlock: true})
	tr, err := trace.Read(bytes.NewReader(data), "small")
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Header.Market.MinDeposit.Equal(min) {
		t.Fatalf("trace header min deposit %s, want %s", tr.Header.Market.MinDeposit, min)
	}
	raised, above, refunds := 0, 0, 0
	for _, r := range tr.Records {
		switch {
		case r.Deployment != nil:
			switch d := r.Deployment.Deposit; {
			case d.Less(min):
				t.Fatalf("deployment %s deposited %s, below the minimum %s", r.Deployment.ID, d, min)
			case d.Equal(min):
				raised++
			default:
				above++
			}
		case r.Transfer != nil && r.Transfer.Why == "refund":
			refunds++
		}
	}
	if raised == 0 || above == 0 || refunds == 0 {
		t.Fatalf("%d deployments at the minimum, %d above it, %d refunds: the run should have each", raised, above, refunds)
	}
}
