// Package testpki makes participant root certificates for tests, shaped like
// the ones the chain's cert module registers (ECDSA P-256, CN = the owner's
// address, CA-capable so that tunnel certificates chain to them).
package testpki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"
)

// Root is a participant's root key and certificate.
type Root struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
}

// NewRoot makes a root certificate for owner valid from notBefore to notAfter.
func NewRoot(owner string, notBefore, notAfter time.Time) (Root, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Root{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return Root{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: owner},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return Root{}, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return Root{}, err
	}
	return Root{Cert: cert, Key: key}, nil
}

// MustRoot is NewRoot valid for a day around now, panicking on error (tests only).
func MustRoot(owner string) Root {
	now := time.Now()
	r, err := NewRoot(owner, now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		panic(err)
	}
	return r
}
