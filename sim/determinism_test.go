package sim

import (
	"bytes"
	"encoding/json"
	"runtime"
	"testing"
)

// canonicalBytes is everything a run writes except Summary.Run.
func canonicalBytes(t *testing.T, r *Result) []byte {
	t.Helper()
	s := r.Summary
	s.Run = RunStats{}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, v := range []any{s, r.TimeSeries, r.Leases, r.Orders, r.Providers, r.Plots} {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func TestSameSeedSameBytes(t *testing.T) {
	a, err := Run(smallScenario(), Options{Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(smallScenario(), Options{Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(canonicalBytes(t, a), canonicalBytes(t, b)) {
		t.Fatal("two runs of the same scenario and seed differ")
	}
	c, err := Run(smallScenario(), Options{Seed: 12})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(canonicalBytes(t, a), canonicalBytes(t, c)) {
		t.Fatal("seeds 11 and 12 gave identical runs: the seed does not reach the draws")
	}
	if len(a.Leases.Rows) == 0 || len(a.TimeSeries.Rows) == 0 || len(a.Orders.Rows) == 0 || len(a.Providers.Rows) == 0 {
		t.Fatal("empty outputs would make this test vacuous")
	}
}

func TestGOMAXPROCSDoesNotChangeOutput(t *testing.T) {
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	a, err := Run(smallScenario(), Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GOMAXPROCS(4)
	runtime.GC()
	b, err := Run(smallScenario(), Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(canonicalBytes(t, a), canonicalBytes(t, b)) {
		t.Fatal("GOMAXPROCS 1 and 4 runs differ")
	}
}
