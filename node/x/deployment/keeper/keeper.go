// Package keeper holds deployments and their groups, opens their escrow
// accounts and hands each group to the market as an order.
package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/conv"
	"github.com/akash-market/akash/node/x/deployment/types"
	escrowtypes "github.com/akash-market/akash/node/x/escrow/types"
)

// DeploymentKey is (owner, dseq); GroupKey is (owner, dseq, gseq).
type (
	DeploymentKey = collections.Pair[string, uint64]
	GroupKey      = collections.Triple[string, uint64, uint32]
)

// Keeper is the deployment module's keeper.
type Keeper struct {
	cdc    codec.BinaryCodec
	escrow types.EscrowKeeper
	market types.MarketKeeper // nil until the market module is wired

	Schema      collections.Schema
	Params      collections.Item[types.Params]
	Deployments collections.Map[DeploymentKey, types.Deployment]
	Groups      collections.Map[GroupKey, types.Group]
}

// NewKeeper builds the keeper; market may be nil (no orders are created then).
func NewKeeper(cdc codec.BinaryCodec, store corestore.KVStoreService, escrow types.EscrowKeeper, mkt types.MarketKeeper) Keeper {
	sb := collections.NewSchemaBuilder(store)
	k := Keeper{
		cdc:    cdc,
		escrow: escrow,
		market: mkt,
		Params: collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Deployments: collections.NewMap(sb, types.DeploymentsPrefix, "deployments",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), codec.CollValue[types.Deployment](cdc)),
		Groups: collections.NewMap(sb, types.GroupsPrefix, "groups",
			collections.TripleKeyCodec(collections.StringKey, collections.Uint64Key, collections.Uint32Key), codec.CollValue[types.Group](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

func dkey(id market.DeploymentID) DeploymentKey { return collections.Join(id.Owner, id.DSeq) }

// Deployment returns a deployment and its groups in gseq order.
func (k Keeper) Deployment(ctx context.Context, id market.DeploymentID) (types.Deployment, []types.Group, error) {
	d, err := k.Deployments.Get(ctx, dkey(id))
	if errors.Is(err, collections.ErrNotFound) {
		return types.Deployment{}, nil, types.ErrDeploymentNotFound.Wrapf("deployment %s does not exist", id)
	}
	if err != nil {
		return types.Deployment{}, nil, err
	}
	groups, err := k.groupsOf(ctx, id)
	return d, groups, err
}

func (k Keeper) groupsOf(ctx context.Context, id market.DeploymentID) ([]types.Group, error) {
	var out []types.Group
	rng := collections.NewSuperPrefixedTripleRange[string, uint64, uint32](id.Owner, id.DSeq)
	err := k.Groups.Walk(ctx, rng, func(_ GroupKey, g types.Group) (bool, error) {
		out = append(out, g)
		return false, nil
	})
	return out, err
}

func (k Keeper) active(ctx context.Context, id market.DeploymentID) (types.Deployment, []types.Group, error) {
	d, groups, err := k.Deployment(ctx, id)
	if err != nil {
		return d, nil, err
	}
	if d.State != types.DeploymentActive {
		return d, nil, types.ErrDeploymentClosed.Wrapf("deployment %s closed at height %d (%s: %s)", id, d.ClosedAt, d.CloseReason, d.CloseDetail)
	}
	return d, groups, nil
}

// Create stores a deployment with its groups, opens its escrow account with
// the deposit and creates one market order per group.
func (k Keeper) Create(ctx context.Context, msg *types.MsgCreateDeployment) error {
	id := market.DeploymentID{Owner: msg.Owner, DSeq: msg.Dseq}
	if has, err := k.Deployments.Has(ctx, dkey(id)); err != nil {
		return err
	} else if has {
		return types.ErrDeploymentExists.Wrapf("deployment %s exists; pick another --dseq", id)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	min := params.MinDeposits.AmountOf(msg.Deposit.Denom)
	if !min.IsPositive() {
		return types.ErrDeposit.Wrapf("deposit %s: denom %q is not accepted; accepted minimums are %s", msg.Deposit, msg.Deposit.Denom, params.MinDeposits)
	}
	if err := checkOpeningDeposit(msg.Deposit, min); err != nil {
		return types.ErrDeposit.Wrapf("deployment %s: %v", id, err)
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	d := types.Deployment{ID: conv.ProtoDeploymentID(id), State: types.DeploymentActive, Version: msg.Version, CreatedAt: h}
	if err := k.Deployments.Set(ctx, dkey(id), d); err != nil {
		return err
	}
	if err := k.escrow.OpenAccount(ctx, id, msg.Owner, msg.Deposit); err != nil {
		return err
	}
	for i, spec := range msg.Groups {
		gid := market.GroupID{DeploymentID: id, GSeq: uint32(i + 1)}
		g := types.Group{ID: conv.ProtoGroupID(gid), State: types.GroupOpen, Spec: spec, CreatedAt: h,
			Sealed: msg.Sealed, MinReputation: msg.MinReputation}
		if err := k.Groups.Set(ctx, collections.Join3(id.Owner, id.DSeq, gid.GSeq), g); err != nil {
			return err
		}
		if k.market == nil {
			continue
		}
		mg, err := conv.ManifestGroup(spec)
		if err != nil {
			return types.ErrInvalidMsg.Wrapf("groups[%d]: %v", i, err)
		}
		if _, err := k.market.CreateOrder(ctx, gid, mg, g.Asks()); err != nil {
			return fmt.Errorf("deployment %s: order for group %d (%q): %w", id, gid.GSeq, spec.Name, err)
		}
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent("akash.deployment.created",
		sdk.NewAttribute("deployment", id.String()), sdk.NewAttribute("groups", fmt.Sprint(len(msg.Groups))),
		sdk.NewAttribute("deposit", msg.Deposit.String())))
	return nil
}

// Deposit adds funds to an active deployment's escrow account.
func (k Keeper) Deposit(ctx context.Context, msg *types.MsgDepositDeployment) error {
	id := market.DeploymentID{Owner: msg.Owner, DSeq: msg.Dseq}
	if _, _, err := k.active(ctx, id); err != nil {
		return err
	}
	return k.escrow.Deposit(ctx, id, msg.Depositor, msg.Amount)
}

// Update records a new manifest version. The groups stay as they are: the
// message's groups (the new manifest's) must fit the ordered ones
// (manifest.FitsOrders), else more than was paid for could run; a manifest
// that needs other groups needs a new deployment.
func (k Keeper) Update(ctx context.Context, msg *types.MsgUpdateDeployment) error {
	id := market.DeploymentID{Owner: msg.Owner, DSeq: msg.Dseq}
	d, groups, err := k.active(ctx, id)
	if err != nil {
		return err
	}
	if string(d.Version) == string(msg.Version) {
		return types.ErrSameVersion.Wrapf("deployment %s is already at version %x", id, msg.Version)
	}
	ordered, err := conv.OrderedGroups(groups)
	if err != nil {
		return err
	}
	got := make([]manifest.Group, len(msg.Groups))
	for i, spec := range msg.Groups {
		if got[i], err = conv.ManifestGroup(spec); err != nil {
			return types.ErrInvalidMsg.Wrapf("groups[%d]: %v", i, err)
		}
	}
	if err := manifest.FitsOrders(ordered, got); err != nil {
		return types.ErrExceedsOrder.Wrapf("deployment %s: %v", id, err)
	}
	d.Version = msg.Version
	if err := k.Deployments.Set(ctx, dkey(id), d); err != nil {
		return err
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent("akash.deployment.updated",
		sdk.NewAttribute("deployment", id.String()), sdk.NewAttribute("version", fmt.Sprintf("%x", msg.Version))))
	return nil
}

// Close closes the deployment with the tenant's reason: its groups (their
// open orders and active leases, through market), then its escrow account
// (every lease paid to now, the rest refunded).
func (k Keeper) Close(ctx context.Context, id market.DeploymentID, c lease.Closure) error {
	d, groups, err := k.active(ctx, id)
	if err != nil {
		return err
	}
	if err := k.markClosed(ctx, d, groups, c); err != nil {
		return err
	}
	if k.market != nil {
		for _, g := range groups {
			if err := k.market.CloseGroup(ctx, conv.GroupID(g.ID), c); err != nil {
				return fmt.Errorf("deployment %s: closing group %d: %w", id, g.ID.Gseq, err)
			}
		}
	}
	return k.escrow.CloseAccount(ctx, id, c)
}

func (k Keeper) markClosed(ctx context.Context, d types.Deployment, groups []types.Group, c lease.Closure) error {
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	d.State, d.CloseReason, d.CloseDetail, d.ClosedAt = types.DeploymentClosed, c.Reason.String(), c.Detail, h
	if err := k.Deployments.Set(ctx, collections.Join(d.ID.Owner, d.ID.Dseq), d); err != nil {
		return err
	}
	for _, g := range groups {
		if g.State == types.GroupClosed {
			continue
		}
		g.State, g.CloseReason, g.CloseDetail, g.ClosedAt = types.GroupClosed, c.Reason.String(), c.Detail, h
		if err := k.Groups.Set(ctx, collections.Join3(g.ID.Owner, g.ID.Dseq, g.ID.Gseq), g); err != nil {
			return err
		}
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent("akash.deployment.closed",
		sdk.NewAttribute("deployment", fmt.Sprintf("%s/%d", d.ID.Owner, d.ID.Dseq)),
		sdk.NewAttribute("reason", c.Reason.String()), sdk.NewAttribute("detail", c.Detail)))
	return nil
}

// Hooks returns the deployment's escrow hooks.
func (k Keeper) Hooks() escrowtypes.Hooks { return hooks{k} }

type hooks struct{ k Keeper }

// OnLeaseClosed: a lease is the market's business; the deployment stays open.
func (hooks) OnLeaseClosed(context.Context, market.LeaseID, lease.Closure) error { return nil }

// OnAccountClosed marks the deployment and its groups closed with the
// escrow's reason (e.g. insufficient-funds and the balance that ran out).
// A deployment already closed (the tenant's own close) is left as it is.
func (h hooks) OnAccountClosed(ctx context.Context, id market.DeploymentID, c lease.Closure) error {
	d, groups, err := h.k.Deployment(ctx, id)
	if errors.Is(err, types.ErrDeploymentNotFound) {
		return nil // an escrow account opened by another module
	}
	if err != nil || d.State != types.DeploymentActive {
		return err
	}
	return h.k.markClosed(ctx, d, groups, c)
}

// checkOpeningDeposit applies core/lease's minimum-deposit rule to a coin.
func checkOpeningDeposit(deposit sdk.Coin, min sdkmath.Int) error {
	amount, err := conv.DecFromInt(deposit.Amount)
	if err != nil {
		return fmt.Errorf("deposit %s: %w", deposit, err)
	}
	least, err := conv.DecFromInt(min)
	if err != nil {
		return fmt.Errorf("min deposit %s: %w", min, err)
	}
	if err := lease.CheckOpeningDeposit(amount, least); err != nil {
		return fmt.Errorf("%w (%s)", err, deposit.Denom)
	}
	return nil
}
