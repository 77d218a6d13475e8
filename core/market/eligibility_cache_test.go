package market

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/akash-market/akash/core/manifest"
)

var cacheAttrPool = []manifest.Attribute{
	{Key: "host", Value: "akash"},
	{Key: "region", Value: "eu-central"},
	{Key: "region", Value: "us-west"},
	{Key: "tier", Value: "community"},
	{Key: "tier", Value: "premium"},
}

func genProfile(t *rapid.T) ProviderProfile {
	var p ProviderProfile
	for _, a := range cacheAttrPool {
		if rapid.Bool().Draw(t, "has-"+a.Key+"-"+a.Value) {
			p.Attributes = append(p.Attributes, a)
		}
	}
	for _, aud := range []string{"aud1", "aud2"} {
		if rapid.Bool().Draw(t, "audited-by-"+aud) {
			signed := manifest.Attributes{}
			for _, a := range p.Attributes {
				if rapid.Bool().Draw(t, "signs") {
					signed = append(signed, a)
				}
			}
			p.Audited = append(p.Audited, AuditedAttributes{Auditor: aud, Attributes: signed})
		}
	}
	return p
}

// TestVerdictCacheMatchesRule runs random sequences of order posts, provider
// profile changes (new slices, another provider's slices, and changes in
// place announced by SetProfile),
// bids with varying reputation and resources, commitments, closes and
// cancellations on two books: one whose providers registered profiles (the
// cached path, with a clock that restarts often) and one whose providers did
// not (every bid checked by the rule). Receipts, errors and Results must be
// equal at every step.
func TestVerdictCacheMatchesRule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cached := NewOrderBook(BookConfig{})
		plain := NewOrderBook(BookConfig{})
		cached.verdicts.maxStamp = rapid.SampledFrom([]uint32{0, 4, 9}).Draw(t, "maxStamp")
		const nProv = 4
		profs := make([]ProviderProfile, nProv)
		refs := make([]ProviderRef, nProv)
		for p := range nProv {
			profs[p] = genProfile(t)
			refs[p] = cached.RegisterProvider(providerName(p), profs[p])
			plain.Provider(providerName(p))
		}
		var open []Order
		height := int64(0)
		dseq := uint64(0)
		for step := range rapid.IntRange(1, 60).Draw(t, "steps") {
			switch rapid.IntRange(0, 9).Draw(t, "op") {
			case 0, 1: // post an order
				dseq++
				o := genOrder(t, dseq)
				o.OpenHeight, o.CloseHeight = height, height+int64(rapid.IntRange(1, 3).Draw(t, "window"))
				if rapid.IntRange(0, 4).Draw(t, "sealed") == 0 {
					o.Sealed, o.RevealEnd = true, o.CloseHeight+1
				}
				o.Requirements = copyRequirements(o.Requirements)
				e1, e2 := cached.AddOrder(o), plain.AddOrder(o)
				if fmt.Sprint(e1) != fmt.Sprint(e2) {
					t.Fatalf("step %d: AddOrder: cached %v, plain %v", step, e1, e2)
				}
				if e1 == nil {
					open = append(open, o)
				}
			case 2: // a provider's attributes or audits change
				p := rapid.IntRange(0, nProv-1).Draw(t, "prov")
				if q := rapid.IntRange(0, 2*nProv-1).Draw(t, "shareWith"); q < nProv && q != p {
					// Same slices as another provider: one shared profile.
					profs[p] = profs[q]
				} else if len(profs[p].Attributes) > 0 && rapid.Bool().Draw(t, "inPlace") {
					// Same slice, new content: only SetProfile tells the book.
					i := rapid.IntRange(0, len(profs[p].Attributes)-1).Draw(t, "attr")
					profs[p].Attributes[i] = rapid.SampledFrom(cacheAttrPool).Draw(t, "newAttr")
				} else {
					profs[p] = genProfile(t)
				}
				cached.SetProfile(refs[p], profs[p])
			case 3: // advance and close what is due
				height += int64(rapid.IntRange(1, 2).Draw(t, "advance"))
				r1, r2 := cached.CloseDue(height), plain.CloseDue(height)
				if fmt.Sprint(r1) != fmt.Sprint(r2) {
					t.Fatalf("step %d: CloseDue(%d):\ncached %v\nplain  %v", step, height, r1, r2)
				}
			case 4: // cancel
				if len(open) == 0 {
					continue
				}
				o := open[rapid.IntRange(0, len(open)-1).Draw(t, "cancel")]
				r1, e1 := cached.CancelOrder(o.ID)
				r2, e2 := plain.CancelOrder(o.ID)
				if fmt.Sprint(r1, e1) != fmt.Sprint(r2, e2) {
					t.Fatalf("step %d: CancelOrder: cached %v %v, plain %v %v", step, r1, e1, r2, e2)
				}
			default: // a bid or commitment
				if len(open) == 0 {
					continue
				}
				o := open[rapid.IntRange(0, len(open)-1).Draw(t, "order")]
				p := rapid.IntRange(0, nProv-1).Draw(t, "bidder")
				off := genOffer(t)
				off.Attributes, off.Audited = profs[p].Attributes, profs[p].Audited
				if rapid.IntRange(0, 5).Draw(t, "freshOffer") == 0 {
					// An offer built afresh (maybe different): the rule decides.
					off.Attributes = slices.Clone(off.Attributes)
					if rapid.Bool().Draw(t, "differs") {
						off.Attributes = append(off.Attributes, rapid.SampledFrom(cacheAttrPool).Draw(t, "extra"))
					}
				}
				bid := Bid{
					ID:       BidID{OrderID: o.ID, Provider: providerName(p)},
					Price:    uakt(rapid.SampledFrom(genPrices).Draw(t, "price")),
					Offer:    off,
					PlacedAt: height,
					Deposit:  uakt("5"),
				}
				var r1, r2 Receipt
				var e1, e2 error
				if o.Sealed {
					bid.Commitment = Reveal{Bid: bid.ID, Price: bid.Price}.Commitment()
					r1, e1 = cached.Commit(&bid)
					r2, e2 = plain.Commit(&bid)
				} else {
					ref, ok := cached.Ref(o.ID)
					if ok && rapid.Bool().Draw(t, "byHandle") {
						r1, e1 = cached.PlaceBidAs(ref, refs[p], &bid)
					} else {
						r1, e1 = cached.PlaceBid(&bid)
					}
					r2, e2 = plain.PlaceBid(&bid)
				}
				if r1 != r2 || fmt.Sprint(e1) != fmt.Sprint(e2) {
					t.Fatalf("step %d: bid %s (offer %v): cached %+v %v, plain %+v %v", step, bid.ID, off, r1, e1, r2, e2)
				}
				if e1 == nil && r1.Reason != Admission(&o, &bid, KindOf(&o)) {
					t.Fatalf("step %d: bid %s: book says %s, Admission %s", step, bid.ID, r1.Reason, Admission(&o, &bid, KindOf(&o)))
				}
			}
		}
		r1, r2 := cached.CloseDue(1<<40), plain.CloseDue(1<<40)
		if fmt.Sprint(r1) != fmt.Sprint(r2) {
			t.Fatalf("final close:\ncached %v\nplain  %v", r1, r2)
		}
	})
}

