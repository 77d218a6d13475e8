package sim

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/internal/yamlfile"
	"github.com/akash-market/akash/sim/trace"
)

// The world's trace hooks (Options.Trace). Every call site checks w.trace != nil
// first, so a run without a trace pays one predictable branch per hook and
// builds nothing; the records are built here, out of the hot functions.

func (w *World) traceRec(r trace.Record) {
	r.Height = w.height
	w.trace.Write(&r)
}

func (w *World) traceHeader() {
	sum := ""
	if b, err := yamlfile.Marshal(w.sc); err == nil {
		s := sha256.Sum256(b)
		sum = hex.EncodeToString(s[:])
	}
	w.traceRec(trace.Record{Kind: trace.KindHeader, Header: &trace.Header{
		Version: trace.Version, Scenario: w.sc.Name, ScenarioSHA256: sum, Seed: uint64(w.seed), CodeVersion: w.opt.Version,
		Denom: w.denom, BlockTimeNS: int64(w.clock.Interval), EndHeight: w.end,
		Market: trace.Market{BidWindowBlocks: w.rules.bidWindow, RevealWindowBlocks: w.rules.revealWindow, BidDeposit: w.rules.bidDeposit.Amount, MinDeposit: w.rules.minDeposit,
			TakeRateBPS: w.rules.takeRateBPS, SlashFaultBPS: w.rules.slashBPS, UnbondingBlocks: w.settle.stake.UnbondingPeriod,
			ReorderOnFault: w.sc.Market.ReorderOnFault, Matching: w.tracedMatching(), BidTimeoutBlocks: w.tracedTimeout()},
	}})
}

func (w *World) traceProvider(p *Provider, funds money.Dec) {
	w.traceRec(trace.Record{Kind: trace.KindProvider, Provider: &trace.Provider{Addr: p.addr, Class: p.class.spec.Name,
		Attributes: p.attrs, Capacity: p.capacity.Total, Funds: funds, Stake: p.class.stake}})
	w.traceMove(trace.WhyFund, trace.Party{Kind: trace.PartyOutside}, trace.Party{Kind: lease.PartyProvider.String(), Addr: p.addr}, funds, nil, nil)
}

func (w *World) traceStatus(p *Provider, status string) {
	w.traceRec(trace.Record{Kind: trace.KindProviderStatus, ProviderStatus: &trace.ProviderStatus{Addr: p.addr, Status: status}})
}

// traceDeployment records a new deployment as the manifest group a tenant
// would submit: one compute profile with the shape's replicas, priced so
// that the group's MaxPrice is the order's max price exactly.
func (w *World) traceDeployment(d *Deployment, deposit money.Dec) {
	w.traceRec(trace.Record{Kind: trace.KindDeployment, Deployment: &trace.Deployment{ID: trace.DeploymentID(d.id),
		Group: w.groupOf(d), Deposit: deposit, Sealed: d.sealed, MinReputation: uint32(d.minRep)}})
}

func (w *World) groupOf(d *Deployment) manifest.Group {
	count := uint64(1)
	if d.class != nil && d.shape >= 0 {
		count = d.class.shapeCosts[d.shape].count
	}
	t := d.totals
	price, rem := d.maxPrice.QuoInt(count)
	if count > 1 && (!rem.IsZero() || t.CPUMillis%count != 0 || t.MemoryBytes%count != 0 || t.StorageBytes%count != 0 ||
		t.GPUUnits%count != 0 || t.BandwidthBps%count != 0) {
		count, price = 1, d.maxPrice // not evenly divisible: one replica of the whole
	}
	res := manifest.Resources{CPUMillis: t.CPUMillis / count, MemoryBytes: t.MemoryBytes / count,
		GPU: manifest.GPU{Units: t.GPUUnits / count}, BandwidthBps: t.BandwidthBps / count}
	if t.StorageBytes > 0 {
		res.Storage = []manifest.StorageVolume{{Name: "default", Bytes: t.StorageBytes / count}}
	}
	name := "group"
	if d.class != nil && d.shape >= 0 {
		name = d.class.shapes[d.shape].Name
	}
	return manifest.Group{Name: name, Requirements: manifest.PlacementRequirements{Attributes: d.reqs},
		Units: []manifest.ResourceUnit{{Profile: name, Resources: res, Count: uint32(count), Price: money.Coin{Denom: w.denom, Amount: price}}}}
}

