package keeper

//lint:file-ignore SA1019 invariants are deprecated with x/crisis, but the SDK's simulation still runs registered invariants

import (
	"context"
	"fmt"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/deployment/types"
)

// RegisterInvariants registers the deployment invariants.
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "deployments", func(ctx sdk.Context) (string, bool) {
		msg, broken := k.CheckDeployments(ctx)
		return sdk.FormatInvariant(types.ModuleName, "deployments", msg), broken
	})
}

// CheckDeployments: every deployment is well formed (ValidateStored: groups
// 1..n, a reason on every close), and its escrow account agrees with it: an
// active deployment has an active account; a closed one a closed account.
func (k Keeper) CheckDeployments(ctx context.Context) (string, bool) {
	var bad []string
	n := 0
	err := k.Deployments.Walk(ctx, nil, func(_ DeploymentKey, d types.Deployment) (bool, error) {
		n++
		id := market.DeploymentID{Owner: d.ID.Owner, DSeq: d.ID.Dseq}
		groups, err := k.groupsOf(ctx, id)
		if err != nil {
			return true, err
		}
		if err := types.ValidateStored(d, groups); err != nil {
			bad = append(bad, fmt.Sprintf("deployment %s: %v", id, err))
		}
		a, err := k.escrow.Account(ctx, id)
		if err != nil {
			bad = append(bad, fmt.Sprintf("deployment %s: escrow account: %v", id, err))
			return false, nil
		}
		if want := d.State == types.DeploymentActive; (a.State == lease.StateActive) != want {
			bad = append(bad, fmt.Sprintf("deployment %s is %s but its escrow account is %s", id, d.State, a.State))
		}
		return false, nil
	})
	if err != nil {
		bad = append(bad, err.Error())
	}
	if len(bad) > 0 {
		return strings.Join(bad, "\n"), true
	}
	return fmt.Sprintf("%d deployments consistent with their escrow accounts\n", n), false
}
