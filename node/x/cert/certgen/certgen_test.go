package certgen_test

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/node/x/cert/types"
)

const addr = "akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"

func TestGenerateIsWhatTheChainAccepts(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	r, err := certgen.Generate(rand.Reader, addr, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, err := types.ParseCertificate(addr, r.CertPEM, r.PubKeyPEM)
	if err != nil {
		t.Fatalf("x/cert refuses a generated root: %v", err)
	}
	if c.SerialNumber.Cmp(r.Serial) != 0 || c.Subject.CommonName != addr {
		t.Fatalf("serial %s cn %s", c.SerialNumber, c.Subject.CommonName)
	}
	if err := types.CheckValidAt(c, now); err != nil {
		t.Fatal(err)
	}
	if err := types.CheckValidAt(c, now.Add(time.Hour)); err == nil {
		t.Fatal("valid past its validity")
	}
	// Another owner's address is refused: CN must be the owner.
	if _, err := types.ParseCertificate("akash1other", r.CertPEM, r.PubKeyPEM); !types.ErrInvalidCertificate.Is(err) {
		t.Fatalf("CN mismatch: %v", err)
	}
	pub, err := certgen.PublicKeyPEM(r.CertPEM)
	if err != nil || string(pub) != string(r.PubKeyPEM) {
		t.Fatalf("PublicKeyPEM = %q, %v", pub, err)
	}
	if _, err := certgen.Generate(rand.Reader, "", now, time.Hour); err == nil {
		t.Fatal("empty address accepted")
	}
	if _, err := certgen.Generate(rand.Reader, addr, now, 0); err == nil {
		t.Fatal("zero validity accepted")
	}
}

func TestWriteLoad(t *testing.T) {
	home := t.TempDir()
	r, err := certgen.Generate(rand.Reader, addr, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath, err := certgen.Write(home, addr, r, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{certPath, keyPath} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("%s mode %v, want 0600", p, st.Mode().Perm())
		}
	}
	if _, _, err := certgen.Write(home, addr, r, false); !errors.Is(err, certgen.ErrExists) {
		t.Fatalf("second write without overwrite: %v", err)
	}
	r2, _ := certgen.Generate(rand.Reader, addr, time.Now(), time.Hour)
	if _, _, err := certgen.Write(home, addr, r2, true); err != nil {
		t.Fatal(err)
	}
	c, err := certgen.Load(home, addr)
	if err != nil {
		t.Fatal(err)
	}
	if c.X509.SerialNumber.Cmp(r2.Serial) != 0 {
		t.Fatalf("loaded serial %s, want the overwritten %s", c.X509.SerialNumber, r2.Serial)
	}
	if _, err := certgen.Load(t.TempDir(), addr); err == nil {
		t.Fatal("Load of a missing root succeeded")
	}
}

// The root works as the trust anchor of a real mutual-TLS handshake: each
// side presents its own root and trusts only the other's.
func TestRootsAuthenticateMutualTLS(t *testing.T) {
	now := time.Now()
	a, _ := certgen.Generate(rand.Reader, "akash1tenant", now, time.Hour)
	b, _ := certgen.Generate(rand.Reader, "akash1provider", now, time.Hour)
	pair := func(r certgen.Root) tls.Certificate {
		c, err := tls.X509KeyPair(r.CertPEM, r.KeyPEM)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	pool := func(r certgen.Root) *x509.CertPool {
		p := x509.NewCertPool()
		p.AppendCertsFromPEM(r.CertPEM)
		return p
	}
	server := &tls.Config{Certificates: []tls.Certificate{pair(b)}, ClientCAs: pool(a), ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS13}
	client := &tls.Config{Certificates: []tls.Certificate{pair(a)}, RootCAs: pool(b), ServerName: "akash1provider", MinVersion: tls.VersionTLS13,
		// The provider's root names an address, not a DNS name: verify the chain and the CN.
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			c, err := x509.ParseCertificate(raw[0])
			if err != nil {
				return err
			}
			if _, err := c.Verify(x509.VerifyOptions{Roots: pool(b)}); err != nil {
				return err
			}
			if c.Subject.CommonName != "akash1provider" {
				return errors.New("wrong provider")
			}
			return nil
		},
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", server)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer conn.Close()
		tc := conn.(*tls.Conn)
		if err := tc.Handshake(); err != nil {
			done <- err
			return
		}
		if cn := tc.ConnectionState().PeerCertificates[0].Subject.CommonName; cn != "akash1tenant" {
			done <- errors.New("server saw " + cn)
			return
		}
		done <- nil
	}()
	conn, err := tls.Dial("tcp", ln.Addr().String(), client)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// A client whose root the server does not trust is refused.
	c, _ := certgen.Generate(rand.Reader, "akash1stranger", now, time.Hour)
	client.Certificates = []tls.Certificate{pair(c)}
	go func() {
		conn, err := ln.Accept()
		if err == nil {
			done <- conn.(*tls.Conn).Handshake()
			conn.Close()
		}
	}()
	if conn, err := tls.Dial("tcp", ln.Addr().String(), client); err == nil {
		// TLS 1.3: the client learns of the refusal on its first read.
		_, err = conn.Read(make([]byte, 1))
		conn.Close()
		if err == nil {
			t.Fatal("stranger's read succeeded")
		}
	}
	if err := <-done; err == nil {
		t.Fatal("server accepted a client under an untrusted root")
	}
}

func TestGenerateDeterministic(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	a, err := certgen.GenerateDeterministic([32]byte{1}, addr, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := certgen.GenerateDeterministic([32]byte{1}, addr, now, time.Hour)
	c, _ := certgen.GenerateDeterministic([32]byte{2}, addr, now, time.Hour)
	if string(a.CertPEM) != string(b.CertPEM) || string(a.KeyPEM) != string(b.KeyPEM) {
		t.Fatal("same seed, different bytes")
	}
	if string(a.CertPEM) == string(c.CertPEM) || a.Serial.Cmp(c.Serial) == 0 {
		t.Fatal("different seeds, same certificate or serial")
	}
	if _, err := types.ParseCertificate(addr, a.CertPEM, a.PubKeyPEM); err != nil {
		t.Fatalf("x/cert refuses a deterministic root: %v", err)
	}
}
