// Package certs makes and loads the self-signed account certificates that
// the chain's cert module registers and every mTLS connection presents
// (tenant -> provider gateway, provider -> provider). Subject CN is the
// account address, as in Akash; the key is ECDSA P-256.
package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Account is one account's certificate and key.
type Account struct {
	TLS  tls.Certificate
	X509 *x509.Certificate
}

// New makes a certificate for address valid from now-1h (clock skew) for
// validity. hosts (DNS names or IPs) are added for a provider's gateway.
func New(address string, validity time.Duration, hosts ...string) (Account, error) {
	if address == "" {
		return Account{}, errors.New("certs: address is empty; the certificate's CN must be the account address")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Account{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return Account{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: address},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true, // a provider's certificate is also the root of its tunnel certificates
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return Account{}, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return Account{}, err
	}
	return Account{TLS: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}, X509: c}, nil
}

// CertPEM is the certificate in PEM, as the cert module stores it.
func (a Account) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.X509.Raw})
}

// KeyPEM is the private key in PEM (PKCS#8).
func (a Account) KeyPEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(a.TLS.PrivateKey)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// Paths are where an account's certificate lives under a home directory:
// <home>/certs/<address>.crt and .key.
func Paths(home, address string) (crt, key string) {
	dir := filepath.Join(home, "certs")
	return filepath.Join(dir, address+".crt"), filepath.Join(dir, address+".key")
}

// Save writes the certificate (0644) and key (0600) under home.
func (a Account) Save(home string) error {
	crt, key := Paths(home, a.X509.Subject.CommonName)
	if err := os.MkdirAll(filepath.Dir(crt), 0o700); err != nil {
		return err
	}
	kp, err := a.KeyPEM()
	if err != nil {
		return err
	}
	if err := os.WriteFile(key, kp, 0o600); err != nil {
		return err
	}
	return os.WriteFile(crt, a.CertPEM(), 0o644)
}

// Load reads address's certificate and key from home.
func Load(home, address string) (Account, error) {
	crt, key := Paths(home, address)
	pair, err := tls.LoadX509KeyPair(crt, key)
	if err != nil {
		return Account{}, fmt.Errorf("certificate of %s (%s, %s): %w; create one with akash-node deploy cert create", address, crt, key, err)
	}
	c, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return Account{}, err
	}
	if c.Subject.CommonName != address {
		return Account{}, fmt.Errorf("certificate %s has CN %q, want the account address %s", crt, c.Subject.CommonName, address)
	}
	pair.Leaf = c
	return Account{TLS: pair, X509: c}, nil
}

// ParsePEM reads a certificate as the cert module stores it.
func ParsePEM(b []byte) (*x509.Certificate, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, errors.New("certs: not a PEM CERTIFICATE block")
	}
	return x509.ParseCertificate(blk.Bytes)
}

// PubKeyPEM is the certificate's public key as a PEM "PUBLIC KEY" (PKIX)
// block, which the cert module's create message carries alongside it.
func (a Account) PubKeyPEM() ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(a.X509.PublicKey)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}
