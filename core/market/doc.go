// Package market holds the spot market's rules: orders made from manifest
// groups, bids (fulfillment orders) from providers, the eligibility checks a
// bid must pass, matching at the close of an order's bidding window, sealed
// (commit/reveal) bidding, and an in-memory order book that applies all of it
// incrementally.
//
// The package is shaped like etcd's raft: it is a pure state machine that the
// caller drives with block heights, and every decision comes back as data (a
// Result naming the winner, why each other bid lost, and what happens to each
// deposit) for the caller (the simulator or the chain's market keeper) to apply.
// It never reads a clock, draws randomness, or touches IO.
//
// The rules are usable without the book, and the book uses nothing else: the
// order lifecycle (lifecycle.go) is a set of pure decisions that a chain
// keeper, which keeps orders and bids in its own store, calls exactly as the
// book does:
//
//	CheckPlacement, CheckEarlierBid, BidDeposit  // may this bid or commitment be placed
//	Admission(order, bid, kind) Reason            // may it compete (eligibility), and if not why
//	CheckReveal, CheckWithdraw                    // reveals and withdrawals, with their windows
//	Match(order, bids) Result                     // the outcome of closing an order
//
// The lowest-price rule (lower price, then earlier (height, seq)) is one
// function, beats, which Match and the book's incremental best bid share.
//
// Eligibility is a pipeline of small checks in the style of Nomad's feasibility
// checkers (see eligibility.go): each looks at one dimension and, when it
// fails, names that dimension as a Reason, so an unmatched order can say why.
package market
