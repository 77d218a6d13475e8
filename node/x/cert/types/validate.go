package types

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"

	errorsmod "cosmossdk.io/errors"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// MaxPEMBytes bounds a certificate or key in a transaction.
const MaxPEMBytes = 8 << 10

// ValidateAddress checks a bech32 account address and names the field.
func ValidateAddress(field, addr string) error {
	if addr == "" {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s is empty; want a bech32 account address (akash1...)", field)
	}
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s %q: %v; want a bech32 account address (akash1...)", field, addr, err)
	}
	return nil
}

// ParseSerial reads a decimal certificate serial (as stored and queried).
func ParseSerial(s string) (*big.Int, error) {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || n.Sign() <= 0 || n.String() != s {
		return nil, errorsmod.Wrapf(ErrInvalidSerial, "serial %q; want the certificate's serial number in decimal without leading zeros (query cert certificates --owner shows it)", s)
	}
	return n, nil
}

func onePEM(kind string, bz []byte, types ...string) (*pem.Block, error) {
	if len(bz) == 0 {
		return nil, fmt.Errorf("%s is empty; want a PEM %q block", kind, types[0])
	}
	if len(bz) > MaxPEMBytes {
		return nil, fmt.Errorf("%s is %d bytes; at most %d", kind, len(bz), MaxPEMBytes)
	}
	b, rest := pem.Decode(bz)
	if b == nil {
		return nil, fmt.Errorf("%s is not PEM; want a -----BEGIN %s----- block", kind, types[0])
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("%s has data after its first PEM block; send exactly one", kind)
	}
	for _, t := range types {
		if b.Type == t {
			return b, nil
		}
	}
	return nil, fmt.Errorf("%s is a PEM %q block; want %q", kind, b.Type, types[0])
}

// ParseCertificate checks what can be checked without state and returns the
// parsed certificate: one PEM CERTIFICATE, an accepted key (ECDSA P-256 or
// P-384, Ed25519, RSA ≥ 2048 bits), subject CN = owner, a CA certificate
// allowed to sign certificates (it is the root the participant's tunnel and
// gateway certificates chain to; issue 8), self-signed, a positive serial of
// at most 20 bytes (RFC 5280), not_before < not_after, and pubkeyPEM the same
// key as the certificate's.
func ParseCertificate(owner string, certPEM, pubkeyPEM []byte) (*x509.Certificate, error) {
	b, err := onePEM("cert", certPEM, "CERTIFICATE")
	if err != nil {
		return nil, errorsmod.Wrap(ErrInvalidCertificate, err.Error())
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidCertificate, "cert: %v", err)
	}
	if c.Subject.CommonName != owner {
		return nil, errorsmod.Wrapf(ErrInvalidCertificate, "cert subject CN %q; it must be the owner's address %s", c.Subject.CommonName, owner)
	}
	switch k := c.PublicKey.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() && k.Curve != elliptic.P384() {
			return nil, errorsmod.Wrapf(ErrInvalidCertificate, "cert key is ECDSA on %s; want P-256 or P-384", k.Curve.Params().Name)
		}
	case ed25519.PublicKey:
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, errorsmod.Wrapf(ErrInvalidCertificate, "cert key is RSA-%d; want at least 2048 bits", k.N.BitLen())
		}
	default:
		return nil, errorsmod.Wrapf(ErrInvalidCertificate, "cert key %T; want ECDSA P-256 (akash-node tx cert generate-and-publish makes one)", c.PublicKey)
	}
	if !c.BasicConstraintsValid || !c.IsCA || c.KeyUsage&x509.KeyUsageCertSign == 0 {
		return nil, errorsmod.Wrapf(ErrInvalidCertificate, "cert is not a CA with the certSign key usage; the published certificate is the root the owner's mTLS certificates are issued under")
	}
	if err := c.CheckSignatureFrom(c); err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidCertificate, "cert is not self-signed: %v", err)
	}
	if c.SerialNumber == nil || c.SerialNumber.Sign() <= 0 || len(c.SerialNumber.Bytes()) > 20 {
		return nil, errorsmod.Wrapf(ErrInvalidCertificate, "cert serial %v; want a positive number of at most 20 bytes", c.SerialNumber)
	}
	if !c.NotBefore.Before(c.NotAfter) {
		return nil, errorsmod.Wrapf(ErrInvalidCertificate, "cert not_before %s is not before not_after %s", c.NotBefore.UTC(), c.NotAfter.UTC())
	}
	pb, err := onePEM("pubkey", pubkeyPEM, "PUBLIC KEY", "EC PUBLIC KEY")
	if err != nil {
		return nil, errorsmod.Wrap(ErrInvalidPubKey, err.Error())
	}
	der, err := x509.MarshalPKIXPublicKey(c.PublicKey)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidCertificate, "cert key: %v", err)
	}
	if !bytes.Equal(der, pb.Bytes) {
		return nil, errorsmod.Wrapf(ErrInvalidPubKey, "pubkey is not the certificate's public key")
	}
	return c, nil
}

// CheckValidAt refuses a certificate that is expired or not yet valid at t
// (the block time).
func CheckValidAt(c *x509.Certificate, t time.Time) error {
	if !t.Before(c.NotAfter) {
		return errorsmod.Wrapf(ErrCertificateExpired, "cert expired at %s (block time %s); generate a new one", c.NotAfter.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
	}
	if t.Before(c.NotBefore) {
		return errorsmod.Wrapf(ErrCertificateExpired, "cert is valid only from %s (block time %s); check the clock of the machine that made it", c.NotBefore.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
	}
	return nil
}

// ParseState reads "valid" or "revoked" (empty means any state).
func ParseState(s string) (Certificate_State, error) {
	switch s {
	case "":
		return CertificateStateInvalid, nil
	case "valid":
		return CertificateValid, nil
	case "revoked":
		return CertificateRevoked, nil
	}
	return CertificateStateInvalid, fmt.Errorf("state %q; want valid or revoked (or leave it empty for both)", s)
}
