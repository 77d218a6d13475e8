package sim

import (
	"reflect"
	"testing"

	"github.com/akash-market/akash/core/market"
)

// TestWarmResultsToleratesAnyResult: warmResults runs before a block's
// results are checked, so it must read safely whatever they name: an
// unknown or retired DSeq, more bids than the deployment recorded bidders,
// a winner whose lease list is full. It only reads: a live deployment and
// its bidders are as they were.
func TestWarmResultsToleratesAnyResult(t *testing.T) {
	w, d := deploymentAfterHour(t, "with bidders", func(x *Deployment) bool { return len(x.bidders) > 0 })
	bids := make([]market.BidOutcome, len(d.bidders)+3)
	bids[0].Outcome = market.OutcomeWon
	p := d.bidders[0]
	p.leases = p.leases[:len(p.leases):len(p.leases)] // full: no free slot to read
	beforeD, beforeP := *d, *p
	var none, gone market.OrderID
	gone.DSeq = uint64(len(w.deps)) + 5
	rs := []market.Result{
		{Order: none},
		{Order: gone},
		{Order: d.orderID(), Bids: bids},
		{Order: d.orderID()},
	}
	s1, s2 := w.warmResults(rs), w.warmResults(rs)
	if s1 != s2 {
		t.Errorf("two reads of the same state differ: %d, %d", s1, s2)
	}
	if !reflect.DeepEqual(*d, beforeD) || !reflect.DeepEqual(*p, beforeP) {
		t.Error("warmResults changed the deployment or its bidder")
	}
	if w.warmResults(nil) != 0 {
		t.Error("nothing to warm reads something")
	}
}