func (w *World) traceDeposit(d *Deployment, amt money.Dec) {
	w.traceRec(trace.Record{Kind: trace.KindDeposit, Deposit: &trace.Deposit{ID: trace.DeploymentID(d.id), Amount: amt}})
}

func (w *World) traceOrder(o *market.Order) {
	w.traceRec(trace.Record{Kind: trace.KindOrder, Order: &trace.Order{ID: trace.OrderID(o.ID), Resources: o.Resources,
		MaxPrice: o.MaxPrice.Amount, OpenHeight: o.OpenHeight, CloseHeight: o.CloseHeight, RevealEnd: o.RevealEnd,
		MinReputation: uint32(o.MinReputation), Sealed: o.Sealed, Requirements: o.Requirements}})
}

func (w *World) traceBid(b *market.Bid, rc market.Receipt, salt *[32]byte) {
	r := trace.Bid{ID: trace.BidID(b.ID), Price: b.Price.Amount, PlacedAt: b.PlacedAt, Seq: rc.Seq, Deposit: b.Deposit.Amount,
		Offer:    trace.Offer{Resources: b.Offer.Resources, Attributes: b.Offer.Attributes, Reputation: uint32(b.Offer.Reputation)},
		Accepted: rc.Accepted()}
	if !rc.Accepted() {
		r.Reason = rc.Reason.String()
	}
	kind := trace.KindBid
	if salt != nil {
		kind = trace.KindCommit
		r.Commitment, r.Salt = b.Commitment.String(), hex.EncodeToString(salt[:])
	}
	w.traceRec(trace.Record{Kind: kind, Bid: &r})
}

func (w *World) traceReveal(id market.BidID, ev *bidEvent, err error) {
	r := trace.Reveal{ID: trace.BidID(id), Price: ev.price.Amount, Salt: hex.EncodeToString(ev.salt[:])}
	if err != nil {
		r.Error = err.Error()
	}
	w.traceRec(trace.Record{Kind: trace.KindReveal, Reveal: &r})
}

func (w *World) traceBidWithdrawn(id market.BidID, refund money.Dec) {
	w.traceRec(trace.Record{Kind: trace.KindBidWithdrawn, BidWithdrawn: &trace.BidWithdrawn{ID: trace.BidID(id), Refund: refund}})
}

func (w *World) traceOrderClosed(r *market.Result, cancelled bool) {
	c := trace.OrderClosed{ID: trace.OrderID(r.Order), Matched: r.Matched, Cancelled: cancelled, Price: r.Price.Amount,
		Explanation: r.Explanation(), Bids: make([]trace.BidOutcome, len(r.Bids))}
	if r.Matched {
		c.Winner = r.Winner.Provider
	}
	for i, b := range r.Bids {
		o := trace.BidOutcome{Provider: b.Provider, Price: b.Price, Deposit: b.Deposit, PlacedAt: b.PlacedAt,
			Seq: b.Seq, Outcome: b.Outcome.String(), Action: b.Action.String()}
		if b.Outcome == market.OutcomeIneligible {
			o.Reason = b.Reason.String()
		}
		c.Bids[i] = o
	}
	w.traceRec(trace.Record{Kind: trace.KindOrderClosed, OrderClosed: &c})
}

// tracedMatching and tracedTimeout are the header's matching fields: empty
// under auto matching, so an auto run's trace is what it was before them.
func (w *World) tracedMatching() string {
	if w.rules.matching == market.MatchingAuto {
		return ""
	}
	return w.rules.matching.String()
}

func (w *World) tracedTimeout() int64 {
	if w.rules.matching == market.MatchingAuto {
		return 0
	}
	return w.rules.pickTimeout
}

func (w *World) traceCreateLease(id market.BidID) {
	w.traceRec(trace.Record{Kind: trace.KindCreateLease, CreateLease: &trace.CreateLease{ID: trace.BidID(id)}})
}

func (w *World) traceLeaseOpened(id market.LeaseID, price money.Dec) {
	w.traceRec(trace.Record{Kind: trace.KindLeaseOpened, LeaseOpened: &trace.LeaseOpened{ID: trace.BidID(id), Price: price}})
}

func (w *World) traceLeaseClosed(l *lease.Lease) {
	w.traceRec(trace.Record{Kind: trace.KindLeaseClosed, LeaseClosed: &trace.LeaseClosed{ID: trace.BidID(l.ID), ClosedAt: l.ClosedAt,
		Reason: l.Closure.Reason.String(), Detail: l.Closure.Detail}})
}

