package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/deployment/types"
)

// InitGenesis stores params, deployments and groups. Escrow accounts and
// orders come from their own modules' genesis.
func (k Keeper) InitGenesis(ctx context.Context, g *types.GenesisState) error {
	if err := g.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, g.Params); err != nil {
		return err
	}
	for _, d := range g.Deployments {
		if err := k.Deployments.Set(ctx, collections.Join(d.Deployment.ID.Owner, d.Deployment.ID.Dseq), d.Deployment); err != nil {
			return err
		}
		for _, gr := range d.Groups {
			if err := k.Groups.Set(ctx, collections.Join3(gr.ID.Owner, gr.ID.Dseq, gr.ID.Gseq), gr); err != nil {
				return err
			}
		}
	}
	return nil
}

// ExportGenesis writes params and every deployment with its groups.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	g := &types.GenesisState{Params: p}
	err = k.Deployments.Walk(ctx, nil, func(_ DeploymentKey, d types.Deployment) (bool, error) {
		groups, err := k.groupsOf(ctx, market.DeploymentID{Owner: d.ID.Owner, DSeq: d.ID.Dseq})
		g.Deployments = append(g.Deployments, types.GenesisDeployment{Deployment: d, Groups: groups})
		return false, err
	})
	return g, err
}
