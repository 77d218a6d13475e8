package market

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// CloseDueInto with one reused Closing returns what CloseDue returns, and a
// result made earlier in the same call is not disturbed when the buffer grows.
func TestCloseDueIntoMatchesCloseDue(t *testing.T) {
	build := func() *OrderBook {
		bk := NewOrderBook(BookConfig{})
		for i := range 30 {
			o := baseOrder()
			o.ID = orderID("tenant", uint64(i+1))
			o.CloseHeight = 20 + int64(i%3)
			if err := bk.AddOrder(o); err != nil {
				t.Fatal(err)
			}
			for p := range i % 7 {
				if _, err := bk.PlaceBid(new(bidOn(o, providerName(p), fmt.Sprint(90-p*i%13), 11, 0))); err != nil {
					t.Fatal(err)
				}
			}
		}
		return bk
	}
	a, b := build(), build()
	c := &Closing{}
	for h := int64(19); h <= 23; h++ {
		want := a.CloseDue(h)
		got := b.CloseDueInto(c, h)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("height %d:\n%v\nvs\n%v", h, got, want)
		}
		for i := range got {
			if !slices.Equal(got[i].Bids, want[i].Bids) {
				t.Fatalf("height %d result %d: outcomes differ", h, i)
			}
		}
	}
}

func TestBookErrors(t *testing.T) {
	o := baseOrder()
	sealed := baseOrder()
	sealed.ID = orderID("tenant", 2)
	sealed.Sealed, sealed.RevealEnd = true, 30
	bk := NewOrderBook(BookConfig{})
	for _, x := range []Order{o, sealed} {
		if err := bk.AddOrder(x); err != nil {
			t.Fatal(err)
		}
	}
	if err := bk.AddOrder(o); !errors.Is(err, ErrDuplicateOrder) {
		t.Errorf("adding an order twice: %v", err)
	}
	bad := o
	bad.CloseHeight = 0
	bad.ID = orderID("tenant", 3)
	if err := bk.AddOrder(bad); !errors.Is(err, ErrInvalidOrder) {
		t.Errorf("invalid order: %v", err)
	}
	noDenom := bidOn(o, "p1", "5", 11, 0)
	noDenom.Deposit.Denom = ""
	commit := bidOn(sealed, "p1", "0", 11, 0)
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"unknown order", func() error { _, err := bk.PlaceBid(new(bidOn(baseOrderWithID(9), "p1", "5", 11, 0))); return err }(), ErrUnknownOrder},
		{"before open", func() error { _, err := bk.PlaceBid(new(bidOn(o, "p1", "5", 9, 0))); return err }(), ErrBiddingClosed},
		{"empty provider", func() error { _, err := bk.PlaceBid(new(bidOn(o, "", "5", 11, 0))); return err }(), ErrInvalidBid},
		{"deposit without denom", func() error { _, err := bk.PlaceBid(&noDenom); return err }(), ErrInvalidBid},
		{"open bid on sealed order", func() error { _, err := bk.PlaceBid(new(bidOn(sealed, "p1", "5", 11, 0))); return err }(), ErrSealedOrder},
		{"commit on open order", func() error { _, err := bk.Commit(new(bidOn(o, "p1", "5", 11, 0))); return err }(), ErrNotSealed},
		{"withdraw unknown bid", func() error { _, err := bk.Withdraw(BidID{OrderID: o.ID, Provider: "nobody"}, 11); return err }(), ErrUnknownBid},
		{"withdraw on unknown order", func() error { _, err := bk.Withdraw(BidID{OrderID: orderID("x", 1), Provider: "p1"}, 11); return err }(), ErrUnknownOrder},
		{"reveal on open order", func() error { _, err := bk.Reveal(Reveal{Bid: BidID{OrderID: o.ID, Provider: "p1"}}, 21); return err }(), ErrNotSealed},
		{"reveal without commitment", func() error {
			_, err := bk.Reveal(Reveal{Bid: BidID{OrderID: sealed.ID, Provider: "p9"}}, 21)
			return err
		}(), ErrUnknownBid},
		{"commit then duplicate", func() error {
			if _, err := bk.Commit(&commit); err != nil {
				return err
			}
			_, err := bk.Commit(&commit)
			return err
		}(), ErrDuplicateBid},
		{"reveal withdrawn", func() error {
			if _, err := bk.Withdraw(commit.ID, 12); err != nil {
				return err
			}
			_, err := bk.Reveal(Reveal{Bid: commit.ID}, 21)
			return err
		}(), ErrWithdrawn},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, tt.err, tt.want)
		}
	}
	if bk.Len() != 2 {
		t.Errorf("len %d, want 2", bk.Len())
	}
}

func baseOrderWithID(dseq uint64) Order {
	o := baseOrder()
	o.ID = orderID("tenant", dseq)
	return o
}

