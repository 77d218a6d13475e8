// Package conv converts between the chain's wire types (sdk.Coin, sdk.DecCoin,
// math.LegacyDec, the generated proto IDs and GroupSpec) and the core's value
// types (core/money, core/market IDs, core/manifest.Group).
//
// Every conversion is exact: amounts travel as integers of atto-units (10^-18),
// never through a float, and a value the other side cannot hold (negative,
// more than 256 bits of atto-units, a fractional amount where bank needs whole
// units) is an error that says which value and why, never a rounding.
package conv
