package tunnelcert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"time"

	"github.com/akash-market/akash/overlay"
)

// Issuer signs tunnel certificates with a provider's root.
type Issuer struct {
	Provider string            // the provider's address; must equal Root's CN
	Root     *x509.Certificate // the provider's root as registered on chain
	Key      crypto.Signer     // Root's private key
}

// clockSkew backdates NotBefore so that a peer whose clock is a little behind
// does not refuse a certificate issued a moment ago.
const clockSkew = time.Minute

// Issue makes a fresh key and a certificate for link valid from now for ttl,
// chained to the issuer's root. The returned tls.Certificate carries the
// chain [leaf, root] so that the peer can find the root on chain.
func (is Issuer) Issue(link overlay.Link, now time.Time, ttl time.Duration) (tls.Certificate, error) {
	if is.Root == nil || is.Key == nil {
		return tls.Certificate{}, errors.New("tunnelcert: issuer has no root certificate or key")
	}
	if is.Root.Subject.CommonName != is.Provider {
		return tls.Certificate{}, fmt.Errorf("tunnelcert: root CN %q is not the provider address %q; issue under the provider's own root", is.Root.Subject.CommonName, is.Provider)
	}
	if is.Provider != link.Client && is.Provider != link.Server {
		return tls.Certificate{}, fmt.Errorf("tunnelcert: provider %s is neither end of link %s (client %s, server %s)", is.Provider, link, link.Client, link.Server)
	}
	if ttl <= 0 {
		return tls.Certificate{}, fmt.Errorf("tunnelcert: ttl %v; want a positive lifetime such as 24h", ttl)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, err
	}
	u, err := url.Parse(link.URI())
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tunnelcert: link %s: %w", link, err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: is.Provider},
		NotBefore:    now.Add(-clockSkew),
		NotAfter:     now.Add(ttl),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		URIs:         []*url.URL{u},
		DNSNames:     []string{link.ServerName()},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, is.Root, &key.PublicKey, is.Key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tunnelcert: sign certificate for %s: %w", link, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der, is.Root.Raw}, PrivateKey: key, Leaf: leaf}, nil
}
