package sim

import (
	"slices"
	"testing"

	"github.com/akash-market/akash/sim/engine"
)

type arrivalDraw struct {
	class    string
	at       engine.Time
	shape    int
	region   int
	maxPrice string
	depositB int64
	length   engine.Duration
	sealed   bool
}

type drawLog struct {
	arrivals  []arrivalDraw
	latencies map[string][]engine.Duration
	costs     map[string]float64
}

func runLogged(t *testing.T, sc *Scenario) drawLog {
	t.Helper()
	w, err := NewWorld(sc, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	log := drawLog{latencies: map[string][]engine.Duration{}, costs: map[string]float64{}}
	w.onArrival = func(d *Deployment) {
		log.arrivals = append(log.arrivals, arrivalDraw{d.class.spec.Name, d.arrived, d.shape, d.region,
			d.maxPrice.String(), d.depositB, d.length, d.sealed})
	}
	w.onLatency = func(p *Provider, d engine.Duration) { log.latencies[p.addr] = append(log.latencies[p.addr], d) }
	for _, p := range w.providers {
		log.costs[p.addr] = p.costMul
	}
	if err := w.RunToEnd(); err != nil {
		t.Fatal(err)
	}
	return log
}

// Adding a provider must not change any other agent's draws: the tenants'
// arrivals and everything they draw, and each existing provider's cost and
// (the sequence of) its latency draws.
func TestAddingAProviderChangesNoOtherDraw(t *testing.T) {
	base := smallScenario()
	more := smallScenario()
	more.Providers[0].Count++
	a, b := runLogged(t, base), runLogged(t, more)

	if len(a.arrivals) == 0 || !slices.Equal(a.arrivals, b.arrivals) {
		t.Fatalf("tenant draws changed: %d vs %d arrivals", len(a.arrivals), len(b.arrivals))
	}
	for addr, c := range a.costs {
		if b.costs[addr] != c {
			t.Errorf("provider %s cost multiplier %v became %v", addr, c, b.costs[addr])
		}
	}
	if len(b.costs) != len(a.costs)+1 {
		t.Fatalf("expected one more provider, got %d vs %d", len(b.costs), len(a.costs))
	}
	compared := 0
	for addr, la := range a.latencies {
		lb := b.latencies[addr]
		n := min(len(la), len(lb))
		if !slices.Equal(la[:n], lb[:n]) {
			t.Errorf("provider %s latency draws differ", addr)
		}
		compared += n
	}
	if compared < 100 {
		t.Fatalf("only %d latency draws compared; the test would be vacuous", compared)
	}
}