// TestVerdictCacheIsUsed shows the cache answers (so the property above is
// not vacuous) and what its contract guards against: a registered slice
// changed in place without SetProfile keeps the old verdict; SetProfile
// drops it.
func TestVerdictCacheIsUsed(t *testing.T) {
	book := NewOrderBook(BookConfig{})
	off := fitOffer()
	p := book.RegisterProvider("p1", ProviderProfile{Attributes: off.Attributes, Audited: off.Audited})
	place := func(dseq uint64) Receipt {
		o := baseOrder()
		o.ID = orderID("tenant", dseq)
		if err := book.AddOrder(o); err != nil {
			t.Fatal(err)
		}
		ref, _ := book.Ref(o.ID)
		b := bidOn(o, "p1", "50", 10, 0)
		b.Offer = off
		r, err := book.PlaceBidAs(ref, p, &b)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := place(1); !r.Accepted() {
		t.Fatalf("first bid: %s", r.Reason)
	}
	i := slices.IndexFunc(off.Attributes, func(a manifest.Attribute) bool { return a.Key == "region" })
	off.Attributes[i].Value = "eu-central" // breaks the contract: not announced
	if r := place(2); !r.Accepted() {
		t.Fatalf("second bid: %s; want the cached verdict (accepted)", r.Reason)
	}
	book.SetProfile(p, ProviderProfile{Attributes: off.Attributes, Audited: off.Audited})
	if r := place(3); r.Reason != ReasonAttribute {
		t.Fatalf("after SetProfile: %s, want %s", r.Reason, ReasonAttribute)
	}
}