// A sealed auction through the book decides what Match decides over the same
// bids, with unrevealed commitments as BidSealed; wrong reveals change nothing.
func TestPropSealedBookAgreesWithMatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genOrder(t, 1)
		o.CloseHeight, o.Sealed, o.RevealEnd = 20, true, 30
		bk := NewOrderBook(BookConfig{})
		if err := bk.AddOrder(o); err != nil {
			t.Fatal(err)
		}
		var model []Bid
		reveals := map[string]Reveal{}
		rejected := map[string]Reason{}
		n := rapid.IntRange(0, 8).Draw(t, "n")
		for i := range n {
			bid := Bid{ID: BidID{OrderID: o.ID, Provider: providerName(i)}, Offer: genOffer(t),
				PlacedAt: int64(rapid.IntRange(0, 19).Draw(t, "h")), Deposit: uakt("5")}
			rv := Reveal{Bid: bid.ID, Price: uakt(rapid.SampledFrom(genPrices).Draw(t, "price"))}
			rv.Salt[0] = byte(i)
			if rapid.IntRange(0, 9).Draw(t, "denom") == 0 {
				rv.Price.Denom = "uusdc"
			}
			bid.Commitment = rv.Commitment()
			r, err := bk.Commit(&bid)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Accepted() {
				rejected[bid.ID.Provider] = r.Reason
				continue
			}
			bid.Seq, bid.State = r.Seq, BidSealed
			model = append(model, bid)
			reveals[bid.ID.Provider] = rv
		}
		for i := range model {
			b := &model[i]
			rv := reveals[b.ID.Provider]
			if rapid.Bool().Draw(t, "tamper") {
				wrong := rv
				wrong.Salt[5] ^= 1
				if _, err := bk.Reveal(wrong, 20); !errors.Is(err, ErrRevealMismatch) {
					t.Fatalf("tampered reveal: %v", err)
				}
			}
			if rapid.IntRange(0, 3).Draw(t, "reveal") == 0 {
				continue // never revealed
			}
			if _, err := bk.Reveal(rv, 20+int64(i%10)); err != nil {
				t.Fatal(err)
			}
			b.State, b.Price = BidActive, rv.Price
		}
		got := bk.CloseDue(o.RevealEnd)
		if len(got) != 1 {
			t.Fatalf("%d results", len(got))
		}
		want := Match(o, model)
		if got[0].Matched != want.Matched || got[0].Winner != want.Winner || got[0].Price != want.Price {
			t.Fatalf("book %s at %s, Match %s at %s", got[0].Winner, got[0].Price, want.Winner, want.Price)
		}
		// Commitments rejected for their offer are listed by the book only.
		var rest []BidOutcome
		for _, oc := range got[0].Bids {
			if r, ok := rejected[oc.Provider]; ok {
				if oc.Outcome != OutcomeIneligible || oc.Reason != r || oc.Action != DepositNone {
					t.Fatalf("%s: %s %s; want ineligible:%s, no deposit action", oc.Provider, oc.Why(), oc.Action, r)
				}
				continue
			}
			rest = append(rest, oc)
		}
		if !slices.Equal(rest, want.Bids) && (len(rest) != 0 || len(want.Bids) != 0) {
			t.Fatalf("outcomes differ:\n%s\nvs\n%s", got[0], want)
		}
	})
}

// TestMemoryPerBid: at 20 bids an order a resting bid costs its 32-byte
// entry and a twentieth of its 512-byte slot, plus the book's small
// per-order arrays: under the 64 bytes issue 18 asks for.
func TestMemoryPerBid(t *testing.T) {
	const orders, bids = 1000, 20
	book := NewOrderBook(BookConfig{Orders: orders, BidsPerOrder: bids})
	for k := range orders {
		o := baseOrder()
		o.ID = orderID("tenant", uint64(k+1))
		if err := book.AddOrder(o); err != nil {
			t.Fatal(err)
		}
		for p := range bids {
			if _, err := book.PlaceBid(new(bidOn(o, providerName(p), "50", 10, 0))); err != nil {
				t.Fatal(err)
			}
		}
	}
	m := book.Memory()
	if m.RestingBids != orders*bids {
		t.Fatalf("%d resting bids, want %d", m.RestingBids, orders*bids)
	}
	if m.Bytes > 64*m.RestingBids {
		t.Fatalf("%d bytes for %d resting bids; want at most 64 per bid", m.Bytes, m.RestingBids)
	}
	t.Logf("%d bytes for %d resting bids", m.Bytes, m.RestingBids)
}

// TestRevealOnOpenOrder: a reveal on an open order by a provider that bid on
// it is refused with ErrNotSealed (it used to index the order's empty
// commitment list and panic).
func TestRevealOnOpenOrder(t *testing.T) {
	b := NewOrderBook(BookConfig{})
	o := baseOrder()
	if err := b.AddOrder(o); err != nil {
		t.Fatal(err)
	}
	bid := bidOn(o, "p1", "50", 10, 0)
	if _, err := b.PlaceBid(&bid); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Reveal(Reveal{Bid: bid.ID, Price: bid.Price}, 20); !errors.Is(err, ErrNotSealed) {
		t.Fatalf("reveal on an open order: %v, want %v", err, ErrNotSealed)
	}
}
