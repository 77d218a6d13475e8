package tunnelcert

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net/url"
	"testing"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/internal/testpki"
)

var (
	dep  = overlay.DeploymentID{Owner: "akash1tenant", DSeq: 42}
	link = overlay.Link{Deployment: dep, Conn: manifest.Connection{From: "web", To: "db", Port: 5432, Proto: "TCP"}, Client: "akash1provA", Server: "akash1provB"}
	t0   = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
)

func chainOf(t *testing.T, c tls.Certificate) []*x509.Certificate {
	t.Helper()
	var out []*x509.Certificate
	for _, der := range c.Certificate {
		x, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, x)
	}
	return out
}

func rootAt(t *testing.T, owner string) testpki.Root {
	t.Helper()
	r, err := testpki.NewRoot(owner, t0.Add(-24*time.Hour), t0.Add(365*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestVerify(t *testing.T) {
	rootA, rootB, rootC := rootAt(t, "akash1provA"), rootAt(t, "akash1provB"), rootAt(t, "akash1provC")
	revokedA := rootAt(t, "akash1provA")
	store := NewMemRoots()
	store.Add("akash1provA", rootA.Cert)
	store.Add("akash1provA", revokedA.Cert)
	store.Revoke("akash1provA", revokedA.Cert.SerialNumber)
	store.Add("akash1provB", rootB.Cert)
	store.Add("akash1provC", rootC.Cert)

	issueA := Issuer{Provider: "akash1provA", Root: rootA.Cert, Key: rootA.Key}
	issue := func(is Issuer, l overlay.Link, at time.Time, ttl time.Duration) []*x509.Certificate {
		c, err := is.Issue(l, at, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return chainOf(t, c)
	}
	good := issue(issueA, link, t0, 24*time.Hour)

	otherDSeq, otherOwner, otherPort := link, link, link
	otherDSeq.Deployment.DSeq = 43
	otherOwner.Deployment.Owner = "akash1mallory"
	otherPort.Conn.Port = 5433

	// A root that is not the provider's on-chain one: same CN, not on chain.
	offChain := rootAt(t, "akash1provA")
	// A root with the on-chain serial and CN but another key: a forgery.
	forged := forgeRoot(t, rootA.Cert)
	// A leaf signed by someone else's key but presented with the real root.
	badSig := signedBy(t, link, rootA.Cert, forged.Key)

	linkC := link
	linkC.Client = "akash1provC"
	for _, tc := range []struct {
		name  string
		chain []*x509.Certificate
		peer  string
		now   time.Time
		want  error
	}{
		{"good", good, "akash1provA", t0.Add(time.Hour), nil},
		{"good at the last second", good, "akash1provA", t0.Add(24 * time.Hour), nil},
		{"no certificate", nil, "akash1provA", t0, ErrNoCertificate},
		{"unknown root (not on chain)", issue(Issuer{"akash1provA", offChain.Cert, offChain.Key}, link, t0, time.Hour), "akash1provA", t0, ErrUnknownRoot},
		{"forged root with the on-chain serial", issue(Issuer{"akash1provA", forged.Cert, forged.Key}, link, t0, time.Hour), "akash1provA", t0, ErrUnknownRoot},
		{"leaf without its root", good[:1], "akash1provA", t0, ErrUnknownRoot},
		{"revoked root", issue(Issuer{"akash1provA", revokedA.Cert, revokedA.Key}, link, t0, time.Hour), "akash1provA", t0, ErrRevokedRoot},
		{"wrong deployment (dseq)", issue(issueA, otherDSeq, t0, time.Hour), "akash1provA", t0, ErrWrongDeployment},
		{"wrong deployment (owner)", issue(issueA, otherOwner, t0, time.Hour), "akash1provA", t0, ErrWrongDeployment},
		{"wrong connection (port)", issue(issueA, otherPort, t0, time.Hour), "akash1provA", t0, ErrWrongConnection},
		{"another provider's certificate", issue(Issuer{"akash1provC", rootC.Cert, rootC.Key}, linkC, t0, time.Hour), "akash1provA", t0, ErrWrongProvider},
		{"expired", good, "akash1provA", t0.Add(24*time.Hour + time.Second), ErrExpired},
		{"not yet valid", good, "akash1provA", t0.Add(-2 * time.Minute), ErrExpired},
		{"lifetime too long", issue(issueA, link, t0, 30*24*time.Hour), "akash1provA", t0, ErrLifetime},
		{"self-signed leaf", selfSigned(t, link, "akash1provA"), "akash1provA", t0, ErrSelfSigned},
		{"leaf not signed by the root it presents", badSig, "akash1provA", t0, ErrBadChain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Verifier{Roots: store, Now: func() time.Time { return tc.now }}
			err := v.Verify(context.Background(), tc.chain, link, tc.peer)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("refused a good certificate: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestIssueRefuses(t *testing.T) {
	rootA := rootAt(t, "akash1provA")
	for _, tc := range []struct {
		name string
		is   Issuer
		ttl  time.Duration
	}{
		{"root of another owner", Issuer{"akash1provB", rootA.Cert, rootA.Key}, time.Hour},
		{"not an end of the link", Issuer{"akash1provA", rootA.Cert, rootA.Key}, time.Hour},
		{"no key", Issuer{"akash1provA", rootA.Cert, nil}, time.Hour},
		{"zero ttl", Issuer{"akash1provA", rootA.Cert, rootA.Key}, 0},
	} {
		l := link
		if tc.name == "not an end of the link" {
			l.Client = "akash1provC"
		}
		if _, err := tc.is.Issue(l, t0, tc.ttl); err == nil {
			t.Errorf("%s: issued", tc.name)
		}
	}
}

func forgeRoot(t *testing.T, real *x509.Certificate) testpki.Root {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := *real
	tmpl.PublicKey = &key.PublicKey
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return testpki.Root{Cert: c, Key: key}
}

// signedBy makes a leaf for l whose issuer names root but whose signature is by key.
func signedBy(t *testing.T, l overlay.Link, root *x509.Certificate, key *ecdsa.PrivateKey) []*x509.Certificate {
	t.Helper()
	parent := *root
	parent.PublicKey = &key.PublicKey
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificate(rand.Reader, leafTemplate(l, root.Subject.CommonName), &parent, &leafKey.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return []*x509.Certificate{c, root}
}

func selfSigned(t *testing.T, l overlay.Link, cn string) []*x509.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := leafTemplate(l, cn)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return []*x509.Certificate{c}
}

func leafTemplate(l overlay.Link, cn string) *x509.Certificate {
	u, _ := url.Parse(l.URI())
	return &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    t0.Add(-time.Minute),
		NotAfter:     t0.Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		URIs:         []*url.URL{u},
	}
}

func TestRenewer(t *testing.T) {
	rootA := rootAt(t, "akash1provA")
	now := t0
	r := &Renewer{Issuer: Issuer{"akash1provA", rootA.Cert, rootA.Key}, Link: link, TTL: 3 * time.Hour, Now: func() time.Time { return now }}
	first, err := r.Certificate()
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if again, _ := r.Certificate(); again != first {
		t.Fatal("renewed before two thirds of the lifetime")
	}
	now = now.Add(time.Hour + time.Second)
	renewed, _ := r.Certificate()
	if renewed == first || !renewed.Leaf.NotAfter.After(first.Leaf.NotAfter) {
		t.Fatal("not renewed after two thirds of the lifetime")
	}
}

func TestVerifyParticipant(t *testing.T) {
	rootA, other := rootAt(t, "akash1provA"), rootAt(t, "akash1provA")
	revoked := rootAt(t, "akash1tenant")
	store := NewMemRoots()
	store.Add("akash1provA", rootA.Cert)
	store.Add("akash1tenant", revoked.Cert)
	store.Revoke("akash1tenant", revoked.Cert.SerialNumber)
	tunnelLeaf := func() []*x509.Certificate {
		c, err := Issuer{"akash1provA", rootA.Cert, rootA.Key}.Issue(link, t0, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return chainOf(t, c)
	}()
	v := Verifier{Roots: store, Now: func() time.Time { return t0 }}
	for _, tc := range []struct {
		name  string
		chain []*x509.Certificate
		want  error
	}{
		{"root itself", []*x509.Certificate{rootA.Cert}, nil},
		{"leaf under the root", tunnelLeaf, nil},
		{"no certificate", nil, ErrNoCertificate},
		{"root not on chain", []*x509.Certificate{other.Cert}, ErrUnknownRoot},
		{"revoked", []*x509.Certificate{revoked.Cert}, ErrRevokedRoot},
		{"forged root", []*x509.Certificate{forgeRoot(t, rootA.Cert).Cert}, ErrUnknownRoot},
	} {
		owner, err := v.VerifyParticipant(context.Background(), tc.chain)
		if tc.want == nil {
			if err != nil || owner != "akash1provA" {
				t.Errorf("%s: %q %v", tc.name, owner, err)
			}
			continue
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}
