package tunneld

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/overlay/internal/testpki"
	"github.com/akash-market/akash/overlay/tunnel"
)

const (
	provA = "akash1provA"
	provB = "akash1provB"
)

func pemCert(c *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

func pemKey(t testing.TB, r testpki.Root) string {
	der, err := x509.MarshalPKCS8PrivateKey(r.Key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// pair makes provider A's and B's configs for a deployment where web (at A)
// may reach db:7000 (at B) and nothing else is allowed.
func pair(t testing.TB, roots map[string]testpki.Root) (a, b Config) {
	var chain []ChainRoot
	for _, p := range []string{provA, provB} {
		chain = append(chain, ChainRoot{Owner: p, Cert: pemCert(roots[p].Cert)})
	}
	for i, p := range []string{provA, provB} {
		c := Config{
			Self: p, RootCert: pemCert(roots[p].Cert), RootKey: pemKey(t, roots[p]), ChainRoots: chain,
			Allowed:    []manifest.Connection{{From: "web", To: "db", Port: 7000, Proto: "TCP"}},
			Placement:  map[string]string{"web": provA, "db": provB},
			ProbeEvery: "200ms", BackoffMax: "500ms",
		}
		c.Deployment.Owner, c.Deployment.DSeq = "akash1tenant", 9
		if i == 0 {
			a = c
		} else {
			b = c
		}
	}
	return a, b
}

func TestTwoProcessesCarryOnlyTheAllowedLink(t *testing.T) {
	roots := map[string]testpki.Root{provA: testpki.MustRoot(provA), provB: testpki.MustRoot(provB)}
	a, b := pair(t, roots)

	echo, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer echo.Close()
	go func() {
		for {
			c, err := echo.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()

	b.Endpoint, b.HTTP = "127.0.0.1:0", "127.0.0.1:0"
	b.Target = map[string]string{"db:7000": echo.Addr().String()}
	pb, err := Start(roundTripJSON(t, b))
	if err != nil {
		t.Fatal(err)
	}
	defer pb.Close()

	a.Endpoint, a.HTTP = "127.0.0.1:0", "127.0.0.1:0"
	a.Listen = map[string]string{"db:7000": "127.0.0.1:0"}
	a.Peers = map[string]string{provB: pb.Endpoint.Addr().String()}
	pa, err := Start(roundTripJSON(t, a))
	if err != nil {
		t.Fatal(err)
	}
	defer pa.Close()

	if n := len(pb.Set.Tunnels()); n != 0 {
		t.Fatalf("B (db) opened %d client tunnels; db may reach nothing", n)
	}
	tns := pa.Set.Tunnels()
	if len(tns) != 1 {
		t.Fatalf("A opened %d tunnels, want 1", len(tns))
	}
	deadline := time.Now().Add(5 * time.Second)
	for tns[0].Stats().State != tunnel.Up {
		if time.Now().After(deadline) {
			t.Fatalf("tunnel not up: %+v", tns[0].Stats())
		}
		time.Sleep(20 * time.Millisecond)
	}
	c, err := net.Dial("tcp", tns[0].Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("hello"))
	buf := make([]byte, 5)
	c.SetDeadline(time.Now().Add(3 * time.Second))
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "hello" {
		t.Fatalf("echo through tunnel: %q %v", buf, err)
	}
	c.Close()

	for _, path := range []string{"/metrics", "/tunnels"} {
		resp, err := http.Get("http://" + pa.HTTPAddr() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "web->db:7000/tcp") {
			t.Fatalf("%s does not list the tunnel:\n%s", path, body)
		}
	}
}

func roundTripJSON(t *testing.T, c Config) Config {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseConfigRefuses(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`{"self":"a","root_cert":"x","root_key":"y","bogus":1}`, "unknown field"},
		{`{"self":"a"}`, "required"},
		{`not json`, "invalid character"},
	} {
		if _, err := ParseConfig([]byte(tc.json)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.json, err, tc.want)
		}
	}
	roots := map[string]testpki.Root{provA: testpki.MustRoot(provA), provB: testpki.MustRoot(provB)}
	a, _ := pair(t, roots)
	a.CertTTL = "forever"
	if _, err := Start(a); err == nil || !strings.Contains(err.Error(), "cert_ttl") {
		t.Fatalf("bad cert_ttl: %v", err)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"self":"a","root_cert":"x","root_key":"y","peers":{"b":"h:1"},"allowed":[{"From":"web","To":"db","Port":1,"Proto":"TCP"}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig(b)
		if err == nil && (c.Self == "" || c.RootCert == "" || c.RootKey == "") {
			t.Fatalf("accepted a config without its required keys: %q", b)
		}
	})
}
