package types

import (
	"errors"

	errorsmod "cosmossdk.io/errors"

	"github.com/akash-market/akash/core/market"
)

// The market's refusals come from two places. The order lifecycle's rules
// live in core/market, with its errors (market.ErrBiddingClosed, ...): the
// chain does not copy them, it registers an ABCI code for each (coreCodes).
// What only the chain can refuse (a malformed address, a missing lease, an
// unauthorized signer, bad params) is registered here. Call sites wrap both
// kinds with the IDs, heights and amounts involved, and the msg server passes
// every error through WithCode so a client reads the code and the whole
// message, never "undefined code 1".
var (
	ErrInvalidID         = errorsmod.Register(ModuleName, 2, "invalid order, bid or lease id")
	ErrInvalidPrice      = errorsmod.Register(ModuleName, 3, "invalid price")
	ErrInvalidResources  = errorsmod.Register(ModuleName, 5, "invalid offered resources")
	ErrInvalidCommitment = errorsmod.Register(ModuleName, 6, "invalid commitment")
	ErrInvalidReveal     = errorsmod.Register(ModuleName, 7, "invalid reveal")
	ErrInvalidReason     = errorsmod.Register(ModuleName, 8, "invalid close reason")
	ErrInvalidParams     = errorsmod.Register(ModuleName, 9, "invalid market params")
	ErrOrderNotFound     = errorsmod.Register(ModuleName, 10, "order not found")
	ErrLeaseNotFound     = errorsmod.Register(ModuleName, 12, "lease not found")
	ErrUnauthorized      = errorsmod.Register(ModuleName, 23, "signer may not do this")
	ErrLeaseClosed       = errorsmod.Register(ModuleName, 24, "lease is already closed")
	ErrUnknownProvider   = errorsmod.Register(ModuleName, 25, "not a registered provider")
	ErrNotWired          = errorsmod.Register(ModuleName, 26, "market keeper is missing a keeper it needs")
	ErrInvalidGenesis    = errorsmod.Register(ModuleName, 27, "invalid market genesis")
)

// coreCodes are the ABCI codes of core/market's errors. A code, once
// released, keeps its meaning; new errors take new codes.
var coreCodes = []struct {
	code uint32
	err  error
}{
	{4, market.ErrInvalidDeposit},
	{11, market.ErrUnknownBid},
	{13, market.ErrUnknownOrder},
	{14, market.ErrBiddingClosed},
	{15, market.ErrDuplicateBid},
	{16, market.ErrIneligible},
	{17, market.ErrSealedOrder},
	{18, market.ErrNotSealed},
	{19, market.ErrRevealWindow},
	{20, market.ErrRevealMismatch},
	{21, market.ErrAlreadyRevealed},
	{22, market.ErrWithdrawTooLate},
	{28, market.ErrInvalidOrder},
	{29, market.ErrInvalidBid},
	{30, market.ErrDuplicateOrder},
	{31, market.ErrMalformedReveal},
	{32, market.ErrWithdrawn},
	{33, market.ErrInvalidMatching},
	{34, market.ErrPickWindow},
	{35, market.ErrNotAwaiting},
}

// The registry refuses a code used twice, by the chain's errors or core's.
func init() {
	for _, c := range coreCodes {
		errorsmod.Register(ModuleName, c.code, c.err.Error())
	}
}

// Code returns the ABCI code (in this module's codespace) that WithCode
// gives an error wrapping core error err, or 0 if core's err has none.
func Code(err error) uint32 {
	for _, c := range coreCodes {
		if c.err == err {
			return c.code
		}
	}
	return 0
}

// WithCode gives err the ABCI code and codespace of the first registered
// error it wraps: one of core's (coreCodes) or a chain error (this module's
// or another's, such as the bank's insufficient funds). The message is err's
// own, whole. errors.Is still sees everything err wraps.
func WithCode(err error) error {
	if err == nil {
		return nil
	}
	for _, c := range coreCodes {
		if errors.Is(err, c.err) {
			return &codedError{err: err, code: c.code, codespace: ModuleName}
		}
	}
	var reg *errorsmod.Error
	if errors.As(err, &reg) {
		return &codedError{err: err, code: reg.ABCICode(), codespace: reg.Codespace()}
	}
	return err
}

// codedError carries an ABCI code and codespace (what cosmossdk.io/errors
// reads through its coder and codespacer interfaces) on an error whose chain
// of %w wraps the SDK's own unwrapping cannot follow.
type codedError struct {
	err       error
	code      uint32
	codespace string
}

func (e *codedError) Error() string     { return e.err.Error() }
func (e *codedError) Unwrap() error     { return e.err }
func (e *codedError) ABCICode() uint32  { return e.code }
func (e *codedError) Codespace() string { return e.codespace }
