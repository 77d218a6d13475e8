package market

import (
	"reflect"
	"testing"
	"unsafe"

	"pgregory.net/rapid"
)

// A reserved book (Reserve) and a plain one, driven by the same script of
// orders opening, bids, withdrawals, cancellations and closes, answer every
// call alike and hand out the same order handles: Reserve changes sizes,
// never a result. The reservation is drawn small too, so that books outgrow
// it.
func TestPropReserveChangesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		plain := NewOrderBook(BookConfig{BidsPerOrder: rapid.IntRange(0, 4).Draw(t, "hint")})
		reserved := NewOrderBook(BookConfig{BidsPerOrder: plain.bidsHint})
		reserved.Reserve(rapid.IntRange(0, 12).Draw(t, "orders"), rapid.IntRange(0, 6).Draw(t, "bids"))
		books := []*OrderBook{plain, reserved}
		same := func(what string, do func(b *OrderBook) any) {
			a, b := do(plain), do(reserved)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s: plain book %+v, reserved book %+v", what, a, b)
			}
		}
		var open []OrderID
		dseq := uint64(0)
		for step := range rapid.IntRange(1, 80).Draw(t, "steps") {
			h := int64(step)
			switch op := rapid.IntRange(0, 9).Draw(t, "op"); {
			case op < 3 || len(open) == 0:
				dseq++
				o := genOrder(t, dseq)
				o.OpenHeight, o.CloseHeight = h, h+int64(rapid.IntRange(1, 20).Draw(t, "window"))
				same("add", func(b *OrderBook) any { return b.AddOrder(o) })
				open = append(open, o.ID)
			case op < 7:
				id := rapid.SampledFrom(open).Draw(t, "order")
				bid := Bid{ID: BidID{OrderID: id, Provider: providerName(rapid.IntRange(0, 9).Draw(t, "provider"))},
					Price: uakt(rapid.SampledFrom(genPrices).Draw(t, "price")), Offer: genOffer(t), PlacedAt: h, Deposit: uakt("5")}
				same("bid", func(b *OrderBook) any {
					c := bid
					r, err := b.PlaceBid(&c)
					return []any{r, err}
				})
			case op == 7:
				id := rapid.SampledFrom(open).Draw(t, "order")
				p := providerName(rapid.IntRange(0, 9).Draw(t, "provider"))
				same("withdraw", func(b *OrderBook) any {
					c, err := b.Withdraw(BidID{OrderID: id, Provider: p}, h)
					return []any{c, err}
				})
			case op == 8:
				id := rapid.SampledFrom(open).Draw(t, "order")
				same("cancel", func(b *OrderBook) any {
					r, err := b.CancelOrder(id)
					return []any{r, err}
				})
			default:
				same("close", func(b *OrderBook) any { return b.CloseDue(h) })
			}
			offer := genOffer(t)
			same("fillable", func(b *OrderBook) any { return b.Fillable(nil, offer, h) })
			for _, id := range open {
				same("ref", func(b *OrderBook) any {
					r, ok := b.Ref(id)
					return []any{r, ok}
				})
			}
		}
		for _, b := range books {
			if b.Len() != plain.Len() {
				t.Fatalf("open orders: %d and %d", plain.Len(), b.Len())
			}
		}
	})
}

// A reserved book opens orders, takes their bids and closes them within
// its reservation without making a slot, a bid list or a queue array: 64
// orders open at once with 8 bids each (past BidsPerOrder) keep every array
// Reserve made.
func TestReserveKeepsItsArrays(t *testing.T) {
	b := NewOrderBook(BookConfig{BidsPerOrder: 2})
	b.Reserve(64, 8)
	arrays := func() []any {
		out := []any{unsafe.SliceData(b.slots), cap(b.slots), unsafe.SliceData(b.queue.items)}
		for i := range b.slots {
			out = append(out, unsafe.SliceData(b.slots[i].bids), cap(b.slots[i].bids))
		}
		for k := range b.queue.lanes {
			out = append(out, unsafe.SliceData(b.queue.lanes[k].items))
		}
		return out
	}
	before := arrays()
	o := Order{MaxPrice: uakt("4")}
	var c Closing
	for round := range 3 {
		for i := range 64 {
			dseq := uint64(round*64 + i + 1)
			o.ID, o.OpenHeight, o.CloseHeight = orderID("tenant", dseq), int64(round*100), int64(round*100+1+i%5)
			o.Resources.CPUMillis = []uint64{0, 1000, 4000}[(i+round)%3] // three cells
			if err := b.AddOrder(o); err != nil {
				t.Fatal(err)
			}
			for j := range 8 {
				bid := Bid{ID: BidID{OrderID: o.ID, Provider: providerName(j)}, Price: uakt("3"), Deposit: uakt("5"), PlacedAt: o.OpenHeight}
				if _, err := b.PlaceBid(&bid); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := len(b.CloseDueInto(&c, int64(round*100+10))); got != 64 {
			t.Fatalf("round %d: %d orders closed, want 64", round, got)
		}
	}
	if after := arrays(); !reflect.DeepEqual(before, after) {
		t.Fatal("the book made new arrays within its reservation")
	}
	for _, bk := range b.index.buckets {
		for _, c := range bk.cells {
			if cap(c.slots) != 64 {
				t.Fatalf("cell %#x holds room for %d orders; want the reserved 64", c.class, cap(c.slots))
			}
		}
	}
}

// Sealed orders take their commitment arrays from ReserveCommitments' block.
func TestReserveCommitmentsKeepsItsArrays(t *testing.T) {
	b := NewOrderBook(BookConfig{BidsPerOrder: 2})
	b.Reserve(8, 4)
	b.ReserveCommitments(8)
	if len(b.commitPool) != 8 || cap(b.commitPool[0]) != 4 {
		t.Fatalf("%d commitment arrays of room %d; want 8 of 4", len(b.commitPool), cap(b.commitPool[0]))
	}
	block := unsafe.SliceData(b.commitPool[0])
	o := Order{ID: orderID("tenant", 1), MaxPrice: uakt("4"), CloseHeight: 10, RevealEnd: 20, Sealed: true}
	if err := b.AddOrder(o); err != nil {
		t.Fatal(err)
	}
	for j := range 4 {
		bid := Bid{ID: BidID{OrderID: o.ID, Provider: providerName(j)}, Deposit: uakt("5"), Commitment: Commitment{1}}
		if _, err := b.Commit(&bid); err != nil {
			t.Fatal(err)
		}
	}
	h, _ := b.Ref(o.ID)
	s := &b.slots[h.slot]
	if len(s.commits) != 4 || cap(s.commits) != 4 || len(b.commitPool) != 7 {
		t.Fatalf("order holds %d commitments in room %d, pool %d; want 4 in 4, pool 7", len(s.commits), cap(s.commits), len(b.commitPool))
	}
	if d := unsafe.SliceData(s.commits); uintptr(unsafe.Pointer(d)) < uintptr(unsafe.Pointer(block)) ||
		uintptr(unsafe.Pointer(d)) >= uintptr(unsafe.Pointer(block))+8*4*unsafe.Sizeof(Commitment{}) {
		t.Fatal("the sealed order's commitments are not in the reserved block")
	}
}
