package lease

import "errors"

// Errors are registered once here and wrapped at the call site with the IDs
// and amounts involved, so callers can match them with errors.Is.
var (
	ErrAccountClosed   = errors.New("escrow account is closed")
	ErrDenomMismatch   = errors.New("denomination does not match the escrow account")
	ErrZeroAmount      = errors.New("amount must be greater than zero")
	ErrHeightInPast    = errors.New("height is before the account's settled-to height")
	ErrLeaseExists     = errors.New("lease already exists in this escrow account")
	ErrLeaseNotFound   = errors.New("no such lease in this escrow account")
	ErrLeaseClosed     = errors.New("lease is already closed")
	ErrWrongDeployment = errors.New("lease belongs to another deployment")
	ErrNoReason        = errors.New("a close needs a reason")
	ErrReservedReason  = errors.New("close reason is decided by the escrow, not the caller")
	ErrBasisPoints     = errors.New("basis points must be at most 10000")
	ErrBadAddress      = errors.New("address must not be empty")
	ErrOverflow        = errors.New("amount overflows 256-bit fixed point")
	ErrConservation    = errors.New("escrow conservation broken")
	ErrBelowMinDeposit = errors.New("opening deposit below the minimum")

	ErrUnbondingPeriod   = errors.New("unbonding period must be at least 0 blocks")
	ErrInsufficientStake = errors.New("not enough bonded stake")
	ErrNoStake           = errors.New("provider has no stake")
	ErrStakeInvariant    = errors.New("stake conservation broken")
)
