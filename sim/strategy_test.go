package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/akash-market/akash/core/money"
)

func TestStrategies(t *testing.T) {
	d := money.MustParseDec
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		name string
		p    Pricing
		q    Quote
		want string
	}{
		{"cost-plus 20%", Pricing{Strategy: "cost-plus", MarginBPS: 2000}, Quote{Cost: d("10")}, "12"},
		{"cost-plus rounds down to micro-units", Pricing{Strategy: "cost-plus", MarginBPS: 1}, Quote{Cost: d("0.333333")}, "0.333366"},
		{"cost-plus negative margin", Pricing{Strategy: "cost-plus", MarginBPS: -2500}, Quote{Cost: d("8")}, "6"},
		{"undercut without a clearing price is cost-plus", Pricing{Strategy: "undercut", UndercutBPS: 500, MinMarginBPS: 0, MarginBPS: 1000}, Quote{Cost: d("10")}, "11"},
		{"undercut 5% under the last price", Pricing{Strategy: "undercut", UndercutBPS: 500}, Quote{Cost: d("10"), LastPrice: d("20"), HasLast: true}, "19"},
		{"undercut never below cost + min margin", Pricing{Strategy: "undercut", UndercutBPS: 500, MinMarginBPS: 1000}, Quote{Cost: d("10"), LastPrice: d("11.2"), HasLast: true}, "11"},
		{"utilisation idle", Pricing{Strategy: "utilisation", MinMarginBPS: 1000, MaxMarginBPS: 5000}, Quote{Cost: d("10"), UtilBPS: 0}, "11"},
		{"utilisation half", Pricing{Strategy: "utilisation", MinMarginBPS: 1000, MaxMarginBPS: 5000}, Quote{Cost: d("10"), UtilBPS: 5000}, "13"},
		{"utilisation full", Pricing{Strategy: "utilisation", MinMarginBPS: 1000, MaxMarginBPS: 5000}, Quote{Cost: d("10"), UtilBPS: 10000}, "15"},
		{"random band of zero width", Pricing{Strategy: "random-band", MinMarginBPS: 700, MaxMarginBPS: 700}, Quote{Cost: d("10"), Rand: r}, "10.7"},
	} {
		s, err := NewStrategy(c.p)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := s.Price(c.q); !got.Equal(d(c.want)) {
			t.Errorf("%s: price %s, want %s", c.name, got.ShortString(), c.want)
		}
	}
	if _, err := NewStrategy(Pricing{Strategy: "gouge"}); err == nil {
		t.Error("an unknown strategy was accepted")
	}
}

func TestRandomBandStaysInBandAndVaries(t *testing.T) {
	s := RandomBand{MinMarginBPS: 0, MaxMarginBPS: 4000}
	r := rand.New(rand.NewPCG(3, 4))
	lo, hi := money.MustParseDec("10"), money.MustParseDec("14")
	seen := map[string]bool{}
	for range 200 {
		p := s.Price(Quote{Cost: money.MustParseDec("10"), Rand: r})
		if p.Less(lo) || hi.Less(p) {
			t.Fatalf("price %s outside [10, 14]", p.ShortString())
		}
		seen[p.ShortString()] = true
	}
	if len(seen) < 50 {
		t.Fatalf("only %d distinct prices in 200 draws", len(seen))
	}
}
