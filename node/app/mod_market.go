package app

import (
	authmodulev1 "cosmossdk.io/api/cosmos/auth/module/v1"

	"github.com/akash-market/akash/node/x/market"
	markettypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/node/x/market/types/modulev1"
)

// The market module holds bid deposits in its module account (blocked from
// plain sends, so the deposits-held invariant compares it with the bids) and
// matches the orders due at each height in EndBlock, after escrow has closed
// the accounts that ran dry at that height.
func init() {
	registerAkashModule(akashModule{
		Name:     markettypes.ModuleName,
		Config:   &modulev1.Module{},
		EndBlock: true,
		Account:  &authmodulev1.ModuleAccountPermission{Account: markettypes.ModuleName},
		Blocked:  true,
	})
}

var _ = market.ConsensusVersion // the import registers the module with depinject
