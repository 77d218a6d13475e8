package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
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

func (k Keeper) placeBid(ctx context.Context, r bidRequest) (uint64, error) {
	if err := k.needProvider(); err != nil {
		return 0, err
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	so, err := k.GetOrder(ctx, r.order)
	if err != nil {
		return 0, err
	}
	if so.State != types.OrderOpen {
		return 0, fmt.Errorf("%w: order %s is %s since height %d", types.ErrOrderNotOpen, r.order, so.State, so.ClosedAt)
	}
	o, err := so.ToCore()
	if err != nil {
		return 0, err
	}
	switch {
	case o.Sealed && !r.sealed:
		return 0, fmt.Errorf("%w: order %s", types.ErrSealedOrder, r.order)
	case !o.Sealed && r.sealed:
		return 0, fmt.Errorf("%w: order %s", types.ErrNotSealed, r.order)
	}
	if !o.TakesBidsAt(h) {
		return 0, fmt.Errorf("%w: order %s takes bids at heights %d..%d, this is %d", types.ErrBiddingClosed, r.order, o.OpenHeight, o.CloseHeight-1, h)
	}
	id := market.BidID{OrderID: r.order, Provider: r.provider}
	key := types.BidKey(id)
	if has, err := k.Bids.Has(ctx, key); err != nil {
		return 0, err
	} else if has {
		return 0, fmt.Errorf("%w: %s (one bid per provider per order; a withdrawn bid counts)", types.ErrDuplicateBid, id)
	}
	attrs, rep, ok, err := k.provider.Offer(ctx, r.provider)
	if err != nil {
		return 0, fmt.Errorf("market: provider %s: %w", r.provider, err)
	}
	if !ok {
		return 0, fmt.Errorf("%w: %s; register with `tx provider create` first", types.ErrUnknownProvider, r.provider)
	}
	p, err := k.GetParams(ctx)
	if err != nil {
		return 0, err
	}
	deposit, err := depositFor(r.deposit, p.BidMinDeposit)
	if err != nil {
		return 0, err
	}
	cdep, err := types.CoinToCore(deposit)
	if err != nil {
		return 0, err
	}
	cb := market.Bid{
		ID:       id,
		Offer:    market.Offer{Resources: r.resources.ToCore(), Attributes: attrs, Reputation: rep},
		PlacedAt: h,
		Deposit:  cdep,
	}
	stored := types.Bid{
		ID:       types.BidIDFromCore(id),
		Offer:    types.Offer{Resources: r.resources, Attributes: types.AttributesFromCore(attrs), Reputation: uint32(rep)},
		PlacedAt: h,
		Deposit:  deposit,
	}
	if r.sealed {
		if why := market.RunChecks(market.OfferChecks(), &o, &cb); why != market.ReasonNone {
			return 0, fmt.Errorf("%w: commitment %s fails %q", types.ErrIneligible, id, why)
		}
		stored.State, stored.Commitment = types.BidSealed, r.commitment
		stored.Price = types.DecCoinFromCore(cb.Price)
	} else {
		if cb.Price, err = types.DecCoinToCore(r.price); err != nil {
			return 0, err
		}
		if ok, why := market.Eligible(o, cb); !ok {
			return 0, fmt.Errorf("%w: bid %s at %s fails %q (order max %s)", types.ErrIneligible, id, r.price, why, so.MaxPrice)
		}
		stored.State, stored.Price = types.BidOpen, r.price
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
			return 0, fmt.Errorf("%w: bid %s: locking deposit %s: %v", types.ErrInvalidDeposit, id, deposit, err)
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

// depositFor is the deposit a bid locks: the one it offers, at least the
// minimum, or the minimum when it offers none.
func depositFor(offered, min sdk.Coin) (sdk.Coin, error) {
	if offered.Denom == "" && (offered.Amount.IsNil() || offered.Amount.IsZero()) {
		return min, nil
	}
	if offered.Denom != min.Denom || offered.Amount.LT(min.Amount) {
		return sdk.Coin{}, fmt.Errorf("%w: %s offered; at least %s is required", types.ErrInvalidDeposit, offered, min)
	}
	return offered, nil
}

// RevealBid opens a sealed bid during its order's reveal window. A reveal that
// does not open the commitment is refused and changes nothing (the provider
// may still reveal correctly). A matching reveal is stored even when its price
// is not eligible: Match then refunds it as ineligible (core's rule: the
// deposit secures revealing, not bidding well).
func (k Keeper) RevealBid(ctx context.Context, m *types.MsgRevealBid) error {
	rev, err := m.RevealedBid()
	if err != nil {
		return fmt.Errorf("%w: %v", types.ErrInvalidReveal, err)
	}
	if rev.Bid.Provider != m.Provider {
		return fmt.Errorf("%w: the reveal is for provider %s but %s signs it", types.ErrUnauthorized, rev.Bid.Provider, m.Provider)
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	so, err := k.GetOrder(ctx, rev.Bid.OrderID)
	if err != nil {
		return err
	}
	if !so.Sealed {
		return fmt.Errorf("%w: order %s has no commitments to reveal", types.ErrNotSealed, so.ID)
	}
	if so.State != types.OrderOpen || h < so.CloseHeight || h >= so.RevealEnd {
		return fmt.Errorf("%w: order %s takes reveals at heights %d..%d, this is %d", types.ErrRevealWindow, so.ID, so.CloseHeight, so.RevealEnd-1, h)
	}
	key := types.BidKey(rev.Bid)
	b, err := k.Bids.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return fmt.Errorf("%w: %s never committed", types.ErrBidNotFound, rev.Bid)
	} else if err != nil {
		return err
	}
	if b.State != types.BidSealed {
		return fmt.Errorf("%w: bid %s is %s", types.ErrAlreadyRevealed, rev.Bid, b.State)
	}
	var c market.Commitment
	copy(c[:], b.Commitment)
	if !rev.Verify(c) {
		return fmt.Errorf("%w: bid %s: sha256 of this reveal is %s, the commitment is %s; reveal the price and salt you committed", types.ErrRevealMismatch, rev.Bid, rev.Commitment(), c)
	}
	b.State, b.Price = types.BidOpen, types.DecCoinFromCore(rev.Price)
	if err := k.Bids.Set(ctx, key, b); err != nil {
		return err
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent("akash.market.bid_revealed",
		sdk.NewAttribute("bid", rev.Bid.String()), sdk.NewAttribute("price", rev.Price.String())))
	return nil
}

// CloseBid withdraws a bid (or commitment) before its order's close height;
// its deposit goes back now and the bid stays on record as withdrawn, so the
// provider cannot bid again to jump the queue.
func (k Keeper) CloseBid(ctx context.Context, m *types.MsgCloseBid) error {
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	id := market.BidID{OrderID: m.Order.ToCore(), Provider: m.Provider}
	key := types.BidKey(id)
	b, err := k.Bids.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return fmt.Errorf("%w: %s", types.ErrBidNotFound, id)
	} else if err != nil {
		return err
	}
	o, err := k.GetOrder(ctx, id.OrderID)
	if err != nil {
		return err
	}
	if b.State != types.BidOpen && b.State != types.BidSealed {
		return fmt.Errorf("%w: bid %s is %s", types.ErrBidNotOpen, id, b.State)
	}
	if o.State != types.OrderOpen || h >= o.CloseHeight {
		return fmt.Errorf("%w: bid %s: withdrawals end at the order's close height %d, this is %d", types.ErrBidNotOpen, id, o.CloseHeight, h)
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
