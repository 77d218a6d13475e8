// Package overlaylink wires the overlay (overlay/, issue 8) into the provider
// daemon: it fetches a deployment's manifest from the fellow providers of
// its leases when the tenant sent it elsewhere (ManifestPeers), and runs the
// tunnels of the deployments whose services sit at several providers
// (Tunnels). The overlay packages do the work; this package finds the
// peers on chain and owns the lifecycles.
package overlaylink
