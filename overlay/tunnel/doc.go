// Package tunnel carries a deployment's allowed cross-provider connections
// over mutual TLS.
//
// What "one tunnel per allowed connection" means here: every overlay.Link (one
// allowed connection from->to:port/proto of one deployment whose ends sit at
// two providers) gets its own Tunnel at the client provider and its own Route
// at the server provider. A Tunnel owns one local listener (the address the
// client workload reaches as to:port), one tunnel certificate naming exactly
// that link, one state machine and one set of counters. Each workload TCP
// stream accepted on the listener is carried by its own mutual-TLS connection
// (TLS 1.3, ECDSA P-256) to the server provider's Endpoint, authenticated with
// the link's certificates on both sides. Nothing is multiplexed: a slow stream
// cannot stall another one, a broken TCP path breaks only the streams on it,
// and the peer's certificate and its root's on-chain state are checked again
// for every stream, so a revoked root stops new streams at once.
//
// The Endpoint is one TLS listener per provider. The client asks for the
// link's server name (SNI, a hash of the link URI); the Endpoint answers with
// that link's certificate, requires the client's, verifies it against the
// same link, and only then dials the server workload. An unknown server name
// fails the handshake: a link that is not routed finds nothing.
//
// State: a Tunnel is Connecting until its first handshake with the peer
// succeeds, then Up; a failed handshake or dial makes it Down, and it probes
// the peer with exponential backoff (with jitter) until a handshake succeeds
// again. While Up and idle it probes every ProbeEvery, so an idle tunnel
// notices a partition too. Streams accepted while the tunnel is not Up wait up
// to DialTimeout for it to come back.
//
// Wire protocol, after the TLS handshake: the client writes one op byte ('S'
// open a stream, 'P' probe); the server answers one status byte ('K' ok) or
// 'E', a length byte and a message (e.g. the workload refused the dial). After
// 'K' on a stream, bytes flow unchanged both ways; TLS close_notify carries a
// half-close.
package tunnel
