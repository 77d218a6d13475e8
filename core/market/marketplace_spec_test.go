package market_test

import (
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func coin(s string) money.Coin { return money.Coin{Denom: "uakt", Amount: money.MustParseDec(s)} }

func group() manifest.Group {
	return manifest.Group{
		Name:         "westcoast",
		Requirements: manifest.PlacementRequirements{Attributes: manifest.Attributes{{Key: "region", Value: "us-west"}}},
		Units: []manifest.ResourceUnit{{
			Profile: "web", Count: 2, Price: coin("10"),
			Resources: manifest.Resources{CPUMillis: 1000, MemoryBytes: 1 << 30, Storage: []manifest.StorageVolume{{Name: "default", Bytes: 1 << 30}}},
		}},
	}
}

func provider(cpu uint64, region string) market.Offer {
	return market.Offer{
		Resources:  manifest.Totals{CPUMillis: cpu, MemoryBytes: 64 << 30, StorageBytes: 1 << 40},
		Attributes: manifest.Attributes{{Key: "region", Value: region}},
		Reputation: 5000,
	}
}

var _ = Describe("The marketplace", func() {
	var (
		book  *market.OrderBook
		order market.Order
		bid   func(p string, offer market.Offer, price string, height int64) market.Receipt
	)
	id := market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: "akash1tenant", DSeq: 1}, GSeq: 1}, OSeq: 1}

	BeforeEach(func() {
		var err error
		order, err = market.NewOrder(id, group(), market.Terms{MinReputation: 100, OpenHeight: 10, CloseHeight: 20})
		Expect(err).NotTo(HaveOccurred())
		book = market.NewOrderBook(market.BookConfig{})
		Expect(book.AddOrder(order)).To(Succeed())
		bid = func(p string, offer market.Offer, price string, height int64) market.Receipt {
			r, err := book.PlaceBid(&market.Bid{ID: market.BidID{OrderID: id, Provider: p}, Price: coin(price), Offer: offer, PlacedAt: height, Deposit: coin("5")})
			Expect(err).NotTo(HaveOccurred())
			return r
		}
	})

	It("turns a tenant's group into an order for all its replicas at the sum of their prices", func() {
		Expect(order.Resources.CPUMillis).To(Equal(uint64(2000)))
		Expect(order.Resources.MemoryBytes).To(Equal(uint64(2 << 30)))
		Expect(order.MaxPrice).To(Equal(coin("20")))
	})

	It("lets providers find the orders they can fill", func() {
		Expect(book.Fillable(nil, provider(4000, "us-west"), 12)).To(ConsistOf(id))
		Expect(book.Fillable(nil, provider(4000, "eu-central"), 12)).To(BeEmpty())
		Expect(book.Fillable(nil, provider(1000, "us-west"), 12)).To(BeEmpty())
	})

	It("accepts only fulfillment orders that meet every minimum, and says why it refuses the rest", func() {
		Expect(bid("small", provider(1000, "us-west"), "5", 11).Reason).To(Equal(market.ReasonCPU))
		Expect(bid("far", provider(4000, "eu-central"), "5", 11).Reason).To(Equal(market.ReasonAttribute))
		Expect(bid("greedy", provider(4000, "us-west"), "21", 11).Reason).To(Equal(market.ReasonPrice))
		Expect(bid("fit", provider(4000, "us-west"), "15", 11).Accepted()).To(BeTrue())
	})

	It("matches the lowest price when the order closes, and the earliest bid on a tie", func() {
		bid("a", provider(4000, "us-west"), "15", 11)
		bid("b", provider(4000, "us-west"), "12", 12)
		bid("c", provider(4000, "us-west"), "12", 13)
		Expect(book.CloseDue(19)).To(BeEmpty())

		res := book.CloseDue(20)
		Expect(res).To(HaveLen(1))
		Expect(res[0].Matched).To(BeTrue())
		Expect(res[0].Winner.Provider).To(Equal("b"))
		Expect(res[0].Price).To(Equal(coin("12")))
		why := map[string]string{}
		for _, o := range res[0].Bids {
			why[o.Provider] = o.Why()
		}
		Expect(why).To(Equal(map[string]string{"a": "outbid", "b": "won", "c": "later-at-same-price"}))
	})

	It("closes an order nobody can fill unmatched, with the reason", func() {
		bid("small", provider(1000, "us-west"), "5", 11)
		res := book.CloseDue(20)
		Expect(res[0].Matched).To(BeFalse())
		Expect(res[0].Explanation()).To(ContainSubstring("1 ineligible (cpu 1)"))
	})

	It("lets a provider withdraw before close, refunds its deposit, and does not let it bid again", func() {
		bid("a", provider(4000, "us-west"), "8", 11)
		bid("b", provider(4000, "us-west"), "9", 11)
		refund, err := book.Withdraw(market.BidID{OrderID: id, Provider: "a"}, 12)
		Expect(err).NotTo(HaveOccurred())
		Expect(refund).To(Equal(coin("5")))
		_, err = book.PlaceBid(&market.Bid{ID: market.BidID{OrderID: id, Provider: "a"}, Price: coin("1"), Offer: provider(4000, "us-west"), PlacedAt: 13})
		Expect(err).To(MatchError(market.ErrDuplicateBid))
		Expect(book.CloseDue(20)[0].Winner.Provider).To(Equal("b"))
	})

	Describe("sealed bids, against competitor data mining", func() {
		var sealed market.Order
		sid := id
		sid.DSeq = 2
		reveal := func(p, price string) market.Reveal {
			r := market.Reveal{Bid: market.BidID{OrderID: sid, Provider: p}, Price: coin(price)}
			copy(r.Salt[:], p+"-secret-salt")
			return r
		}
		commit := func(p, price string, height int64) {
			r, err := book.Commit(&market.Bid{ID: market.BidID{OrderID: sid, Provider: p}, Commitment: reveal(p, price).Commitment(),
				Offer: provider(4000, "us-west"), PlacedAt: height, Deposit: coin("5")})
			Expect(err).NotTo(HaveOccurred())
			Expect(r.Accepted()).To(BeTrue())
		}

		BeforeEach(func() {
			var err error
			sealed, err = market.NewOrder(sid, group(), market.Terms{OpenHeight: 10, CloseHeight: 20, Sealed: true, RevealEnd: 25})
			Expect(err).NotTo(HaveOccurred())
			Expect(book.AddOrder(sealed)).To(Succeed())
		})

		It("hides every price until the bidding window closes", func() {
			commit("a", "15", 11)
			commit("b", "9", 12)
			_, _, known := book.Best(sid)
			Expect(known).To(BeFalse())
			_, err := book.Reveal(reveal("b", "9"), 19)
			Expect(err).To(MatchError(market.ErrRevealWindow))
		})

		It("matches on revealed prices, rejects wrong reveals, and forfeits the deposit of a bid never revealed", func() {
			commit("a", "15", 11)
			commit("b", "9", 12)
			commit("c", "7", 13)
			_, err := book.Reveal(reveal("a", "14"), 20)
			Expect(err).To(MatchError(market.ErrRevealMismatch))
			_, err = book.Reveal(reveal("a", "15"), 20)
			Expect(err).NotTo(HaveOccurred())
			_, err = book.Reveal(reveal("b", "9"), 21)
			Expect(err).NotTo(HaveOccurred())

			Expect(book.CloseDue(24)).To(HaveLen(1)) // the open order above closed at 20
			res := book.CloseDue(25)
			Expect(res).To(HaveLen(1))
			Expect(res[0].Winner.Provider).To(Equal("b"))
			actions := map[string]market.DepositAction{}
			for _, o := range res[0].Bids {
				actions[o.Provider] = o.Action
			}
			Expect(actions).To(Equal(map[string]market.DepositAction{"a": market.DepositRefund, "b": market.DepositKeep, "c": market.DepositForfeit}))
		})
	})
})
