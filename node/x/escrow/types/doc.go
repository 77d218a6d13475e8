// Package types holds the escrow module's state: escrow accounts (Account,
// Deposit, Payment: a deployment's funds and its leases' payments, stored as
// core/lease accounts), params (take rate), genesis, errors, the hooks other
// modules implement to hear of closes, and the query service generated from
// proto/. (The generated gateway file's "reverse proxy" comment is about its
// HTTP handlers only.)
package types
