package market

import (
	"errors"
	"slices"
	"testing"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/akash-market/akash/core/manifest"
)

// TestBidOutcomeSize: an outcome names neither its order nor, as a rule, a
// denomination, so a close writes 104 bytes per bid (it wrote 168).
func TestBidOutcomeSize(t *testing.T) {
	if n := unsafe.Sizeof(BidOutcome{}); n != 104 {
		t.Fatalf("BidOutcome is %d bytes; keep it at 104 (the order and the denominations are the Result's)", n)
	}
}

// TestPropInlineOutcomesEqualGeneral: the close's short loop for inline
// entries writes exactly what its general loop writes, for open and sealed
// orders in every state a book reaches (accepted, rejected, withdrawn,
// committed, revealed, refused at reveal; zero and huge deposits).
func TestPropInlineOutcomesEqualGeneral(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		bk := NewOrderBook(BookConfig{})
		var ids []OrderID
		orders := map[OrderID]Order{}
		var reveals []Reveal
		nextOrder := uint64(1)
		for h := range int64(rapid.IntRange(1, 8).Draw(t, "heights")) {
			for range rapid.IntRange(0, 3).Draw(t, "newOrders") {
				o := genOrder(t, nextOrder)
				nextOrder++
				o.OpenHeight = h
				o.CloseHeight = h + int64(rapid.IntRange(1, 3).Draw(t, "life"))
				if rapid.Bool().Draw(t, "sealed") {
					o.Sealed, o.RevealEnd = true, o.CloseHeight+int64(rapid.IntRange(1, 3).Draw(t, "reveal"))
				}
				if err := bk.AddOrder(o); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, o.ID)
				orders[o.ID] = o
			}
			if len(ids) == 0 {
				continue
			}
			for range rapid.IntRange(0, 16).Draw(t, "bids") {
				id := rapid.SampledFrom(ids).Draw(t, "order")
				rev := Reveal{
					Bid:   BidID{OrderID: id, Provider: providerName(rapid.IntRange(0, 7).Draw(t, "provider"))},
					Price: uakt(rapid.SampledFrom(genPrices).Draw(t, "price")),
				}
				offer := genOffer(t)
				if rapid.IntRange(0, 2).Draw(t, "fits") != 0 {
					offer = fittingOffer(orders[id])
				}
				bid := Bid{ID: rev.Bid, Price: rev.Price, Offer: offer, PlacedAt: h,
					Deposit: uakt(rapid.SampledFrom([]string{"0", "5", "500000000000000000000"}).Draw(t, "deposit"))}
				if rapid.IntRange(0, 5).Draw(t, "otherDenom") == 0 {
					bid.Price.Denom = "uusdc" // kept aside: not inline
				}
				if _, err := bk.PlaceBid(&bid); !errors.Is(err, ErrSealedOrder) {
					continue
				}
				rev.Price = bid.Price // a reveal in another denom is refused: not inline
				rev.Salt[0] = byte(rapid.IntRange(0, 255).Draw(t, "salt"))
				bid.Commitment = rev.Commitment()
				if _, err := bk.Commit(&bid); err != nil {
					continue
				}
				if rapid.IntRange(0, 4).Draw(t, "mismatch") == 0 {
					rev.Salt[1] = 1 // will not open the commitment
				}
				reveals = append(reveals, rev)
			}
			for range rapid.IntRange(0, 8).Draw(t, "reveals") {
				if len(reveals) == 0 {
					break
				}
				_, _ = bk.Reveal(rapid.SampledFrom(reveals).Draw(t, "reveal"), h)
			}
			for range rapid.IntRange(0, 3).Draw(t, "withdrawals") {
				id := rapid.SampledFrom(ids).Draw(t, "withdrawOrder")
				_, _ = bk.Withdraw(BidID{OrderID: id, Provider: providerName(rapid.IntRange(0, 7).Draw(t, "withdrawer"))}, h)
			}
			// Every open order, as it stands: both loops agree.
			for i := range bk.slots {
				s := &bk.slots[i]
				if s.ins == 0 || len(s.bids) == 0 || !allInline(s) {
					continue
				}
				general, short := make([]BidOutcome, len(s.bids)), make([]BidOutcome, len(s.bids))
				for j := range short {
					short[j] = BidOutcome{Provider: "dirty", Outcome: OutcomeExpired, Reason: ReasonGPU, Action: DepositForfeit, denoms: priceOdd}
				}
				r := Result{Order: s.order.ID, Denom: s.order.MaxPrice.Denom, DepositDenom: bk.denoms.names[s.depDen]}
				bk.outcomes(&r, s, general, false)
				bk.inlineOutcomes(s, short, s.order.MaxPrice.Denom)
				if len(r.odd) != 0 {
					t.Fatalf("order %s: inline entries, but the general loop kept odd denominations %+v", s.order.ID, r.odd)
				}
				for j := range general {
					if general[j] != short[j] {
						t.Fatalf("order %s entry %d (state %d): general %+v, inline %+v", s.order.ID, j, s.bids[j].state, general[j], short[j])
					}
				}
			}
			bk.CloseDue(h)
		}
	})
}

func allInline(s *orderSlot) bool {
	if s.dep.hi == bigAmount {
		return false
	}
	for i := range s.bids {
		if !s.bids[i].inline() {
			return false
		}
	}
	return true
}

// fittingOffer meets every rule of o but the price.
func fittingOffer(o Order) Offer {
	a := slices.Clone(o.Requirements.Attributes)
	return Offer{
		Resources:  manifest.Totals{CPUMillis: 8000, MemoryBytes: 16 << 30, GPUUnits: 2},
		Reputation: MaxReputation,
		Attributes: a,
		Audited:    []AuditedAttributes{{Auditor: "aud1", Attributes: a}, {Auditor: "aud2", Attributes: a}},
	}
}
