// Package e2e holds the provider's end-to-end test on a real devnet: the
// akash-node binary (built by the test), `devnet` with one validator, two
// `provider run` daemons on the real Docker Engine, and the tenant's
// `deploy` commands. It has no code of its own.
package e2e
