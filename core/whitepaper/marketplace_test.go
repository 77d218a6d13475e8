package whitepaper_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// The tenant's manifest: two replicas of a web service that must run in
// us-west, at most 100uakt per replica per block.
const tenantManifest = `
version: "2.0"
services:
  web:
    image: nginx:1.27
    expose:
      - port: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu: {units: 1}
        memory: {size: 1Gi}
        storage: {size: 1Gi}
  placement:
    west:
      attributes:
        region: us-west
      pricing:
        web: {denom: uakt, amount: 100}
deployment:
  web:
    west: {profile: web, count: 2}
`

// ledger applies the core's transfers to wallets and checks that the total
// never changes: the same bookkeeping the simulator and the chain do.
type ledger map[string]money.Dec

func (l ledger) key(p lease.Party) string { return p.Kind.String() + ":" + p.Addr }

func (l ledger) apply(ts []lease.Transfer) {
	for _, t := range ts {
		from, to := l.key(t.From), l.key(t.To)
		var err error
		l[from], err = l[from].Sub(t.Coin.Amount)
		Expect(err).NotTo(HaveOccurred(), "transfer %s overdraws %s", t, from)
		l[to], err = l[to].Add(t.Coin.Amount)
		Expect(err).NotTo(HaveOccurred())
	}
}

func (l ledger) total() money.Dec {
	var sum money.Dec
	for _, v := range l {
		sum, _ = sum.Add(v)
	}
	return sum
}

func uakt(s string) money.Coin { return money.Coin{Denom: "uakt", Amount: money.MustParseDec(s)} }

func provider(addr, region string, cpuMillis uint64) market.Offer {
	return market.Offer{
		Resources:  manifest.Totals{CPUMillis: cpuMillis, MemoryBytes: 64 << 30, StorageBytes: 1 << 40},
		Attributes: manifest.Attributes{{Key: "region", Value: region}},
		Reputation: 5000,
	}
}

var _ = Describe("A tenant deploys, providers compete, the winner is paid from escrow", func() {
	var (
		group   manifest.Group
		orderID market.OrderID
		book    *market.OrderBook
		result  market.Result
	)
	deployment := market.DeploymentID{Owner: "tenant", DSeq: 10}

	BeforeEach(func() {
		m, err := manifest.Parse("deploy.yaml", []byte(tenantManifest))
		Expect(err).NotTo(HaveOccurred())
		groups := m.Groups()
		Expect(groups).To(HaveLen(1))
		group = groups[0]

		orderID = market.OrderID{GroupID: market.GroupID{DeploymentID: deployment, GSeq: 1}, OSeq: 1}
		order, err := market.NewOrder(orderID, group, market.Terms{OpenHeight: 10, CloseHeight: 15})
		Expect(err).NotTo(HaveOccurred())
		book = market.NewOrderBook(market.BookConfig{})
		Expect(book.AddOrder(order)).To(Succeed())

		bid := func(addr string, offer market.Offer, price string, height int64) market.Receipt {
			r, err := book.PlaceBid(&market.Bid{
				ID:    market.BidID{OrderID: orderID, Provider: addr},
				Price: uakt(price), Offer: offer, PlacedAt: height,
			})
			Expect(err).NotTo(HaveOccurred())
			return r
		}
		// One provider is in the wrong region, one is too small; two tie at the
		// lowest price, one bids more.
		Expect(bid("p-eu", provider("p-eu", "eu-central", 64000), "120", 11).Reason).To(Equal(market.ReasonAttribute))
		Expect(bid("p-small", provider("p-small", "us-west", 1000), "120", 11).Reason).To(Equal(market.ReasonCPU))
		Expect(bid("p-early", provider("p-early", "us-west", 64000), "150", 11).Accepted()).To(BeTrue())
		Expect(bid("p-late", provider("p-late", "us-west", 64000), "150", 12).Accepted()).To(BeTrue())
		Expect(bid("p-dear", provider("p-dear", "us-west", 64000), "180", 11).Accepted()).To(BeTrue())

		results := book.CloseDue(15)
		Expect(results).To(HaveLen(1))
		result = results[0]
	})

	It("posts one order per placement, for every replica, at the sum of the tenant's prices", func() {
		order, err := market.NewOrder(orderID, group, market.Terms{OpenHeight: 10, CloseHeight: 15})
		Expect(err).NotTo(HaveOccurred())
		Expect(order.Resources.CPUMillis).To(Equal(uint64(2000)))
		Expect(order.MaxPrice.String()).To(Equal("200uakt"))
	})

	It("gives the order to the lowest eligible bid, the earliest of a tie, and says why every other bid lost", func() {
		Expect(result.Matched).To(BeTrue())
		Expect(result.Winner.Provider).To(Equal("p-early"))
		Expect(result.Price.String()).To(Equal("150uakt"))
		why := map[string]string{}
		for _, b := range result.Bids {
			why[b.Provider] = b.Why()
		}
		Expect(why).To(Equal(map[string]string{
			"p-early": "won", "p-late": "later-at-same-price", "p-dear": "outbid",
			"p-eu": "ineligible:attribute", "p-small": "ineligible:cpu",
		}))
	})

	It("pays the lease block by block from escrow, and closes it at the exact block the escrow runs dry", func() {
		wallets := ledger{}
		tenant := lease.Party{Kind: lease.PartyDepositor, Addr: "tenant"}
		wallets[wallets.key(tenant)] = money.NewDec(1000)
		supply := wallets.total()

		var eff lease.Effects
		acct, err := lease.NewAccount(deployment, "uakt", 200, 10) // 2% take rate
		Expect(err).NotTo(HaveOccurred())
		Expect(acct.Deposit("tenant", uakt("1000"), 10, &eff)).To(Succeed())
		Expect(acct.OpenLease(result.Winner, result.Price, 15, &eff)).To(Succeed())

		By("predicting the dry height: 1000 pays 6 whole blocks at 150")
		dry, ok := acct.DryHeight()
		Expect(ok).To(BeTrue())
		Expect(dry).To(Equal(int64(21)))

		By("letting the provider withdraw what accrued, less the take rate")
		Expect(acct.Withdraw(result.Winner, 18, &eff)).To(Succeed())
		wallets.apply(eff.Transfers)
		Expect(wallets["provider:p-early"].String()).To(Equal(money.MustParseDec("441").String()))
		Expect(wallets["pool:"].String()).To(Equal(money.MustParseDec("9").String()))
		eff.Reset()

		By("closing the lease at block 21 for insufficient funds, even when settled long after")
		Expect(acct.Settle(40, &eff)).To(Succeed())
		wallets.apply(eff.Transfers)
		Expect(eff.Closed).To(HaveLen(1))
		closed := eff.Closed[0]
		Expect(closed.ClosedAt).To(Equal(int64(21)))
		Expect(closed.Closure.Reason).To(Equal(lease.ReasonInsufficientFunds))
		Expect(closed.Closure.String()).NotTo(BeEmpty())

		By("leaving nothing unaccounted: paid + taken + refunded + held = deposited")
		Expect(lease.CheckConservation(acct, acct.Flows)).To(Succeed())
		Expect(wallets.total()).To(Equal(supply))
	})
})
