package tunnelcert

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/akash-market/akash/overlay"
)

// Refusals. Verify wraps exactly one of them with the details.
var (
	ErrNoCertificate   = errors.New("tunnelcert: peer sent no certificate")
	ErrSelfSigned      = errors.New("tunnelcert: leaf is self-signed, not issued under a root on chain")
	ErrUnknownRoot     = errors.New("tunnelcert: chain does not end in the peer provider's root on chain")
	ErrRevokedRoot     = errors.New("tunnelcert: root certificate revoked on chain")
	ErrWrongProvider   = errors.New("tunnelcert: certificate issued by another provider")
	ErrWrongDeployment = errors.New("tunnelcert: certificate names another deployment")
	ErrWrongConnection = errors.New("tunnelcert: certificate names another connection")
	ErrExpired         = errors.New("tunnelcert: certificate expired or not yet valid")
	ErrLifetime        = errors.New("tunnelcert: certificate lifetime too long for a tunnel certificate")
	ErrBadChain        = errors.New("tunnelcert: certificate chain does not verify")
)

// DefaultMaxLifetime bounds a tunnel certificate's lifetime: a stolen key is
// useless after at most this long even if nobody revokes the root.
const DefaultMaxLifetime = 7 * 24 * time.Hour

// Verifier checks a peer's tunnel certificate chain.
type Verifier struct {
	Roots       RootStore
	Now         func() time.Time // time.Now when nil
	MaxLifetime time.Duration    // DefaultMaxLifetime when 0
}

// Verify checks that chain (leaf first, as TLS delivers it) is a tunnel
// certificate for link, issued by provider peer under a root peer has on chain
// and has not revoked, and valid now.
func (v Verifier) Verify(ctx context.Context, chain []*x509.Certificate, link overlay.Link, peer string) error {
	if len(chain) == 0 {
		return ErrNoCertificate
	}
	leaf := chain[0]
	if bytes.Equal(leaf.RawIssuer, leaf.RawSubject) && leaf.CheckSignature(leaf.SignatureAlgorithm, leaf.RawTBSCertificate, leaf.Signature) == nil {
		return fmt.Errorf("%w (link %s, CN %q)", ErrSelfSigned, link, leaf.Subject.CommonName)
	}
	if err := checkNames(leaf, link); err != nil {
		return err
	}
	if leaf.Subject.CommonName != peer {
		return fmt.Errorf("%w: link %s: CN %q, want the peer provider %s", ErrWrongProvider, link, leaf.Subject.CommonName, peer)
	}
	now := v.now()
	if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
		return fmt.Errorf("%w: link %s: valid %s to %s, now %s", ErrExpired, link,
			leaf.NotBefore.UTC().Format(time.RFC3339), leaf.NotAfter.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	maxLife := v.MaxLifetime
	if maxLife == 0 {
		maxLife = DefaultMaxLifetime
	}
	if life := leaf.NotAfter.Sub(leaf.NotBefore); life > maxLife {
		return fmt.Errorf("%w: link %s: %v, at most %v", ErrLifetime, link, life, maxLife)
	}
	if len(chain) < 2 {
		return fmt.Errorf("%w: link %s: peer sent only its leaf; send [leaf, root]", ErrUnknownRoot, link)
	}
	presented := chain[len(chain)-1]
	root, err := v.Roots.Root(ctx, peer, presented.SerialNumber)
	if errors.Is(err, ErrRootNotFound) {
		return fmt.Errorf("%w: link %s: provider %s has no root with serial %s", ErrUnknownRoot, link, peer, presented.SerialNumber)
	}
	if err != nil {
		return fmt.Errorf("tunnelcert: link %s: look up root of %s: %w", link, peer, err)
	}
	if !bytes.Equal(root.Cert.Raw, presented.Raw) {
		return fmt.Errorf("%w: link %s: provider %s's root with serial %s differs from the one on chain", ErrUnknownRoot, link, peer, presented.SerialNumber)
	}
	if root.Revoked {
		return fmt.Errorf("%w: link %s: provider %s, serial %s", ErrRevokedRoot, link, peer, presented.SerialNumber)
	}
	pool := x509.NewCertPool()
	pool.AddCert(root.Cert)
	inter := x509.NewCertPool()
	for _, c := range chain[1 : len(chain)-1] {
		inter.AddCert(c)
	}
	_, err = leaf.Verify(x509.VerifyOptions{
		Roots:         pool,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		var inv x509.CertificateInvalidError
		if errors.As(err, &inv) && inv.Reason == x509.Expired {
			return fmt.Errorf("%w: link %s: %v", ErrExpired, link, err)
		}
		return fmt.Errorf("%w: link %s: %v", ErrBadChain, link, err)
	}
	return nil
}

// checkNames requires exactly one link URI and that it names link.
func checkNames(leaf *x509.Certificate, link overlay.Link) error {
	if len(leaf.URIs) != 1 {
		return fmt.Errorf("%w: link %s: certificate has %d URI SANs, want exactly one link URI", ErrWrongConnection, link, len(leaf.URIs))
	}
	got := leaf.URIs[0].String()
	dep, conn, err := overlay.ParseLinkURI(got)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWrongConnection, err)
	}
	if dep != link.Deployment {
		return fmt.Errorf("%w: certificate names deployment %s, want %s", ErrWrongDeployment, dep, link.Deployment)
	}
	if conn != link.Conn {
		return fmt.Errorf("%w: certificate names %s, want %s (deployment %s)", ErrWrongConnection, overlay.ConnString(conn), overlay.ConnString(link.Conn), link.Deployment)
	}
	return nil
}

func (v Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}
