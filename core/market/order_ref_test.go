package market

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"unsafe"

	"pgregory.net/rapid"
)

func TestOrderRefStaleAndMismatched(t *testing.T) {
	bk := NewOrderBook(BookConfig{})
	a := baseOrder()
	if err := bk.AddOrder(a); err != nil {
		t.Fatal(err)
	}
	ref, ok := bk.Ref(a.ID)
	if !ok || ref.IsZero() {
		t.Fatalf("no handle for an open order: %v %v", ref, ok)
	}
	if got, ok := bk.RefOrder(ref); !ok || got.ID != a.ID {
		t.Fatalf("RefOrder: %v %v", got.ID, ok)
	}
	if r, err := bk.PlaceBidRef(ref, new(bidOn(a, "p1", "50", 11, 0))); err != nil || !r.Accepted() || !r.Best {
		t.Fatalf("live handle: %+v %v", r, err)
	}

	// The bid must name the order the handle names.
	other := a
	other.ID = orderID("tenant", 2)
	if _, err := bk.PlaceBidRef(ref, new(bidOn(other, "p2", "50", 11, 0))); !errors.Is(err, ErrInvalidBid) {
		t.Fatalf("mismatched bid: %v, want ErrInvalidBid", err)
	}

	// Close the order; its slot is reused by the next order, and the old
	// handle must not reach the new order.
	if res := bk.CloseDue(a.CloseHeight); len(res) != 1 {
		t.Fatalf("%d results", len(res))
	}
	if _, ok := bk.RefOrder(ref); ok {
		t.Fatal("RefOrder accepted a handle to a closed order")
	}
	if _, err := bk.PlaceBidRef(ref, new(bidOn(a, "p3", "50", 11, 0))); !errors.Is(err, ErrUnknownOrder) {
		t.Fatalf("handle to a closed, free slot: %v, want ErrUnknownOrder", err)
	}
	b := baseOrder()
	b.ID = orderID("tenant", 3)
	b.OpenHeight, b.CloseHeight = 20, 30
	if err := bk.AddOrder(b); err != nil {
		t.Fatal(err)
	}
	fresh, _ := bk.Ref(b.ID)
	if fresh.slot != ref.slot || fresh == ref {
		t.Fatalf("expected the slot reused with a new generation: old %+v new %+v", ref, fresh)
	}
	for _, bid := range []Bid{bidOn(a, "p3", "50", 21, 0), bidOn(b, "p3", "50", 21, 0)} {
		if _, err := bk.PlaceBidRef(ref, &bid); !errors.Is(err, ErrUnknownOrder) {
			t.Fatalf("stale handle on a reused slot, bid %s: %v, want ErrUnknownOrder", bid.ID, err)
		}
	}
	if _, _, ok := bk.Best(b.ID); ok {
		t.Fatal("a stale handle placed a bid on the slot's new order")
	}

	// The zero handle and handles past the end name nothing.
	for _, r := range []OrderRef{{}, {slot: 99, gen: 1}, {slot: fresh.slot, gen: fresh.gen + 1}} {
		if _, err := bk.PlaceBidRef(r, new(bidOn(b, "p4", "50", 21, 0))); !errors.Is(err, ErrUnknownOrder) {
			t.Fatalf("handle %+v: %v, want ErrUnknownOrder", r, err)
		}
	}
	// Cancelling makes handles stale too.
	if _, err := bk.CancelOrder(b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := bk.PlaceBidRef(fresh, new(bidOn(b, "p4", "50", 21, 0))); !errors.Is(err, ErrUnknownOrder) {
		t.Fatalf("handle to a cancelled order: %v, want ErrUnknownOrder", err)
	}
}

// Two books fed the same orders and bids, one through PlaceBid and one
// through PlaceBidRef with handles taken when each order opened (so handles
// of closed orders are stale, often on slots that hold new orders), give the
// same receipts, the same errors and the same Results. FillableRefs names
// the orders Fillable names, in the same order.
func TestPropPlaceBidRefEqualsPlaceBid(t *testing.T) {
	sentinels := []error{ErrUnknownOrder, ErrInvalidBid, ErrBiddingClosed, ErrDuplicateBid, ErrSealedOrder}
	kind := func(err error) error {
		for _, s := range sentinels {
			if errors.Is(err, s) {
				return s
			}
		}
		return err
	}
	rapid.Check(t, func(t *rapid.T) {
		// byAs places through PlaceBidAs with provider handles, byFrom
		// through PlaceBidFrom (by OrderID, with provider handles).
		byID, byRef, byAs, byFrom := NewOrderBook(BookConfig{}), NewOrderBook(BookConfig{}), NewOrderBook(BookConfig{}), NewOrderBook(BookConfig{})
		var ids []OrderID
		refs, refsAs := map[OrderID]OrderRef{}, map[OrderID]OrderRef{}
		nextOrder := uint64(1)
		addOrder := func(h int64) {
			o := genOrder(t, nextOrder)
			nextOrder++
			o.OpenHeight = h
			o.CloseHeight = h + int64(rapid.IntRange(1, 4).Draw(t, "life"))
			if rapid.IntRange(0, 5).Draw(t, "sealed") == 0 {
				o.Sealed, o.RevealEnd = true, o.CloseHeight+1
			}
			if err := byID.AddOrder(o); err != nil {
				t.Fatal(err)
			}
			if err := byRef.AddOrder(o); err != nil {
				t.Fatal(err)
			}
			if err := byAs.AddOrder(o); err != nil {
				t.Fatal(err)
			}
			if err := byFrom.AddOrder(o); err != nil {
				t.Fatal(err)
			}
			r, ok := byRef.Ref(o.ID)
			rAs, okAs := byAs.Ref(o.ID)
			if !ok || !okAs {
				t.Fatalf("no handle for %s", o.ID)
			}
			ids = append(ids, o.ID)
			refs[o.ID], refsAs[o.ID] = r, rAs
		}
		for h := range int64(rapid.IntRange(1, 10).Draw(t, "heights")) {
			for range rapid.IntRange(0, 3).Draw(t, "newOrders") {
				addOrder(h)
			}
			if len(ids) == 0 {
				continue
			}
			for range rapid.IntRange(0, 12).Draw(t, "bids") {
				id := rapid.SampledFrom(ids).Draw(t, "order")
				bid := Bid{
					ID:       BidID{OrderID: id, Provider: providerName(rapid.IntRange(0, 5).Draw(t, "provider"))},
					Price:    uakt(rapid.SampledFrom(genPrices).Draw(t, "price")),
					Offer:    genOffer(t),
					PlacedAt: h - int64(rapid.IntRange(0, 1).Draw(t, "late")),
					Deposit:  uakt(rapid.SampledFrom([]string{"0", "5"}).Draw(t, "deposit")),
				}
				r1, err1 := byID.PlaceBid(&bid)
				r2, err2 := byRef.PlaceBidRef(refs[id], &bid)
				if r1 != r2 || kind(err1) != kind(err2) {
					t.Fatalf("height %d, bid %s: PlaceBid %+v %v; PlaceBidRef %+v %v", h, bid.ID, r1, err1, r2, err2)
				}
				if err1 != nil && !errors.Is(err1, ErrUnknownOrder) && err1.Error() != err2.Error() {
					t.Fatalf("errors differ: %q vs %q", err1, err2)
				}
				r3, err3 := byAs.PlaceBidAs(refsAs[id], byAs.Provider(bid.ID.Provider), &bid)
				if r3 != r2 || kind(err3) != kind(err2) || (err2 != nil && err3.Error() != err2.Error()) {
					t.Fatalf("height %d, bid %s: PlaceBidRef %+v %v; PlaceBidAs %+v %v", h, bid.ID, r2, err2, r3, err3)
				}
				r4, err4 := byFrom.PlaceBidFrom(byFrom.Provider(bid.ID.Provider), &bid)
				if r4 != r1 || kind(err4) != kind(err1) || (err1 != nil && err4.Error() != err1.Error()) {
					t.Fatalf("height %d, bid %s: PlaceBid %+v %v; PlaceBidFrom %+v %v", h, bid.ID, r1, err1, r4, err4)
				}
			}
			offer := genOffer(t)
			gotIDs := byID.Fillable(nil, offer, h)
			gotRefs := byRef.FillableRefs(nil, offer, h)
			viaRefs := make([]OrderID, 0, len(gotRefs))
			for _, r := range gotRefs {
				o, ok := byRef.RefOrder(r)
				if !ok {
					t.Fatalf("FillableRefs gave a dead handle %+v", r)
				}
				viaRefs = append(viaRefs, o.ID)
			}
			if !slices.Equal(gotIDs, viaRefs) {
				t.Fatalf("height %d: Fillable %v, FillableRefs %v", h, gotIDs, viaRefs)
			}
			a, b, c, d := byID.CloseDue(h), byRef.CloseDue(h), byAs.CloseDue(h), byFrom.CloseDue(h)
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(b, c) || !reflect.DeepEqual(a, d) {
				t.Fatalf("height %d: results differ:\n%+v\n%+v\n%+v\n%+v", h, a, b, c, d)
			}
		}
	})
}

func TestOrderSlotSize(t *testing.T) {
	if n := unsafe.Sizeof(orderSlot{}); n != 512 {
		t.Fatalf("orderSlot is %d bytes; keep it at 512 (adjust its padding) so slots stay cache-line aligned", n)
	}
}

func TestBidEntrySize(t *testing.T) {
	if n := unsafe.Sizeof(bidEntry{}); n != 32 {
		t.Fatalf("bidEntry is %d bytes; keep it at 32 (amount packed to 16 bytes, time as offsets, the common deposit in the slot) so a resting bid with its share of the slot costs at most 64 bytes of heap", n)
	}
}

// PlaceBidAs and PlaceBidFrom refuse a provider handle that is not the
// bid's provider's (ErrInvalidBid) and accept its own. PlaceBidFrom finds
// the order first: a bid on an unknown order is ErrUnknownOrder whatever
// the handle.
func TestPlaceBidHandleChecks(t *testing.T) {
	for _, place := range []struct {
		name string
		do   func(b *OrderBook, r OrderRef, p ProviderRef, bid *Bid) (Receipt, error)
	}{
		{"PlaceBidAs", func(b *OrderBook, r OrderRef, p ProviderRef, bid *Bid) (Receipt, error) {
			return b.PlaceBidAs(r, p, bid)
		}},
		{"PlaceBidFrom", func(b *OrderBook, _ OrderRef, p ProviderRef, bid *Bid) (Receipt, error) {
			return b.PlaceBidFrom(p, bid)
		}},
	} {
		t.Run(place.name, func(t *testing.T) {
			b := NewOrderBook(BookConfig{})
			o := baseOrder()
			if err := b.AddOrder(o); err != nil {
				t.Fatal(err)
			}
			r, _ := b.Ref(o.ID)
			bid := bidOn(o, providerName(1), "1", o.OpenHeight, 0)
			other := b.Provider(providerName(2))
			for _, tt := range []struct {
				name string
				p    ProviderRef
			}{{"zero handle", ProviderRef{}}, {"another provider's handle", other}, {"out of range", ProviderRef{h1: 99}}} {
				if _, err := place.do(b, r, tt.p, &bid); !errors.Is(err, ErrInvalidBid) {
					t.Fatalf("%s: %v, want ErrInvalidBid", tt.name, err)
				}
			}
			if place.name == "PlaceBidFrom" {
				unknown := bid
				unknown.ID.OSeq++
				if _, err := b.PlaceBidFrom(ProviderRef{}, &unknown); !errors.Is(err, ErrUnknownOrder) {
					t.Fatalf("unknown order: %v, want ErrUnknownOrder", err)
				}
			}
			if rc, err := place.do(b, r, b.Provider(providerName(1)), &bid); err != nil || !rc.Accepted() {
				t.Fatalf("own handle: %+v %v", rc, err)
			}
		})
	}
}
