package tunnelcert

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
)

// VerifyParticipant checks a chain presented on a provider's gateway (the
// manifest exchange, not a tunnel): the last certificate must be the root
// that its CN's owner registered on chain and has not revoked, and the first
// must chain to it (they are the same certificate when the participant shows
// its root itself). It returns the participant's address, the CN.
func (v Verifier) VerifyParticipant(ctx context.Context, chain []*x509.Certificate) (string, error) {
	if len(chain) == 0 {
		return "", ErrNoCertificate
	}
	leaf, presented := chain[0], chain[len(chain)-1]
	owner := presented.Subject.CommonName
	if owner == "" {
		return "", fmt.Errorf("%w: root has no CN; want the owner's address", ErrUnknownRoot)
	}
	if leaf.Subject.CommonName != owner {
		return "", fmt.Errorf("%w: leaf CN %q under root of %q", ErrWrongProvider, leaf.Subject.CommonName, owner)
	}
	root, err := v.Roots.Root(ctx, owner, presented.SerialNumber)
	if errors.Is(err, ErrRootNotFound) {
		return "", fmt.Errorf("%w: %s has no certificate with serial %s", ErrUnknownRoot, owner, presented.SerialNumber)
	}
	if err != nil {
		return "", fmt.Errorf("tunnelcert: look up root of %s: %w", owner, err)
	}
	if !bytes.Equal(root.Cert.Raw, presented.Raw) {
		return "", fmt.Errorf("%w: %s's certificate with serial %s differs from the one on chain", ErrUnknownRoot, owner, presented.SerialNumber)
	}
	if root.Revoked {
		return "", fmt.Errorf("%w: %s, serial %s", ErrRevokedRoot, owner, presented.SerialNumber)
	}
	pool := x509.NewCertPool()
	pool.AddCert(root.Cert)
	inter := x509.NewCertPool()
	if len(chain) > 2 {
		for _, c := range chain[1 : len(chain)-1] {
			inter.AddCert(c)
		}
	}
	_, err = leaf.Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter, CurrentTime: v.now(),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		var inv x509.CertificateInvalidError
		if errors.As(err, &inv) && inv.Reason == x509.Expired {
			return "", fmt.Errorf("%w: %s: %v", ErrExpired, owner, err)
		}
		return "", fmt.Errorf("%w: %s: %v", ErrBadChain, owner, err)
	}
	return owner, nil
}
