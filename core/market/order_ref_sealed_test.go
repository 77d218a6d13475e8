package market

import (
	"errors"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// TestPropCommitRevealRefEqualsByID: CommitRef and RevealRef with the
// handles Ref gives behave exactly as Commit and Reveal by OrderID: the
// same receipts, the same kinds of error, the same Results at close. Orders
// are mostly sealed; some commitments are rejected for their offer, some
// reveals do not match or have an ineligible price, some handles go stale.
func TestPropCommitRevealRefEqualsByID(t *testing.T) {
	sentinels := []error{ErrUnknownOrder, ErrInvalidBid, ErrBiddingClosed, ErrDuplicateBid, ErrNotSealed,
		ErrRevealWindow, ErrUnknownBid, ErrWithdrawn, ErrAlreadyRevealed, ErrRevealMismatch}
	kind := func(err error) error {
		for _, s := range sentinels {
			if errors.Is(err, s) {
				return s
			}
		}
		return err
	}
	rapid.Check(t, func(t *rapid.T) {
		byID, byRef := NewOrderBook(BookConfig{}), NewOrderBook(BookConfig{})
		var ids []OrderID
		refs := map[OrderID]OrderRef{}
		var reveals []Reveal
		nextOrder := uint64(1)
		same := func(what string, r1, r2 Receipt, err1, err2 error) {
			if r1 != r2 || kind(err1) != kind(err2) {
				t.Fatalf("%s: by ID %+v %v; by handle %+v %v", what, r1, err1, r2, err2)
			}
			if err1 != nil && !errors.Is(err1, ErrUnknownOrder) && err1.Error() != err2.Error() {
				t.Fatalf("%s: errors differ: %q vs %q", what, err1, err2)
			}
		}
		for h := range int64(rapid.IntRange(1, 10).Draw(t, "heights")) {
			for range rapid.IntRange(0, 3).Draw(t, "newOrders") {
				o := genOrder(t, nextOrder)
				nextOrder++
				o.OpenHeight = h
				o.CloseHeight = h + int64(rapid.IntRange(1, 3).Draw(t, "life"))
				if rapid.IntRange(0, 5).Draw(t, "open") != 0 {
					o.Sealed, o.RevealEnd = true, o.CloseHeight+int64(rapid.IntRange(1, 3).Draw(t, "reveal"))
				}
				if err := byID.AddOrder(o); err != nil {
					t.Fatal(err)
				}
				if err := byRef.AddOrder(o); err != nil {
					t.Fatal(err)
				}
				r, _ := byRef.Ref(o.ID)
				ids = append(ids, o.ID)
				refs[o.ID] = r
			}
			if len(ids) == 0 {
				continue
			}
			for range rapid.IntRange(0, 12).Draw(t, "commits") {
				id := rapid.SampledFrom(ids).Draw(t, "order")
				rev := Reveal{
					Bid:   BidID{OrderID: id, Provider: providerName(rapid.IntRange(0, 5).Draw(t, "provider"))},
					Price: uakt(rapid.SampledFrom(genPrices).Draw(t, "price")),
				}
				rev.Salt[0] = byte(rapid.IntRange(0, 255).Draw(t, "salt"))
				bid := Bid{
					ID:         rev.Bid,
					Offer:      genOffer(t),
					PlacedAt:   h - int64(rapid.IntRange(0, 1).Draw(t, "late")),
					Deposit:    uakt(rapid.SampledFrom([]string{"0", "5"}).Draw(t, "deposit")),
					Commitment: rev.Commitment(),
				}
				r1, err1 := byID.Commit(&bid)
				r2, err2 := byRef.CommitRef(refs[id], &bid)
				same("commit "+bid.ID.String(), r1, r2, err1, err2)
				if rapid.IntRange(0, 4).Draw(t, "mismatch") == 0 {
					rev.Salt[1] = 1 // will not open the commitment
				}
				reveals = append(reveals, rev)
			}
			for range rapid.IntRange(0, 8).Draw(t, "reveals") {
				if len(reveals) == 0 {
					break
				}
				rev := rapid.SampledFrom(reveals).Draw(t, "reveal")
				r1, err1 := byID.Reveal(rev, h)
				r2, err2 := byRef.RevealRef(refs[rev.Bid.OrderID], rev, h)
				same("reveal "+rev.Bid.String(), r1, r2, err1, err2)
			}
			if a, b := byID.CloseDue(h), byRef.CloseDue(h); !reflect.DeepEqual(a, b) {
				t.Fatalf("height %d: results differ:\n%+v\n%+v", h, a, b)
			}
		}
	})
}

// TestCommitRefHandleChecks: a zero or stale handle is ErrUnknownOrder and
// a handle of another order ErrInvalidBid, for CommitRef and RevealRef.
func TestCommitRefHandleChecks(t *testing.T) {
	book := NewOrderBook(BookConfig{})
	a, b := sealedOrder(orderID("akash1tenant", 1)), sealedOrder(orderID("akash1tenant", 2))
	for _, o := range []Order{a, b} {
		if err := book.AddOrder(o); err != nil {
			t.Fatal(err)
		}
	}
	ra, _ := book.Ref(a.ID)
	rb, _ := book.Ref(b.ID)
	rev := Reveal{Bid: BidID{OrderID: a.ID, Provider: "akash1prov"}, Price: uakt("10")}
	bid := bidOn(a, "akash1prov", "10", a.OpenHeight, 0)
	bid.Commitment = rev.Commitment()
	if _, err := book.CommitRef(OrderRef{}, &bid); !errors.Is(err, ErrUnknownOrder) {
		t.Fatalf("zero handle: %v, want ErrUnknownOrder", err)
	}
	if _, err := book.CommitRef(rb, &bid); !errors.Is(err, ErrInvalidBid) {
		t.Fatalf("other order's handle: %v, want ErrInvalidBid", err)
	}
	if r, err := book.CommitRef(ra, &bid); err != nil || !r.Accepted() {
		t.Fatalf("CommitRef: %+v %v", r, err)
	}
	if _, err := book.RevealRef(rb, rev, a.CloseHeight); !errors.Is(err, ErrInvalidBid) {
		t.Fatalf("reveal with other order's handle: %v, want ErrInvalidBid", err)
	}
	if r, err := book.RevealRef(ra, rev, a.CloseHeight); err != nil || !r.Accepted() || !r.Best {
		t.Fatalf("RevealRef: %+v %v", r, err)
	}
	if _, err := book.CancelOrder(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := book.RevealRef(ra, rev, a.CloseHeight); !errors.Is(err, ErrUnknownOrder) {
		t.Fatalf("stale handle: %v, want ErrUnknownOrder", err)
	}
}

func sealedOrder(id OrderID) Order {
	o := baseOrder()
	o.ID = id
	o.OpenHeight, o.CloseHeight, o.Sealed, o.RevealEnd = 1, 5, true, 8
	return o
}
