package market

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
)

// Generators draw from small value sets on purpose: few distinct prices and
// heights make ties common, and few attribute values make both eligible and
// ineligible bids common.

var (
	genRegions = []string{"us-west", "eu-central"}
	genTiers   = []string{"community", "premium"}
	// The last two are above 2^128 atto, so the book keeps them outside
	// its packed bid entries (amount); a max price above them lets them win.
	genPrices = []string{"1", "2", "3", "3.5", "4", "400000000000000000000", "400000000000000000000.5"}
)

func genOrder(t *rapid.T, dseq uint64) Order {
	o := Order{
		ID: orderID("tenant", dseq),
		Resources: manifest.Totals{
			CPUMillis:   rapid.SampledFrom([]uint64{0, 500, 1000, 4000}).Draw(t, "cpu"),
			MemoryBytes: rapid.SampledFrom([]uint64{0, 1 << 30, 8 << 30}).Draw(t, "mem"),
			GPUUnits:    rapid.SampledFrom([]uint64{0, 0, 1}).Draw(t, "gpu"),
		},
		MinReputation: Reputation(rapid.SampledFrom([]int{0, 100, 500}).Draw(t, "minrep")),
		MaxPrice:      uakt(rapid.SampledFrom([]string{"3", "4", "1000000000000000000000"}).Draw(t, "max")),
		OpenHeight:    0,
		CloseHeight:   1000,
	}
	if rapid.Bool().Draw(t, "needRegion") {
		o.Requirements.Attributes = append(o.Requirements.Attributes, manifest.Attribute{Key: "region", Value: rapid.SampledFrom(genRegions).Draw(t, "region")})
	}
	if rapid.Bool().Draw(t, "needTier") {
		o.Requirements.Attributes = append(o.Requirements.Attributes, manifest.Attribute{Key: "tier", Value: rapid.SampledFrom(genTiers).Draw(t, "tier")})
	}
	switch rapid.IntRange(0, 3).Draw(t, "signedBy") {
	case 1:
		o.Requirements.SignedBy.AllOf = []string{"aud1"}
	case 2:
		o.Requirements.SignedBy.AnyOf = []string{"aud1", "aud2"}
	}
	return o
}

func genOffer(t *rapid.T) Offer {
	off := Offer{
		Resources: manifest.Totals{
			CPUMillis:   rapid.SampledFrom([]uint64{400, 1000, 8000}).Draw(t, "ocpu"),
			MemoryBytes: rapid.SampledFrom([]uint64{1 << 30, 16 << 30}).Draw(t, "omem"),
			GPUUnits:    rapid.SampledFrom([]uint64{0, 2}).Draw(t, "ogpu"),
		},
		Reputation: Reputation(rapid.SampledFrom([]int{50, 200, 900}).Draw(t, "orep")),
	}
	region := manifest.Attribute{Key: "region", Value: rapid.SampledFrom(genRegions).Draw(t, "oregion")}
	tier := manifest.Attribute{Key: "tier", Value: rapid.SampledFrom(genTiers).Draw(t, "otier")}
	off.Attributes = manifest.Attributes{region, tier}
	if rapid.Bool().Draw(t, "audited") {
		off.Audited = []AuditedAttributes{{Auditor: rapid.SampledFrom([]string{"aud1", "aud2"}).Draw(t, "auditor"), Attributes: off.Attributes}}
	}
	return off
}

// genBids draws up to n bids from distinct providers with unique seqs.
func genBids(t *rapid.T, o Order, n int) []Bid {
	count := rapid.IntRange(0, n).Draw(t, "nbids")
	bids := make([]Bid, count)
	for i := range bids {
		b := Bid{
			ID:       BidID{OrderID: o.ID, Provider: providerName(i)},
			Price:    uakt(rapid.SampledFrom(genPrices).Draw(t, "price")),
			Offer:    genOffer(t),
			PlacedAt: int64(rapid.IntRange(0, 4).Draw(t, "height")),
			Seq:      uint64(i + 1),
			Deposit:  uakt("5"),
		}
		if rapid.IntRange(0, 9).Draw(t, "denom") == 0 {
			b.Price.Denom = "uusdc"
		}
		bids[i] = b
	}
	return bids
}

func withStates(t *rapid.T, bids []Bid) {
	for i := range bids {
		bids[i].State = rapid.SampledFrom([]BidState{BidActive, BidActive, BidActive, BidWithdrawn, BidSealed}).Draw(t, "state")
	}
}

