package sim

import (
	"time"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/sim/engine"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// storyScenario: no random tenants, three providers in one region with
// known costs, all bidding on everything after exactly 3 s.
func storyScenario() *Scenario {
	sc := smallScenario()
	// Tenants arrive about once in a million years: the story posts its own
	// orders through PostGroup (the validator wants a tenant class).
	sc.Tenants = sc.Tenants[:1]
	sc.Tenants[0].Arrival.RatePerHour = 1e-10
	sc.Market.WithdrawEvery = 0
	sc.Market.TakeRateBPS = 0
	sc.Duration = Duration(2 * time.Hour)
	mk := func(name string, cost float64) ProviderClass {
		return ProviderClass{Name: name, Count: 1, Regions: map[string]float64{"us-west": 1},
			Capacity: Capacity{CPU: 8000, Memory: 16 * Gi, Storage: 100 * Gi},
			Cost:     Dist{Kind: "const", Value: cost}, Pricing: Pricing{Kind: "cost-plus", Params: &CostPlus{MarginBPS: 1000}},
			Stake: money.MustParseDec("100"), BidLatency: Dist{Kind: "const", Value: 3}, BidProbability: 1}
	}
	sc.Providers = []ProviderClass{mk("dear", 0.9), mk("cheap", 0.5), mk("middle", 0.7)}
	return sc
}

var _ = Describe("The whitepaper's marketplace, simulated", func() {
	var (
		w      *World
		id     market.DeploymentID
		leased []string
		closed []lease.CloseReason
	)
	// One web service: 1 core, 1 GiB → reference cost 1 + 0.5 = 1.5 per block.
	shape := Shape{Name: "web", CPU: 1000, Memory: 1 * Gi, Count: 1}

	post := func(maxPrice string, depositBlocks int64) {
		var err error
		id, err = w.PostGroup(GroupSpec{Owner: "tenant-a", Shape: shape, Region: "us-west",
			MaxPrice: money.MustParseDec(maxPrice), DepositBlocks: depositBlocks},
			GroupHooks{
				OnLease: func(_ market.DeploymentID, p string, _ int) { leased = append(leased, p) },
				OnClose: func(_ market.DeploymentID, r lease.CloseReason) { closed = append(closed, r) },
			})
		Expect(err).NotTo(HaveOccurred())
	}
	runTo := func(h int64) { w.eng.RunUntil(w.clock.TimeOf(engine.Height(h))) }

	BeforeEach(func() {
		var err error
		w, err = NewWorld(storyScenario(), Options{Seed: 1, CheckEveryBlock: true})
		Expect(err).NotTo(HaveOccurred())
		leased, closed = nil, nil
		runTo(1)
	})

	It("posts an order, takes bids, gives the lease to the lowest eligible bid, pays per block and closes when dry", func() {
		By("a tenant posts an order with a max price of 3 per block and 100 blocks of deposit")
		post("3", 100)
		Expect(w.book.Len()).To(Equal(1))

		By("every provider bids within the window (cost × 1.1)")
		runTo(5)
		Expect(w.metrics.bidsAccepted).To(Equal(int64(3)))

		By("at the close the lowest price wins: cheap bids 1.5 × 0.5 × 1.1 = 0.825")
		runTo(1 + w.rules.bidWindow)
		Expect(leased).To(Equal([]string{"cheap-0"}))
		d := w.dep(id.DSeq)
		Expect(d.price.ShortString()).To(Equal("0.825"))
		for _, p := range w.providers {
			Expect(p.pending).To(BeEmpty(), "losers' reservations are released")
		}

		By("the escrow pays the price every block")
		opened := w.height
		runTo(opened + 10)
		Expect(d.acct.Settle(w.height, &w.settle.effects)).To(Succeed())
		w.applyEffects()
		pay, _ := d.acct.Payment(d.leaseID())
		Expect(pay.Settled().ShortString()).To(Equal("8.25"))

		By("when the deposit (300) runs out the lease closes at exactly that block")
		dry, ok := d.acct.DryHeight()
		Expect(ok).To(BeTrue())
		Expect(dry).To(Equal(opened + 363)) // ⌊300 ÷ 0.825⌋ = 363 blocks
		runTo(dry + 2)
		Expect(closed).To(Equal([]lease.CloseReason{lease.ReasonInsufficientFunds}))
		rec := w.records.leases[0]
		Expect(rec.closeH).To(Equal(dry))
		Expect(w.settle.ledger.Check()).To(Succeed())
	})

	It("does not give the lease to a cheaper bid that is ineligible (price above the max)", func() {
		post("0.8", 100) // cheap's 0.825 is above it; nobody else is cheaper
		runTo(2 + w.rules.bidWindow)
		Expect(leased).To(BeEmpty())
		Expect(w.metrics.rejectedAtPlacement[market.ReasonPrice]).To(Equal(int64(3)))
		Expect(w.metrics.ordersUnmatched).To(Equal(int64(1)))
	})

	It("closes the lease by provider fault on an outage: reputation drops and stake is slashed", func() {
		post("3", 1000)
		runTo(2 + w.rules.bidWindow)
		Expect(leased).To(Equal([]string{"cheap-0"}))
		p := w.provAddr["cheap-0"]
		w.height = int64(w.clock.HeightAt(w.now()))
		before := w.reputation(p)
		stakeBefore, _ := w.settle.stake.Get(p.addr)

		By("the provider fails")
		p.outage.Fire(w.eng)
		Expect(closed).To(Equal([]lease.CloseReason{lease.ReasonProviderFault}))
		Expect(p.history.Faults).To(Equal(uint64(1)))
		Expect(w.reputation(p)).To(BeNumerically("<", before))
		stakeAfter, _ := w.settle.stake.Get(p.addr)
		Expect(stakeAfter.Slashed.ShortString()).To(Equal("1")) // 1% of 100
		Expect(stakeAfter.Bonded.Less(stakeBefore.Bonded)).To(BeTrue())
		Expect(w.settle.ledger.Slashed.ShortString()).To(Equal("1"))

		By("the tenant re-orders (reorder_on_fault) and another provider takes it")
		runTo(w.height + w.rules.bidWindow + 2)
		Expect(leased).To(HaveLen(2))
		Expect(leased[1]).To(Equal("middle-0"), "cheap-0 is down, middle is the next lowest")
		Expect(w.checkAll()).To(Succeed())
	})

	It("slashes once per lease an outage closes, by the rule the chain applies", func() {
		sc := storyScenario()
		cheap := &sc.Providers[1]
		cheap.Capacity = Capacity{CPU: 64000, Memory: 64 * Gi, Storage: 100 * Gi}
		cheap.Stake = money.MustParseDec("100000000") // 100 AKT
		sc.Market.SlashFaultBPS = 100
		var err error
		w, err = NewWorld(sc, Options{Seed: 1, CheckEveryBlock: true})
		Expect(err).NotTo(HaveOccurred())
		runTo(1)
		for i := range 12 {
			_, err := w.PostGroup(GroupSpec{Owner: "tenant-" + string(rune('a'+i)), Shape: shape, Region: "us-west",
				MaxPrice: money.MustParseDec("3"), DepositBlocks: 1000},
				GroupHooks{OnClose: func(_ market.DeploymentID, r lease.CloseReason) { closed = append(closed, r) }})
			Expect(err).NotTo(HaveOccurred())
		}
		runTo(2 + w.rules.bidWindow)
		p := w.provAddr["cheap-0"]
		Expect(p.leases).To(HaveLen(12), "cheap-0 is the lowest bidder on all twelve")
		w.height = int64(w.clock.HeightAt(w.now()))

		By("one outage closes the twelve leases: twelve cuts of 1%, each rounded down to whole uakt")
		p.outage.Fire(w.eng)
		Expect(closed).To(HaveLen(12))
		st, _ := w.settle.stake.Get(p.addr)
		Expect(st.Bonded.ShortString()).To(Equal("88638489")) // as node/x/provider's TestSlashPerLeaseClosedForFault
		Expect(st.Slashed.ShortString()).To(Equal("11361511"))
		Expect(w.metrics.slashes).To(Equal(int64(12)))
		Expect(w.checkAll()).To(Succeed())
	})

	It("ends the lease when the tenant's term is over (served to term)", func() {
		_, err := w.PostGroup(GroupSpec{Owner: "tenant-b", Shape: shape, Region: "us-west",
			MaxPrice: money.MustParseDec("3"), DepositBlocks: 1000, Length: Duration(10 * time.Minute)},
			GroupHooks{OnClose: func(_ market.DeploymentID, r lease.CloseReason) { closed = append(closed, r) }})
		Expect(err).NotTo(HaveOccurred())
		runTo(300)
		Expect(closed).To(Equal([]lease.CloseReason{lease.ReasonTenantClosed}))
		Expect(w.settle.ledger.Escrow.IsZero()).To(BeTrue(), "the rest of the deposit went back to the tenant")
	})
})
