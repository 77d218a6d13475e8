package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/x/market/types"
)

// bidRequest is what MsgCreateBid and MsgCommitBid have in common.
type bidRequest struct {
	provider   string
	order      market.OrderID
	price      sdk.DecCoin // open bids
	commitment []byte      // sealed bids
	resources  types.Resources
	deposit    sdk.Coin
	sealed     bool
}

// CreateBid places an open bid. An ineligible bid is refused with the rule it
// broke (core/market.Eligible), so no deposit is taken for it.
func (k Keeper) CreateBid(ctx context.Context, m *types.MsgCreateBid) (uint64, error) {
	return k.placeBid(ctx, bidRequest{provider: m.Provider, order: m.Order.ToCore(), price: m.Price, resources: m.Resources, deposit: m.Deposit})
}

// CommitBid places a sealed bid: the offer is checked now (core's
// OfferChecks), the price at the reveal.
func (k Keeper) CommitBid(ctx context.Context, m *types.MsgCommitBid) (uint64, error) {
	return k.placeBid(ctx, bidRequest{provider: m.Provider, order: m.Order.ToCore(), commitment: m.Commitment, resources: m.Resources, deposit: m.Deposit, sealed: true})
}

// placeBid is the market's placement, decided by core's lifecycle rules
// (market.CheckPlacement, CheckEarlierBid, BidDeposit, Admission): the keeper
// loads the order, the provider's earlier bid and its offer, asks core, then
// locks the deposit, stores the bid and emits the event.
func (k Keeper) placeBid(ctx context.Context, r bidRequest) (uint64, error) {
	if err := k.needProvider(); err != nil {
		return 0, err
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	o, err := k.openOrder(ctx, r.order)
	if err != nil {
		return 0, err
	}
	kind := market.OpenBid
	if r.sealed {
		kind = market.SealedBid
	}
	id := market.BidID{OrderID: r.order, Provider: r.provider}
	cb := market.Bid{ID: id, PlacedAt: h}
	if !r.sealed {
		if cb.Price, err = types.DecCoinToCore(r.price); err != nil {
			return 0, err
		}
	}
	if cb.Deposit, err = types.CoinToCore(r.deposit); err != nil {
		return 0, err
	}
	if err := market.CheckPlacement(&o, &cb, kind); err != nil {
		return 0, err
	}
	key := types.BidKey(id)
	if earlier, err := k.Bids.Get(ctx, key); err == nil {
		if err := market.CheckEarlierBid(id, earlier.CoreState()); err != nil {
			return 0, err
		}
	} else if !errors.Is(err, collections.ErrNotFound) {
		return 0, err
	}
	p, err := k.GetParams(ctx)
	if err != nil {
		return 0, err
	}
	min, err := types.CoinToCore(p.BidMinDeposit)
	if err != nil {
		return 0, err
	}
	if cb.Deposit, err = market.BidDeposit(id, cb.Deposit, min); err != nil {
		return 0, err
	}
	deposit, err := types.CoinFromCore(cb.Deposit)
	if err != nil {
		return 0, err
	}
	attrs, rep, ok, err := k.provider.Offer(ctx, r.provider)
	if err != nil {
		return 0, fmt.Errorf("market: provider %s: %w", r.provider, err)
	}
	if !ok {
		return 0, fmt.Errorf("%w: %s; register with `tx provider create` first", types.ErrUnknownProvider, r.provider)
	}
	cb.Offer = market.Offer{Resources: r.resources.ToCore(), Attributes: attrs, Reputation: rep}
	if why := market.Admission(&o, &cb, kind); why != market.ReasonNone {
		return 0, market.IneligibleError(&o, &cb, kind, why)
	}
	stored := types.Bid{
		ID:       types.BidIDFromCore(id),
		Offer:    types.Offer{Resources: r.resources, Attributes: types.AttributesFromCore(attrs), Reputation: uint32(rep)},
		PlacedAt: h,
		Deposit:  deposit,
		State:    types.BidOpen,
		Price:    r.price,
	}
	if r.sealed {
		stored.State, stored.Commitment = types.BidSealed, r.commitment
		// No price until the reveal: zero in the order's denomination. (An
		// empty denomination made every bids query that lists a sealed bid
		// panic in the CLI's JSON encoder: "invalid denom".)
		stored.Price = types.DecCoinFromCore(money.Coin{Denom: o.MaxPrice.Denom})
	}
	if stored.Seq, err = k.Seq.Next(ctx); err != nil {
		return 0, err
	}
	if !deposit.IsZero() {
		paddr, err := sdk.AccAddressFromBech32(r.provider)
		if err != nil {
			return 0, fmt.Errorf("%w: provider %q: %v", types.ErrInvalidID, r.provider, err)
		}
		if err := k.bank.SendCoinsFromAccountToModule(ctx, paddr, types.ModuleName, sdk.NewCoins(deposit)); err != nil {
			return 0, fmt.Errorf("%w: bid %s: locking deposit %s: %v", market.ErrInvalidDeposit, id, deposit, err)
		}
	}
	if err := k.Bids.Set(ctx, key, stored); err != nil {
		return 0, err
	}
	if err := k.BidsByProvider.Set(ctx, collections.Join(r.provider, key)); err != nil {
		return 0, err
	}
	ev := sdk.NewEvent("akash.market.bid_created",
		sdk.NewAttribute("bid", id.String()),
		sdk.NewAttribute("seq", fmt.Sprint(stored.Seq)),
		sdk.NewAttribute("deposit", deposit.String()),
		sdk.NewAttribute("sealed", fmt.Sprint(r.sealed)))
	if !r.sealed {
		ev = ev.AppendAttributes(sdk.NewAttribute("price", r.price.String()))
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(ev)
	return stored.Seq, nil
}

// openOrder loads an order that is still on the book, as core's value.
func (k Keeper) openOrder(ctx context.Context, id market.OrderID) (market.Order, error) {
	so, err := k.GetOrder(ctx, id)
	if errors.Is(err, types.ErrOrderNotFound) {
		return market.Order{}, fmt.Errorf("%w: %s was never created", market.ErrUnknownOrder, id)
	} else if err != nil {
		return market.Order{}, err
	}
	if so.State != types.OrderOpen {
		return market.Order{}, fmt.Errorf("%w: order %s is %s since height %d", market.ErrUnknownOrder, id, so.State, so.ClosedAt)
	}
	return so.ToCore()
}

// RevealBid opens a sealed bid, as core decides (market.CheckReveal). A
// reveal that does not open the commitment is refused and changes nothing
// (the provider may still reveal correctly). A matching reveal is stored even
// when its price is not eligible: Match then refunds it as ineligible.
func (k Keeper) RevealBid(ctx context.Context, m *types.MsgRevealBid) error {
	rev, err := m.RevealedBid()
	if err != nil {
		return fmt.Errorf("%w: %v", types.ErrInvalidReveal, err)
	}
	if rev.Bid.Provider != m.Provider {
		return fmt.Errorf("%w: the reveal is for provider %s but %s signs it", types.ErrUnauthorized, rev.Bid.Provider, m.Provider)
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	o, err := k.openOrder(ctx, rev.Bid.OrderID)
	if err != nil {
		return err
	}
	key := types.BidKey(rev.Bid)
	b, err := k.Bids.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return fmt.Errorf("%w: %s never committed", market.ErrUnknownBid, rev.Bid)
	} else if err != nil {
		return err
	}
	var c market.Commitment
	copy(c[:], b.Commitment)
	if _, err := market.CheckReveal(&o, b.CoreState(), &c, &rev, h); err != nil {
		return err
	}
	b.State, b.Price = types.BidOpen, types.DecCoinFromCore(rev.Price)
	if err := k.Bids.Set(ctx, key, b); err != nil {
		return err
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent("akash.market.bid_revealed",
		sdk.NewAttribute("bid", rev.Bid.String()), sdk.NewAttribute("price", rev.Price.String())))
	return nil
}

// CloseBid withdraws a bid (or commitment), as core decides
// (market.CheckWithdraw): before its order's close height, once. Its deposit
// goes back now and the bid stays on record as withdrawn, so the provider
// cannot bid again to jump the queue.
func (k Keeper) CloseBid(ctx context.Context, m *types.MsgCloseBid) error {
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	id := market.BidID{OrderID: m.Order.ToCore(), Provider: m.Provider}
	key := types.BidKey(id)
	b, err := k.Bids.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return fmt.Errorf("%w: %s", market.ErrUnknownBid, id)
	} else if err != nil {
		return err
	}
	o, err := k.openOrder(ctx, id.OrderID)
	if err != nil {
		return err
	}
	if err := market.CheckWithdraw(&o, id, b.CoreState(), h); err != nil {
		return err
	}
	if err := k.refund(ctx, b); err != nil {
		return err
	}
	b.State, b.ClosedAt = types.BidWithdrawn, h
	return k.Bids.Set(ctx, key, b)
}

// refund returns a bid's deposit to its provider.
func (k Keeper) refund(ctx context.Context, b types.Bid) error {
	if b.Deposit.IsNil() || b.Deposit.IsZero() {
		return nil
	}
	addr, err := sdk.AccAddressFromBech32(b.ID.Provider)
	if err != nil {
		return fmt.Errorf("%w: provider %q: %v", types.ErrInvalidID, b.ID.Provider, err)
	}
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, addr, sdk.NewCoins(b.Deposit)); err != nil {
		return fmt.Errorf("market: refunding deposit %s of bid %s: %w", b.Deposit, b.ID, err)
	}
	return nil
}

// forfeit sends a bid's deposit to the community pool.
func (k Keeper) forfeit(ctx context.Context, b types.Bid) error {
	if b.Deposit.IsNil() || b.Deposit.IsZero() {
		return nil
	}
	if err := k.distr.FundCommunityPool(ctx, sdk.NewCoins(b.Deposit), k.ModuleAddress()); err != nil {
		return fmt.Errorf("market: forfeiting deposit %s of bid %s to the community pool: %w", b.Deposit, b.ID, err)
	}
	return nil
}