func TestPropWinnerIsEligibleAndBest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genOrder(t, 1)
		bids := genBids(t, o, 12)
		withStates(t, bids)
		r := Match(o, bids)
		// MatchInto over a dirty, reused buffer decides the same.
		dirty := make([]BidOutcome, len(bids), len(bids)+1)
		for i := range dirty {
			dirty[i] = BidOutcome{Provider: "garbage", denoms: priceOdd | depositNoDenom, Outcome: OutcomeWon, Reason: ReasonGPU, Action: DepositForfeit, Seq: 99}
		}
		if r2 := MatchInto(dirty, o, bids); fmt.Sprint(r2) != fmt.Sprint(r) || !slices.Equal(r2.Bids, r.Bids) {
			t.Fatalf("MatchInto with a reused buffer differs from Match:\n%s\nvs\n%s", r2, r)
		}
		var winner *Bid
		for i := range bids {
			if bids[i].ID == r.Winner && r.Matched {
				winner = &bids[i]
			}
		}
		if r.Matched {
			if winner == nil {
				t.Fatalf("winner %s is not among the bids", r.Winner)
			}
			if ok, why := Eligible(o, *winner); !ok || winner.State != BidActive {
				t.Fatalf("winner %s is %s / %s", r.Winner, why, winner.State)
			}
			if r.Price != winner.Price {
				t.Fatalf("result price %s, winner bid %s", r.Price, winner.Price)
			}
		}
		for i := range bids {
			b := &bids[i]
			if ok, _ := Eligible(o, *b); !ok || b.State != BidActive {
				continue
			}
			if !r.Matched {
				t.Fatalf("unmatched, but %s is eligible and active", b.ID)
			}
			if b.ID != winner.ID && !winner.Price.Amount.Less(b.Price.Amount) {
				// equal price: the winner must be earlier
				if better(b, winner) {
					t.Fatalf("%s (%s, h=%d, seq=%d) beats winner %s (%s, h=%d, seq=%d)",
						b.ID.Provider, b.Price, b.PlacedAt, b.Seq, winner.ID.Provider, winner.Price, winner.PlacedAt, winner.Seq)
				}
			}
			if b.Price.Amount.Less(winner.Price.Amount) {
				t.Fatalf("eligible %s at %s is cheaper than winner at %s", b.ID.Provider, b.Price, winner.Price)
			}
		}
		// Every outcome agrees with the bid it describes.
		for j := range r.Bids {
			oc := &r.Bids[j]
			i := slices.IndexFunc(bids, func(b Bid) bool { return b.ID == r.BidID(oc) })
			b := bids[i]
			_, reason := Eligible(o, b)
			want := map[BidState]Outcome{BidWithdrawn: OutcomeWithdrawn, BidSealed: OutcomeUnrevealed}[b.State]
			if b.State == BidActive {
				switch {
				case reason != ReasonNone:
					want = OutcomeIneligible
				case b.ID == r.Winner:
					want = OutcomeWon
				case winner.Price.Amount.Less(b.Price.Amount):
					want = OutcomeOutbid
				default:
					want = OutcomeLaterAtSamePrice
				}
			}
			if oc.Outcome != want || (want == OutcomeIneligible && oc.Reason != reason) {
				t.Fatalf("%s: outcome %s, want %s (%s)", oc.Provider, oc.Why(), want, reason)
			}
			if v := viewOf(&r, oc); v.ID != b.ID || v.PlacedAt != b.PlacedAt || v.Seq != b.Seq || v.Deposit != b.Deposit ||
				(b.State != BidSealed && v.Price != b.Price) || (b.State == BidSealed && v.Price != money.Coin{}) {
				t.Fatalf("%s: outcome %+v describes bid %+v", oc.Provider, v, b)
			}
		}
	})
}

func TestPropIneligibleBidChangesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genOrder(t, 1)
		bids := genBids(t, o, 10)
		withStates(t, bids)
		before := Match(o, bids)

		x := Bid{
			ID:       BidID{OrderID: o.ID, Provider: "akash1intruder"},
			Price:    uakt(rapid.SampledFrom(genPrices).Draw(t, "xprice")),
			Offer:    genOffer(t),
			PlacedAt: int64(rapid.IntRange(0, 4).Draw(t, "xheight")),
			Seq:      uint64(rapid.IntRange(0, 20).Draw(t, "xseq")),
		}
		if ok, _ := Eligible(o, x); ok {
			// Break one rule so the bid is ineligible.
			switch rapid.IntRange(0, 3).Draw(t, "break") {
			case 0:
				x.Price = uakt("2000000000000000000000") // above every max price
			case 1:
				x.Offer.Resources.CPUMillis = 0
				o.Resources.CPUMillis = max(o.Resources.CPUMillis, 1)
				before = Match(o, bids)
			case 2:
				x.Price.Denom = "uusdc"
			case 3:
				x.ID.OSeq = 99
			}
		}
		if ok, _ := Eligible(o, x); ok {
			t.Fatal("failed to make an ineligible bid")
		}
		at := rapid.IntRange(0, len(bids)).Draw(t, "at")
		after := Match(o, slices.Insert(slices.Clone(bids), at, x))
		if after.Matched != before.Matched || after.Winner != before.Winner || after.Price != before.Price {
			t.Fatalf("adding an ineligible bid changed the winner: %s at %s -> %s at %s", before.Winner, before.Price, after.Winner, after.Price)
		}
		rest := slices.DeleteFunc(slices.Clone(after.Bids), func(b BidOutcome) bool { return b.Provider == x.ID.Provider })
		if !slices.Equal(rest, before.Bids) {
			t.Fatal("adding an ineligible bid changed another bid's outcome")
		}
	})
}

