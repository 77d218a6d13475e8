package manifestpeer

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/internal/testpki"
	"github.com/akash-market/akash/overlay/tunnelcert"
)

// memChain is the chain's answer for one deployment.
type memChain struct {
	version   map[overlay.DeploymentID][32]byte
	providers map[overlay.DeploymentID][]string
}

func (c memChain) Version(_ context.Context, d overlay.DeploymentID) ([32]byte, error) {
	v, ok := c.version[d]
	if !ok {
		return v, errors.New("no such deployment")
	}
	return v, nil
}

func (c memChain) Providers(_ context.Context, d overlay.DeploymentID) ([]string, error) {
	return c.providers[d], nil
}

type memStore struct {
	mu sync.Mutex
	m  map[overlay.DeploymentID][]byte
}

func (s *memStore) Manifest(_ context.Context, d overlay.DeploymentID) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[d]
	return b, ok, nil
}

const sdl = `
version: "2.0"
services:
  web:
    image: akash-test/hello:1
    expose:
      - port: 80
        to: [{global: true}]
  db:
    image: akash-test/hello:1
    expose:
      - port: 5432
        to: [{service: web}]
profiles:
  compute:
    small:
      resources: {cpu: {units: 0.5}, memory: {size: 256Mi}, storage: {size: 1Gi}}
  placement:
    west: {pricing: {small: {denom: uakt, amount: 10}}}
    east: {pricing: {small: {denom: uakt, amount: 10}}}
deployment:
  web: {west: {profile: small, count: 1}}
  db: {east: {profile: small, count: 1}}
`

type party struct {
	addr string
	cert tls.Certificate
}

func newParty(t *testing.T, chain *tunnelcert.MemRoots, addr string, onChain bool) party {
	r := testpki.MustRoot(addr)
	if onChain {
		chain.Add(addr, r.Cert)
	}
	return party{addr: addr, cert: tls.Certificate{Certificate: [][]byte{r.Cert.Raw}, PrivateKey: r.Key, Leaf: r.Cert}}
}

func TestManifestExchange(t *testing.T) {
	m, err := manifest.Parse("deploy.yaml", []byte(sdl))
	if err != nil {
		t.Fatal(err)
	}
	dep := overlay.DeploymentID{Owner: "akash1tenant", DSeq: 5}
	roots := tunnelcert.NewMemRoots()
	tenant := newParty(t, roots, "akash1tenant", true)
	provA := newParty(t, roots, "akash1provA", true)
	provB := newParty(t, roots, "akash1provB", true)
	provD := newParty(t, roots, "akash1provD", true)
	outsider := newParty(t, roots, "akash1outsider", true) // on chain, no lease
	offChain := newParty(t, roots, "akash1provB", false)   // B's name, a root not on chain
	chain := memChain{
		version:   map[overlay.DeploymentID][32]byte{dep: m.Version()},
		providers: map[overlay.DeploymentID][]string{dep: {"akash1provA", "akash1provB", "akash1provD"}},
	}
	verifier := tunnelcert.Verifier{Roots: roots}

	// gateway starts a provider's gateway holding the given manifests.
	gateway := func(p party, held map[overlay.DeploymentID][]byte) Peer {
		mux := http.NewServeMux()
		Handler{Verifier: verifier, Chain: chain, Store: &memStore{m: held}}.Register(mux)
		srv := httptest.NewUnstartedServer(mux)
		srv.TLS = ServerTLSConfig(p.cert)
		srv.StartTLS()
		t.Cleanup(srv.Close)
		return Peer{Address: p.addr, URL: srv.URL}
	}
	good := m.Canonical()
	tampered := bytes.Replace(append([]byte(nil), good...), []byte("5432"), []byte("5433"), 1)
	if bytes.Equal(tampered, good) {
		t.Fatal("tampering changed nothing")
	}
	// The tenant sent the manifest to A only; D got a tampered copy somehow.
	gwA := gateway(provA, map[overlay.DeploymentID][]byte{dep: good})
	gwD := gateway(provD, map[overlay.DeploymentID][]byte{dep: tampered})
	gwEmpty := gateway(provD, nil)

	fetcher := func(p party) Fetcher { return Fetcher{Verifier: verifier, Chain: chain, Cert: p.cert} }
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		who   party
		peers []Peer
		want  error
	}{
		{"B fetches from A", provB, []Peer{gwA}, nil},
		{"the tenant fetches from A", tenant, []Peer{gwA}, nil},
		{"B refuses D's tampered copy", provB, []Peer{gwD}, ErrVersionMismatch},
		{"B skips the tampered copy and takes A's", provB, []Peer{gwD, gwA}, nil},
		{"a provider without a lease gets nothing", outsider, []Peer{gwA}, ErrNotParticipant},
		{"a root not on chain gets nothing", offChain, []Peer{gwA}, ErrNotParticipant},
		{"a peer that holds nothing", provB, []Peer{gwEmpty}, ErrNotHeld},
		{"a gateway answering as another provider", provB, []Peer{{Address: "akash1provA", URL: gwD.URL}}, tunnelcert.ErrWrongProvider},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := fetcher(tc.who).Fetch(ctx, dep, tc.peers)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, good) {
					t.Fatal("fetched bytes differ from the manifest")
				}
				if _, err := manifest.Parse("fetched", got); err != nil {
					t.Fatalf("fetched manifest does not parse: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if got != nil {
				t.Fatal("bytes returned with an error")
			}
		})
	}
}
