package market

import (
	"crypto/sha256"
	"math/rand"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	"github.com/cosmos/cosmos-sdk/x/simulation"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/x/market/types"
)

// Operation weights: bids are the bulk of a market's transactions; sealed
// commitments and reveals act only when the drawn genesis seals orders.
const (
	weightBid        = 100
	weightCommit     = 60
	weightReveal     = 60
	weightCloseBid   = 10
	weightWithdraw   = 20
	weightCloseLease = 5
)

// GenerateGenesisState draws the windows (1-10 bid blocks, 1-5 reveal
// blocks), a minimum deposit of 0-1000 uakt and the sealed_bids policy
// (tenant, always, never) a third of the time each.
func (AppModule) GenerateGenesisState(s *module.SimulationState) {
	g := types.DefaultGenesisState()
	g.Params.BidWindowBlocks = 1 + s.Rand.Int63n(10)
	g.Params.RevealWindowBlocks = 1 + s.Rand.Int63n(5)
	g.Params.BidMinDeposit = sdk.NewInt64Coin("uakt", s.Rand.Int63n(1001))
	g.Params.SealedBids = types.Params_SealedBids(s.Rand.Intn(3))
	s.GenState[types.ModuleName] = s.Cdc.MustMarshalJSON(g)
}

// RegisterStoreDecoder decodes the market's records from the collections schema.
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(am.keeper.Schema)
}

// WeightedOperations: bids, commitments, reveals, withdrawals of bids, lease
// withdrawals and lease closes, each from a simulated account that may send it.
func (am AppModule) WeightedOperations(s module.SimulationState) []simtypes.WeightedOperation {
	return []simtypes.WeightedOperation{
		simulation.NewWeightedOperation(weightBid, am.simBid(s.TxConfig, false)),
		simulation.NewWeightedOperation(weightCommit, am.simBid(s.TxConfig, true)),
		simulation.NewWeightedOperation(weightReveal, am.simReveal(s.TxConfig)),
		simulation.NewWeightedOperation(weightCloseBid, am.simCloseBid(s.TxConfig)),
		simulation.NewWeightedOperation(weightWithdraw, am.simLease(s.TxConfig, false)),
		simulation.NewWeightedOperation(weightCloseLease, am.simLease(s.TxConfig, true)),
	}
}

func (am AppModule) deliver(txGen client.TxConfig, r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, acc simtypes.Account, msg sdk.Msg, spent sdk.Coins) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
	pc, _ := am.cdc.(*codec.ProtoCodec)
	return simulation.GenAndDeliverTxWithRandFees(simulation.OperationInput{
		R: r, App: app, TxGen: txGen, Cdc: pc, Msg: msg, CoinsSpentInMsg: spent,
		Context: ctx, SimAccount: acc, AccountKeeper: am.ak, Bankkeeper: am.bk, ModuleName: types.ModuleName,
	})
}

// simReveal is the reveal a simulated provider commits to on an order: price
// and salt derived from the bid ID, so the reveal operation can rebuild it.
func simReveal(o types.Order, provider string) (market.Reveal, bool) {
	id := market.BidID{OrderID: o.ID.ToCore(), Provider: provider}
	h := sha256.Sum256([]byte("sim-bid/" + id.String()))
	maxp, err := types.DecCoinToCore(o.MaxPrice)
	if err != nil || maxp.Amount.IsZero() {
		return market.Reveal{}, false
	}
	// Price: 1..100% of the max, sometimes above it (an ineligible reveal).
	pct := 1 + uint64(h[0])%110
	p, err := maxp.Amount.MulFrac(pct, 100)
	if err != nil || p.IsZero() {
		return market.Reveal{}, false
	}
	return market.Reveal{Bid: id, Price: money.Coin{Denom: maxp.Denom, Amount: p}, Salt: h}, true
}

// openOrders lists up to 200 open orders that take bids (or reveals) at the
// context's height, sealed or not as asked.
func (am AppModule) openOrders(ctx sdk.Context, sealed, reveals bool) []types.Order {
	h := ctx.BlockHeight()
	var out []types.Order
	_ = am.keeper.Orders.Walk(ctx, nil, func(_ []byte, o types.Order) (bool, error) {
		if o.State == types.OrderOpen && o.Sealed == sealed {
			// The windows are core's (Order.TakesBidsAt, TakesRevealsAt).
			if co, err := o.ToCore(); err == nil && ((!reveals && co.TakesBidsAt(h)) || (reveals && co.TakesRevealsAt(h))) {
				out = append(out, o)
			}
		}
		return len(out) >= 200, nil
	})
	return out
}

