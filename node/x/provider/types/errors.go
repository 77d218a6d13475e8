package types

import "cosmossdk.io/errors"

// Errors of the provider module, registered once; call sites wrap them with
// the address, field and amount involved and say what would be right.
var (
	ErrInvalidAddress    = errors.Register(ModuleName, 2, "invalid address")
	ErrInvalidHostURI    = errors.Register(ModuleName, 3, "invalid host URI")
	ErrInvalidAttribute  = errors.Register(ModuleName, 4, "invalid attribute")
	ErrInvalidInfo       = errors.Register(ModuleName, 5, "invalid provider info")
	ErrProviderExists    = errors.Register(ModuleName, 6, "provider already registered")
	ErrProviderNotFound  = errors.Register(ModuleName, 7, "provider not registered")
	ErrProviderBusy      = errors.Register(ModuleName, 8, "provider has active leases or bonded stake")
	ErrInvalidAmount     = errors.Register(ModuleName, 9, "invalid amount")
	ErrStake             = errors.Register(ModuleName, 10, "stake operation refused")
	ErrInvalidParams     = errors.Register(ModuleName, 11, "invalid params")
	ErrUnauthorized      = errors.Register(ModuleName, 12, "signer is not the params authority")
	ErrInvalidGenesis    = errors.Register(ModuleName, 13, "invalid genesis")
	ErrInvalidCloseEvent = errors.Register(ModuleName, 14, "invalid lease close")
)
