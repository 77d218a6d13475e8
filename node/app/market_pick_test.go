package app_test

import (
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/apptest"
	markettypes "github.com/akash-market/akash/node/x/market/types"
)

// tenantMatching sets params.matching tenant with a bid timeout of timeout
// blocks; the order already on the book is decided under it at its close.
func (w *marketWorld) tenantMatching(t *testing.T, timeout int64) {
	t.Helper()
	w.c.InBlock(func(ctx sdk.Context) error {
		p, err := w.c.App.MarketKeeper.GetParams(ctx)
		if err != nil {
			return err
		}
		p.Matching, p.BidTimeoutBlocks = market.MatchingTenant.String(), timeout
		return w.c.App.MarketKeeper.SetParams(ctx, p)
	})
}

// threeBids: p1 at 1.2 AKT, p2 and p3 at 1 AKT per block.
func (w *marketWorld) threeBids(t *testing.T) {
	t.Helper()
	w.c.MustDeliver(w.p1, &markettypes.MsgCreateBid{Provider: w.p1.String(), Order: w.order, Price: decUakt(1_200_000), Resources: res()})
	w.c.MustDeliver(w.p2, &markettypes.MsgCreateBid{Provider: w.p2.String(), Order: w.order, Price: decUakt(unitPrice), Resources: res()})
	w.c.MustDeliver(w.p3, &markettypes.MsgCreateBid{Provider: w.p3.String(), Order: w.order, Price: decUakt(unitPrice), Resources: res()})
}

// TestMarketTenantPick: under matching tenant the order closes with its bids
// still open (deposits locked), refuses picks that core refuses (too early,
// unknown, not the tenant), then the tenant picks the dearest eligible bid:
// its lease at its own price, the other deposits back.
func TestMarketTenantPick(t *testing.T) {
	w := newMarketWorld(t, false)
	c := w.c
	w.tenantMatching(t, 4)
	w.threeBids(t)
	pick := func(signer interface{ String() string }, p string) *markettypes.MsgCreateLease {
		id := w.leaseID(w.p1)
		id.Provider = p
		return &markettypes.MsgCreateLease{Owner: signer.String(), Bid: id}
	}
	early := c.Deliver(w.tenant, pick(w.tenant, w.p1.String()))
	wantRefused(t, "pick before the close", early, market.ErrNotAwaiting, "takes bids until height")

	c.AdvanceTo(w.closeAt)
	o := w.getOrder(t)
	if o.State != markettypes.OrderOpen || o.PickUntil != w.closeAt+4 {
		t.Fatalf("order after the close: %s pick_until %d; want open until %d", o.State, o.PickUntil, w.closeAt+4)
	}
	w.expectBalances(t, "awaiting the pick", bals{{w.p1, startBalance - bidDeposit}, {w.p2, startBalance - bidDeposit}, {w.p3, startBalance - bidDeposit}})
	w.checkInvariants(t)

	wantRefused(t, "pick of a provider that did not bid", c.Deliver(w.tenant, pick(w.tenant, w.p4.String())), market.ErrUnknownBid, "has no bid")
	if r := c.Deliver(w.p1, &markettypes.MsgCreateLease{Owner: w.p1.String(), Bid: w.leaseID(w.p1)}); r.Code == 0 {
		t.Fatalf("a provider picked the tenant's bid: accepted")
	}
	c.MustDeliver(w.tenant, pick(w.tenant, w.p1.String()))
	L := c.Height()
	o = w.getOrder(t)
	if o.State != markettypes.OrderMatched || o.ClosedAt != L {
		t.Fatalf("order after the pick: %s at %d (%s)", o.State, o.ClosedAt, o.CloseDetail)
	}
	for p, want := range map[string]string{"p1": "won", "p2": "not-picked", "p3": "not-picked"} {
		acct := map[string]apptest.Account{"p1": w.p1, "p2": w.p2, "p3": w.p3}[p]
		if b := w.bid(t, acct); b.Outcome != want {
			t.Errorf("bid of %s: %q, want %q", p, b.Outcome, want)
		}
	}
	l, err := w.queries.Lease(c.Ctx(), &markettypes.QueryLeaseRequest{Owner: w.order.Owner, Dseq: w.dseq, Gseq: 1, Oseq: 1, Provider: w.p1.String()})
	if err != nil || l.Lease.OpenedAt != L || !l.Lease.Price.Equal(decUakt(1_200_000)) {
		t.Fatalf("lease of p1: %+v %v; want opened at %d at 1200000uakt", l, err, L)
	}
	w.expectBalances(t, "after the pick", bals{{w.p1, startBalance - bidDeposit}, {w.p2, startBalance}, {w.p3, startBalance}})
	w.checkInvariants(t)
	again := c.Deliver(w.tenant, pick(w.tenant, w.p2.String()))
	wantRefused(t, "a second pick", again, market.ErrNotAwaiting, "matched")
}

// TestMarketTenantPickTimeout: no pick by the bid timeout: the order closes
// unmatched at the timeout's last height and every deposit comes back.
func TestMarketTenantPickTimeout(t *testing.T) {
	w := newMarketWorld(t, false)
	c := w.c
	w.tenantMatching(t, 3)
	w.threeBids(t)
	c.AdvanceTo(w.closeAt + 2)
	if o := w.getOrder(t); o.State != markettypes.OrderOpen {
		t.Fatalf("order before the timeout: %s", o.State)
	}
	c.NextBlock()
	o := w.getOrder(t)
	if o.State != markettypes.OrderUnmatched || o.ClosedAt != w.closeAt+3 {
		t.Fatalf("order at the timeout: %s at %d (%s); want unmatched at %d", o.State, o.ClosedAt, o.CloseDetail, w.closeAt+3)
	}
	if b := w.bid(t, w.p2); b.Outcome != "expired" || b.DepositAction != "refund" {
		t.Errorf("bid of p2: %s %s; want expired refund", b.Outcome, b.DepositAction)
	}
	w.expectBalances(t, "after the timeout", bals{{w.p1, startBalance}, {w.p2, startBalance}, {w.p3, startBalance}})
	w.checkInvariants(t)
	late := c.Deliver(w.tenant, &markettypes.MsgCreateLease{Owner: w.tenant.String(), Bid: w.leaseID(w.p2)})
	wantRefused(t, "pick after the timeout", late, market.ErrNotAwaiting, "unmatched")
}
