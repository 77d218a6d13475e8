package sim

import (
	"testing"
)

// TestStaleDeploymentHandleIsRefused: a bid in flight holds a handle on the
// deployment it bids for. Once that deployment finishes and its record
// serves a new deployment (with an open order of the same sequence number),
// the old handle finds nothing, and the bid it carries is not placed on the
// new deployment's order; a handle on the new life is.
func TestStaleDeploymentHandleIsRefused(t *testing.T) {
	w, d := deploymentAfterHour(t, "with an open order", func(x *Deployment) bool { return x.orderOpen && !x.sealed })
	old := d.handle()
	if old.get() != d {
		t.Fatal("a handle on a live deployment finds nothing")
	}
	w.closeDeployment(d, "test")
	if old.get() != nil {
		t.Fatal("a handle on a finished deployment still finds it")
	}
	// Run until the record serves another deployment with an open order.
	for i := 0; i < 1_000_000 && (d.finished || !d.orderOpen || d.sealed); i++ {
		if !w.eng.Step() {
			break
		}
	}
	if d.finished || !d.orderOpen || d.sealed {
		t.Fatal("the finished deployment's record was never reused for an open, unsealed order")
	}
	if w.dep(d.id.DSeq) != d {
		t.Fatalf("the reused record is not deployment %d", d.id.DSeq)
	}
	if old.get() != nil {
		t.Fatal("a handle on the record's earlier life finds its new one")
	}
	var p *Provider
	for _, q := range w.providers {
		if q.hasRoom(d) && (d.region < 0 || q.region == d.region) {
			p = q
			break
		}
	}
	if p == nil {
		t.Skip("no provider with room for the reused deployment's order")
	}
	bids, orderBids := w.metrics.bids, d.bids
	stale := &bidEvent{w: w, p: p, d: depHandle{d: d, gen: old.gen}, oseq: d.oseq}
	w.placeBid(stale)
	if w.metrics.bids != bids || d.bids != orderBids {
		t.Fatalf("a bid with a stale handle was placed on %s (bids %d → %d)", d.orderID(), orderBids, d.bids)
	}
	live := &bidEvent{w: w, p: p, d: d.handle(), oseq: d.oseq}
	w.placeBid(live)
	if d.bids != orderBids+1 {
		t.Fatalf("a bid with a live handle was not placed on %s", d.orderID())
	}
}
