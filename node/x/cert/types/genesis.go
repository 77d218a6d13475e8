package types

import errorsmod "cosmossdk.io/errors"

// DefaultGenesis has no certificates.
func DefaultGenesis() *GenesisState { return &GenesisState{} }

// Validate checks each certificate (parses, CN = owner, serial matches the
// certificate's, state valid or revoked) and that no (owner, serial) repeats.
// Expiry is not checked: an exported chain keeps its expired certificates.
func (g GenesisState) Validate() error {
	seen := map[string]bool{}
	for i, c := range g.Certificates {
		if err := c.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "certificates[%d]: %v", i, err)
		}
		k := c.Owner + "/" + c.Serial
		if seen[k] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "certificates[%d]: owner %s serial %s appears twice", i, c.Owner, c.Serial)
		}
		seen[k] = true
	}
	return nil
}

// Validate checks a stored certificate record.
func (c Certificate) Validate() error {
	if err := ValidateAddress("owner", c.Owner); err != nil {
		return err
	}
	x, err := ParseCertificate(c.Owner, c.Cert, c.Pubkey)
	if err != nil {
		return err
	}
	if x.SerialNumber.String() != c.Serial {
		return errorsmod.Wrapf(ErrInvalidSerial, "record serial %s, certificate serial %s", c.Serial, x.SerialNumber)
	}
	if c.State != CertificateValid && c.State != CertificateRevoked {
		return errorsmod.Wrapf(ErrInvalidCertificate, "owner %s serial %s: state %s; want valid or revoked", c.Owner, c.Serial, c.State)
	}
	if (c.State == CertificateRevoked) != (c.RevokedAt > 0) {
		return errorsmod.Wrapf(ErrInvalidCertificate, "owner %s serial %s: state %s with revoked_at %d", c.Owner, c.Serial, c.State, c.RevokedAt)
	}
	return nil
}
