package market

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	o := baseOrder()
	type want struct {
		winner  string // "" when unmatched
		price   string
		why     map[string]string        // provider → BidOutcome.Why()
		deposit map[string]DepositAction // provider → action
		explain string                   // substring of Explanation
	}
	tests := []struct {
		name string
		bids []Bid
		want want
	}{
		{name: "no bids", want: want{explain: "no bids"}},
		{name: "lowest price wins", bids: []Bid{
			bidOn(o, "p1", "60", 11, 1), bidOn(o, "p2", "50", 12, 2), bidOn(o, "p3", "70", 10, 3),
		}, want: want{winner: "p2", price: "50", why: map[string]string{"p1": "outbid", "p2": "won", "p3": "outbid"},
			deposit: map[string]DepositAction{"p1": DepositRefund, "p2": DepositKeep, "p3": DepositRefund}}},
		{name: "tie goes to the earlier height", bids: []Bid{
			bidOn(o, "p1", "50", 12, 1), bidOn(o, "p2", "50", 11, 2),
		}, want: want{winner: "p2", price: "50", why: map[string]string{"p1": "later-at-same-price", "p2": "won"}}},
		{name: "tie at the same height goes to the lower seq", bids: []Bid{
			bidOn(o, "p1", "50", 11, 9), bidOn(o, "p2", "50", 11, 4),
		}, want: want{winner: "p2", price: "50", why: map[string]string{"p1": "later-at-same-price", "p2": "won"}}},
		{name: "cheaper but ineligible loses", bids: []Bid{
			func() Bid { b := bidOn(o, "p1", "1", 11, 1); b.Offer.Resources.CPUMillis = 1; return b }(),
			bidOn(o, "p2", "90", 12, 2),
		}, want: want{winner: "p2", price: "90", why: map[string]string{"p1": "ineligible:cpu", "p2": "won"},
			deposit: map[string]DepositAction{"p1": DepositRefund}}},
		{name: "withdrawn best does not win", bids: []Bid{
			func() Bid { b := bidOn(o, "p1", "10", 11, 1); b.State = BidWithdrawn; return b }(),
			bidOn(o, "p2", "90", 12, 2),
		}, want: want{winner: "p2", price: "90", why: map[string]string{"p1": "withdrawn"},
			deposit: map[string]DepositAction{"p1": DepositNone}}},
		{name: "unrevealed forfeits", bids: []Bid{
			func() Bid { b := bidOn(o, "p1", "0", 11, 1); b.State = BidSealed; return b }(),
			bidOn(o, "p2", "90", 12, 2),
		}, want: want{winner: "p2", price: "90", why: map[string]string{"p1": "unrevealed"},
			deposit: map[string]DepositAction{"p1": DepositForfeit}}},
		{name: "nothing eligible", bids: []Bid{
			bidOn(o, "p1", "101", 11, 1),
			func() Bid { b := bidOn(o, "p2", "5", 11, 2); b.Offer.Attributes = nil; return b }(),
			func() Bid { b := bidOn(o, "p3", "5", 11, 3); b.State = BidWithdrawn; return b }(),
		}, want: want{why: map[string]string{"p1": "ineligible:price", "p2": "ineligible:attribute", "p3": "withdrawn"},
			explain: "no eligible bid among 3: 2 ineligible (price 1, attribute 1), 1 withdrawn"}},
		{name: "zero deposit has no action", bids: []Bid{
			func() Bid { b := bidOn(o, "p1", "10", 11, 1); b.Deposit = uakt("0"); return b }(),
		}, want: want{winner: "p1", price: "10", deposit: map[string]DepositAction{"p1": DepositNone}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Match(o, tt.bids)
			if len(r.Bids) != len(tt.bids) {
				t.Fatalf("%d outcomes for %d bids", len(r.Bids), len(tt.bids))
			}
			if tt.want.winner == "" {
				if r.Matched || r.Winner != (BidID{}) {
					t.Fatalf("matched %s; want unmatched", r.Winner)
				}
			} else if !r.Matched || r.Winner.Provider != tt.want.winner || r.Price != uakt(tt.want.price) || r.Winner.OrderID != o.ID {
				t.Fatalf("winner %s at %s; want %s at %s", r.Winner.Provider, r.Price, tt.want.winner, tt.want.price)
			}
			if !strings.Contains(r.Explanation(), tt.want.explain) || (r.Matched && r.Explanation() != "") {
				t.Errorf("explanation %q; want it to contain %q", r.Explanation(), tt.want.explain)
			}
			for i := 1; i < len(r.Bids); i++ {
				if !outcomeBefore(&r.Bids[i-1], &r.Bids[i]) {
					t.Errorf("outcomes not in placement order at %d", i)
				}
			}
			for _, b := range r.Bids {
				if w, ok := tt.want.why[b.Provider]; ok && b.Why() != w {
					t.Errorf("%s: %s; want %s", b.Provider, b.Why(), w)
				}
				if w, ok := tt.want.deposit[b.Provider]; ok && b.Action != w {
					t.Errorf("%s deposit: %s; want %s", b.Provider, b.Action, w)
				}
			}
		})
	}
}

func TestBetter(t *testing.T) {
	o := baseOrder()
	tests := []struct {
		name string
		a, b Bid
		want bool
	}{
		{"cheaper", bidOn(o, "p1", "1", 20, 20), bidOn(o, "p2", "2", 10, 10), true},
		{"dearer", bidOn(o, "p1", "2", 10, 10), bidOn(o, "p2", "1", 20, 20), false},
		{"same price earlier height", bidOn(o, "p1", "1", 10, 20), bidOn(o, "p2", "1", 11, 10), true},
		{"same price same height lower seq", bidOn(o, "p2", "1", 10, 1), bidOn(o, "p1", "1", 10, 2), true},
		{"same everything: address decides", bidOn(o, "p1", "1", 10, 1), bidOn(o, "p2", "1", 10, 1), true},
		{"a bid does not beat itself", bidOn(o, "p1", "1", 10, 1), bidOn(o, "p1", "1", 10, 1), false},
	}
	for _, tt := range tests {
		if got := better(&tt.a, &tt.b); got != tt.want {
			t.Errorf("%s: better = %v, want %v", tt.name, got, tt.want)
		}
		if tt.want && better(&tt.b, &tt.a) {
			t.Errorf("%s: better holds both ways", tt.name)
		}
	}
}

func TestResultString(t *testing.T) {
	o := baseOrder()
	r := Match(o, []Bid{bidOn(o, "p1", "60", 11, 1), bidOn(o, "p2", "50", 12, 2)})
	want := "order tenant/1/1/1 matched: winner p2 at 50uakt\n" +
		"  p1 outbid at 60uakt (h=11 seq=1) deposit refund 5uakt\n" +
		"  p2 won at 50uakt (h=12 seq=2) deposit keep 5uakt\n"
	if got := r.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
