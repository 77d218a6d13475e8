package market

import "errors"

// Errors are defined once here, for every driver of the market: the book
// returns them, and the chain's market module registers an ABCI code for
// each (node/x/market/types/errors.go) instead of copying them. Call sites
// wrap them with the IDs and heights involved and what would be right, so
// callers can test with errors.Is and people can read what went wrong.
var (
	ErrInvalidOrder    = errors.New("market: invalid order")
	ErrInvalidBid      = errors.New("market: invalid bid")
	ErrInvalidDeposit  = errors.New("market: invalid bid deposit")
	ErrDuplicateOrder  = errors.New("market: order already in the book")
	ErrUnknownOrder    = errors.New("market: no such open order")
	ErrBiddingClosed   = errors.New("market: order is not taking bids at this height")
	ErrDuplicateBid    = errors.New("market: provider already bid on this order")
	ErrIneligible      = errors.New("market: bid is not eligible for the order")
	ErrUnknownBid      = errors.New("market: no such bid")
	ErrSealedOrder     = errors.New("market: order takes sealed bids; commit instead of bidding in the clear")
	ErrNotSealed       = errors.New("market: order takes open bids; bid in the clear instead of committing")
	ErrRevealWindow    = errors.New("market: reveal outside the reveal window")
	ErrRevealMismatch  = errors.New("market: reveal does not match the commitment")
	ErrAlreadyRevealed = errors.New("market: bid already revealed")
	ErrMalformedReveal = errors.New("market: malformed reveal")
	ErrWithdrawn       = errors.New("market: bid was withdrawn")
	ErrWithdrawTooLate = errors.New("market: bids can only be withdrawn before the order's close height")
	ErrInvalidMatching = errors.New("market: invalid matching mode")
	ErrPickWindow      = errors.New("market: order is not awaiting its tenant's pick at this height")
	ErrNotAwaiting     = errors.New("market: order is not awaiting its tenant's pick")
)
