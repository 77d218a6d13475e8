// Package tunnelcert issues and verifies tunnel certificates: short-lived
// leaves that a provider signs with its on-chain root for one link (one allowed
// connection of one deployment), and that the peer provider checks before any
// byte of workload traffic flows.
//
// A tunnel certificate has
//   - Subject CN: the issuing provider's address (as its root's CN),
//   - one URI SAN: the link, akash://<owner>/<dseq>/<from>/<to>/<port>/<proto>,
//   - one DNS SAN: the link's TLS server name (overlay.Link.ServerName),
//   - ExtKeyUsage client and server auth, a fresh ECDSA P-256 key,
//   - a lifetime of hours, not months (Verifier.MaxLifetime bounds it).
//
// Verify refuses, each with its own error: a chain that does not end in a
// root that RootStore knows for the expected provider, a revoked root, a leaf
// naming another deployment or another connection, a leaf from another
// provider, an expired (or not yet valid) leaf, and a self-signed leaf.
package tunnelcert
