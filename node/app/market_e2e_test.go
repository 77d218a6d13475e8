package app_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/apptest"
	deploymenttypes "github.com/akash-market/akash/node/x/deployment/types"
	marketkeeper "github.com/akash-market/akash/node/x/market/keeper"
	markettypes "github.com/akash-market/akash/node/x/market/types"
	providertypes "github.com/akash-market/akash/node/x/provider/types"
)

// The market end to end on the real app: every step is a signed tx in
// FinalizeBlock (or an empty block), every number is checked exactly.

const (
	startBalance = 100_000_000_000
	bidDeposit   = 5_000_000 // the market's default bid_min_deposit
	unitPrice    = 1_000_000 // per block
)

type marketWorld struct {
	c                   *apptest.Chain
	tenant              apptest.Account
	p1, p2, p3, p4      apptest.Account
	supply0, pool0      sdkmath.Int
	dseq                uint64
	order               markettypes.OrderID
	deployedAt, closeAt int64
	queries             markettypes.QueryServer
}

// bals are expected balances.
type bals []struct {
	a apptest.Account
	v int64
}

func uakt(n int64) sdk.Coin { return sdk.NewInt64Coin("uakt", n) }

func decUakt(n int64) sdk.DecCoin { return sdk.NewDecCoin("uakt", sdkmath.NewInt(n)) }

func newMarketWorld(t *testing.T, sealed bool) *marketWorld {
	t.Helper()
	// The market's sealed_bids is "tenant" (the default): the deployment asks.
	c := apptest.NewChain(t, 6, startBalance)
	w := &marketWorld{c: c, tenant: c.Accounts[1], p1: c.Accounts[2], p2: c.Accounts[3], p3: c.Accounts[4], p4: c.Accounts[5],
		queries: marketkeeper.NewQueryServerImpl(c.App.MarketKeeper)}
	w.supply0 = c.App.BankKeeper.GetSupply(c.Ctx(), "uakt").Amount
	w.pool0 = w.communityPool()
	// Providers 1-3 are in us-west; provider 4 is not, so it cannot serve the group.
	for i, p := range []apptest.Account{w.p1, w.p2, w.p3, w.p4} {
		region := "us-west"
		if i == 3 {
			region = "eu-central"
		}
		c.MustDeliver(p, &providertypes.MsgCreateProvider{Owner: p.String(), HostURI: "https://p.example.com:8443",
			Attributes: []providertypes.Attribute{{Key: "region", Value: region}}})
	}
	// The deployment: one group of one unit, at most 1.5 AKT per block, region us-west.
	w.dseq = uint64(c.Height() + 1)
	c.MustDeliver(w.tenant, &deploymenttypes.MsgCreateDeployment{
		Owner: w.tenant.String(), Dseq: w.dseq, Version: sum("manifest"), Deposit: uakt(5_500_000), Sealed: sealed,
		Groups: []deploymenttypes.GroupSpec{{
			Name:         "westcoast",
			Requirements: deploymenttypes.PlacementRequirements{Attributes: []deploymenttypes.Attribute{{Key: "region", Value: "us-west"}}},
			Resources: []deploymenttypes.ResourceUnit{{
				CPUMillis: 1000, MemoryBytes: 1 << 30, Storage: []deploymenttypes.Storage{{Name: "default", Bytes: 1 << 30}},
				Count: 1, Price: decUakt(1_500_000),
			}},
		}},
	})
	w.deployedAt = c.Height()
	w.order = markettypes.OrderID{Owner: w.tenant.String(), DSeq: w.dseq, GSeq: 1, OSeq: 1}
	o := w.getOrder(t)
	w.closeAt = o.CloseHeight
	if o.OpenHeight != w.deployedAt || o.CloseHeight != w.deployedAt+markettypes.DefaultBidWindowBlocks || o.Sealed != sealed {
		t.Fatalf("order %s: open %d close %d sealed %v; deployment at %d", w.order, o.OpenHeight, o.CloseHeight, o.Sealed, w.deployedAt)
	}
	return w
}

func mustJSON(t testing.TB, gs *markettypes.GenesisState) json.RawMessage {
	t.Helper()
	bz, err := codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).MarshalJSON(gs)
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

