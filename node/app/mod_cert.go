package app

import (
	"github.com/akash-market/akash/node/x/cert"
	certtypes "github.com/akash-market/akash/node/x/cert/types"
	"github.com/akash-market/akash/node/x/cert/types/modulev1"
)

// The cert module holds no coins and has no block hooks.
func init() {
	registerAkashModule(akashModule{Name: certtypes.ModuleName, Config: &modulev1.Module{}})
}

var _ = cert.ConsensusVersion // the import registers the module with depinject
