package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
)

// TestReputationCacheIsTheFormula: the score a bid carries (World.reputation:
// the provider's stake score kept while its stake and the total bonded are
// unchanged, the history's part recomputed when a lease closed) is
// core/lease's ComputeReputation of the stake share and history now, through
// closed leases of every outcome, stake bonded to the provider itself
// (stakeChanged), to others (the total moves) and slashes.
func TestReputationCacheIsTheFormula(t *testing.T) {
	w := storyWorldOf300(t)
	want := func(p *Provider) uint32 {
		return uint32(lease.ComputeReputation(w.settle.stake.Weight(p.addr), p.history, w.settle.repMemo.params))
	}
	reasons := []lease.CloseReason{lease.ReasonTenantClosed, lease.ReasonProviderFault, lease.ReasonProviderClosed,
		lease.ReasonInsufficientFunds, lease.ReasonManifestTimeout, lease.ReasonDeploymentClosed}
	r := rand.New(rand.NewPCG(3, 4))
	for step := 0; step < 300; step++ {
		p := w.providers[r.IntN(len(w.providers))]
		switch r.IntN(6) {
		case 0, 1, 2: // a lease closed
			p.history.Record(reasons[r.IntN(len(reasons))])
		case 3: // more stake bonded to p
			amt := money.NewDec(uint64(1 + r.IntN(50)))
			if err := w.settle.stake.Bond(p.addr, money.Coin{Denom: w.denom, Amount: amt}, &w.settle.effects); err != nil {
				t.Fatal(err)
			}
			p.stakeChanged()
			w.applyEffects()
		case 4: // p slashed
			if _, err := w.settle.stake.Slash(p.addr, uint32(1+r.IntN(500)), w.height, &w.settle.effects); err != nil {
				t.Fatal(err)
			}
			p.stakeChanged()
			w.applyEffects()
		case 5: // nothing moved: asked again
		}
		for _, q := range w.providers {
			if got := uint32(w.reputation(q)); got != want(q) {
				t.Fatalf("step %d: provider %s: reputation %d, the formula says %d (history %+v)", step, q.addr, got, want(q), q.history)
			}
		}
	}
}

// BenchmarkReputationAfterClose: a bid's reputation after one of the
// provider's leases closed (its history grew; stake unchanged), over 300
// providers in turn, as a busy market asks it.
func BenchmarkReputationAfterClose(b *testing.B) {
	w := storyWorldOf300(b)
	var sum uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := w.providers[i%len(w.providers)]
		p.history.Record(lease.ReasonTenantClosed)
		sum += uint64(w.reputation(p))
	}
	if sum == 0 {
		b.Fatal("no scores")
	}
}

// storyWorldOf300 is the story's world with 300 providers of one class:
// each share (about 0.33 %) is below the stake cap (1 %), so a move of the
// total moves every stake score.
func storyWorldOf300(tb testing.TB) *World {
	tb.Helper()
	sc := storyScenario()
	sc.Providers[0].Count = 300
	w, err := NewWorld(sc, Options{Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	return w
}
