// Package whitepaper holds no code: its test suite is an executable reading
// of the Akash whitepaper's marketplace section, end to end across the three
// core packages: a manifest becomes an order (core/manifest), providers bid
// and the lowest eligible bid wins (core/market), and the match becomes a
// lease paid block by block from escrow until the escrow runs dry (core/lease).
//
// The suite drives the core the way both of the project's drivers do (the
// simulator and the chain's keepers): it passes heights in, takes decisions
// out as data, and applies the transfers to its own ledger, checking that not
// one unit of money is created or lost.
package whitepaper