// Bids with distinct placement heights reach the same result whatever order
// they are inserted in, in Match and in the book.
func TestPropInsertionOrderDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genOrder(t, 1)
		bids := genBids(t, o, 12)
		heights := rapid.Permutation(func() []int64 {
			h := make([]int64, len(bids))
			for i := range h {
				h[i] = int64(10 + 3*i)
			}
			return h
		}()).Draw(t, "heights")
		for i := range bids {
			bids[i].PlacedAt = heights[i]
		}
		perm := rapid.Permutation(bids).Draw(t, "perm")

		if a, b := Match(o, bids), Match(o, perm); fmt.Sprint(a) != fmt.Sprint(b) || !slices.Equal(a.Bids, b.Bids) {
			t.Fatalf("Match depends on input order:\n%s\nvs\n%s", a, b)
		}

		closeBook := func(in []Bid) Result {
			bk := NewOrderBook(BookConfig{})
			if err := bk.AddOrder(o); err != nil {
				t.Fatal(err)
			}
			for _, b := range in {
				if _, err := bk.PlaceBid(&b); err != nil {
					t.Fatal(err)
				}
			}
			res := bk.CloseDue(o.CloseHeight)
			if len(res) != 1 {
				t.Fatalf("%d results", len(res))
			}
			return res[0]
		}
		a, b := closeBook(bids), closeBook(perm)
		if a.Matched != b.Matched || a.Winner != b.Winner || a.Price != b.Price || len(a.Bids) != len(b.Bids) {
			t.Fatalf("book depends on insertion order:\n%s\nvs\n%s", a, b)
		}
		for i := range a.Bids {
			x, y := viewOf(&a, &a.Bids[i]), viewOf(&b, &b.Bids[i])
			if x.ID != y.ID || x.Outcome != y.Outcome || x.Reason != y.Reason || x.Action != y.Action || x.Price != y.Price || x.PlacedAt != y.PlacedAt {
				t.Fatalf("outcome %d differs: %+v vs %+v", i, x, y)
			}
		}
	})
}

