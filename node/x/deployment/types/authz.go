package types

import (
	"context"
	"fmt"
	"slices"
	"strings"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
)

var _ authz.Authorization = &ManageDeploymentsAuthorization{}

// RegionKey is the placement attribute a grant's regions bound.
const RegionKey = "region"

// The limits a refusal names (ErrGrantLimit wraps start with one of them), as
// the CLI's flags spell them.
const (
	LimitAllowed     = "actions"
	LimitSpend       = "spend-limit"
	LimitMaxPrice    = "max-price"
	LimitDeployments = "max-deployments"
	LimitRegions     = "regions"
	LimitManaged     = "managed"
)

// NewManageDeploymentsAuthorization is a fresh grant: nothing spent, no
// deployment live. allowed nil allows every action.
func NewManageDeploymentsAuthorization(allowed []string, spend sdk.Coin, maxPrice sdk.DecCoin, maxDeployments uint32, regions []string) *ManageDeploymentsAuthorization {
	if allowed == nil {
		allowed = slices.Clone(Actions)
	}
	return &ManageDeploymentsAuthorization{Allowed: allowed, SpendLeft: spend, Spent: sdk.NewCoin(spend.Denom, sdkmath.ZeroInt()),
		MaxPrice: maxPrice, MaxDeployments: maxDeployments, Regions: regions}
}

// MsgTypeURL is MsgManageDeployment's: the grant covers that message only.
func (a ManageDeploymentsAuthorization) MsgTypeURL() string {
	return sdk.MsgTypeURL(&MsgManageDeployment{})
}

func limitf(limit, format string, args ...any) error {
	return ErrGrantLimit.Wrapf(limit+": "+format, args...)
}

// ValidateBasic checks the grant's own bounds.
func (a ManageDeploymentsAuthorization) ValidateBasic() error {
	if len(a.Allowed) == 0 {
		return limitf(LimitAllowed, "empty; allow at least one of %s", strings.Join(Actions, ", "))
	}
	for _, s := range a.Allowed {
		if !slices.Contains(Actions, s) {
			return limitf(LimitAllowed, "%q is not an action; want some of %s", s, strings.Join(Actions, ", "))
		}
	}
	if err := a.SpendLeft.Validate(); err != nil {
		return limitf(LimitSpend, "%s: %v; want e.g. 50000000uakt", a.SpendLeft, err)
	}
	if err := a.Spent.Validate(); err != nil || a.Spent.Denom != a.SpendLeft.Denom {
		return limitf(LimitSpend, "spent %s: must be a valid amount in %s", a.Spent, a.SpendLeft.Denom)
	}
	if err := a.MaxPrice.Validate(); err != nil || !a.MaxPrice.IsPositive() {
		return limitf(LimitMaxPrice, "%s: must be a positive price per block per group, e.g. 1000uakt", a.MaxPrice)
	}
	if a.MaxDeployments == 0 {
		return limitf(LimitDeployments, "0; must be at least 1")
	}
	for _, r := range a.Regions {
		if r == "" {
			return limitf(LimitRegions, "an empty region; name each region as providers' region attribute does")
		}
	}
	if uint32(len(a.Live)) > a.MaxDeployments {
		return limitf(LimitDeployments, "%d live deployments recorded, more than the %d allowed", len(a.Live), a.MaxDeployments)
	}
	return nil
}

