// Package types holds the market module's state and messages: orders, bids
// and leases (OrderID, Order, BidID, Bid, Offer, Lease), params (bidding
// windows, deposits), genesis, errors, conversions to core/market, and the
// query and msg services generated from proto/. (The generated gateway file's
// "reverse proxy" comment is about its HTTP handlers only.)
package types
