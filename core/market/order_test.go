package market

import (
	"errors"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

func testGroup() manifest.Group {
	return manifest.Group{
		Name: "westcoast",
		Requirements: manifest.PlacementRequirements{
			Attributes: attrs("tier", "community", "region", "us-west", "region", "us-west"),
			SignedBy:   manifest.SignedBy{AnyOf: []string{"b-auditor", "a-auditor", "b-auditor"}},
		},
		Units: []manifest.ResourceUnit{
			{Profile: "db", Count: 1, Price: uakt("10"), Resources: manifest.Resources{
				CPUMillis: 1000, MemoryBytes: 2 << 30, Storage: []manifest.StorageVolume{{Name: "default", Bytes: 5 << 30}, {Name: "data", Bytes: 20 << 30}},
			}},
			{Profile: "web", Count: 3, Price: uakt("2.5"), Resources: manifest.Resources{
				CPUMillis: 500, MemoryBytes: 512 << 20, Storage: []manifest.StorageVolume{{Name: "default", Bytes: 1 << 30}},
				GPU: manifest.GPU{Units: 1}, BandwidthBps: 1000,
			}},
		},
	}
}

func TestNewOrderFromGroup(t *testing.T) {
	g := testGroup()
	id := orderID("tenant", 7)
	o, err := NewOrder(id, g, Terms{MinReputation: 300, OpenHeight: 100, CloseHeight: 160})
	if err != nil {
		t.Fatal(err)
	}
	wantRes := manifest.Totals{CPUMillis: 2500, MemoryBytes: 2<<30 + 3*(512<<20), StorageBytes: 25<<30 + 3<<30, GPUUnits: 3, BandwidthBps: 3000}
	if o.Resources != wantRes {
		t.Errorf("resources = %+v, want %+v", o.Resources, wantRes)
	}
	if o.MaxPrice != uakt("17.5") {
		t.Errorf("max price = %s, want 17.5uakt (10 x 1 + 2.5 x 3)", o.MaxPrice)
	}
	if got := o.Requirements.Attributes; len(got) != 2 || got[0].Key != "region" || got[1].Key != "tier" {
		t.Errorf("attributes = %v, want sorted and deduplicated [region tier]", got)
	}
	if got := o.Requirements.SignedBy.AnyOf; strings.Join(got, ",") != "a-auditor,b-auditor" {
		t.Errorf("anyOf = %v, want sorted and deduplicated", got)
	}
	g.Requirements.Attributes[0].Value = "changed"
	if o.Requirements.Attributes[1].Value != "community" {
		t.Error("order shares memory with the group's attributes")
	}
	if o.MatchHeight() != 160 || !o.TakesBidsAt(100) || !o.TakesBidsAt(159) || o.TakesBidsAt(160) || o.TakesBidsAt(99) {
		t.Error("bidding window is not [open, close)")
	}
}

func TestNewOrderRejects(t *testing.T) {
	tests := []struct {
		name  string
		group func(*manifest.Group)
		id    func(*OrderID)
		terms Terms
		want  string
	}{
		{name: "no units", group: func(g *manifest.Group) { g.Units = nil }, terms: Terms{CloseHeight: 1}, want: "no resource units"},
		{name: "mixed denoms", group: func(g *manifest.Group) { g.Units[1].Price.Denom = "uusdc" }, terms: Terms{CloseHeight: 1}, want: "one denomination"},
		{name: "bad denom", group: func(g *manifest.Group) {
			for i := range g.Units {
				g.Units[i].Price.Denom = "x"
			}
		}, terms: Terms{CloseHeight: 1}, want: "not a valid denomination"},
		{name: "resource overflow", group: func(g *manifest.Group) { g.Units[0].Count = 1 << 31; g.Units[0].Resources.CPUMillis = 1 << 40 }, terms: Terms{CloseHeight: 1}, want: "overflows"},
		{name: "no owner", id: func(id *OrderID) { id.Owner = "" }, terms: Terms{CloseHeight: 1}, want: "owner is empty"},
		{name: "empty window", terms: Terms{OpenHeight: 5, CloseHeight: 5}, want: "must be after open height"},
		{name: "negative open", terms: Terms{OpenHeight: -1, CloseHeight: 5}, want: "negative"},
		{name: "reputation above scale", terms: Terms{MinReputation: MaxReputation + 1, CloseHeight: 5}, want: "above the scale"},
		{name: "sealed without reveal window", terms: Terms{CloseHeight: 5, Sealed: true, RevealEnd: 5}, want: "reveal end 5 must be after close height 5"},
		{name: "reveal end on open order", terms: Terms{CloseHeight: 5, RevealEnd: 9}, want: "not sealed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := testGroup()
			if tt.group != nil {
				tt.group(&g)
			}
			id := orderID("tenant", 1)
			if tt.id != nil {
				tt.id(&id)
			}
			_, err := NewOrder(id, g, tt.terms)
			if !errors.Is(err, ErrInvalidOrder) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want ErrInvalidOrder mentioning %q", err, tt.want)
			}
		})
	}
}

func TestSealedOrderWindows(t *testing.T) {
	o, err := NewOrder(orderID("tenant", 1), testGroup(), Terms{OpenHeight: 10, CloseHeight: 20, Sealed: true, RevealEnd: 25})
	if err != nil {
		t.Fatal(err)
	}
	if o.MatchHeight() != 25 || o.TakesRevealsAt(19) || !o.TakesRevealsAt(20) || !o.TakesRevealsAt(24) || o.TakesRevealsAt(25) {
		t.Fatal("reveal window is not [close, reveal end) or match height is not reveal end")
	}
}

func TestValidateUnsortedAttributes(t *testing.T) {
	o := baseOrder()
	o.Requirements.Attributes = attrs("z", "1", "a", "2")
	if err := o.Validate(); !errors.Is(err, ErrInvalidOrder) || !strings.Contains(err.Error(), "out of order") {
		t.Fatalf("err = %v", err)
	}
	o.MaxPrice = money.Coin{Denom: "uakt"}
	o.Requirements.Attributes = nil
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
}