// The book's incrementally kept best equals Match over the same bids after
// every step, and its Result at close agrees with Match bid for bid.
func TestPropBookAgreesWithMatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genOrder(t, 1)
		// A wide window and jumps in the book's bid sequence put heights
		// and seqs more than 2^32 past the entry's bases, so the entries
		// keep them whole (entryBigHeight, entryBigSeq).
		wide := rapid.Bool().Draw(t, "wide")
		if wide {
			o.CloseHeight = 1 << 40
		}
		bk := NewOrderBook(BookConfig{})
		if err := bk.AddOrder(o); err != nil {
			t.Fatal(err)
		}
		var model []Bid                   // accepted bids, with the book's seqs and states
		lastReject := map[string]Reason{} // provider → reason of its last rejected attempt
		rejectedBid := map[string]Bid{}   // provider → its last rejected attempt
		steps := rapid.IntRange(0, 40).Draw(t, "steps")
		for step := range steps {
			h := int64(step)
			if wide {
				h <<= rapid.SampledFrom([]int{0, 33}).Draw(t, "heightShift")
				if rapid.IntRange(0, 3).Draw(t, "seqJump") == 0 {
					bk.bidSeq += 1 << 33
				}
			}
			p := providerName(rapid.IntRange(0, 9).Draw(t, "provider"))
			if rapid.IntRange(0, 3).Draw(t, "op") == 0 {
				refund, err := bk.Withdraw(BidID{OrderID: o.ID, Provider: p}, h)
				i := slices.IndexFunc(model, func(b Bid) bool { return b.ID.Provider == p })
				if i < 0 || model[i].State == BidWithdrawn {
					if err == nil {
						t.Fatalf("withdrew %s, which has no active bid", p)
					}
					continue
				}
				if err != nil || refund != model[i].Deposit {
					t.Fatalf("withdraw %s: %v, refund %s", p, err, refund)
				}
				model[i].State = BidWithdrawn
			} else {
				bid := Bid{ID: BidID{OrderID: o.ID, Provider: p}, Price: uakt(rapid.SampledFrom(genPrices).Draw(t, "price")),
					Offer: genOffer(t), PlacedAt: h, Deposit: uakt(rapid.SampledFrom([]string{"0", "5", "500000000000000000000"}).Draw(t, "deposit"))}
				// Denominations unlike the order's (a price refused for
				// its, a deposit in another) are kept aside by the book.
				bid.Price.Denom = rapid.SampledFrom([]string{"uakt", "uakt", "uakt", "uusdc"}).Draw(t, "priceDenom")
				bid.Deposit.Denom = rapid.SampledFrom([]string{"uakt", "uakt", "uatom", ""}).Draw(t, "depositDenom")
				if bid.Deposit.Denom == "" {
					bid.Deposit.Amount = money.Dec{}
				}
				r, err := bk.PlaceBid(&bid)
				dup := slices.ContainsFunc(model, func(b Bid) bool { return b.ID.Provider == p })
				if dup != (err != nil) {
					t.Fatalf("bid by %s: duplicate=%v but err=%v", p, dup, err)
				}
				if err != nil {
					continue
				}
				_, want := Eligible(o, bid)
				if r.Reason != want {
					t.Fatalf("bid by %s: receipt reason %s, Eligible says %s", p, r.Reason, want)
				}
				if !r.Accepted() {
					lastReject[p], rejectedBid[p] = r.Reason, bid
					continue
				}
				delete(lastReject, p)
				bid.Seq = r.Seq
				model = append(model, bid)
			}
			m := Match(o, model)
			id, price, ok := bk.Best(o.ID)
			if ok != m.Matched || id != m.Winner || (ok && price != m.Price) {
				t.Fatalf("step %d: book best %s at %s (%v), Match says %s at %s", step, id.Provider, price, ok, m.Winner.Provider, m.Price)
			}
		}
		res := bk.CloseDue(o.CloseHeight)
		if len(res) != 1 {
			t.Fatalf("%d results", len(res))
		}
		got, want := res[0], Match(o, model)
		if got.Matched != want.Matched || got.Winner != want.Winner || got.Price != want.Price {
			t.Fatalf("close: book %s at %s, Match %s at %s", got.Winner, got.Price, want.Winner, want.Price)
		}
		for j := range got.Bids {
			oc := &got.Bids[j]
			if r, rejected := lastReject[oc.Provider]; rejected {
				if oc.Outcome != OutcomeIneligible || oc.Reason != r || oc.Action != DepositNone {
					t.Fatalf("%s: %s %s, want ineligible:%s with no deposit action", oc.Provider, oc.Why(), oc.Action, r)
				}
				if v, b := viewOf(&got, oc), rejectedBid[oc.Provider]; v.Price != b.Price || v.Deposit != b.Deposit {
					t.Fatalf("%s: rejected at %s deposit %s, the Result says %s deposit %s", oc.Provider, b.Price, b.Deposit, v.Price, v.Deposit)
				}
				continue
			}
			i := slices.IndexFunc(want.Bids, func(w BidOutcome) bool { return w.Provider == oc.Provider })
			if i < 0 || viewOf(&want, &want.Bids[i]) != viewOf(&got, oc) {
				t.Fatalf("%s: book says %+v, Match says %+v", oc.Provider, viewOf(&got, oc), viewOf(&want, &want.Bids[i]))
			}
		}
		if len(got.Bids) != len(model)+len(lastReject) {
			t.Fatalf("%d outcomes for %d accepted and %d rejected bids", len(got.Bids), len(model), len(lastReject))
		}
	})
}