// Accept admits msg if it is within every bound and returns the grant with
// its spend and live deployments brought up to date. Refusals are
// ErrGrantLimit wrapped with the limit's name, what was asked and the limit.
func (a ManageDeploymentsAuthorization) Accept(_ context.Context, msg sdk.Msg) (authz.AcceptResponse, error) {
	m, ok := msg.(*MsgManageDeployment)
	if !ok {
		return authz.AcceptResponse{}, ErrInvalidMsg.Wrapf("%T: a deployment management grant accepts only %s", msg, a.MsgTypeURL())
	}
	if err := m.ValidateBasic(); err != nil {
		return authz.AcceptResponse{}, err
	}
	action := m.Action()
	if !slices.Contains(a.Allowed, action) {
		return authz.AcceptResponse{}, limitf(LimitAllowed, "%s is not allowed; the grant allows %s", action, strings.Join(a.Allowed, ", "))
	}
	next := a
	next.Allowed = slices.Clone(a.Allowed)
	next.Regions = slices.Clone(a.Regions)
	next.Live = slices.Clone(a.Live)
	dseq := m.Dseq()
	managed := slices.Contains(a.Live, dseq)
	switch action {
	case ActionCreate:
		if uint32(len(a.Live)) >= a.MaxDeployments {
			return authz.AcceptResponse{}, limitf(LimitDeployments, "creating deployment %d would make %d live; the grant allows %d (live: %v)",
				dseq, len(a.Live)+1, a.MaxDeployments, a.Live)
		}
		if err := a.checkGroups(m.Create.Groups); err != nil {
			return authz.AcceptResponse{}, err
		}
		if err := next.spend(m.Create.Deposit); err != nil {
			return authz.AcceptResponse{}, err
		}
		if !managed {
			next.Live = append(next.Live, dseq)
			slices.Sort(next.Live)
		}
	case ActionDeposit:
		if err := next.spend(m.Deposit.Amount); err != nil {
			return authz.AcceptResponse{}, err
		}
	case ActionUpdate:
		if !managed {
			return authz.AcceptResponse{}, limitf(LimitManaged, "deployment %d was not created under this grant (managed: %v); the grant updates only its own", dseq, a.Live)
		}
		if err := a.checkGroups(m.Update.Groups); err != nil {
			return authz.AcceptResponse{}, err
		}
	case ActionClose:
		if !managed {
			return authz.AcceptResponse{}, limitf(LimitManaged, "deployment %d was not created under this grant (managed: %v); the grant closes only its own", dseq, a.Live)
		}
		next.Live = slices.DeleteFunc(next.Live, func(d uint64) bool { return d == dseq })
	}
	return authz.AcceptResponse{Accept: true, Updated: &next}, nil
}

// spend takes c off what is left, exactly, or names the limit.
func (a *ManageDeploymentsAuthorization) spend(c sdk.Coin) error {
	if c.Denom != a.SpendLeft.Denom {
		return limitf(LimitSpend, "%s: the grant spends only %s", c, a.SpendLeft.Denom)
	}
	if c.Amount.GT(a.SpendLeft.Amount) {
		return limitf(LimitSpend, "%s is more than the %s left (spent %s of %s)", c, a.SpendLeft, a.Spent, a.SpendLeft.Add(a.Spent))
	}
	a.SpendLeft = a.SpendLeft.Sub(c)
	a.Spent = a.Spent.Add(c)
	return nil
}

// checkGroups bounds each group's price per block and its region.
func (a ManageDeploymentsAuthorization) checkGroups(groups []GroupSpec) error {
	for i, g := range groups {
		price := sdkmath.LegacyZeroDec()
		for j, r := range g.Resources {
			if r.Price.Denom != a.MaxPrice.Denom {
				return limitf(LimitMaxPrice, "groups[%d] (%s).resources[%d].price %s: the grant pays only in %s", i, g.Name, j, r.Price, a.MaxPrice.Denom)
			}
			price = price.Add(r.Price.Amount.MulInt64(int64(r.Count)))
		}
		if price.GT(a.MaxPrice.Amount) {
			return limitf(LimitMaxPrice, "groups[%d] (%s) bids up to %s%s per block (price × count); the grant allows %s per group",
				i, g.Name, price, a.MaxPrice.Denom, a.MaxPrice)
		}
		if len(a.Regions) == 0 {
			continue
		}
		var regions []string
		for _, at := range g.Requirements.Attributes {
			if at.Key == RegionKey {
				regions = append(regions, at.Value)
			}
		}
		if len(regions) == 0 {
			return limitf(LimitRegions, "groups[%d] (%s) requires no %s attribute; the grant places groups only in %s", i, g.Name, RegionKey, strings.Join(a.Regions, ", "))
		}
		for _, r := range regions {
			if !slices.Contains(a.Regions, r) {
				return limitf(LimitRegions, "groups[%d] (%s) requires %s=%s; the grant places groups only in %s", i, g.Name, RegionKey, r, strings.Join(a.Regions, ", "))
			}
		}
	}
	return nil
}

// Limit is the spend limit the grant was given: what is left plus what was spent.
func (a ManageDeploymentsAuthorization) Limit() sdk.Coin { return a.SpendLeft.Add(a.Spent) }

// Summary is a one-line account of the grant for status output.
func (a ManageDeploymentsAuthorization) Summary() string {
	return fmt.Sprintf("allowed %s; spent %s of %s; max price %s per group per block; %d of %d deployments live %v; regions %s",
		strings.Join(a.Allowed, ","), a.Spent, a.Limit(), a.MaxPrice, len(a.Live), a.MaxDeployments, a.Live, strings.Join(a.Regions, ","))
}
