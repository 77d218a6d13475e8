package keeper_test

import (
	"crypto/sha256"
	"errors"
	"testing"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/apptest"
	deploymenttypes "github.com/akash-market/akash/node/x/deployment/types"
	"github.com/akash-market/akash/node/x/market/types"
	providertypes "github.com/akash-market/akash/node/x/provider/types"
)

// The market keeper's bid verbs on the real app (node/apptest), one table
// each: every case runs against the same committed state (one open order,
// three registered providers, one bid already placed) in a context it throws
// away. The rules come from core/market; these tests hold the keeper to
// applying them, with core's errors, and to moving the deposits.

const (
	startBal = int64(100_000_000_000)
	maxPrice = int64(1_500_000)
)

type marketWorld struct {
	c                          *apptest.Chain
	tenant, west, east, bidder apptest.Account
	stranger                   apptest.Account // not a registered provider
	order                      types.OrderID
	closeAt                    int64
}

func uakt(n int64) sdk.DecCoin { return sdk.NewDecCoin("uakt", sdkmath.NewInt(n)) }

func res() types.Resources {
	return types.Resources{CPUMillis: 1000, MemoryBytes: 1 << 30, StorageBytes: 1 << 30}
}

func newMarketWorld(t *testing.T) *marketWorld {
	c := apptest.NewChain(t, 6, startBal)
	w := &marketWorld{c: c, tenant: c.Accounts[1], west: c.Accounts[2], east: c.Accounts[3], bidder: c.Accounts[4], stranger: c.Accounts[5]}
	for _, p := range []struct {
		a      apptest.Account
		region string
	}{{w.west, "us-west"}, {w.east, "eu-central"}, {w.bidder, "us-west"}} {
		c.MustDeliver(p.a, &providertypes.MsgCreateProvider{Owner: p.a.String(), HostURI: "https://p.example.com:8443",
			Attributes: []providertypes.Attribute{{Key: "region", Value: p.region}}})
	}
	dseq := uint64(c.Height() + 1)
	v := sha256.Sum256([]byte("manifest"))
	c.MustDeliver(w.tenant, &deploymenttypes.MsgCreateDeployment{
		Owner: w.tenant.String(), Dseq: dseq, Version: v[:], Deposit: sdk.NewInt64Coin("uakt", 5_500_000),
		Groups: []deploymenttypes.GroupSpec{{
			Name:         "westcoast",
			Requirements: deploymenttypes.PlacementRequirements{Attributes: []deploymenttypes.Attribute{{Key: "region", Value: "us-west"}}},
			Resources: []deploymenttypes.ResourceUnit{{
				CPUMillis: 1000, MemoryBytes: 1 << 30, Storage: []deploymenttypes.Storage{{Name: "default", Bytes: 1 << 30}},
				Count: 1, Price: uakt(maxPrice),
			}},
		}},
	})
	w.order = types.OrderID{Owner: w.tenant.String(), DSeq: dseq, GSeq: 1, OSeq: 1}
	o, err := c.App.MarketKeeper.GetOrder(c.Ctx(), w.order.ToCore())
	if err != nil {
		t.Fatal(err)
	}
	w.closeAt = o.CloseHeight
	c.MustDeliver(w.bidder, &types.MsgCreateBid{Provider: w.bidder.String(), Order: w.order, Price: uakt(1_200_000), Resources: res()})
	return w
}