// Fillable returns exactly the orders a full scan finds, in insertion order,
// while orders come and go.
func TestPropFillableEqualsScan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		bk := NewOrderBook(BookConfig{})
		var open []Order
		n := rapid.IntRange(0, 60).Draw(t, "orders")
		for i := range n {
			o := genOrder(t, uint64(i+1))
			o.CloseHeight = int64(rapid.IntRange(1, 6).Draw(t, "close"))
			o.OpenHeight = int64(rapid.IntRange(0, int(o.CloseHeight)-1).Draw(t, "open"))
			o.MinReputation = Reputation(rapid.SampledFrom([]int{0, 100, 500}).Draw(t, "minrep"))
			if err := bk.AddOrder(o); err != nil {
				t.Fatal(err)
			}
			open = append(open, o)
		}
		for h := int64(0); h < 7; h++ {
			offer := genOffer(t)
			var want []OrderID
			for i := range open {
				probe := Bid{ID: BidID{OrderID: open[i].ID}, Offer: offer}
				if open[i].TakesBidsAt(h) && OfferEligible(&open[i], &probe) == ReasonNone {
					want = append(want, open[i].ID)
				}
			}
			if got := bk.Fillable(nil, offer, h); !slices.Equal(got, want) {
				t.Fatalf("height %d: Fillable %v, scan %v", h, got, want)
			}
			closed := bk.CloseDue(h)
			open = slices.DeleteFunc(open, func(o Order) bool { return o.CloseHeight <= h })
			if bk.Len() != len(open) {
				t.Fatalf("book holds %d orders after closing %d, want %d", bk.Len(), len(closed), len(open))
			}
			for i := range open {
				if got, ok := bk.Order(open[i].ID); !ok || got.ID != open[i].ID {
					t.Fatalf("order %s lost", open[i].ID)
				}
			}
		}
	})
}

// The order table against a Go map, with a tiny table so probe runs wrap
// around and backward-shift deletion is exercised. The recent-hit array is
// exercised too: every get records its hit, deletes clear them, and freed
// slots are reused (LIFO) by other IDs, so a stale hint would show.
func TestPropOrderTable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tab := newOrderTable(0)
		slots := make([]orderSlot, 64)
		model := map[OrderID]uint32{}
		free := []uint32{}
		for i := range slots {
			free = append(free, uint32(i))
		}
		for range rapid.IntRange(0, 300).Draw(t, "ops") {
			id := orderID(rapid.SampledFrom([]string{"a", "tenant-b", "a-much-longer-owner-address"}).Draw(t, "owner"), uint64(rapid.IntRange(0, 40).Draw(t, "dseq")))
			slot, inModel := model[id]
			if inModel && rapid.Bool().Draw(t, "del") {
				tab.del(&id, slot)
				delete(model, id)
				free = append(free, slot)
			} else if !inModel && len(free) > 0 {
				s := free[len(free)-1]
				free = free[:len(free)-1]
				slots[s].order.ID, slots[s].ins = id, 1 // occupied, as the book's slots named by the table are
				tab.put(&id, s)
				model[id] = s
			}
			for id, s := range model {
				if got, ok := tab.get(&id, slots); !ok || got != s {
					t.Fatalf("get %s = %d, %v; want %d", id, got, ok, s)
				}
			}
			if tab.n != len(model) {
				t.Fatalf("table counts %d, model %d", tab.n, len(model))
			}
			missing := orderID("nobody", 1)
			if _, ok := tab.get(&missing, slots); ok {
				t.Fatal("found an order never added")
			}
		}
	})
}

// The recent-hit sets under more hot IDs than they hold: a window of 6,000
// IDs (about 6 per 4-way set, so sets overflow and push entries out) is
// looked up round robin, then half of it is deleted and its slots reused by
// new IDs; every look-up must give the model's answer.
func TestOrderTableRecentSetsOverflow(t *testing.T) {
	const n = 6000
	tab := newOrderTable(n)
	slots := make([]orderSlot, n)
	model := map[OrderID]uint32{}
	for i := range n {
		id := orderID("akash1qy352euf40x77qfrg4ncn27daufrg4ncx6nm7m", uint64(i+1))
		slots[i].order.ID, slots[i].ins = id, 1 // occupied, as the book's slots named by the table are
		tab.put(&id, uint32(i))
		model[id] = uint32(i)
	}
	check := func() {
		for round := range 3 {
			for i := range slots {
				id := slots[i].order.ID
				got, ok := tab.get(&id, slots)
				if want, in := model[id]; ok != in || (in && got != want) {
					t.Fatalf("round %d: get %s = %d, %v; want %d, %v", round, id, got, ok, want, in)
				}
			}
		}
	}
	check()
	for i := 0; i < n; i += 2 {
		id := slots[i].order.ID
		tab.del(&id, uint32(i))
		delete(model, id)
		if _, ok := tab.get(&id, slots); ok {
			t.Fatalf("deleted %s still found", id)
		}
		id = orderID("akash1tenant0001", uint64(i+1)) // another ID in the freed slot
		slots[i].order.ID = id
		tab.put(&id, uint32(i))
		model[id] = uint32(i)
	}
	check()
	if tab.n != len(model) {
		t.Fatalf("table counts %d, model %d", tab.n, len(model))
	}
}
