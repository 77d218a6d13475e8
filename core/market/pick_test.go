package market

import (
	"errors"
	"strings"
	"testing"
)

// pickBids: p1 cheapest, p2 dearer, p3 ineligible (over max), p4 withdrawn,
// p5 unrevealed... on an open order only the first four apply.
func pickBids(o Order) []Bid {
	return []Bid{
		bidOn(o, "p1", "40", 11, 1),
		bidOn(o, "p2", "60", 12, 2),
		bidOn(o, "p3", "101", 12, 3),
		func() Bid { b := bidOn(o, "p4", "10", 13, 4); b.State = BidWithdrawn; return b }(),
	}
}

func TestAwait(t *testing.T) {
	o := baseOrder()
	matched := Match(o, pickBids(o))
	none := Match(o, nil)
	tests := []struct {
		name    string
		res     *Result
		mode    Matching
		timeout int64
		wait    bool
		err     error
	}{
		{name: "auto applies the close", res: &matched, mode: MatchingAuto, timeout: 5},
		{name: "tenant waits", res: &matched, mode: MatchingTenant, timeout: 5, wait: true},
		{name: "tenant with nothing eligible closes unmatched now", res: &none, mode: MatchingTenant, timeout: 5},
		{name: "tenant needs a timeout", res: &matched, mode: MatchingTenant, timeout: 0, err: ErrInvalidMatching},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, wait, err := Await(tt.res, o.MatchHeight(), tt.mode, tt.timeout)
			if !errors.Is(err, tt.err) || wait != tt.wait {
				t.Fatalf("Await = %+v, %v, %v; want wait %v, err %v", a, wait, err, tt.wait, tt.err)
			}
			if wait && (a.Closed != o.CloseHeight || a.Until != o.CloseHeight+tt.timeout || a.Order != o.ID) {
				t.Fatalf("Awaiting = %+v; want closed %d until %d", a, o.CloseHeight, o.CloseHeight+tt.timeout)
			}
		})
	}
}

func TestPick(t *testing.T) {
	o := baseOrder()
	a := Awaiting{Order: o.ID, Closed: o.CloseHeight, Until: o.CloseHeight + 5}
	id := func(p string) BidID { return BidID{OrderID: o.ID, Provider: p} }
	tests := []struct {
		name   string
		chosen BidID
		h      int64
		err    error
		why    map[string]string
		action map[string]DepositAction
	}{
		{name: "the cheapest", chosen: id("p1"), h: 21,
			why:    map[string]string{"p1": "won", "p2": "not-picked", "p3": "ineligible:price", "p4": "withdrawn"},
			action: map[string]DepositAction{"p1": DepositKeep, "p2": DepositRefund, "p3": DepositRefund, "p4": DepositNone}},
		{name: "a dearer eligible bid", chosen: id("p2"), h: 25,
			why:    map[string]string{"p1": "not-picked", "p2": "won"},
			action: map[string]DepositAction{"p1": DepositRefund, "p2": DepositKeep}},
		{name: "at the close height", chosen: id("p1"), h: 20, err: ErrPickWindow},
		{name: "after the timeout", chosen: id("p1"), h: 26, err: ErrPickWindow},
		{name: "ineligible", chosen: id("p3"), h: 21, err: ErrIneligible},
		{name: "withdrawn", chosen: id("p4"), h: 21, err: ErrWithdrawn},
		{name: "unknown provider", chosen: id("p9"), h: 21, err: ErrUnknownBid},
		{name: "another order", chosen: BidID{OrderID: orderID("tenant", 2), Provider: "p1"}, h: 21, err: ErrUnknownBid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Pick(&a, Match(o, pickBids(o)), tt.chosen, tt.h)
			if !errors.Is(err, tt.err) {
				t.Fatalf("Pick err = %v; want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if !res.Matched || res.Winner != tt.chosen || res.Explanation() != "" {
				t.Fatalf("Pick = %s; want %s to win", res, tt.chosen.Provider)
			}
			w, _ := res.WinnerOutcome()
			if res.Price != res.PriceOf(&w) {
				t.Fatalf("price %s; want the picked bid's own %s", res.Price, w.Price)
			}
			for _, b := range res.Bids {
				if want, ok := tt.why[b.Provider]; ok && b.Why() != want {
					t.Errorf("%s: %s; want %s", b.Provider, b.Why(), want)
				}
				if want, ok := tt.action[b.Provider]; ok && b.Action != want {
					t.Errorf("%s deposit: %s; want %s", b.Provider, b.Action, want)
				}
			}
		})
	}
}

func TestExpire(t *testing.T) {
	o := baseOrder()
	bids := append(pickBids(o), func() Bid { b := bidOn(o, "p5", "0", 11, 5); b.State = BidSealed; return b }())
	a := Awaiting{Order: o.ID, Closed: 20, Until: 30}
	if a.Due(29) || !a.Due(30) {
		t.Fatalf("Due: want false at 29, true at 30")
	}
	res := Expire(&a, Match(o, bids))
	if res.Matched || res.Winner != (BidID{}) || !res.Price.Amount.IsZero() {
		t.Fatalf("Expire = %s; want unmatched", res)
	}
	if !strings.Contains(res.Explanation(), "bid timeout: the tenant picked none of 2 eligible bids by height 30") {
		t.Errorf("explanation %q", res.Explanation())
	}
	want := map[string]string{"p1": "expired refund", "p2": "expired refund", "p3": "ineligible:price refund", "p4": "withdrawn none", "p5": "unrevealed forfeit"}
	for _, b := range res.Bids {
		if got := b.Why() + " " + b.Action.String(); got != want[b.Provider] {
			t.Errorf("%s: %s; want %s", b.Provider, got, want[b.Provider])
		}
	}
}

func TestParseMatching(t *testing.T) {
	for in, want := range map[string]Matching{"": MatchingAuto, "auto": MatchingAuto, "Tenant": MatchingTenant} {
		if got, err := ParseMatching(in); err != nil || got != want {
			t.Errorf("ParseMatching(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseMatching("cheapest"); !errors.Is(err, ErrInvalidMatching) || !strings.Contains(err.Error(), "use auto") {
		t.Errorf("ParseMatching(cheapest) err = %v", err)
	}
}

func TestCancelAwaiting(t *testing.T) {
	o := baseOrder()
	bids := append(pickBids(o), func() Bid { b := bidOn(o, "p5", "0", 11, 5); b.State = BidSealed; return b }())
	res := Cancel(Match(o, bids))
	want := map[string]string{"p1": "order-cancelled refund", "p2": "order-cancelled refund", "p3": "order-cancelled refund", "p4": "withdrawn none", "p5": "order-cancelled refund"}
	for _, b := range res.Bids {
		if got := b.Why() + " " + b.Action.String(); got != want[b.Provider] {
			t.Errorf("%s: %s; want %s", b.Provider, got, want[b.Provider])
		}
	}
	if res.Matched {
		t.Errorf("cancelled order matched")
	}
}
