package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/akash-market/akash/overlay/tunnelcert"
)

type callerKey struct{}

// caller is the authenticated account of a request.
func caller(r *http.Request) string { v, _ := r.Context().Value(callerKey{}).(string); return v }

// auth admits a request only with a client certificate whose CN is an
// account that registered exactly this certificate on chain, not revoked,
// and within its validity period.
func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// Refusals count as rejected manifests only on the manifest upload.
		fail := func(code int, reason, msg string) {
			if r.Method != http.MethodPut {
				reason = ""
			}
			s.fail(w, code, reason, msg)
		}
		if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
			fail(http.StatusUnauthorized, "auth", "no client certificate: connect with mutual TLS using the certificate your account registered (akash-node tx cert create)")
			return
		}
		leaf := r.TLS.PeerCertificates[0]
		who := leaf.Subject.CommonName
		if who == "" {
			fail(http.StatusUnauthorized, "auth", "client certificate has no subject CN; the CN must be your account address (akash1...)")
			return
		}
		now := s.cfg.Now()
		if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
			fail(http.StatusUnauthorized, "auth", fmt.Sprintf("client certificate of %s is valid %s to %s, not now; create a new one", who, leaf.NotBefore.UTC().Format("2006-01-02T15:04Z"), leaf.NotAfter.UTC().Format("2006-01-02T15:04Z")))
			return
		}
		root, err := s.cfg.Certs.Root(r.Context(), who, leaf.SerialNumber)
		switch {
		case errors.Is(err, tunnelcert.ErrRootNotFound):
			fail(http.StatusUnauthorized, "auth", fmt.Sprintf("client certificate serial %s of %s is not on chain; publish it with akash-node tx cert create and wait for the tx", leaf.SerialNumber, who))
			return
		case err != nil:
			fail(http.StatusServiceUnavailable, "chain", fmt.Sprintf("cannot check the client certificate on chain: %v; retry", err))
			return
		case root.Revoked:
			fail(http.StatusUnauthorized, "auth", fmt.Sprintf("client certificate serial %s of %s was revoked on chain; use a valid one", leaf.SerialNumber, who))
			return
		case root.Cert == nil || !bytes.Equal(root.Cert.Raw, leaf.Raw):
			fail(http.StatusUnauthorized, "auth", fmt.Sprintf("client certificate serial %s of %s differs from the one on chain under that serial", leaf.SerialNumber, who))
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, who)))
	}
}
