package types

import "cosmossdk.io/errors"

// Errors are registered once here; call sites wrap them with the order, bid or
// lease ID, the heights and amounts involved, and what would be right.
var (
	ErrInvalidID         = errors.Register(ModuleName, 2, "invalid order, bid or lease id")
	ErrInvalidPrice      = errors.Register(ModuleName, 3, "invalid price")
	ErrInvalidDeposit    = errors.Register(ModuleName, 4, "invalid bid deposit")
	ErrInvalidResources  = errors.Register(ModuleName, 5, "invalid offered resources")
	ErrInvalidCommitment = errors.Register(ModuleName, 6, "invalid commitment")
	ErrInvalidReveal     = errors.Register(ModuleName, 7, "invalid reveal")
	ErrInvalidReason     = errors.Register(ModuleName, 8, "invalid close reason")
	ErrInvalidParams     = errors.Register(ModuleName, 9, "invalid market params")
	ErrOrderNotFound     = errors.Register(ModuleName, 10, "order not found")
	ErrBidNotFound       = errors.Register(ModuleName, 11, "bid not found")
	ErrLeaseNotFound     = errors.Register(ModuleName, 12, "lease not found")
	ErrOrderNotOpen      = errors.Register(ModuleName, 13, "order is not open")
	ErrBiddingClosed     = errors.Register(ModuleName, 14, "order is not taking bids at this height")
	ErrDuplicateBid      = errors.Register(ModuleName, 15, "provider already bid on this order")
	ErrIneligible        = errors.Register(ModuleName, 16, "bid is not eligible for the order")
	ErrSealedOrder       = errors.Register(ModuleName, 17, "order takes sealed bids: commit, then reveal")
	ErrNotSealed         = errors.Register(ModuleName, 18, "order takes open bids: bid in the clear")
	ErrRevealWindow      = errors.Register(ModuleName, 19, "reveal outside the order's reveal window")
	ErrRevealMismatch    = errors.Register(ModuleName, 20, "reveal does not match the commitment")
	ErrAlreadyRevealed   = errors.Register(ModuleName, 21, "bid is not a sealed commitment")
	ErrBidNotOpen        = errors.Register(ModuleName, 22, "bid cannot be closed in its state")
	ErrUnauthorized      = errors.Register(ModuleName, 23, "signer may not do this")
	ErrLeaseClosed       = errors.Register(ModuleName, 24, "lease is already closed")
	ErrUnknownProvider   = errors.Register(ModuleName, 25, "not a registered provider")
	ErrNotWired          = errors.Register(ModuleName, 26, "market keeper is missing a keeper it needs")
	ErrInvalidGenesis    = errors.Register(ModuleName, 27, "invalid market genesis")
)
