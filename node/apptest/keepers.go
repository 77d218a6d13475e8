package apptest

import (
	"errors"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

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

// Scratch is a context on the committed state, at the next block's height
// or at height when it is not 0, whose writes are thrown away: each case of
// a keeper's table test runs in its own, so cases do not see each other.
func (c *Chain) Scratch(height int64) sdk.Context {
	ctx, _ := c.Ctx().CacheContext()
	if height != 0 {
		ctx = ctx.WithBlockHeight(height)
	}
	return ctx
}

// Refused checks a keeper call's error against a table case's: with want
// set, err must wrap it, and the case is done (true); with want nil, err
// must be nil and the case goes on to check the state (false).
func Refused(t testing.TB, err, want error) bool {
	t.Helper()
	if want != nil {
		if !errors.Is(err, want) {
			t.Fatalf("error %v; want %v", err, want)
		}
		return true
	}
	if err != nil {
		t.Fatal(err)
	}
	return false
}
