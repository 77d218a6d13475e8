package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

// TestPendingKeepsOrder: a provider's open bids, whether in the provider
// (pendBuf) or spilled to pendMore, are in the order a plain slice with
// append and swap-remove gives (withdrawals after an outage walk them in
// that order), and each drop returns the totals its deployment reserved.
func TestPendingKeepsOrder(t *testing.T) {
	p := &Provider{pendMore: make([]pendingBid, 0, 4)}
	p.pending = p.pendBuf[:0:len(p.pendBuf)]
	var model []pendingBid
	deps := make([]*Deployment, 64)
	for i := range deps {
		deps[i] = &Deployment{id: market.DeploymentID{Owner: "t", DSeq: uint64(i + 1)}, oseq: 1,
			totals: manifest.Totals{CPUMillis: uint64(100 * (i + 1))}}
	}
	r := rand.New(rand.NewPCG(1, 2))
	next := 0
	for step := 0; step < 5000; step++ {
		if len(model) == 0 || (next < len(deps) && r.IntN(2) == 0 && len(model) < 9) {
			d := deps[next%len(deps)]
			next = (next + 1) % len(deps)
			if _, held := p.dropPending(d.id.DSeq, d.oseq); held { // already open: take it out first, as a close would
				for i, pb := range model {
					if pb.d == d {
						model[i] = model[len(model)-1]
						model = model[:len(model)-1]
						break
					}
				}
			}
			p.addPending(d)
			model = append(model, pendingBid{d: d, dseq: d.id.DSeq, oseq: d.oseq})
		} else {
			i := r.IntN(len(model))
			pb := model[i]
			model[i] = model[len(model)-1]
			model = model[:len(model)-1]
			got, ok := p.dropPending(pb.dseq, pb.oseq)
			if !ok || got != pb.d.totals {
				t.Fatalf("step %d: drop %d: got %v %v, want %v", step, pb.dseq, got, ok, pb.d.totals)
			}
		}
		if len(p.pending) != len(model) {
			t.Fatalf("step %d: %d open bids, want %d", step, len(p.pending), len(model))
		}
		for i := range model {
			if p.pending[i] != model[i] {
				t.Fatalf("step %d: open bid %d is %d, want %d", step, i, p.pending[i].dseq, model[i].dseq)
			}
		}
	}
	if _, ok := p.dropPending(999, 1); ok {
		t.Fatal("dropped a bid the provider never made")
	}
}

// TestPendingSpillAllocatesOnce: moving between pendBuf and pendMore reuses
// pendMore's array.
func TestPendingSpillAllocatesOnce(t *testing.T) {
	p := &Provider{pendMore: make([]pendingBid, 0, 16)}
	p.pending = p.pendBuf[:0:len(p.pendBuf)]
	deps := []*Deployment{{id: market.DeploymentID{DSeq: 1}}, {id: market.DeploymentID{DSeq: 2}}, {id: market.DeploymentID{DSeq: 3}}}
	if n := testing.AllocsPerRun(100, func() {
		for _, d := range deps {
			p.addPending(d)
		}
		for _, d := range deps {
			p.dropPending(d.id.DSeq, d.oseq)
		}
	}); n != 0 {
		t.Fatalf("%v allocations per cycle of three open bids", n)
	}
	if cap(p.pending) != len(p.pendBuf) {
		t.Fatalf("an empty list is not back in the provider (cap %d)", cap(p.pending))
	}
}