func (am AppModule) simBid(txGen client.TxConfig, sealed bool) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msgType := sdk.MsgTypeURL(&types.MsgCreateBid{})
		if sealed {
			msgType = sdk.MsgTypeURL(&types.MsgCommitBid{})
		}
		orders := am.openOrders(ctx, sealed, false)
		if len(orders) == 0 {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "no order taking bids"), nil, nil
		}
		o := orders[r.Intn(len(orders))]
		acc, _ := simtypes.RandomAcc(r, accs)
		attrs, rep, ok := am.keeper.ProviderOffer(ctx, acc.Address.String())
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "account is not a registered provider"), nil, nil
		}
		// A provider bids only where it may (its attributes, the order's
		// minimum reputation); the keeper refuses the rest.
		co, err := o.ToCore()
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "order does not convert"), nil, err
		}
		offer := market.Bid{Offer: market.Offer{Resources: co.Resources, Attributes: attrs, Reputation: rep}}
		if why := market.OfferEligible(&co, &offer); why != market.ReasonNone {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "provider not eligible: "+why.String()), nil, nil
		}
		if has, _ := am.keeper.Bids.Has(ctx, types.BidKey(market.BidID{OrderID: o.ID.ToCore(), Provider: acc.Address.String()})); has {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "already bid"), nil, nil
		}
		rev, ok := simReveal(o, acc.Address.String())
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "order has no usable max price"), nil, nil
		}
		p, err := am.keeper.GetParams(ctx)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "no params"), nil, err
		}
		if am.bk.SpendableCoins(ctx, acc.Address).AmountOf(p.BidMinDeposit.Denom).LT(p.BidMinDeposit.Amount.MulRaw(2)) {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "provider cannot afford the deposit"), nil, nil
		}
		spent := sdk.NewCoins(p.BidMinDeposit)
		if sealed {
			c := rev.Commitment()
			return am.deliver(txGen, r, app, ctx, acc, &types.MsgCommitBid{Provider: acc.Address.String(), Order: o.ID, Commitment: c[:], Resources: o.Resources}, spent)
		}
		if rev.Price.Amount.Cmp(mustCore(o.MaxPrice)) > 0 {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "drawn price above the max (refused at placement)"), nil, nil
		}
		return am.deliver(txGen, r, app, ctx, acc, &types.MsgCreateBid{Provider: acc.Address.String(), Order: o.ID, Price: types.DecCoinFromCore(rev.Price), Resources: o.Resources}, spent)
	}
}

func mustCore(c sdk.DecCoin) money.Dec {
	m, _ := types.DecCoinToCore(c)
	return m.Amount
}

// simReveal reveals a random sealed bid of a simulated account, three times
// in four (the rest stay unrevealed and forfeit their deposit).
func (am AppModule) simReveal(txGen client.TxConfig) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msgType := sdk.MsgTypeURL(&types.MsgRevealBid{})
		for _, o := range am.openOrders(ctx, true, true) {
			bids, err := am.keeper.OrderBids(ctx, o.ID.ToCore())
			if err != nil {
				return simtypes.NoOpMsg(types.ModuleName, msgType, "reading bids"), nil, err
			}
			for _, b := range bids {
				if b.State != types.BidSealed || r.Intn(4) == 0 {
					continue
				}
				addr, err := sdk.AccAddressFromBech32(b.ID.Provider)
				if err != nil {
					continue
				}
				acc, ok := simtypes.FindAccount(accs, addr)
				rev, ok2 := simReveal(o, b.ID.Provider)
				if !ok || !ok2 {
					continue
				}
				return am.deliver(txGen, r, app, ctx, acc, &types.MsgRevealBid{Provider: b.ID.Provider, Reveal: rev.Encode()}, nil)
			}
		}
		return simtypes.NoOpMsg(types.ModuleName, msgType, "no sealed bid in a reveal window"), nil, nil
	}
}

// simCloseBid withdraws a random open bid of a simulated account before its close.
func (am AppModule) simCloseBid(txGen client.TxConfig) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msgType := sdk.MsgTypeURL(&types.MsgCloseBid{})
		for _, sealed := range []bool{false, true} {
			for _, o := range am.openOrders(ctx, sealed, false) {
				bids, _ := am.keeper.OrderBids(ctx, o.ID.ToCore())
				for _, b := range bids {
					addr, err := sdk.AccAddressFromBech32(b.ID.Provider)
					if err != nil || (b.State != types.BidOpen && b.State != types.BidSealed) {
						continue
					}
					if acc, ok := simtypes.FindAccount(accs, addr); ok && r.Intn(3) == 0 {
						return am.deliver(txGen, r, app, ctx, acc, &types.MsgCloseBid{Provider: b.ID.Provider, Order: o.ID}, nil)
					}
				}
			}
		}
		return simtypes.NoOpMsg(types.ModuleName, msgType, "no bid to withdraw"), nil, nil
	}
}

// simLease withdraws from (or closes) a random active lease of a simulated account.
func (am AppModule) simLease(txGen client.TxConfig, closeIt bool) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msgType := sdk.MsgTypeURL(&types.MsgWithdrawLease{})
		if closeIt {
			msgType = sdk.MsgTypeURL(&types.MsgCloseLease{})
		}
		var leases []types.Lease
		_ = am.keeper.Leases.Walk(ctx, nil, func(_ []byte, l types.Lease) (bool, error) {
			if l.State == types.LeaseActive {
				leases = append(leases, l)
			}
			return len(leases) >= 200, nil
		})
		if len(leases) == 0 {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "no active lease"), nil, nil
		}
		l := leases[r.Intn(len(leases))]
		signer, reason := l.ID.Provider, "provider-closed"
		if closeIt && r.Intn(2) == 0 {
			signer, reason = l.ID.Owner, "tenant-closed"
		}
		addr, err := sdk.AccAddressFromBech32(signer)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "bad address"), nil, nil
		}
		acc, ok := simtypes.FindAccount(accs, addr)
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "signer is not a simulated account"), nil, nil
		}
		if closeIt {
			return am.deliver(txGen, r, app, ctx, acc, &types.MsgCloseLease{Sender: signer, Lease: l.ID, Reason: reason, Detail: "simulation"}, nil)
		}
		return am.deliver(txGen, r, app, ctx, acc, &types.MsgWithdrawLease{Provider: signer, Lease: l.ID}, nil)
	}
}
