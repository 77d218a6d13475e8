package types

import "cosmossdk.io/errors"

// Errors, registered once; call sites wrap them with the IDs and amounts involved.
var (
	ErrAccountNotFound = errors.Register(ModuleName, 2, "escrow account not found")
	ErrAccountExists   = errors.Register(ModuleName, 3, "escrow account already exists")
	ErrCore            = errors.Register(ModuleName, 4, "escrow rule refused the operation")
	ErrBank            = errors.Register(ModuleName, 5, "moving coins failed")
	ErrInvalidParams   = errors.Register(ModuleName, 6, "invalid escrow params")
	ErrInvalidGenesis  = errors.Register(ModuleName, 7, "invalid escrow genesis")
	ErrInvalidRequest  = errors.Register(ModuleName, 8, "invalid request")
)
