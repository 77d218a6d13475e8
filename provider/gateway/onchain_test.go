package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	gogoproto "github.com/cosmos/gogoproto/proto"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/conv"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	ptypes "github.com/akash-market/akash/node/x/provider/types"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/metrics"
)

// appChain is the gateway's Chain over the real app's gRPC queries (through
// ABCI Query, as the daemon's chain client asks a node).
type appChain struct{ c *apptest.Chain }

func (a appChain) query(ctx context.Context, method string, req, resp gogoproto.Message) error {
	bz, err := gogoproto.Marshal(req)
	if err != nil {
		return err
	}
	r, err := a.c.App.Query(ctx, &abci.RequestQuery{Path: method, Data: bz})
	if err != nil {
		return err
	}
	if r.Code != 0 {
		return fmt.Errorf("query %s: %s code %d: %s", method, r.Codespace, r.Code, r.Log)
	}
	return gogoproto.Unmarshal(r.Value, resp)
}

func (a appChain) Deployment(ctx context.Context, id market.DeploymentID) (Deployment, error) {
	var resp dtypes.QueryDeploymentResponse
	if err := a.query(ctx, "/akash.deployment.v1.Query/Deployment", &dtypes.QueryDeploymentRequest{Owner: id.Owner, Dseq: id.DSeq}, &resp); err != nil {
		if strings.Contains(err.Error(), "not found") {
			return Deployment{}, fmt.Errorf("%w: %v", ErrNotFound, err)
		}
		return Deployment{}, err
	}
	d := Deployment{ID: id, Active: resp.Deployment.State == dtypes.DeploymentActive}
	copy(d.Version[:], resp.Deployment.Version)
	var err error
	if d.Groups, err = conv.OrderedGroups(resp.Groups); err != nil {
		return d, err
	}
	var lr mtypes.QueryLeasesResponse
	if err := a.query(ctx, "/akash.market.v1.Query/Leases", &mtypes.QueryLeasesRequest{Owner: id.Owner, State: "active"}, &lr); err != nil {
		return d, err
	}
	for _, l := range lr.Leases {
		if l.ID.DSeq == id.DSeq {
			d.Leases = append(d.Leases, l.ID.ToCore())
		}
	}
	return d, nil
}

const onchainSDL = `version: "2.0"
services:
  web:
    image: akash-test/hello:latest
    expose:
      - port: 8080
        as: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu: {units: 0.25}
        memory: {size: 64Mi}
        storage: {size: 128Mi}
  placement:
    westcoast:
      attributes: {region: us-west}
      pricing:
        web: {denom: uakt, amount: 1000}
deployment:
  web:
    westcoast: {profile: web, count: 1}
`

