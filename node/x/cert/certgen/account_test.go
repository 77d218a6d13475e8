package certgen

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNewSaveLoad(t *testing.T) {
	a, err := New("akash1abc", time.Hour, "127.0.0.1", "provider.example")
	if err != nil {
		t.Fatal(err)
	}
	if a.X509.Subject.CommonName != "akash1abc" || len(a.X509.IPAddresses) != 1 || a.X509.DNSNames[0] != "provider.example" {
		t.Fatalf("cert fields: %+v", a.X509.Subject)
	}
	home := t.TempDir()
	if err := a.Save(home); err != nil {
		t.Fatal(err)
	}
	b, err := Load(home, "akash1abc")
	if err != nil {
		t.Fatal(err)
	}
	if !b.X509.Equal(a.X509) {
		t.Fatal("loaded certificate differs")
	}
	c, err := ParsePEM(a.CertPEM())
	if err != nil || !c.Equal(a.X509) {
		t.Fatalf("ParsePEM: %v", err)
	}
	if _, err := Load(home, "akash1other"); err == nil || !strings.Contains(err.Error(), "create one with") {
		t.Fatalf("missing cert: %v", err)
	}
	if _, err := New("", time.Hour); err == nil {
		t.Fatal("empty address accepted")
	}
	if _, err := ParsePEM([]byte("junk")); err == nil {
		t.Fatal("junk PEM accepted")
	}
	// One overwrite rule: saving over an existing root is refused.
	if err := a.Save(home); !errors.Is(err, ErrExists) {
		t.Fatalf("second Save: %v, want ErrExists", err)
	}
	pub, err := a.PubKeyPEM()
	if err != nil || !strings.Contains(string(pub), "PUBLIC KEY") {
		t.Fatalf("PubKeyPEM: %s %v", pub, err)
	}
}
