package types

import "cosmossdk.io/collections"

// ModuleName is the module's name and store key.
const (
	ModuleName = "deployment"
	StoreKey   = ModuleName
)

// Store prefixes, numbered once.
var (
	ParamsKey         = collections.NewPrefix(0)
	DeploymentsPrefix = collections.NewPrefix(1) // (owner, dseq) -> Deployment
	GroupsPrefix      = collections.NewPrefix(2) // (owner, dseq, gseq) -> Group
)
