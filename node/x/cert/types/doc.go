// Package types holds the cert module's state and messages: each
// participant's certificate (Certificate: its PEM, public key, state), the
// create and revoke messages, genesis, errors and the query and msg services
// generated from proto/. (The generated gateway file's "reverse proxy"
// comment is about its HTTP handlers only.)
package types
