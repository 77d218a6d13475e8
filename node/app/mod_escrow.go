package app

import (
	authmodulev1 "cosmossdk.io/api/cosmos/auth/module/v1"

	"github.com/akash-market/akash/node/x/escrow"
	escrowtypes "github.com/akash-market/akash/node/x/escrow/types"
	"github.com/akash-market/akash/node/x/escrow/types/modulev1"
)

// The escrow module account holds every coin deposited into any deployment's
// escrow account (blocked from plain sends so the module-balance invariant
// holds). EndBlock closes the accounts that run dry at that height, before
// market matches orders. Hooks (market, deployment) are installed by
// escrow.InvokeSetHooks through depinject.
func init() {
	registerAkashModule(akashModule{
		Name:     escrowtypes.ModuleName,
		Config:   &modulev1.Module{},
		EndBlock: true,
		Account:  &authmodulev1.ModuleAccountPermission{Account: escrowtypes.ModuleName},
		Blocked:  true,
	})
}

var _ = escrow.ConsensusVersion // the import registers the module with depinject