func sum(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }

func (w *marketWorld) communityPool() sdkmath.Int {
	fp, err := w.c.App.DistrKeeper.FeePool.Get(w.c.Ctx())
	if err != nil {
		w.c.T.Fatal(err)
	}
	return fp.CommunityPool.AmountOf("uakt").TruncateInt()
}

func (w *marketWorld) getOrder(t *testing.T) markettypes.Order {
	t.Helper()
	r, err := w.queries.Order(w.c.Ctx(), &markettypes.QueryOrderRequest{Owner: w.order.Owner, Dseq: w.order.DSeq, Gseq: w.order.GSeq, Oseq: w.order.OSeq})
	if err != nil {
		t.Fatal(err)
	}
	return r.Order
}

func (w *marketWorld) bid(t *testing.T, p apptest.Account) markettypes.Bid {
	t.Helper()
	r, err := w.queries.Bid(w.c.Ctx(), &markettypes.QueryBidRequest{Owner: w.order.Owner, Dseq: w.order.DSeq, Gseq: w.order.GSeq, Oseq: w.order.OSeq, Provider: p.String()})
	if err != nil {
		t.Fatal(err)
	}
	return r.Bid
}

func (w *marketWorld) leaseID(p apptest.Account) markettypes.BidID {
	return markettypes.BidID{Owner: w.order.Owner, DSeq: w.order.DSeq, GSeq: w.order.GSeq, OSeq: w.order.OSeq, Provider: p.String()}
}

func (w *marketWorld) balance(a apptest.Account) int64 { return w.c.Balance(a.Addr, "uakt").Int64() }

func (w *marketWorld) expectBalances(t *testing.T, when string, want bals) {
	t.Helper()
	for _, x := range want {
		if got := w.balance(x.a); got != x.v {
			t.Errorf("%s: balance of %s is %d, want %d (off by %d)", when, x.a, got, x.v, got-x.v)
		}
	}
}

func (w *marketWorld) checkInvariants(t *testing.T) {
	t.Helper()
	if msg, broken := marketkeeper.AllInvariants(w.c.App.MarketKeeper)(w.c.Ctx()); broken {
		t.Fatalf("market invariant broken at height %d: %s", w.c.Height(), msg)
	}
}

func res() markettypes.Resources {
	return markettypes.Resources{CPUMillis: 1000, MemoryBytes: 1 << 30, StorageBytes: 1 << 30}
}

