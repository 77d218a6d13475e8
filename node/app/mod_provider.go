package app

import (
	authmodulev1 "cosmossdk.io/api/cosmos/auth/module/v1"

	"github.com/akash-market/akash/node/x/provider"
	providertypes "github.com/akash-market/akash/node/x/provider/types"
	"github.com/akash-market/akash/node/x/provider/types/modulev1"
)

// The provider module holds provider stake in its module account (blocked
// from plain sends so the stake book stays equal to the balance) and releases
// matured unbonding stake in EndBlock. Its ProvideModule also supplies x/gov's
// tally function (validator power + provider stake).
func init() {
	registerAkashModule(akashModule{
		Name:     providertypes.ModuleName,
		Config:   &modulev1.Module{},
		EndBlock: true,
		Account:  &authmodulev1.ModuleAccountPermission{Account: providertypes.ModuleName},
		Blocked:  true,
	})
}

var _ = provider.ConsensusVersion // the import registers the module with depinject