func (w *World) traceCloseLease(id market.LeaseID, r lease.CloseReason, detail string) {
	w.traceRec(trace.Record{Kind: trace.KindCloseLease, CloseLease: &trace.CloseLease{ID: trace.BidID(id), Reason: r.String(), Detail: detail}})
}

func (w *World) traceCloseDeployment(d *Deployment, why string) {
	w.traceRec(trace.Record{Kind: trace.KindCloseDeployment, CloseDeployment: &trace.CloseDeployment{ID: trace.DeploymentID(d.id), Detail: why}})
}

func (w *World) traceWithdraw(id market.LeaseID) {
	w.traceRec(trace.Record{Kind: trace.KindWithdraw, Withdraw: &trace.Withdraw{ID: trace.BidID(id)}})
}

// traceTransfer records a core/lease transfer as applied.
// traceTransfer records t as it moved: amt is the whole units that moved
// (see wholePayout); t.Coin.Amount is core's exact decision.
func (w *World) traceTransfer(t *lease.Transfer, amt money.Dec) {
	var acct, lid *trace.ID
	if t.Account != (market.DeploymentID{}) {
		id := trace.DeploymentID(t.Account)
		acct = &id
	}
	if t.Lease != (market.LeaseID{}) {
		id := trace.BidID(t.Lease)
		lid = &id
	}
	w.traceMove(t.Why.String(), trace.Party{Kind: t.From.Kind.String(), Addr: t.From.Addr},
		trace.Party{Kind: t.To.Kind.String(), Addr: t.To.Addr}, amt, acct, lid)
}

// traceDust records a closed account's carried fractions paid to the pool.
func (w *World) traceDust(d *Deployment, amt money.Dec) {
	acct := trace.DeploymentID(d.id)
	w.traceMove(trace.WhyDust, trace.Party{Kind: lease.PartyAccount.String()}, trace.Party{Kind: lease.PartyPool.String()}, amt, &acct, nil)
}

func (w *World) traceMove(why string, from, to trace.Party, amt money.Dec, acct, lid *trace.ID) {
	w.traceRec(trace.Record{Kind: trace.KindTransfer, Transfer: &trace.Transfer{Why: why, From: from, To: to, Amount: amt, Account: acct, Lease: lid}})
}

// traceBidDeposit records a bid deposit locked (lock) or released to its
// provider or, for a forfeit (p == nil), to the pool.
func (w *World) traceBidDeposit(p *Provider, amt money.Dec, lock bool) {
	locked := trace.Party{Kind: trace.PartyBidLocked}
	switch {
	case lock:
		w.traceMove(trace.WhyBidLock, trace.Party{Kind: lease.PartyProvider.String(), Addr: p.addr}, locked, amt, nil, nil)
	case p == nil:
		w.traceMove(trace.WhyBidForfeit, locked, trace.Party{Kind: lease.PartyPool.String()}, amt, nil, nil)
	default:
		w.traceMove(trace.WhyBidRefund, locked, trace.Party{Kind: lease.PartyProvider.String(), Addr: p.addr}, amt, nil, nil)
	}
}

func (w *World) traceFundTenant(owner string, amt money.Dec) {
	w.traceMove(trace.WhyFund, trace.Party{Kind: trace.PartyOutside}, trace.Party{Kind: lease.PartyDepositor.String(), Addr: owner}, amt, nil, nil)
}

// traceEnd writes the end record: the ledger and every provider's wallet.
func (w *World) traceEnd() {
	l := &w.settle.ledger
	e := trace.End{Records: w.trace.Records(), Ledger: trace.Ledger{Supply: l.Supply, Outside: l.Outside, Tenants: l.Tenants,
		Escrow: l.Escrow, Providers: l.Providers, BidLocked: l.BidLocked, Pool: l.Pool, Staked: l.Staked, Slashed: l.Slashed,
		Take: l.Take, Forfeited: l.Forfeited}, Wallets: make([]trace.Balance, len(w.providers))}
	for i, p := range w.providers {
		e.Wallets[i] = trace.Balance{Addr: p.addr, Amount: p.wallet}
	}
	w.traceRec(trace.Record{Kind: trace.KindEnd, End: &e})
}
