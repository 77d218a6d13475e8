// Package certgen is the project's one root-certificate package: it makes,
// writes and loads a participant's root certificate, an ECDSA P-256
// self-signed CA whose subject CN is the participant's account address, the
// shape x/cert accepts. Tenants and providers publish it on chain and issue
// their mTLS (gateway, tunnel) certificates under it; it also works directly
// as a TLS client or server certificate (Account). Files live under
// <home>/certs (Paths), mode 0600, and are never replaced unless asked.
// crypto/x509 and files, no network.
package certgen

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// DefaultValidity is how long a generated root is valid.
const DefaultValidity = 365 * 24 * time.Hour

// Root is a generated root certificate and its key, PEM encoded.
type Root struct {
	CertPEM   []byte // "CERTIFICATE"
	KeyPEM    []byte // "PRIVATE KEY" (PKCS #8)
	PubKeyPEM []byte // "PUBLIC KEY" (PKIX), what MsgCreateCertificate carries
	Serial    *big.Int
}

// Generate makes a root for addr valid from notBefore for validity; hosts
// (DNS names or IP addresses, for a provider's gateway) become its subject
// alternative names. random is crypto/rand.Reader in production (a fixed
// reader in tests).
func Generate(random io.Reader, addr string, notBefore time.Time, validity time.Duration, hosts ...string) (Root, error) {
	if addr == "" {
		return Root{}, errors.New("certgen: empty address; want the account's bech32 address")
	}
	if validity <= 0 {
		return Root{}, fmt.Errorf("certgen: validity %s; want a positive duration", validity)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), random)
	if err != nil {
		return Root{}, fmt.Errorf("certgen: generating the P-256 key: %w", err)
	}
	// A random 128-bit serial: unique per owner with overwhelming probability,
	// and the chain refuses a repeat anyway.
	serial, err := randSerial(random)
	if err != nil {
		return Root{}, err
	}
	return build(random, key, serial, addr, notBefore, validity, hosts)
}

// GenerateDeterministic makes an Ed25519 root whose every byte follows from
// seed (key, serial, signature): for simulations and replayable tests, where
// the chain state must not depend on the machine's randomness. Production
// roots come from Generate.
func GenerateDeterministic(seed [32]byte, addr string, notBefore time.Time, validity time.Duration) (Root, error) {
	if addr == "" {
		return Root{}, errors.New("certgen: empty address; want the account's bech32 address")
	}
	if validity <= 0 {
		return Root{}, fmt.Errorf("certgen: validity %s; want a positive duration", validity)
	}
	key := ed25519.NewKeyFromSeed(seed[:])
	h := sha256.Sum256(append([]byte("certgen serial/"), seed[:]...))
	serial, err := randSerial(bytes.NewReader(h[:]))
	if err != nil {
		return Root{}, err
	}
	return build(nil, key, serial, addr, notBefore, validity, nil)
}

func build(random io.Reader, key crypto.Signer, serial *big.Int, addr string, notBefore time.Time, validity time.Duration, hosts []string) (Root, error) {
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: addr},
		Issuer:                pkix.Name{CommonName: addr},
		NotBefore:             notBefore.Add(-time.Minute), // small clock skew between machines
		NotAfter:              notBefore.Add(validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true, // the root of the participant's tunnel certificates
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(random, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return Root{}, fmt.Errorf("certgen: signing the certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return Root{}, fmt.Errorf("certgen: encoding the key: %w", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return Root{}, fmt.Errorf("certgen: encoding the public key: %w", err)
	}
	return Root{
		CertPEM:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM:    pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
		PubKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}),
		Serial:    serial,
	}, nil
}

func randSerial(random io.Reader) (*big.Int, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(random, b); err != nil {
		return nil, fmt.Errorf("certgen: drawing a serial: %w", err)
	}
	b[0] &= 0x7f // positive in DER without a padding byte
	n := new(big.Int).SetBytes(b)
	if n.Sign() == 0 {
		n.SetInt64(1)
	}
	return n, nil
}

// Paths are where a participant's root lives: <home>/certs/<addr>.crt and .key.
func Paths(home, addr string) (certPath, keyPath string) {
	dir := filepath.Join(home, "certs")
	return filepath.Join(dir, addr+".crt"), filepath.Join(dir, addr+".key")
}

// ErrExists is returned by Write when a root is already on disk.
var ErrExists = errors.New("certgen: a certificate for this address already exists")

// Write stores the root under home/certs with mode 0600 (the directory 0700).
// It refuses to replace existing files unless overwrite is set: the old key
// may still be the one published on chain.
func Write(home, addr string, r Root, overwrite bool) (certPath, keyPath string, err error) {
	certPath, keyPath = Paths(home, addr)
	if err := os.MkdirAll(filepath.Dir(certPath), 0o700); err != nil {
		return "", "", fmt.Errorf("certgen: %w", err)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if !overwrite {
		flags |= os.O_EXCL
	}
	for _, f := range []struct {
		path string
		data []byte
	}{{keyPath, r.KeyPEM}, {certPath, r.CertPEM}} {
		fh, err := os.OpenFile(f.path, flags, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return "", "", fmt.Errorf("%w: %s (pass --overwrite to replace it, after revoking the old one on chain)", ErrExists, f.path)
		}
		if err != nil {
			return "", "", fmt.Errorf("certgen: %w", err)
		}
		if err := fh.Chmod(0o600); err != nil { // O_TRUNC keeps an old file's mode
			fh.Close()
			return "", "", fmt.Errorf("certgen: %w", err)
		}
		_, werr := fh.Write(f.data)
		if cerr := fh.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return "", "", fmt.Errorf("certgen: writing %s: %w", f.path, werr)
		}
	}
	return certPath, keyPath, nil
}

// Load reads a participant's root (with Leaf parsed), ready to serve or dial
// mutual TLS; its subject CN must be addr.
func Load(home, addr string) (Account, error) {
	certPath, keyPath := Paths(home, addr)
	c, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return Account{}, fmt.Errorf("certificate of %s (%s, %s): %w; create one with `akash-node tx cert generate-and-publish --from %s` (a provider: `akash-node provider cert create`)", addr, certPath, keyPath, err, addr)
	}
	if c.Leaf == nil && len(c.Certificate) > 0 {
		if c.Leaf, err = x509.ParseCertificate(c.Certificate[0]); err != nil {
			return Account{}, fmt.Errorf("certgen: %s: %w", certPath, err)
		}
	}
	if c.Leaf.Subject.CommonName != addr {
		return Account{}, fmt.Errorf("certificate %s has CN %q, want the account address %s", certPath, c.Leaf.Subject.CommonName, addr)
	}
	return Account{TLS: c, X509: c.Leaf}, nil
}

// PublicKeyPEM returns the PKIX "PUBLIC KEY" PEM of a PEM certificate's key.
func PublicKeyPEM(certPEM []byte) ([]byte, error) {
	b, _ := pem.Decode(certPEM)
	if b == nil || b.Type != "CERTIFICATE" {
		return nil, errors.New("certgen: not a PEM CERTIFICATE")
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("certgen: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(c.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("certgen: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}
