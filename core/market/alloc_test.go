package market

import (
	"testing"

	"github.com/akash-market/akash/core/money"
	"pgregory.net/rapid"
)

// TestSteadyStateAllocs: once the book has held orders like these (their
// requirement set, a sealed order's bids) AddOrder, Commit, CommitRef,
// Reveal and rejected placements allocate nothing.
func TestSteadyStateAllocs(t *testing.T) {
	book := NewOrderBook(BookConfig{Orders: 4, Providers: 4, BidsPerOrder: 4})
	// An order that stays open keeps the requirement bucket alive, as the
	// other open orders of a live book do (an emptied bucket is forgotten).
	keeper := sealedOrder(orderID("akash1keeper", 1))
	keeper.CloseHeight, keeper.RevealEnd = 1<<40, 1<<40+1
	if err := book.AddOrder(keeper); err != nil {
		t.Fatal(err)
	}
	seq := uint64(0)
	var o Order
	var revs []Reveal
	round := func(useRef bool) {
		seq++
		o = sealedOrder(orderID(benchOwner, seq))
		o.OpenHeight, o.CloseHeight, o.RevealEnd = int64(10*seq), int64(10*seq+1), int64(10*seq+2)
		if err := book.AddOrder(o); err != nil {
			t.Fatal(err)
		}
		ref, _ := book.Ref(o.ID)
		revs = revs[:0]
		for p := range 4 {
			rev := Reveal{Bid: BidID{OrderID: o.ID, Provider: providerName(p)}, Price: uakt("10")}
			bid := bidOn(o, rev.Bid.Provider, "0", o.OpenHeight, 0)
			bid.Commitment = rev.Commitment()
			if p == 3 {
				bid.Offer.Resources.CPUMillis = 1 // rejected for its offer
			}
			var err error
			if useRef {
				_, err = book.CommitRef(ref, &bid)
			} else {
				_, err = book.Commit(&bid)
			}
			if err != nil {
				t.Fatal(err)
			}
			revs = append(revs, rev)
		}
		for _, rev := range revs[:3] {
			if r, err := book.Reveal(rev, o.CloseHeight); err != nil || !r.Accepted() {
				t.Fatalf("reveal: %+v %v", r, err)
			}
		}
		book.CloseDue(o.RevealEnd)
	}
	for range 3 {
		round(false) // warm up: the slot's lists and the requirement bucket grow
	}
	// Closing with CloseDue allocates the Result by design, so each phase is
	// measured on its own around a full round.
	measure := func(name string, f func()) {
		t.Helper()
		if n := testing.AllocsPerRun(20, f); n != 0 {
			t.Errorf("%s: %.1f allocs per run, want 0", name, n)
		}
	}
	var closing Closing
	seq++
	o = sealedOrder(orderID(benchOwner, seq)) // built outside: baseOrder allocates its attributes
	measure("AddOrder", func() {
		o.ID.OSeq++
		if err := book.AddOrder(o); err != nil {
			t.Fatal(err)
		}
		book.CloseDueInto(&closing, o.RevealEnd)
	})
	bids := make([]Bid, 4)
	reveals := make([]Reveal, 4)
	for p := range 4 {
		reveals[p] = Reveal{Bid: BidID{Provider: providerName(p)}, Price: uakt("10")}
		bids[p] = bidOn(o, providerName(p), "0", 0, 0)
	}
	bids[3].Offer.Resources.CPUMillis = 1
	for _, useRef := range []bool{false, true} {
		name := "Commit+Reveal"
		if useRef {
			name = "CommitRef+RevealRef"
		}
		// Commitments are hashed outside the measured function, as a
		// provider hashes offline.
		seq++
		o = sealedOrder(orderID(benchOwner, seq))
		o.OpenHeight, o.CloseHeight, o.RevealEnd = int64(10*seq), int64(10*seq+1), int64(10*seq+2)
		// One set of commitments per re-order (OSeq) of the group.
		commits := make([][4]Commitment, 30)
		for k := range commits {
			id := o.ID
			id.OSeq = uint32(k + 1)
			for p := range 4 {
				rv := reveals[p]
				rv.Bid.OrderID = id
				commits[k][p] = rv.Commitment()
			}
		}
		o.ID.OSeq = 0
		measure(name, func() {
			o.ID.OSeq++ // a re-order of the same group
			if err := book.AddOrder(o); err != nil {
				t.Fatal(err)
			}
			ref, _ := book.Ref(o.ID)
			for p := range 4 {
				bids[p].ID.OrderID, bids[p].PlacedAt, bids[p].Commitment = o.ID, o.OpenHeight, commits[o.ID.OSeq-1][p]
				reveals[p].Bid.OrderID = o.ID
				var err error
				if useRef {
					_, err = book.CommitRef(ref, &bids[p])
				} else {
					_, err = book.Commit(&bids[p])
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			for p := range 3 {
				var r Receipt
				var err error
				if useRef {
					r, err = book.RevealRef(ref, reveals[p], o.CloseHeight)
				} else {
					r, err = book.Reveal(reveals[p], o.CloseHeight)
				}
				if err != nil || !r.Accepted() {
					t.Fatalf("reveal %d: %+v %v", p, r, err)
				}
			}
			if res := book.CloseDueInto(&closing, o.RevealEnd); len(res) != 1 || !res[0].Matched {
				t.Fatalf("close: %+v", res)
			}
		})
	}
}

// TestPlaceRejectedAllocs: rejected open bids are entries like accepted
// ones, so a warm book records them without allocating.
func TestPlaceRejectedAllocs(t *testing.T) {
	book := NewOrderBook(BookConfig{Orders: 2, Providers: 8, BidsPerOrder: 8})
	keeper := baseOrder() // keeps the requirement bucket alive
	keeper.ID.Owner, keeper.CloseHeight = "akash1keeper", 1<<40
	if err := book.AddOrder(keeper); err != nil {
		t.Fatal(err)
	}
	o := baseOrder()
	bids := make([]Bid, 8)
	for p := range bids {
		bids[p] = bidOn(o, providerName(p), "50", o.OpenHeight, 0)
		switch p % 4 {
		case 1:
			bids[p].Offer.Resources.CPUMillis = 1
		case 2:
			bids[p].Price = uakt("1000")
		case 3:
			bids[p].Price.Denom = "uatom" // kept aside for the Result
		}
	}
	var closing Closing
	run := func() {
		o.ID.OSeq++
		if err := book.AddOrder(o); err != nil {
			t.Fatal(err)
		}
		ref, _ := book.Ref(o.ID)
		for p := range bids {
			bids[p].ID.OrderID = o.ID
			if _, err := book.PlaceBidRef(ref, &bids[p]); err != nil {
				t.Fatal(err)
			}
		}
		res := book.CloseDueInto(&closing, o.CloseHeight)
		if len(res) != 1 || len(res[0].Bids) != len(bids) {
			t.Fatalf("close: %+v", res)
		}
	}
	run()
	if n := testing.AllocsPerRun(20, run); n != 0 {
		t.Errorf("%.1f allocs per order of 8 bids (6 rejected), want 0", n)
	}
}

// TestAppendDecIsString: the reveal encoding's in-place amount is exactly
// money.Dec.String.
func TestAppendDecIsString(t *testing.T) {
	for _, s := range []string{"0", "1", "0.000000000000000001", "100.5", "115792089237316195423570985008687907853269984665640564039457.584007913129639935"} {
		d := money.MustParseDec(s)
		if got := string(appendDec(nil, d)); got != d.String() {
			t.Errorf("appendDec(%s) = %q, want %q", s, got, d.String())
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		d := money.NewDecFromAtto(rapid.Uint64().Draw(t, "atto"))
		m := rapid.Uint64Range(1, 1<<62).Draw(t, "mul")
		if x, err := d.MulInt(m); err == nil {
			d = x
		}
		if got := string(appendDec(nil, d)); got != d.String() {
			t.Fatalf("appendDec = %q, want %q", got, d.String())
		}
	})
}