func TestCreateBid(t *testing.T) {
	w := newMarketWorld(t)
	k := w.c.App.MarketKeeper
	p, err := k.GetParams(w.c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	minDeposit := p.BidMinDeposit.Amount.Int64()
	bid := func(from apptest.Account, price int64) *types.MsgCreateBid {
		return &types.MsgCreateBid{Provider: from.String(), Order: w.order, Price: uakt(price), Resources: res()}
	}
	for _, tc := range []struct {
		name   string
		msg    func() *types.MsgCreateBid
		height int64 // 0: the next block
		err    error
	}{
		{name: "an eligible bid", msg: func() *types.MsgCreateBid { return bid(w.west, 1_000_000) }},
		{name: "at the order's maximum price", msg: func() *types.MsgCreateBid { return bid(w.west, maxPrice) }},
		{name: "above the order's maximum price", err: market.ErrIneligible,
			msg: func() *types.MsgCreateBid { return bid(w.west, maxPrice+1) }},
		{name: "without the order's region", err: market.ErrIneligible,
			msg: func() *types.MsgCreateBid { return bid(w.east, 1_000_000) }},
		{name: "less cpu than the order asks", err: market.ErrIneligible,
			msg: func() *types.MsgCreateBid {
				m := bid(w.west, 1_000_000)
				m.Resources.CPUMillis = 999
				return m
			}},
		{name: "by an account that is not a provider", err: types.ErrUnknownProvider,
			msg: func() *types.MsgCreateBid { return bid(w.stranger, 1_000_000) }},
		{name: "a second bid by the same provider", err: market.ErrDuplicateBid,
			msg: func() *types.MsgCreateBid { return bid(w.bidder, 1_000_000) }},
		{name: "on an order that was never created", err: market.ErrUnknownOrder,
			msg: func() *types.MsgCreateBid {
				m := bid(w.west, 1_000_000)
				m.Order.OSeq = 9
				return m
			}},
		{name: "a deposit below the market's minimum", err: market.ErrInvalidDeposit,
			msg: func() *types.MsgCreateBid {
				m := bid(w.west, 1_000_000)
				m.Deposit = sdk.NewInt64Coin("uakt", minDeposit-1)
				return m
			}},
		{name: "at the order's close height", height: w.closeAt, err: market.ErrBiddingClosed,
			msg: func() *types.MsgCreateBid { return bid(w.west, 1_000_000) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := w.c.Scratch(tc.height)
			m := tc.msg()
			before := w.c.App.BankKeeper.GetBalance(ctx, sdk.MustAccAddressFromBech32(m.Provider), "uakt").Amount.Int64()
			seq, err := k.CreateBid(ctx, m)
			if apptest.Refused(t, err, tc.err) {
				return
			}
			bids, err := k.OrderBids(ctx, w.order.ToCore())
			if err != nil {
				t.Fatal(err)
			}
			var got *types.Bid
			for i := range bids {
				if bids[i].ID.Provider == m.Provider {
					got = &bids[i]
				}
			}
			if got == nil || got.Seq != seq || got.State != types.BidOpen || !got.Price.Equal(m.Price) || got.PlacedAt != ctx.BlockHeight() {
				t.Fatalf("stored bid %+v; want open, seq %d, price %s, placed at %d", got, seq, m.Price, ctx.BlockHeight())
			}
			after := w.c.App.BankKeeper.GetBalance(ctx, sdk.MustAccAddressFromBech32(m.Provider), "uakt").Amount.Int64()
			if before-after != minDeposit || got.Deposit.Amount.Int64() != minDeposit {
				t.Fatalf("provider paid %d, bid holds %s; want the minimum deposit %d locked", before-after, got.Deposit, minDeposit)
			}
		})
	}
}

func TestCloseBid(t *testing.T) {
	w := newMarketWorld(t)
	k := w.c.App.MarketKeeper
	closeBid := func(from apptest.Account) *types.MsgCloseBid {
		return &types.MsgCloseBid{Provider: from.String(), Order: w.order}
	}
	for _, tc := range []struct {
		name   string
		msgs   []*types.MsgCloseBid // all but the last must succeed
		height int64
		err    error
	}{
		{name: "a bid before the close height", msgs: []*types.MsgCloseBid{closeBid(w.bidder)}},
		{name: "a provider that never bid", msgs: []*types.MsgCloseBid{closeBid(w.west)}, err: market.ErrUnknownBid},
		{name: "a bid withdrawn twice", msgs: []*types.MsgCloseBid{closeBid(w.bidder), closeBid(w.bidder)}, err: market.ErrWithdrawn},
		{name: "a bid at the close height", msgs: []*types.MsgCloseBid{closeBid(w.bidder)}, height: w.closeAt, err: market.ErrWithdrawTooLate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := w.c.Scratch(tc.height)
			before := w.c.App.BankKeeper.GetBalance(ctx, w.bidder.Addr, "uakt").Amount
			var err error
			for i, m := range tc.msgs {
				if err = k.CloseBid(ctx, m); err != nil && i < len(tc.msgs)-1 {
					t.Fatalf("close %d: %v", i, err)
				}
			}
			if apptest.Refused(t, err, tc.err) {
				return
			}
			bids, err := k.OrderBids(ctx, w.order.ToCore())
			if err != nil || len(bids) != 1 || bids[0].State != types.BidWithdrawn || bids[0].ClosedAt != ctx.BlockHeight() {
				t.Fatalf("bids %+v (%v); want the one bid withdrawn at %d", bids, err, ctx.BlockHeight())
			}
			after := w.c.App.BankKeeper.GetBalance(ctx, w.bidder.Addr, "uakt").Amount
			if !after.Sub(before).Equal(bids[0].Deposit.Amount) {
				t.Fatalf("refund %s; want the deposit %s back", after.Sub(before), bids[0].Deposit)
			}
		})
	}
}

// Lookups of what is not there say so with the module's errors.
func TestNotFound(t *testing.T) {
	w := newMarketWorld(t)
	k := w.c.App.MarketKeeper
	missing := w.order.ToCore()
	missing.OSeq = 7
	if _, err := k.GetOrder(w.c.Ctx(), missing); !errors.Is(err, types.ErrOrderNotFound) {
		t.Errorf("GetOrder of a missing order: %v; want %v", err, types.ErrOrderNotFound)
	}
	lid := market.LeaseID{OrderID: w.order.ToCore(), Provider: w.bidder.String()}
	if _, err := k.GetLease(w.c.Ctx(), lid); !errors.Is(err, types.ErrLeaseNotFound) {
		t.Errorf("GetLease before the match: %v; want %v", err, types.ErrLeaseNotFound)
	}
	// After the close height's EndBlock the only bid has won.
	w.c.AdvanceTo(w.closeAt)
	l, err := k.GetLease(w.c.Ctx(), lid)
	if err != nil || !l.Price.Equal(uakt(1_200_000)) {
		t.Fatalf("lease after the match: %+v %v; want the bidder's at 1200000", l, err)
	}
}