// TestMarketEndToEnd: deployment -> four bids (one ineligible, two tied at
// the lowest price in the same block) -> the earliest lowest bid wins at the
// close height -> lease -> settlement -> withdrawal -> the escrow runs dry ->
// the lease closes at exactly the dry height, with its reason; every balance
// exact and the total supply unchanged.
func TestMarketEndToEnd(t *testing.T) {
	w := newMarketWorld(t, false)
	c := w.c

	// The ineligible bid is refused at once, naming the rule, and takes no deposit.
	r := c.Deliver(w.p4, &markettypes.MsgCreateBid{Provider: w.p4.String(), Order: w.order, Price: decUakt(900_000), Resources: res()})
	wantRefused(t, "bid without the region attribute", r, market.ErrIneligible, `"attribute"`)
	// A second bid by a provider that already bid is refused with core's duplicate rule and code.
	c.MustDeliver(w.p1, &markettypes.MsgCreateBid{Provider: w.p1.String(), Order: w.order, Price: decUakt(1_200_000), Resources: res()})
	again := c.Deliver(w.p1, &markettypes.MsgCreateBid{Provider: w.p1.String(), Order: w.order, Price: decUakt(1_100_000), Resources: res()})
	wantRefused(t, "second bid by p1", again, market.ErrDuplicateBid, "one bid per provider per order")
	// p2 then p3 at the same lowest price in the same block: the tie goes to p2's earlier seq.
	results := c.DeliverBlock(
		c.Tx(w.p2, &markettypes.MsgCreateBid{Provider: w.p2.String(), Order: w.order, Price: decUakt(unitPrice), Resources: res()}),
		c.Tx(w.p3, &markettypes.MsgCreateBid{Provider: w.p3.String(), Order: w.order, Price: decUakt(unitPrice), Resources: res()}),
	)
	for i, r := range results {
		if r.Code != 0 {
			t.Fatalf("tied bid %d: %s", i, r.Log)
		}
	}
	b2, b3 := w.bid(t, w.p2), w.bid(t, w.p3)
	if b2.PlacedAt != b3.PlacedAt || b2.Seq >= b3.Seq {
		t.Fatalf("tied bids: p2 (%d, %d), p3 (%d, %d); want the same height, p2 first", b2.PlacedAt, b2.Seq, b3.PlacedAt, b3.Seq)
	}
	// A late bid at the close height is refused.
	if c.Height()+1 > w.closeAt {
		t.Fatalf("bids took too long: height %d, close %d", c.Height(), w.closeAt)
	}
	c.AdvanceTo(w.closeAt - 1)
	w.expectBalances(t, "while bidding", bals{
		{w.p1, startBalance - bidDeposit}, {w.p2, startBalance - bidDeposit}, {w.p3, startBalance - bidDeposit}, {w.p4, startBalance},
	})
	w.checkInvariants(t)
	late := c.Deliver(w.p4, &markettypes.MsgCreateBid{Provider: w.p4.String(), Order: w.order, Price: decUakt(1), Resources: res()})
	wantRefused(t, "bid at the close height", late, market.ErrBiddingClosed, "not taking bids")

	// Matched in the EndBlock of the close height: the lease exists right after it.
	L := w.closeAt
	if c.Height() != L {
		t.Fatalf("height %d, want the close height %d", c.Height(), L)
	}
	o := w.getOrder(t)
	if o.State != markettypes.OrderMatched || o.ClosedAt != L {
		t.Fatalf("order after close: %s at %d (%s)", o.State, o.ClosedAt, o.CloseDetail)
	}
	for _, x := range []struct {
		a    apptest.Account
		want string
	}{{w.p1, "outbid"}, {w.p2, "won"}, {w.p3, "later-at-same-price"}} {
		if b := w.bid(t, x.a); b.Outcome != x.want {
			t.Errorf("bid of %s: outcome %q, want %q", x.a, b.Outcome, x.want)
		}
	}
	lr, err := w.queries.Leases(c.Ctx(), &markettypes.QueryLeasesRequest{Owner: w.tenant.String()})
	if err != nil || len(lr.Leases) != 1 {
		t.Fatalf("leases of the tenant: %v %v", lr, err)
	}
	l := lr.Leases[0]
	if l.ID != w.leaseID(w.p2) || l.State != markettypes.LeaseActive || l.OpenedAt != L || !l.Price.Equal(decUakt(unitPrice)) {
		t.Fatalf("lease %+v", l)
	}
	if pr, err := w.queries.Leases(c.Ctx(), &markettypes.QueryLeasesRequest{Provider: w.p2.String(), State: "active"}); err != nil || len(pr.Leases) != 1 {
		t.Fatalf("active leases of p2: %v %v", pr, err)
	}
	// Losers' deposits came back at the match; the winner's stays with the lease.
	w.expectBalances(t, "after the match", bals{
		{w.p1, startBalance}, {w.p2, startBalance - bidDeposit}, {w.p3, startBalance}, {w.p4, startBalance},
		{w.tenant, startBalance - 5_500_000},
	})
	w.checkInvariants(t)

	// Two blocks paid, then the provider withdraws: 2 AKT accrued, 2% take to the pool.
	c.AdvanceTo(L + 1)
	c.MustDeliver(w.p2, &markettypes.MsgWithdrawLease{Provider: w.p2.String(), Lease: w.leaseID(w.p2)})
	if c.Height() != L+2 {
		t.Fatalf("withdrew at %d, want %d", c.Height(), L+2)
	}
	w.expectBalances(t, "after the withdrawal", bals{{w.p2, startBalance - bidDeposit + 1_960_000}})
	if got := w.communityPool().Sub(w.pool0); !got.Equal(sdkmath.NewInt(40_000)) {
		t.Errorf("community pool grew by %s after the withdrawal, want 40000", got)
	}

	// 5.5 AKT pays five whole blocks (L+1..L+5): the escrow runs dry at L+5.
	dry := L + 5
	c.AdvanceTo(dry - 1)
	if l, _ := w.queries.Lease(c.Ctx(), &markettypes.QueryLeaseRequest{Owner: w.order.Owner, Dseq: w.dseq, Gseq: 1, Oseq: 1, Provider: w.p2.String()}); l.Lease.State != markettypes.LeaseActive {
		t.Fatalf("lease closed early, at %d: %+v", c.Height(), l.Lease)
	}
	c.NextBlock()
	lq, err := w.queries.Lease(c.Ctx(), &markettypes.QueryLeaseRequest{Owner: w.order.Owner, Dseq: w.dseq, Gseq: 1, Oseq: 1, Provider: w.p2.String()})
	if err != nil {
		t.Fatal(err)
	}
	if l := lq.Lease; l.State != markettypes.LeaseClosed || l.ClosedAt != dry || l.CloseReason != "insufficient-funds" || l.CloseDetail == "" {
		t.Fatalf("lease at the dry height %d: %+v", dry, l)
	}
	if o := w.getOrder(t); o.State != markettypes.OrderClosed || o.CloseReason != "insufficient-funds" {
		t.Fatalf("order after the lease closed: %s %q", o.State, o.CloseReason)
	}
	// Provider: 5 blocks x 1 AKT less 2% = 4.9 AKT, and its bid deposit back.
	// Tenant: 5.5 AKT in, 0.5 AKT (less than one block) refunded. Pool: 2% of 5 AKT.
	w.expectBalances(t, "after the escrow ran dry", bals{
		{w.p1, startBalance}, {w.p2, startBalance + 4_900_000}, {w.p3, startBalance}, {w.p4, startBalance},
		{w.tenant, startBalance - 5_000_000},
	})
	if got := w.communityPool().Sub(w.pool0); !got.Equal(sdkmath.NewInt(100_000)) {
		t.Errorf("community pool grew by %s, want 100000", got)
	}
	if s := c.App.BankKeeper.GetSupply(c.Ctx(), "uakt").Amount; !s.Equal(w.supply0) {
		t.Errorf("total supply moved: %s -> %s", w.supply0, s)
	}
	if bal := c.App.BankKeeper.GetAllBalances(c.Ctx(), c.App.MarketKeeper.ModuleAddress()); !bal.IsZero() {
		t.Errorf("market module still holds %s", bal)
	}
	w.checkInvariants(t)
}

