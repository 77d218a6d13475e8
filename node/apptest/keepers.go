package apptest

import (
	"github.com/akash-market/akash/node/x/deployment"
	deploymentkeeper "github.com/akash-market/akash/node/x/deployment/keeper"
	deploymenttypes "github.com/akash-market/akash/node/x/deployment/types"
	"github.com/akash-market/akash/node/x/escrow"
	escrowkeeper "github.com/akash-market/akash/node/x/escrow/keeper"
	escrowtypes "github.com/akash-market/akash/node/x/escrow/types"
)

// The app exposes escrow's and deployment's keepers only through their
// modules (they are wired by depinject), so tests reach them here rather than
// each building its own lookup.

// EscrowKeeper is the app's escrow keeper, reached through the module manager.
func (c *Chain) EscrowKeeper() escrowkeeper.Keeper {
	return c.App.ModuleManager.Modules[escrowtypes.ModuleName].(escrow.AppModule).Keeper()
}

// DeploymentKeeper is the app's deployment keeper.
func (c *Chain) DeploymentKeeper() deploymentkeeper.Keeper {
	return c.App.ModuleManager.Modules[deploymenttypes.ModuleName].(deployment.AppModule).Keeper()
}
