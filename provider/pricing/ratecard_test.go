package pricing

import (
	"errors"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

func card(t *testing.T) RateCard {
	t.Helper()
	r, err := RateCardConfig{Denom: "uakt", CPU: "10", Memory: "2", Storage: "0.1", GPU: "100", Bandwidth: "0.5", MarginBPS: 2000}.Build()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func order(maxPrice string, t manifest.Totals) market.Order {
	return market.Order{
		ID:        market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: "akash1t", DSeq: 9}, GSeq: 1}, OSeq: 1},
		Resources: t,
		MaxPrice:  money.Coin{Denom: "uakt", Amount: money.MustParseDec(maxPrice)},
	}
}

func TestRateCardCost(t *testing.T) {
	r := card(t)
	for _, tc := range []struct {
		name string
		t    manifest.Totals
		want string
	}{
		{"nothing costs nothing", manifest.Totals{}, "0"},
		{"one core", manifest.Totals{CPUMillis: 1000}, "10"},
		{"half a core", manifest.Totals{CPUMillis: 500}, "5"},
		{"one milli", manifest.Totals{CPUMillis: 1}, "0.01"},
		{"512 MiB", manifest.Totals{MemoryBytes: 512 << 20}, "1"},
		{"10 GiB storage", manifest.Totals{StorageBytes: 10 << 30}, "1"},
		{"2 gpus", manifest.Totals{GPUUnits: 2}, "200"},
		{"1 MiB/s", manifest.Totals{BandwidthBps: 1 << 20}, "0.5"},
		{"sum", manifest.Totals{CPUMillis: 1500, MemoryBytes: 1 << 30, StorageBytes: 1 << 30, GPUUnits: 1, BandwidthBps: 2 << 20}, "118.1"},
		// 1 byte of memory: 2 / 2^30 = 1.862645149230957031e-9; the cost
		// rounds UP to the micro-unit grid (core/market ProviderCost).
		{"one byte rounds up to the micro-unit", manifest.Totals{MemoryBytes: 1}, "0.000001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Cost(tc.t)
			if err != nil {
				t.Fatal(err)
			}
			if want := money.MustParseDec(tc.want); !got.Equal(want) {
				t.Fatalf("Cost = %s, want %s", got, want)
			}
		})
	}
}

func TestRateCardPrice(t *testing.T) {
	r := card(t)
	oneCore := manifest.Totals{CPUMillis: 1000} // cost 10, price with 20% margin 12
	for _, tc := range []struct {
		name  string
		o     market.Order
		want  string
		err   error
		wants string
	}{
		{"room above margin: cost + margin", order("100", oneCore), "12", nil, ""},
		{"max exactly cost + margin", order("12", oneCore), "12", nil, ""},
		{"max between cost and cost + margin: bid the max", order("11", oneCore), "11", nil, ""},
		{"max equals cost: bid at cost", order("10", oneCore), "10", nil, ""},
		{"max below cost: refused", order("9.99", oneCore), "", ErrBelowCost, "offers at most 9.99uakt per block, its resources cost 10uakt"},
		{"other denom: refused", func() market.Order { o := order("100", oneCore); o.MaxPrice.Denom = "uatom"; return o }(), "", ErrDenom, `pays in "uatom"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Price(Quote{Order: tc.o})
			if tc.err != nil {
				if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.wants) {
					t.Fatalf("Price err = %v, want %v containing %q", err, tc.err, tc.wants)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Denom != "uakt" || !got.Amount.Equal(money.MustParseDec(tc.want)) {
				t.Fatalf("Price = %s, want %suakt", got, tc.want)
			}
			// The price is never above the max and never below cost.
			cost, _ := r.Cost(tc.o.Resources)
			if tc.o.MaxPrice.Amount.Less(got.Amount) || got.Amount.Less(cost) {
				t.Fatalf("price %s outside [cost %s, max %s]", got, cost, tc.o.MaxPrice)
			}
		})
	}
}

func TestRateCardConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    RateCardConfig
		want string
	}{
		{"bad denom", RateCardConfig{Denom: "u"}, `pricing.denom "u"`},
		{"bad cpu", RateCardConfig{Denom: "uakt", CPU: "1e3"}, `pricing.cpu "1e3"`},
		{"negative memory", RateCardConfig{Denom: "uakt", Memory: "-1"}, `pricing.memory "-1"`},
		{"too precise", RateCardConfig{Denom: "uakt", GPU: "0.0000000000000000001"}, `pricing.gpu`},
		{"huge margin", RateCardConfig{Denom: "uakt", MarginBPS: 2_000_000}, "margin-bps 2000000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.Build()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Build: %v, want error containing %q", err, tc.want)
			}
		})
	}
}

var _ Strategy = RateCard{}

// TestRateCardOverflowIsAnError: a cost too large for money is refused with
// ErrOverflow naming the dimension, never priced from a dropped term.
func TestRateCardOverflowIsAnError(t *testing.T) {
	r, err := RateCardConfig{Denom: "uakt", GPU: "100000000000000000000000000000000000000000000000000000000"}.Build()
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Price(Quote{Order: order("1", manifest.Totals{GPUUnits: 1 << 62})})
	if !errors.Is(err, ErrOverflow) || !strings.Contains(err.Error(), "cost of gpu 4611686018427387904") {
		t.Fatalf("Price: %v, want ErrOverflow naming the gpu term", err)
	}
}