// TestMarketSealedBids: commitments hide prices until the close, a reveal
// outside its window or not matching is refused, an unrevealed commitment
// forfeits its deposit to the community pool, and the lease opens at the end
// of the reveal window.
func TestMarketSealedBids(t *testing.T) {
	w := newMarketWorld(t, true)
	c := w.c
	o := w.getOrder(t)
	if o.RevealEnd != o.CloseHeight+markettypes.DefaultRevealWindowBlocks {
		t.Fatalf("reveal end %d, close %d", o.RevealEnd, o.CloseHeight)
	}
	reveal := func(p apptest.Account, price int64, salt byte) market.Reveal {
		r := market.Reveal{Bid: w.leaseID(p).ToCore(), Price: money.Coin{Denom: "uakt", Amount: money.NewDec(uint64(price))}}
		r.Salt[0] = salt
		return r
	}
	commit := func(p apptest.Account, r market.Reveal) *markettypes.MsgCommitBid {
		cm := r.Commitment()
		return &markettypes.MsgCommitBid{Provider: p.String(), Order: w.order, Commitment: cm[:], Resources: res()}
	}
	r1, r2, r3 := reveal(w.p1, 1_200_000, 1), reveal(w.p2, 1_000_000, 2), reveal(w.p3, 900_000, 3)

	// An open bid on a sealed order, and a commitment from a provider that cannot serve, are refused.
	if r := c.Deliver(w.p1, &markettypes.MsgCreateBid{Provider: w.p1.String(), Order: w.order, Price: decUakt(1), Resources: res()}); true {
		wantRefused(t, "open bid on a sealed order", r, market.ErrSealedOrder, "sealed")
	}
	if r := c.Deliver(w.p4, commit(w.p4, reveal(w.p4, 1, 4))); true {
		wantRefused(t, "commitment of an ineligible provider", r, market.ErrIneligible, `"attribute"`)
	}
	for i, r := range c.DeliverBlock(c.Tx(w.p1, commit(w.p1, r1)), c.Tx(w.p2, commit(w.p2, r2)), c.Tx(w.p3, commit(w.p3, r3))) {
		if r.Code != 0 {
			t.Fatalf("commitment %d: %s", i, r.Log)
		}
	}

	// Until the close nobody can read a price: the bids show commitments only.
	br, err := w.queries.Bids(c.Ctx(), &markettypes.QueryBidsRequest{Owner: w.order.Owner, Dseq: w.dseq, Gseq: 1, Oseq: 1})
	if err != nil || len(br.Bids) != 3 {
		t.Fatalf("bids: %v %v", br, err)
	}
	for _, b := range br.Bids {
		// Zero in the order's denomination: a valid coin, so clients can
		// print it (an empty denomination made the CLI's JSON encoder panic).
		if b.State != markettypes.BidSealed || !b.Price.Amount.IsZero() || b.Price.Validate() != nil || len(b.Commitment) != 32 {
			t.Fatalf("sealed bid shows %+v", b)
		}
	}
	// Revealing during the bidding window is refused.
	if r := c.Deliver(w.p1, &markettypes.MsgRevealBid{Provider: w.p1.String(), Reveal: r1.Encode()}); true {
		wantRefused(t, "early reveal", r, market.ErrRevealWindow, "reveal window")
	}
	c.AdvanceTo(o.CloseHeight - 1)
	// A reveal that does not open the commitment (another salt) is refused; the right one is accepted.
	wrong := r1
	wrong.Salt[0] = 99
	if r := c.Deliver(w.p1, &markettypes.MsgRevealBid{Provider: w.p1.String(), Reveal: wrong.Encode()}); true {
		wantRefused(t, "wrong reveal", r, market.ErrRevealMismatch, "does not match the commitment")
	}
	c.MustDeliver(w.p1, &markettypes.MsgRevealBid{Provider: w.p1.String(), Reveal: r1.Encode()})
	c.MustDeliver(w.p2, &markettypes.MsgRevealBid{Provider: w.p2.String(), Reveal: r2.Encode()})
	if b := w.bid(t, w.p2); b.State != markettypes.BidOpen || !b.Price.Equal(decUakt(1_000_000)) {
		t.Fatalf("revealed bid: %+v", b)
	}
	// p3 never reveals. The order is matched at the end of the reveal window.
	c.AdvanceTo(o.RevealEnd)
	got := w.getOrder(t)
	if got.State != markettypes.OrderMatched || got.ClosedAt != o.RevealEnd {
		t.Fatalf("sealed order at its match height %d: %s at %d (%s)", o.RevealEnd, got.State, got.ClosedAt, got.CloseDetail)
	}
	if b := w.bid(t, w.p3); b.Outcome != "unrevealed" || b.DepositAction != "forfeit" || b.State != markettypes.BidLost {
		t.Fatalf("unrevealed bid: %+v", b)
	}
	if b := w.bid(t, w.p2); b.Outcome != "won" {
		t.Fatalf("p2: %+v", b)
	}
	lq, err := w.queries.Lease(c.Ctx(), &markettypes.QueryLeaseRequest{Owner: w.order.Owner, Dseq: w.dseq, Gseq: 1, Oseq: 1, Provider: w.p2.String()})
	if err != nil || lq.Lease.OpenedAt != o.RevealEnd || !lq.Lease.Price.Equal(decUakt(1_000_000)) {
		t.Fatalf("lease: %+v %v", lq, err)
	}
	w.expectBalances(t, "after the sealed match", bals{
		{w.p1, startBalance}, {w.p2, startBalance - bidDeposit}, {w.p3, startBalance - bidDeposit}, {w.p4, startBalance},
	})
	if got := w.communityPool().Sub(w.pool0); !got.Equal(sdkmath.NewInt(bidDeposit)) {
		t.Errorf("community pool grew by %s, want the forfeited %d", got, bidDeposit)
	}
	if s := c.App.BankKeeper.GetSupply(c.Ctx(), "uakt").Amount; !s.Equal(w.supply0) {
		t.Errorf("total supply moved: %s -> %s", w.supply0, s)
	}
	w.checkInvariants(t)
}

