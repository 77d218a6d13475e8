package market

import (
	"testing"

	"github.com/akash-market/akash/core/manifest"
)

// Each rule on its own: the bid starts eligible for baseOrder and one field
// is changed; the table says which reason (if any) that must produce.
func TestEligibleRules(t *testing.T) {
	tests := []struct {
		name  string
		order func(*Order)
		bid   func(*Bid)
		want  Reason
	}{
		{name: "fits with room to spare", want: ReasonNone},
		{name: "exact fit on every resource", bid: func(b *Bid) {
			b.Offer.Resources = manifest.Totals{CPUMillis: 2000, MemoryBytes: 4 << 30, StorageBytes: 10 << 30}
		}, want: ReasonNone},
		{name: "other order", bid: func(b *Bid) { b.ID.DSeq = 99 }, want: ReasonOrder},
		{name: "other denom", bid: func(b *Bid) { b.Price.Denom = "uusdc" }, want: ReasonDenom},
		{name: "price above max", bid: func(b *Bid) { b.Price = uakt("100.000000000000000001") }, want: ReasonPrice},
		{name: "price equal to max", bid: func(b *Bid) { b.Price = uakt("100") }, want: ReasonNone},
		{name: "zero price", bid: func(b *Bid) { b.Price = uakt("0") }, want: ReasonNone},
		{name: "reputation below min", bid: func(b *Bid) { b.Offer.Reputation = 99 }, want: ReasonReputation},
		{name: "reputation equal to min", bid: func(b *Bid) { b.Offer.Reputation = 100 }, want: ReasonNone},
		{name: "cpu short by one milli", bid: func(b *Bid) { b.Offer.Resources.CPUMillis = 1999 }, want: ReasonCPU},
		{name: "memory short", bid: func(b *Bid) { b.Offer.Resources.MemoryBytes = 4<<30 - 1 }, want: ReasonMemory},
		{name: "storage short", bid: func(b *Bid) { b.Offer.Resources.StorageBytes = 1 }, want: ReasonStorage},
		{name: "gpu short", order: func(o *Order) { o.Resources.GPUUnits = 2 }, want: ReasonGPU},
		{name: "bandwidth short", order: func(o *Order) { o.Resources.BandwidthBps = 2 << 30 }, want: ReasonBandwidth},
		{name: "attribute missing", bid: func(b *Bid) { b.Offer.Attributes = attrs("tier", "community") }, want: ReasonAttribute},
		{name: "attribute with another value", bid: func(b *Bid) { b.Offer.Attributes = attrs("region", "us-east") }, want: ReasonAttribute},
		{name: "provider attributes unsorted still match", bid: func(b *Bid) {
			b.Offer.Attributes = attrs("tier", "community", "region", "us-west")
		}, want: ReasonNone},
		{name: "no attributes required", order: func(o *Order) { o.Requirements.Attributes = nil },
			bid: func(b *Bid) { b.Offer.Attributes = nil }, want: ReasonNone},
		{name: "allOf auditor signed", order: func(o *Order) { o.Requirements.SignedBy.AllOf = []string{"auditor1"} }, want: ReasonNone},
		{name: "allOf auditor missing", order: func(o *Order) { o.Requirements.SignedBy.AllOf = []string{"auditor1", "auditor2"} }, want: ReasonSignedBy},
		{name: "allOf auditor signed other attributes", order: func(o *Order) { o.Requirements.SignedBy.AllOf = []string{"auditor1"} },
			bid: func(b *Bid) { b.Offer.Audited[0].Attributes = attrs("tier", "community") }, want: ReasonSignedBy},
		{name: "anyOf one of two signed", order: func(o *Order) { o.Requirements.SignedBy.AnyOf = []string{"auditor1", "auditor9"} }, want: ReasonNone},
		{name: "anyOf none signed", order: func(o *Order) { o.Requirements.SignedBy.AnyOf = []string{"auditor8", "auditor9"} }, want: ReasonSignedBy},
		{name: "cheapest check reported first", bid: func(b *Bid) {
			b.Offer.Resources.CPUMillis = 0
			b.Offer.Reputation = 0
			b.Price = uakt("1000")
		}, want: ReasonReputation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := baseOrder()
			if tt.order != nil {
				tt.order(&o)
			}
			b := bidOn(o, "p1", "50", 11, 1)
			if tt.bid != nil {
				tt.bid(&b)
			}
			ok, got := Eligible(o, b)
			if got != tt.want || ok != (tt.want == ReasonNone) {
				t.Fatalf("Eligible = %v, %s; want %s", ok, got, tt.want)
			}
			if split := Admission(&o, &b, SealedBid); split == ReasonNone && got != ReasonNone && PriceEligible(&o, &b) != got {
				t.Fatalf("offer rules pass and Eligible = %s, but PriceEligible = %s: the pipeline's halves disagree", got, PriceEligible(&o, &b))
			}
			if adm := Admission(&o, &b, OpenBid); adm != got {
				t.Fatalf("Admission(open) = %s, Eligible = %s: an open bid is admitted by exactly the eligibility rules", adm, got)
			}
		})
	}
}

