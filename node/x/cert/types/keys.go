package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name and store key.
	ModuleName = "cert"
	// StoreKey is the KV store of the module.
	StoreKey = ModuleName
)

// CertificatesPrefix keys (owner, serial) -> Certificate.
var CertificatesPrefix = collections.NewPrefix(1)
