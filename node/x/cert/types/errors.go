package types

import "cosmossdk.io/errors"

// Errors of the cert module; call sites wrap them with owner, serial and field.
var (
	ErrInvalidAddress      = errors.Register(ModuleName, 2, "invalid address")
	ErrInvalidCertificate  = errors.Register(ModuleName, 3, "invalid certificate")
	ErrInvalidPubKey       = errors.Register(ModuleName, 4, "invalid public key")
	ErrCertificateExists   = errors.Register(ModuleName, 5, "certificate serial already used by this owner")
	ErrCertificateNotFound = errors.Register(ModuleName, 6, "certificate not found")
	ErrCertificateRevoked  = errors.Register(ModuleName, 7, "certificate already revoked")
	ErrCertificateExpired  = errors.Register(ModuleName, 8, "certificate expired or not yet valid")
	ErrInvalidSerial       = errors.Register(ModuleName, 9, "invalid serial")
	ErrInvalidGenesis      = errors.Register(ModuleName, 10, "invalid genesis")
)
