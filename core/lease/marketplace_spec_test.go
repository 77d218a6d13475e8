package lease_test

import (
	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// world applies effects like a chain would: it keeps bank balances by
// address and checks conservation after every verb.
type world struct {
	acc   *lease.Account
	flows lease.Flows
	eff   lease.Effects
	bank  map[string]money.Dec // address (or "pool") → coins received
}

func newWorld(take uint32) *world {
	a, err := lease.NewAccount(dep, denom, take, 100)
	Expect(err).NotTo(HaveOccurred())
	return &world{acc: a, bank: map[string]money.Dec{}}
}

func (w *world) do(f func(a *lease.Account, eff *lease.Effects) error) error {
	w.eff.Reset()
	err := f(w.acc, &w.eff)
	for _, t := range w.eff.Transfers {
		Expect(w.flows.Record(t)).To(Succeed())
		to := t.To.Addr
		if t.To.Kind == lease.PartyPool {
			to = "pool"
		}
		if t.To.Kind == lease.PartyProvider || t.To.Kind == lease.PartyPool || t.To.Kind == lease.PartyDepositor {
			w.bank[to], _ = w.bank[to].Add(t.Coin.Amount)
		}
	}
	Expect(lease.CheckConservation(w.acc, w.flows)).To(Succeed())
	return err
}

func (w *world) got(addr string) string { return w.bank[addr].ShortString() }

var _ = Describe("The marketplace: leases and escrow", func() {
	var w *world

	BeforeEach(func() { w = newWorld(0) })

	Describe("a tenant funds an escrow for its deployment", func() {
		It("holds the deposit, and any top-up from anyone, in the deployment's denomination", func() {
			Expect(w.do(deposit("tenant", "50", 100))).To(Succeed())
			Expect(w.do(deposit("sponsor", "25", 101))).To(Succeed())
			Expect(w.acc.Balance.ShortString()).To(Equal("75"))
			Expect(w.acc.Deposits).To(HaveLen(2))
			Expect(w.do(func(a *lease.Account, e *lease.Effects) error {
				return a.Deposit("tenant", money.Coin{Denom: "uatom", Amount: dec("1")}, 102, e)
			})).To(MatchError(lease.ErrDenomMismatch))
		})
	})

	Describe("when the order matches a bid, the lease pays the provider block by block", func() {
		BeforeEach(func() {
			Expect(w.do(deposit("tenant", "100", 100))).To(Succeed())
			Expect(w.do(open(p1, "0.5", 100))).To(Succeed())
		})

		It("accrues the lease's price for every block after it opened", func() {
			Expect(w.do(settle(101))).To(Succeed())
			p, _ := w.acc.Payment(p1)
			Expect(p.Accrued.ShortString()).To(Equal("0.5"))
			Expect(w.do(settle(110))).To(Succeed())
			p, _ = w.acc.Payment(p1)
			Expect(p.Accrued.ShortString()).To(Equal("5"))
			Expect(w.acc.Balance.ShortString()).To(Equal("95"))
		})

		It("lets the provider withdraw what accrued, less the take rate to the community pool", func() {
			w = newWorld(250) // 2.5% take
			Expect(w.do(deposit("tenant", "100", 100))).To(Succeed())
			Expect(w.do(open(p1, "0.5", 100))).To(Succeed())
			Expect(w.do(withdraw(p1, 140))).To(Succeed())
			Expect(w.got("prov-a")).To(Equal("19.5"))
			Expect(w.got("pool")).To(Equal("0.5"))
		})

		It("tells a chain in advance at which height the escrow will run dry", func() {
			h, ok := w.acc.DryHeight()
			Expect(ok).To(BeTrue())
			Expect(h).To(Equal(int64(300))) // 100 / 0.5 = 200 blocks after 100
		})
	})

	Describe("when the escrow runs dry", func() {
		BeforeEach(func() {
			Expect(w.do(deposit("tenant", "10.3", 100))).To(Succeed())
			Expect(w.do(open(p1, "1", 100))).To(Succeed())
			Expect(w.do(open(p2, "2", 100))).To(Succeed())
		})

		It("closes every lease at the exact block the money ran out, for insufficient funds", func() {
			dry, _ := w.acc.DryHeight()
			Expect(dry).To(Equal(int64(103)))
			// Nobody touched the account for a while; EndBlock settles late.
			Expect(w.do(settle(500))).To(Succeed())
			Expect(w.eff.Closed).To(HaveLen(2))
			for _, l := range w.eff.Closed {
				Expect(l.ClosedAt).To(Equal(int64(103)))
				Expect(l.Closure.Reason).To(Equal(lease.ReasonInsufficientFunds))
				Expect(l.Closure.Detail).To(ContainSubstring("could not pay block 104"))
			}
		})

		It("pays the providers for every whole block and refunds the fraction of a block", func() {
			Expect(w.do(settle(500))).To(Succeed())
			Expect(w.got("prov-a")).To(Equal("3"))
			Expect(w.got("prov-b")).To(Equal("6"))
			Expect(w.got("tenant")).To(Equal("1.3"))
			Expect(w.acc.State).To(Equal(lease.StateClosed))
			Expect(w.acc.Held().IsZero()).To(BeTrue())
		})

		It("refuses a top-up that comes after the money ran out", func() {
			Expect(w.do(deposit("tenant", "100", 200))).To(MatchError(lease.ErrAccountClosed))
			Expect(w.eff.Closed).To(HaveLen(2))
			Expect(w.got("tenant")).To(Equal("1.3"))
		})

		It("is averted by a top-up in time", func() {
			Expect(w.do(deposit("sponsor", "30", 102))).To(Succeed())
			Expect(w.do(settle(110))).To(Succeed())
			Expect(w.acc.State).To(Equal(lease.StateActive))
			dry, _ := w.acc.DryHeight()
			Expect(dry).To(Equal(int64(113))) // 40.3 / 3 = 13 blocks after 100
		})
	})

	Describe("every close has a reason", func() {
		BeforeEach(func() {
			Expect(w.do(deposit("tenant", "100", 100))).To(Succeed())
			Expect(w.do(open(p1, "1", 100))).To(Succeed())
		})

		DescribeTable("a lease closed by a participant records who and why",
			func(r lease.CloseReason, text string) {
				Expect(w.do(closeLease(p1, r, 120))).To(Succeed())
				l, _ := w.acc.Lease(p1)
				Expect(l.State).To(Equal(lease.StateClosed))
				Expect(l.ClosedAt).To(Equal(int64(120)))
				Expect(l.Closure.Reason).To(Equal(r))
				Expect(l.Closure.String()).To(HavePrefix(text))
				Expect(w.got("prov-a")).To(Equal("20"), "the provider is paid for the blocks it served")
			},
			Entry("the tenant closes it", lease.ReasonTenantClosed, "closed by the tenant"),
			Entry("the provider closes it", lease.ReasonProviderClosed, "closed by the provider"),
			Entry("the provider failed", lease.ReasonProviderFault, "provider fault"),
			Entry("the manifest never came", lease.ReasonManifestTimeout, "manifest not received in time"),
			Entry("the order or deployment closed", lease.ReasonDeploymentClosed, "order or deployment closed"),
		)

		It("refuses a close with no reason, or one claiming the escrow's verdict", func() {
			Expect(w.do(closeLease(p1, lease.ReasonNone, 120))).To(MatchError(lease.ErrNoReason))
			Expect(w.do(closeLease(p1, lease.ReasonInsufficientFunds, 120))).To(MatchError(lease.ErrReservedReason))
		})

		It("closes the deployment's account: leases closed, providers paid, depositors refunded first-in first-out", func() {
			Expect(w.do(deposit("sponsor", "20", 110))).To(Succeed())
			Expect(w.do(closeAccount(lease.ReasonTenantClosed, 210))).To(Succeed())
			Expect(w.got("prov-a")).To(Equal("110"))
			Expect(w.got("tenant")).To(Equal("0"))
			Expect(w.got("sponsor")).To(Equal("10"))
		})
	})
})

var _ = Describe("The marketplace: stake and reputation", func() {
	var (
		book  *lease.StakeBook
		flows lease.StakeFlows
		eff   lease.Effects
	)
	apply := func() {
		for _, t := range eff.Transfers {
			Expect(flows.Record(t)).To(Succeed())
		}
		eff.Reset()
		Expect(lease.CheckStake(book, flows)).To(Succeed())
	}

	BeforeEach(func() {
		var err error
		book, err = lease.NewStakeBook(denom, 100)
		Expect(err).NotTo(HaveOccurred())
		flows = lease.StakeFlows{}
		Expect(book.Bond("big", uakt("900"), &eff)).To(Succeed())
		Expect(book.Bond("small", uakt("100"), &eff)).To(Succeed())
		apply()
	})

	It("lets any provider stake any amount, and weighs its vote by its exact share of all stake", func() {
		Expect(book.Bond("tiny", uakt("0.000000000000000001"), &eff)).To(Succeed())
		apply()
		w := book.Weight("small")
		Expect(w.Num.ShortString()).To(Equal("100"))
		Expect(w.Den.ShortString()).To(Equal("1000.000000000000000001"))
		Expect(w.Cmp(lease.Fraction{Num: dec("1"), Den: dec("10")})).To(Equal(-1))
	})

	It("returns unbonded stake only after the unbonding period, and it can be slashed until then", func() {
		at, err := book.Unbond("small", dec("100"), 1000)
		Expect(err).NotTo(HaveOccurred())
		Expect(at).To(Equal(int64(1100)))
		Expect(book.Weight("small").IsZero()).To(BeTrue(), "unbonding stake no longer votes")
		Expect(book.Release("small", 1099, &eff)).To(Succeed())
		Expect(eff.Transfers).To(BeEmpty())
		slashed, err := book.Slash("small", 5000, 1050, &eff)
		Expect(err).NotTo(HaveOccurred())
		Expect(slashed.ShortString()).To(Equal("50"))
		apply()
		Expect(book.Release("small", 1100, &eff)).To(Succeed())
		Expect(eff.Transfers).To(HaveLen(1))
		Expect(eff.Transfers[0].Coin.Amount.ShortString()).To(Equal("50"))
		apply()
	})

	It("scores reputation from fulfillment and capped stake, so a whale cannot buy it", func() {
		p := lease.DefaultReputationParams()
		var honest, faulty lease.History
		for range 50 {
			honest.Record(lease.ReasonTenantClosed)
			faulty.Record(lease.ReasonTenantClosed)
		}
		for range 5 {
			faulty.Record(lease.ReasonProviderFault)
		}
		whale := lease.ComputeReputation(book.Weight("big"), faulty, p)
		modest := lease.ComputeReputation(book.Weight("small"), honest, p)
		Expect(modest).To(BeNumerically(">", whale))
		newcomer := lease.ComputeReputation(lease.Fraction{}, lease.History{}, p)
		afterOne := lease.ComputeReputation(lease.Fraction{}, lease.History{Served: 1}, p)
		Expect(afterOne-newcomer).To(BeNumerically("<", 500), "one lease does not swing a newcomer")
	})
})