// Each rule, broken alone on an otherwise eligible bid, is the Reason the
// pipeline names; and it is in the half (offer or price) where it belongs.
func TestEachRuleNamesItsReason(t *testing.T) {
	o := baseOrder()
	o.Resources.GPUUnits, o.Resources.BandwidthBps = 1, 1
	o.Requirements.SignedBy.AllOf = []string{"auditor1"}
	priceRules := map[Reason]bool{ReasonDenom: true, ReasonPrice: true}
	breakers := map[Reason]func(*Bid){
		ReasonOrder:      func(b *Bid) { b.ID.OSeq = 2 },
		ReasonReputation: func(b *Bid) { b.Offer.Reputation = 0 },
		ReasonCPU:        func(b *Bid) { b.Offer.Resources.CPUMillis = 0 },
		ReasonMemory:     func(b *Bid) { b.Offer.Resources.MemoryBytes = 0 },
		ReasonStorage:    func(b *Bid) { b.Offer.Resources.StorageBytes = 0 },
		ReasonGPU:        func(b *Bid) { b.Offer.Resources.GPUUnits = 0 },
		ReasonBandwidth:  func(b *Bid) { b.Offer.Resources.BandwidthBps = 0 },
		ReasonAttribute:  func(b *Bid) { b.Offer.Attributes = nil },
		ReasonSignedBy:   func(b *Bid) { b.Offer.Audited = nil },
		ReasonDenom:      func(b *Bid) { b.Price.Denom = "uusdc" },
		ReasonPrice:      func(b *Bid) { b.Price = uakt("101") },
	}
	if int(numReasons)-1 != len(breakers) {
		t.Fatalf("%d reasons but %d tested; add the new rule here", numReasons-1, len(breakers))
	}
	good := bidOn(o, "p1", "50", 11, 1)
	if ok, r := Eligible(o, good); !ok {
		t.Fatalf("the base bid is ineligible: %s", r)
	}
	for want, breakIt := range breakers {
		b := bidOn(o, "p1", "50", 11, 1)
		breakIt(&b)
		if _, got := Eligible(o, b); got != want {
			t.Errorf("breaking %s: Eligible says %s", want, got)
		}
		offer, price := OfferEligible(&o, &b), PriceEligible(&o, &b)
		if priceRules[want] && (offer != ReasonNone || price != want) {
			t.Errorf("breaking %s: offer half %s, price half %s; want it in the price half only", want, offer, price)
		}
		if !priceRules[want] && (offer != want || price != ReasonNone) {
			t.Errorf("breaking %s: offer half %s, price half %s; want it in the offer half only", want, offer, price)
		}
	}
}

func TestReasonNames(t *testing.T) {
	seen := map[string]bool{}
	for r := ReasonNone; r < numReasons; r++ {
		s := r.String()
		if s == "" || s == "unknown-reason" || seen[s] {
			t.Fatalf("reason %d has name %q (empty, unknown or repeated)", r, s)
		}
		seen[s] = true
		if back, ok := ParseReason(s); !ok || back != r {
			t.Fatalf("ParseReason(%q) = %d, %v; want %d", s, back, ok, r)
		}
	}
	if got := Reason(200).String(); got != "unknown-reason" {
		t.Fatalf("Reason(200) = %q", got)
	}
	if _, ok := ParseReason("nope"); ok {
		t.Fatal("ParseReason accepted an unknown name")
	}
}
