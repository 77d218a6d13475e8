package certgen

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"time"
)

// Account is a participant's root in use: the TLS pair to present on mTLS
// connections and its parsed certificate.
type Account struct {
	TLS  tls.Certificate
	X509 *x509.Certificate
}

// New makes a root for address, valid from now for validity, with hosts as
// its subject alternative names (a provider's gateway).
func New(address string, validity time.Duration, hosts ...string) (Account, error) {
	r, err := Generate(rand.Reader, address, time.Now(), validity, hosts...)
	if err != nil {
		return Account{}, err
	}
	return r.Account()
}

// Account parses the root's PEM into an Account.
func (r Root) Account() (Account, error) {
	c, err := tls.X509KeyPair(r.CertPEM, r.KeyPEM)
	if err != nil {
		return Account{}, err
	}
	if c.Leaf == nil {
		if c.Leaf, err = x509.ParseCertificate(c.Certificate[0]); err != nil {
			return Account{}, err
		}
	}
	return Account{TLS: c, X509: c.Leaf}, nil
}

// CertPEM is the certificate in PEM, as the cert module stores it.
func (a Account) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.X509.Raw})
}

// KeyPEM is the private key in PEM (PKCS #8).
func (a Account) KeyPEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(a.TLS.PrivateKey)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// PubKeyPEM is the certificate's public key as a PEM "PUBLIC KEY" (PKIX)
// block, which the cert module's create message carries alongside it.
func (a Account) PubKeyPEM() ([]byte, error) { return PublicKeyPEM(a.CertPEM()) }

// Save writes the account's root under home as Write does; it never
// replaces a root already there (ErrExists).
func (a Account) Save(home string) error {
	key, err := a.KeyPEM()
	if err != nil {
		return err
	}
	_, _, err = Write(home, a.X509.Subject.CommonName, Root{CertPEM: a.CertPEM(), KeyPEM: key}, false)
	return err
}

// ParsePEM reads a certificate as the cert module stores it.
func ParsePEM(b []byte) (*x509.Certificate, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, errors.New("certgen: not a PEM CERTIFICATE block")
	}
	return x509.ParseCertificate(blk.Bytes)
}
