package app

import (
	"github.com/akash-market/akash/node/x/deployment"
	deploymenttypes "github.com/akash-market/akash/node/x/deployment/types"
	"github.com/akash-market/akash/node/x/deployment/types/modulev1"
)

// The deployment module holds no coins (deposits go to escrow) and has no
// block hooks: it acts on transactions and on escrow's hooks.
func init() {
	registerAkashModule(akashModule{
		Name:   deploymenttypes.ModuleName,
		Config: &modulev1.Module{},
	})
}

var _ = deployment.ConsensusVersion // the import registers the module with depinject
