package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// quoteFor is a quote on a world of one provider: cost, the take rate, the
// provider's cpu utilisation (basis points of 10 cores) and, when last is
// not empty, the last clearing price of a like order.
func quoteFor(cost string, take uint32, utilBPS uint64, last string, r *rand.Rand) *Quote {
	w := &World{rules: marketRules{takeRateBPS: take}}
	t := manifest.Totals{CPUMillis: 1000}
	if last != "" {
		w.public.leaseOpened(&Deployment{totals: t}, &Provider{addr: "p"}, money.MustParseDec(last), 1)
	}
	p := &Provider{capacity: market.Capacity{Total: manifest.Totals{CPUMillis: 10_000}, Committed: manifest.Totals{CPUMillis: utilBPS}}}
	if r != nil {
		p.price = *r // the same source: draws advance r
	}
	return &Quote{w: w, p: p, d: &Deployment{totals: t}, cost: money.MustParseDec(cost)}
}

func TestStrategies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name string
		s    StrategyParams
		q    *Quote
		want string
	}{
		{"cost-plus 20%", &CostPlus{MarginBPS: 2000}, quoteFor("10", 0, 0, "", nil), "12"},
		{"cost-plus rounds down to micro-units", &CostPlus{MarginBPS: 1}, quoteFor("0.333333", 0, 0, "", nil), "0.333366"},
		{"cost-plus negative margin", &CostPlus{MarginBPS: -2500}, quoteFor("8", 0, 0, "", nil), "6"},
		{"cost-plus keeps its margin after a 20% take", &CostPlus{MarginBPS: 2000}, quoteFor("10", 2000, 0, "", nil), "15"},
		{"cost-plus after a 2% take, rounded down", &CostPlus{MarginBPS: 2000}, quoteFor("10", 200, 0, "", nil), "12.244897"},
		{"undercut without a clearing price is cost-plus", &Undercut{UndercutBPS: 500, MarginBPS: 1000}, quoteFor("10", 0, 0, "", nil), "11"},
		{"undercut without a clearing price, 10% take", &Undercut{UndercutBPS: 500, MarginBPS: 1000}, quoteFor("10", 1000, 0, "", nil), "12.222222"},
		{"undercut 5% under the last price", &Undercut{UndercutBPS: 500}, quoteFor("10", 0, 0, "20", nil), "19"},
		{"undercut never below cost + min margin", &Undercut{UndercutBPS: 500, MinMarginBPS: 1000}, quoteFor("10", 0, 0, "11.2", nil), "11"},
		{"undercut's floor keeps the min margin after the take", &Undercut{UndercutBPS: 500, MinMarginBPS: 1000}, quoteFor("10", 1000, 0, "12.4", nil), "12.222222"},
		{"utilisation idle", &Utilisation{MinMarginBPS: 1000, MaxMarginBPS: 5000}, quoteFor("10", 0, 0, "", nil), "11"},
		{"utilisation half", &Utilisation{MinMarginBPS: 1000, MaxMarginBPS: 5000}, quoteFor("10", 0, 5000, "", nil), "13"},
		{"utilisation full", &Utilisation{MinMarginBPS: 1000, MaxMarginBPS: 5000}, quoteFor("10", 0, 10000, "", nil), "15"},
		{"random band of zero width", &RandomBand{MinMarginBPS: 700, MaxMarginBPS: 700}, quoteFor("10", 0, 0, "", r), "10.7"},
	} {
		s := c.s.NewStrategy(&ProviderInfo{})
		if got := s.Price(c.q); !got.Equal(money.MustParseDec(c.want)) {
			t.Errorf("%s: price %s, want %s", c.name, got.ShortString(), c.want)
		}
	}
}

