// Package types holds the provider module's state and messages: providers
// (Provider, Attribute, Info), stake and unbonding (Stake, Unbonding),
// fulfillment history and reputation (History, ReputationParams), params,
// genesis, errors, and the query and msg services generated from proto/. (The
// generated gateway file's "reverse proxy" comment is about its HTTP handlers
// only.)
package types
