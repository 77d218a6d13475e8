// Package manifest is the tenant's manifest, compatible with Akash SDL 2.x:
// Parse reads and validates a file (every problem at once, each as
// file:line:col, key path, problem and hint), and the Manifest it returns
// gives the canonical form and its hash (the deployment's version, recorded
// on chain), the groups of resource units that become orders, and the
// connection topology (which service may reach which, over which port) that
// the overlay turns into tunnels and allow-rules.
//
// Like all of core/ it is pure: no IO, clocks or randomness; the same bytes
// give the same Manifest, version and errors on every machine.
package manifest