// wantRefused checks that a transaction was refused by core's rule coreErr:
// in the market's codespace with the code the chain registered for it (not
// "undefined code 1"), and a log that says why.
func wantRefused(t *testing.T, what string, r *abci.ExecTxResult, coreErr error, why string) {
	t.Helper()
	if r.Code == 0 {
		t.Fatalf("%s: accepted; want refused with %v", what, coreErr)
	}
	if r.Codespace != markettypes.ModuleName || r.Code != markettypes.Code(coreErr) {
		t.Fatalf("%s: codespace %q code %d (%s); want %q code %d for %v", what, r.Codespace, r.Code, r.Log, markettypes.ModuleName, markettypes.Code(coreErr), coreErr)
	}
	if !strings.Contains(r.Log, why) {
		t.Fatalf("%s: log %q does not say %q", what, r.Log, why)
	}
}

// A lease the provider closes because the manifest never came leaves the
// deployment with nothing running and nothing on the book: the market closes
// it (core/lease.EndsIdleDeployment) and the escrow refunds the tenant, so
// the deposit is not left locked when the tenant's client is gone. A
// provider fault, by contrast, re-orders the group and the deployment stays.
func TestManifestTimeoutReleasesTheDeposit(t *testing.T) {
	for _, tc := range []struct {
		reason     string
		closes     bool
		wantOrders int
	}{
		{"manifest-timeout", true, 1},
		{"provider-fault", false, 2},
	} {
		t.Run(tc.reason, func(t *testing.T) {
			w := newMarketWorld(t, false)
			c := w.c
			c.MustDeliver(w.p1, &markettypes.MsgCreateBid{Provider: w.p1.String(), Order: w.order, Price: decUakt(1_000_000), Resources: res()})
			c.AdvanceTo(w.closeAt + 2)
			before := w.balance(w.tenant)
			c.MustDeliver(w.p1, &markettypes.MsgCloseLease{Sender: w.p1.String(), Lease: w.leaseID(w.p1), Reason: tc.reason, Detail: "test"})
			did := market.DeploymentID{Owner: w.tenant.String(), DSeq: w.dseq}
			d, _, err := c.DeploymentKeeper().Deployment(c.Ctx(), did)
			if err != nil {
				t.Fatal(err)
			}
			acct, err := c.EscrowKeeper().Account(c.Ctx(), did)
			if err != nil {
				t.Fatal(err)
			}
			closed := d.State == deploymenttypes.DeploymentClosed
			if closed != tc.closes || (acct.State == lease.StateClosed) != tc.closes {
				t.Fatalf("after %s: deployment %s (%s: %s), escrow %v; want closed=%v", tc.reason, d.State, d.CloseReason, d.CloseDetail, acct.State, tc.closes)
			}
			if tc.closes {
				if d.CloseReason != tc.reason || !strings.Contains(d.CloseDetail, "nothing runs") {
					t.Fatalf("deployment closed with %q %q; want the reason and why", d.CloseReason, d.CloseDetail)
				}
				refunded := w.balance(w.tenant) - before
				if refunded <= 0 || acct.Flows.Refunded.String() != fmt.Sprintf("%d.000000000000000000", refunded) {
					t.Fatalf("tenant got %d back; the escrow refunded %s of the 5.5 AKT deposit", refunded, acct.Flows.Refunded)
				}
			}
			orders, err := c.App.MarketKeeper.Orders.Iterate(c.Ctx(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer orders.Close()
			n := 0
			for ; orders.Valid(); orders.Next() {
				n++
			}
			if n != tc.wantOrders {
				t.Fatalf("%d orders after %s; want %d", n, tc.reason, tc.wantOrders)
			}
			w.checkInvariants(t)
		})
	}
}