func parseSDL(t testing.TB, name, y string) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Parse(name, []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestManifestMustFitTheLeaseOnChain: a deployment ordered 1 × (0.25 cpu,
// 64Mi) and leased it on the real app. The tenant then records, with a
// hand-built update the chain cannot see into (it holds only a hash), the
// version of a manifest that asks for 3 × (2 cpu, 2Gi), and sends that
// manifest: the gateway refuses it and runs nothing. A manifest whose group
// is another placement is refused too; the ordered one is accepted.
func TestManifestMustFitTheLeaseOnChain(t *testing.T) {
	c := apptest.NewChain(t, 3, 100_000_000_000)
	tenantAcc, provAcc := c.Accounts[1], c.Accounts[2]
	small := parseSDL(t, "small.yaml", onchainSDL)
	bigger := parseSDL(t, "bigger.yaml", strings.NewReplacer("units: 0.25", "units: 2", "size: 64Mi", "size: 2Gi", "count: 1", "count: 3").Replace(onchainSDL))
	elsewhere := parseSDL(t, "elsewhere.yaml", strings.ReplaceAll(onchainSDL, "westcoast", "eastcoast"))

	c.MustDeliver(provAcc, &ptypes.MsgCreateProvider{Owner: provAcc.String(), HostURI: "https://provider.example:8443",
		Attributes: []ptypes.Attribute{{Key: "region", Value: "us-west"}}})
	dseq := uint64(c.Height() + 1)
	v := small.Version()
	c.MustDeliver(tenantAcc, &dtypes.MsgCreateDeployment{Owner: tenantAcc.String(), Dseq: dseq, Version: v[:],
		Deposit: sdk.NewInt64Coin("uakt", 5_000_000), Groups: conv.GroupSpecs(small.Groups())})
	order := mtypes.OrderID{Owner: tenantAcc.String(), DSeq: dseq, GSeq: 1, OSeq: 1}
	c.MustDeliver(provAcc, &mtypes.MsgCreateBid{Provider: provAcc.String(), Order: order,
		Price:     sdk.NewDecCoin("uakt", sdkmath.NewInt(500)),
		Resources: mtypes.Resources{CPUMillis: 250, MemoryBytes: 64 << 20, StorageBytes: 128 << 20}})
	c.AdvanceTo(c.Height() + mtypes.DefaultBidWindowBlocks)
	did := market.DeploymentID{Owner: tenantAcc.String(), DSeq: dseq}
	d, err := appChain{c}.Deployment(context.Background(), did)
	if err != nil || len(d.Leases) != 1 || d.Leases[0].Provider != provAcc.String() {
		t.Fatalf("after the bid window: deployment %+v, %v; want one active lease of the provider", d, err)
	}
	lease := d.Leases[0]

	// The real gateway, on the app, with accounts named by their addresses.
	roots := tunnelcert.NewMemRoots()
	accts := map[string]account{}
	for _, a := range []apptest.Account{tenantAcc, provAcc} {
		accts[a.String()] = newAccount(t, a.String())
		roots.Add(a.String(), accts[a.String()].x509)
	}
	backend := &recBackend{deployed: map[market.LeaseID][32]byte{}, logs: make(chan string)}
	store, err := NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	mt := metrics.New()
	srv, err := New(Config{Provider: provAcc.String(), Cert: accts[provAcc.String()].tls, Chain: appChain{c}, Certs: roots,
		Backend: backend, Store: store, Metrics: mt, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: ClientTLSConfig(accts[tenantAcc.String()].tls, accts[provAcc.String()].x509)}}
	put := func(m *manifest.Manifest) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("https://%s/deployment/%s/%d/manifest", l.Addr(), did.Owner, did.DSeq), strings.NewReader(string(m.Canonical())))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var e struct{ Error string }
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			return resp.StatusCode, e.Error
		}
		return resp.StatusCode, string(b)
	}
	// update records m's version the way a hand-built transaction does.
	update := func(m *manifest.Manifest) {
		t.Helper()
		v := m.Version()
		c.MustDeliver(tenantAcc, &dtypes.MsgUpdateDeployment{Owner: did.Owner, Dseq: did.DSeq, Version: v[:], Groups: conv.GroupSpecs(small.Groups())})
	}

	if code, body := put(small); code != http.StatusAccepted {
		t.Fatalf("the ordered manifest: %d %s", code, body)
	}
	if backend.deployed[lease] != small.Version() {
		t.Fatalf("the ordered manifest was not deployed: %v", backend.deployed)
	}

	update(bigger)
	code, body := put(bigger)
	for _, want := range []string{"profile web: 3 replica(s) of cpu 2, memory 2Gi", "no ordered replica has these resources (cpu 2 (ordered 0.25), memory 2Gi (ordered 64Mi))"} {
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
			t.Fatalf("3 × 2 cpu / 2Gi on a lease of 1 × 0.25 cpu / 64Mi: %d %s; want 422 containing %q", code, body, want)
		}
	}
	// The backend hears why (the daemon names it in the lease's close).
	if why := backend.refusal(lease); !strings.Contains(why, "no ordered replica has these resources") {
		t.Fatalf("refusal recorded for %s: %q, want the excess", lease, why)
	}
	update(elsewhere)
	code, body = put(elsewhere)
	if want := `the manifest's placement is "eastcoast", the leased group's "westcoast"`; code != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
		t.Fatalf("a manifest for another group: %d %s; want 422 containing %q", code, body, want)
	}
	if backend.deployed[lease] != small.Version() {
		t.Fatalf("a refused manifest was deployed: %x", backend.deployed[lease])
	}
	if b, err := store.Get(did); err != nil || string(b) != string(small.Canonical()) {
		t.Fatalf("stored manifest changed to a refused one (%v)", err)
	}
	if got := metrics.Value(mt.ManifestsRejected.WithLabelValues("exceeds-order")); got != 2 {
		t.Fatalf("manifests_rejected_total{reason=exceeds-order} = %v, want 2", got)
	}
}