// TestBuiltinsAreRegistered: the shipped names resolve to their types with
// the documented defaults, and a name nothing registered does not.
func TestBuiltinsAreRegistered(t *testing.T) {
	for name, want := range map[string]StrategyParams{
		"cost-plus":   &CostPlus{MarginBPS: 2000},
		"undercut":    &Undercut{UndercutBPS: 100, MinMarginBPS: 500, MarginBPS: 2000},
		"utilisation": &Utilisation{MinMarginBPS: 500, MaxMarginBPS: 5000},
		"random-band": &RandomBand{MinMarginBPS: 500, MaxMarginBPS: 5000},
	} {
		got, ok := Pricing{Kind: name}.params()
		if !ok || fmt.Sprintf("%T %+v", got, got) != fmt.Sprintf("%T %+v", want, want) {
			t.Errorf("strategy %s: defaults %+v (registered %v), want %+v", name, got, ok, want)
		}
	}
	if _, ok := (Pricing{Kind: "gouge"}).params(); ok {
		t.Error("an unregistered strategy resolved")
	}
	if _, ok := (ProviderAgentSpec{Kind: "default"}).params(); !ok {
		t.Error("provider agent default is not registered")
	}
	for _, k := range []string{"default", "raise-on-miss"} {
		if _, ok := (TenantAgentSpec{Kind: k}).params(); !ok {
			t.Errorf("tenant agent %s is not registered", k)
		}
	}
}

func TestRegisterRefusesDuplicatesAndBadParams(t *testing.T) {
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s: no panic", name)
			}
		}()
		f()
	}
	mustPanic("duplicate", func() {
		RegisterStrategy(StrategyKind{Name: "cost-plus", Params: func() StrategyParams { return &CostPlus{} }})
	})
	mustPanic("space in name", func() {
		RegisterStrategy(StrategyKind{Name: "my strategy", Params: func() StrategyParams { return &CostPlus{} }})
	})
	mustPanic("nil params", func() { RegisterStrategy(StrategyKind{Name: "nil-params"}) })
}

func TestRandomBandStaysInBandAndVaries(t *testing.T) {
	s := &RandomBand{MinMarginBPS: 0, MaxMarginBPS: 4000}
	r := rand.New(rand.NewPCG(3, 4))
	lo, hi := money.MustParseDec("10"), money.MustParseDec("14")
	seen := map[string]bool{}
	for range 200 {
		p := s.Price(quoteFor("10", 0, 0, "", r))
		if p.Less(lo) || hi.Less(p) {
			t.Fatalf("price %s outside [10, 14]", p.ShortString())
		}
		seen[p.ShortString()] = true
	}
	if len(seen) < 50 {
		t.Fatalf("only %d distinct prices in 200 draws", len(seen))
	}
}

// TestMulFracMicro: wherever the machine-word path of the strategies'
// margin arithmetic answers, it answers what MulFrac then roundMicro do.
func TestMulFracMicro(t *testing.T) {
	x := uint64(0x9E3779B97F4A7C15)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	edges := []uint64{0, 1, 9_999, 10_000, 10_001, 1_000_000, market.CostQuantum - 1, market.CostQuantum, 1 << 63, ^uint64(0)}
	check := func(lo, hi, num, den uint64) {
		cost := money.DecFromUint128(lo, hi)
		got, ok := mulFracMicro(&cost, num, den)
		if !ok {
			return
		}
		v, err := cost.MulFrac(num, den)
		if want := roundMicro(v); err != nil || !got.Equal(want) {
			t.Fatalf("%s atto × %d/%d: machine words %s, general %s (%v)", cost.Atto(), num, den, got.Atto(), want.Atto(), err)
		}
	}
	answered := 0
	for i := 0; i < 200_000; i++ {
		lo, hi, num, den := next(), next()>>(48+i%16), next()>>(44+i%20), 1+next()%1_000_000
		if i%3 == 0 {
			den = 10000 - next()%10000
		}
		check(lo, hi, num, den)
		c := money.DecFromUint128(lo, hi)
		if _, ok := mulFracMicro(&c, num, den); ok {
			answered++
		}
		check(edges[i%len(edges)], edges[(i/7)%len(edges)]&(1<<20-1), edges[(i/3)%len(edges)], max(edges[(i/11)%len(edges)]%1_000_001, 1))
	}
	if answered < 100_000 {
		t.Fatalf("the machine-word path answered %d of 200,000", answered)
	}
}
