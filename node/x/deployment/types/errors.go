package types

import "cosmossdk.io/errors"

// Errors, registered once; call sites wrap them with the deployment and the value involved.
var (
	ErrInvalidMsg         = errors.Register(ModuleName, 2, "invalid deployment message")
	ErrDeploymentExists   = errors.Register(ModuleName, 3, "deployment already exists")
	ErrDeploymentNotFound = errors.Register(ModuleName, 4, "deployment not found")
	ErrDeploymentClosed   = errors.Register(ModuleName, 5, "deployment is closed")
	ErrGroupNotFound      = errors.Register(ModuleName, 6, "group not found")
	ErrDeposit            = errors.Register(ModuleName, 7, "deposit not accepted")
	ErrInvalidGenesis     = errors.Register(ModuleName, 8, "invalid deployment genesis")
	ErrSameVersion        = errors.Register(ModuleName, 9, "deployment already has this version")
	// ErrExceedsOrder: an update's groups do not fit the ordered ones.
	ErrExceedsOrder = errors.Register(ModuleName, 20, "manifest groups do not fit the ordered groups")
)

// ErrGrantLimit: a management action is outside the tenant's grant
// (ManageDeploymentsAuthorization); the wrap names the limit.
var ErrGrantLimit = errors.Register(ModuleName, 21, "outside the management grant")
