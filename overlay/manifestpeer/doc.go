// Package manifestpeer passes a deployment's manifest between its lease
// participants over mutual TLS, so that a tenant may send it to one winning
// provider and every other provider of the deployment fetches it from a peer.
//
// The protocol (docs/overlay.md has the whole design):
//
//	GET /v1/deployments/{owner}/{dseq}/manifest
//	  client certificate: the requester's on-chain root (or a leaf under it)
//	  200: body = the manifest's canonical bytes (manifest.Canonical()),
//	       header Akash-Manifest-Version: the body's version (manifest.Version, hex)
//	  403: the requester is not a participant (the deployment's owner or a
//	       provider with an active lease on it): the body never leaves
//	  404: this provider does not hold that deployment's manifest (yet)
//
// The Handler answers only participants; the Fetcher asks peers in turn and
// accepts only a body whose manifest version (Akash's: the hash of the
// services a provider runs, core/manifest Version) equals the version on
// chain, so a peer can withhold a manifest but never change what runs.
// Prices and placement requirements are not in the version: they come from
// the lease's group on chain, never from a manifest. A provider fetches a
// deployment's manifest once (per version) and shares it with all its tunnels
// and services: large manifests go out once per peer, not once per tunnel.
package manifestpeer
