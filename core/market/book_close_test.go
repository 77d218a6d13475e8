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
		runDeposit := rapid.SampledFrom(genDeposits).Draw(t, "runDeposit")
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
				// Mostly the run's deposit: bids with another one are
				// not inline, and the short loop should meet entries in
				// every order (a re-bid after a rejection reuses an
				// earlier entry, out of placement order).
				deposit := runDeposit
				if rapid.IntRange(0, 3).Draw(t, "otherDeposit") == 0 {
					deposit = rapid.SampledFrom(genDeposits).Draw(t, "deposit")
				}
				bid := Bid{ID: rev.Bid, Price: rev.Price, Offer: offer, PlacedAt: h, Deposit: uakt(deposit)}
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
				if s.ins == 0 || len(s.bids) == 0 {
					continue
				}
				// The close takes the short loop on the slot's word
				// (rareEmpty) without reading the entries: it must
				// never do so with an entry that is not inline.
				if s.dep.hi != bigAmount && s.rareEmpty() && !allInline(s) {
					t.Fatalf("order %s: rare lists empty but an entry is not inline: %+v", s.order.ID, s.bids)
				}
				if !allInline(s) {
					continue
				}
				general, short := make([]BidOutcome, len(s.bids)), make([]BidOutcome, len(s.bids))
				for j := range short {
					short[j] = BidOutcome{Provider: "dirty", Outcome: OutcomeExpired, Reason: ReasonGPU, Action: DepositForfeit, denoms: priceOdd}
				}
				r := Result{Order: s.order.ID, Denom: s.order.MaxPrice.Denom, DepositDenom: bk.denoms.names[s.depDen]}
				bk.outcomes(&r, s, general, false)
				bk.inlineOutcomes(s, short, s.order.MaxPrice.Denom)
				ordered := s.placedInOrder()
				sorted := slices.IsSortedFunc(general, func(a, b BidOutcome) int {
					if outcomeBefore(&a, &b) {
						return -1
					}
					return 1
				})
				if ordered != sorted {
					t.Fatalf("order %s: placedInOrder says %v, the outcomes are sorted %v", s.order.ID, ordered, sorted)
				}
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

// inline reports whether e keeps nothing in its slot's rare lists: what
// the close's short loop needs of every entry. Only a rejected entry's
// reason is read (it is written at the rejection; other entries may hold a
// stale one from the slot's last order).
func (e *bidEntry) inline() bool {
	return e.flags == 0 && e.price.hi != bigAmount && (e.state < bidRejected || e.reason&oddDenom == 0) && e.state <= bidRejectedReveal
}

var genDeposits = []string{"0", "5", "500000000000000000000"}

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
