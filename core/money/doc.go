// Package money is the project's exact arithmetic for prices, balances and stake.
//
// A Dec is a non-negative decimal with exactly 18 fractional digits, the
// precision of the Cosmos SDK's LegacyDec that Akash uses for DecCoin prices.
// It is stored as a 256-bit unsigned count of 10^-18 units ("atto-units"), so
// every value Akash can express fits and comparisons cost four word compares.
//
// Nothing here uses floats. Every operation that can overflow or go below zero
// reports it instead of wrapping, because money that silently wraps breaks
// conservation (deposited = paid + refunded + held) without anyone noticing.
// Dec is a value type: operations return new values and never allocate.
package money
