package tenant

import (
	"strings"
	"testing"

	"github.com/akash-market/akash/core/market"
	mtypes "github.com/akash-market/akash/node/x/market/types"
)

func offers() []Offer {
	id := func(p string) market.BidID { return market.BidID{Provider: p} }
	return []Offer{{Bid: id("akash1cheap"), Price: "1uakt"}, {Bid: id("akash1dear"), Price: "2uakt", Reputation: 9000}}
}

func TestPickers(t *testing.T) {
	var o mtypes.Order
	tests := []struct {
		name  string
		pick  Picker
		want  int
		errIs string
	}{
		{name: "cheapest", pick: must(PickBy("cheapest")), want: 0},
		{name: "by provider", pick: must(PickBy("akash1dear")), want: 1},
		{name: "unknown provider", pick: must(PickBy("akash1none")), errIs: "no open bid of that provider"},
		{name: "terminal: number", pick: AskPicker(strings.NewReader("2\n"), &strings.Builder{}), want: 1},
		{name: "terminal: address after a wrong answer", pick: AskPicker(strings.NewReader("9\nakash1dear\n"), &strings.Builder{}), want: 1},
		{name: "terminal: empty line is the cheapest", pick: AskPicker(strings.NewReader("\n"), &strings.Builder{}), want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, err := tt.pick(o, offers())
			if tt.errIs != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errIs) {
					t.Fatalf("err %v; want %q", err, tt.errIs)
				}
				return
			}
			if err != nil || i != tt.want {
				t.Fatalf("picked %d, %v; want %d", i, err, tt.want)
			}
		})
	}
	if _, err := PickBy(""); err == nil {
		t.Fatal("PickBy(\"\") accepted")
	}
}

func must(p Picker, err error) Picker {
	if err != nil {
		panic(err)
	}
	return p
}
