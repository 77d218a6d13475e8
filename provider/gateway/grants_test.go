package gateway

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/cert/certgen"
	certtypes "github.com/akash-market/akash/node/x/cert/types"
	"github.com/akash-market/akash/node/x/conv"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	ptypes "github.com/akash-market/akash/node/x/provider/types"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/metrics"
)

// ManageGrant implements Grants on the real app, with authz's Grants query
// (as provider/chainclient asks a node).
func (a appChain) ManageGrant(ctx context.Context, owner, grantee string) (dtypes.ManageGrant, error) {
	var res authz.QueryGrantsResponse
	err := a.query(ctx, "/cosmos.authz.v1beta1.Query/Grants", &authz.QueryGrantsRequest{Granter: owner, Grantee: grantee,
		MsgTypeUrl: sdk.MsgTypeURL(&dtypes.MsgManageDeployment{})}, &res)
	if err != nil {
		if strings.Contains(err.Error(), "authorization not found") {
			return dtypes.ManageGrant{}, nil
		}
		return dtypes.ManageGrant{}, err
	}
	return dtypes.ManageGrantOf(res.Grants)
}

// Root implements tunnelcert.RootStore on the real app's cert module.
func (a appChain) Root(ctx context.Context, owner string, serial *big.Int) (tunnelcert.Root, error) {
	var res certtypes.QueryCertificatesResponse
	if err := a.query(ctx, "/akash.cert.v1.Query/Certificates", &certtypes.QueryCertificatesRequest{Owner: owner, Serial: serial.String()}, &res); err != nil {
		return tunnelcert.Root{}, err
	}
	for _, c := range res.Certificates {
		if c.Owner == owner && c.Serial == serial.String() {
			x, err := certgen.ParsePEM(c.Cert)
			if err != nil {
				return tunnelcert.Root{}, err
			}
			return tunnelcert.Root{Cert: x, Revoked: c.State == certtypes.CertificateRevoked}, nil
		}
	}
	return tunnelcert.Root{}, tunnelcert.ErrRootNotFound
}

// grantWorld is a provider's gateway on the real app (its deployments,
// leases, certificates and grants all on chain) and the accounts that call it.
type grantWorld struct {
	c        *apptest.Chain
	gw       *Server
	addr     net.Addr
	backend  *recBackend
	store    *DirStore
	provider certgen.Account
	certs    map[string]certgen.Account // by account address
	// accounts
	tenant, prov, manager, expired, revoked, tenant2, stranger, revokedCert apptest.Account
	managed, expiredDseq, revokedDseq, own                                  uint64 // deployments of tenant
	sdl                                                                     *manifest.Manifest
}

// newGrantWorld: tenant grants manager (live), expired (expiring an hour
// after the chain's block time, so long past by the gateway's clock) and
// revoked (then revokes it); each created one deployment through its grant.
// tenant2 grants stranger, whose grant manages a deployment of tenant2's with
// the very dseq of the manager's. The provider leases the manager's
// deployment and the tenant's own one.
func newGrantWorld(t testing.TB) *grantWorld {
	c := apptest.NewChain(t, 9, 100_000_000_000)
	w := &grantWorld{c: c, tenant: c.Accounts[1], prov: c.Accounts[2], manager: c.Accounts[3], expired: c.Accounts[4],
		revoked: c.Accounts[5], tenant2: c.Accounts[6], stranger: c.Accounts[7], revokedCert: c.Accounts[8],
		certs: map[string]certgen.Account{}}
	w.sdl = parseSDL(t, "web.yaml", onchainSDL)

	// Every account's certificate on chain, valid from the chain's genesis
	// (its block time) to two years on (the gateway's clock).
	from := c.Ctx().BlockTime()
	for _, a := range []apptest.Account{w.tenant, w.prov, w.manager, w.expired, w.revoked, w.tenant2, w.stranger, w.revokedCert} {
		r, err := certgen.Generate(rand.Reader, a.String(), from, 2*365*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		acct, err := r.Account()
		if err != nil {
			t.Fatal(err)
		}
		pub, err := acct.PubKeyPEM()
		if err != nil {
			t.Fatal(err)
		}
		c.MustDeliver(a, &certtypes.MsgCreateCertificate{Owner: a.String(), Cert: acct.CertPEM(), Pubkey: pub})
		w.certs[a.String()] = acct
	}
	c.MustDeliver(w.revokedCert, &certtypes.MsgRevokeCertificate{Owner: w.revokedCert.String(), Serial: w.certs[w.revokedCert.String()].X509.SerialNumber.String()})
	w.provider = w.certs[w.prov.String()]
	c.MustDeliver(w.prov, &ptypes.MsgCreateProvider{Owner: w.prov.String(), HostURI: "https://provider.example:8443",
		Attributes: []ptypes.Attribute{{Key: "region", Value: "us-west"}}})

	limit := func() *dtypes.ManageDeploymentsAuthorization {
		return dtypes.NewManageDeploymentsAuthorization(nil, sdk.NewInt64Coin("uakt", 50_000_000), sdk.NewDecCoin("uakt", sdkmath.NewInt(1000)), 2, nil)
	}
	grant := func(owner, to apptest.Account, exp *time.Time) {
		msg, err := authz.NewMsgGrant(owner.Addr, to.Addr, limit(), exp)
		if err != nil {
			t.Fatal(err)
		}
		c.MustDeliver(owner, msg)
	}
	v := w.sdl.Version()
	create := func(owner apptest.Account, dseq uint64) *dtypes.MsgCreateDeployment {
		return &dtypes.MsgCreateDeployment{Owner: owner.String(), Dseq: dseq, Version: v[:],
			Deposit: sdk.NewInt64Coin("uakt", 5_000_000), Groups: conv.GroupSpecs(w.sdl.Groups())}
	}
	exec := func(by, owner apptest.Account, dseq uint64) {
		m := authz.NewMsgExec(by.Addr, []sdk.Msg{&dtypes.MsgManageDeployment{Owner: owner.String(), Create: create(owner, dseq)}})
		c.MustDeliver(by, &m)
	}
	inAnHour := from.Add(time.Hour)
	grant(w.tenant, w.manager, nil)
	grant(w.tenant, w.expired, &inAnHour)
	grant(w.tenant, w.revoked, nil)
	grant(w.tenant2, w.stranger, nil)
	w.managed, w.expiredDseq, w.revokedDseq, w.own = 101, 102, 103, 104
	exec(w.expired, w.tenant, w.expiredDseq)
	exec(w.revoked, w.tenant, w.revokedDseq)
	exec(w.stranger, w.tenant2, w.managed) // tenant2's deployment 101: the stranger's grant "manages 101" too
	revoke := authz.NewMsgRevoke(w.tenant.Addr, w.revoked.Addr, sdk.MsgTypeURL(&dtypes.MsgManageDeployment{}))
	c.MustDeliver(w.tenant, &revoke)
	// The two deployments the provider leases, then its bids in their window.
	exec(w.manager, w.tenant, w.managed)
	c.MustDeliver(w.tenant, create(w.tenant, w.own))
	for _, dseq := range []uint64{w.managed, w.own} {
		c.MustDeliver(w.prov, &mtypes.MsgCreateBid{Provider: w.prov.String(), Order: mtypes.OrderID{Owner: w.tenant.String(), DSeq: dseq, GSeq: 1, OSeq: 1},
			Price:     sdk.NewDecCoin("uakt", sdkmath.NewInt(500)),
			Resources: mtypes.Resources{CPUMillis: 250, MemoryBytes: 64 << 20, StorageBytes: 128 << 20}})
	}
	c.AdvanceTo(c.Height() + mtypes.DefaultBidWindowBlocks)
	for _, dseq := range []uint64{w.managed, w.own} {
		d, err := appChain{c}.Deployment(context.Background(), market.DeploymentID{Owner: w.tenant.String(), DSeq: dseq})
		if err != nil || len(d.Leases) != 1 {
			t.Fatalf("deployment %d after the bid window: %+v, %v; want one lease", dseq, d, err)
		}
	}

	w.backend = &recBackend{deployed: map[market.LeaseID][32]byte{}, logs: make(chan string)}
	var err error
	if w.store, err = NewDirStore(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	w.gw, err = New(Config{Provider: w.prov.String(), Cert: w.provider.TLS, Chain: appChain{c}, Certs: appChain{c}, Grants: appChain{c},
		Backend: w.backend, Store: w.store, Metrics: metrics.New(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.addr = l.Addr()
	go func() { _ = w.gw.Serve(l) }()
	t.Cleanup(func() { _ = w.gw.Shutdown(context.Background()) })
	return w
}

// client speaks mTLS to the gateway as acct (a zero Account: no client certificate).
func (w *grantWorld) client(acct certgen.Account) *http.Client {
	cfg := ClientTLSConfig(acct.TLS, w.provider.X509)
	if acct.X509 == nil {
		cfg.Certificates = nil
	}
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
}

func (w *grantWorld) lease(dseq uint64) market.LeaseID {
	return market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: w.tenant.String(), DSeq: dseq}, GSeq: 1}, OSeq: 1}, Provider: w.prov.String()}
}

// do sends one request and returns the status and the error text (or body).
func do(t testing.TB, hc *http.Client, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct{ Error string }
	if json.Unmarshal(b, &e) == nil && e.Error != "" {
		return resp.StatusCode, e.Error
	}
	return resp.StatusCode, string(b)
}

// TestManagerActsThroughTheGrant: over real TLS, on the real app, who may
// send a deployment's manifest and read its lease's status: the owner; a
// management key holding the owner's live grant that created the deployment
// (with its own certificate, not the tenant's). Refused, each naming why: an
// expired grant, a revoked grant, a grant from another owner (even one that
// manages a deployment with the same dseq), a deployment the grant did not
// create, a manifest that is not the on-chain version, a revoked or missing
// client certificate, and the logs (the tenant's alone).
func TestManagerActsThroughTheGrant(t *testing.T) {
	w := newGrantWorld(t)
	good := string(w.sdl.Canonical())
	other := string(parseSDL(t, "other.yaml", strings.Replace(onchainSDL, "units: 0.25", "units: 0.125", 1)).Canonical())
	put := func(dseq uint64) string {
		return fmt.Sprintf("https://%s/deployment/%s/%d/manifest", w.addr, w.tenant, dseq)
	}
	status := func(dseq uint64) string {
		l := w.lease(dseq)
		return fmt.Sprintf("https://%s/lease/%s/%d/%d/%d/status", w.addr, l.Owner, l.DSeq, l.GSeq, l.OSeq)
	}
	logs := strings.Replace(status(w.managed), "/status", "/logs", 1)
	as := func(a apptest.Account) certgen.Account { return w.certs[a.String()] }
	cases := []struct {
		name         string
		who          certgen.Account
		method, url  string
		body         string
		code         int
		want         string // in the answer
		deployedWith string // the lease's manifest after the request ("" = not checked)
	}{
		{"the manager: manifest of the deployment its grant created", as(w.manager), http.MethodPut, put(w.managed), good, http.StatusAccepted, "", good},
		{"the manager: that lease's status", as(w.manager), http.MethodGet, status(w.managed), "", http.StatusOK, `"state":"running"`, ""},
		{"the owner: the same manifest", as(w.tenant), http.MethodPut, put(w.managed), good, http.StatusAccepted, "", good},
		{"the owner: its own deployment", as(w.tenant), http.MethodPut, put(w.own), good, http.StatusAccepted, "", ""},
		{"the manager: a manifest that is not the version on chain", as(w.manager), http.MethodPut, put(w.managed), other, http.StatusConflict, "differs from deployment", good},
		{"the manager: the tenant's own deployment (not created under the grant)", as(w.manager), http.MethodPut, put(w.own), good, http.StatusForbidden, "managed: deployment " + w.tenant.String() + "/104 was not created under the grant", ""},
		{"the manager: status of the tenant's own deployment", as(w.manager), http.MethodGet, status(w.own), "", http.StatusForbidden, "managed: deployment", ""},
		{"the manager: logs stay the tenant's", as(w.manager), http.MethodGet, logs, "", http.StatusForbidden, "is not the tenant of lease", ""},
		{"an expired grant", as(w.expired), http.MethodPut, put(w.expiredDseq), good, http.StatusForbidden, "the manage-deployments grant from " + w.tenant.String() + " to " + w.expired.String() + " expired at", ""},
		{"a revoked grant", as(w.revoked), http.MethodPut, put(w.revokedDseq), good, http.StatusForbidden, w.revoked.String() + " holds no manage-deployments grant from " + w.tenant.String() + " (never given, or revoked)", ""},
		{"a grant from another owner (managing that owner's deployment 101)", as(w.stranger), http.MethodPut, put(w.managed), good, http.StatusForbidden, w.stranger.String() + " holds no manage-deployments grant from " + w.tenant.String(), ""},
		{"a grant from another owner: status", as(w.stranger), http.MethodGet, status(w.managed), "", http.StatusForbidden, "holds no manage-deployments grant", ""},
		{"a revoked client certificate", as(w.revokedCert), http.MethodPut, put(w.managed), good, http.StatusUnauthorized, "was revoked on chain", ""},
		{"the manager's key with a certificate never on chain", func() certgen.Account {
			a, err := certgen.New(w.manager.String(), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}(), http.MethodPut, put(w.managed), good, http.StatusUnauthorized, "is not on chain", ""},
		{"no client certificate", certgen.Account{}, http.MethodPut, put(w.managed), good, 0, "certificate required", ""},
	}
	for _, c := range cases {
		code, body := do(t, w.client(c.who), c.method, c.url, c.body)
		if code != c.code || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s; want %d containing %q", c.name, code, body, c.code, c.want)
		}
		if c.deployedWith != "" {
			m := parseSDL(t, "want", c.deployedWith)
			w.backend.mu.Lock()
			got := w.backend.deployed[w.lease(w.managed)]
			w.backend.mu.Unlock()
			if got != m.Version() {
				t.Errorf("%s: lease %s runs version %x, want %x", c.name, w.lease(w.managed), got[:6], m.Version())
			}
		}
	}
	// The refusals never deployed anything: the two leases ran only what
	// the manager and the owner sent.
	w.backend.mu.Lock()
	defer w.backend.mu.Unlock()
	if n := len(w.backend.deployed); n != 2 {
		t.Errorf("%d lease(s) deployed, want 2 (the managed and the owner's own)", n)
	}
}

// BenchmarkStatusOwnerVsManager: the grant check's cost at the gateway. The
// same status request by the owner and by a management key (one more chain
// query: the owner's grant to it), alternated within each iteration on kept
// connections, so the TLS handshake is not measured and the machine's load
// falls on both alike; reported as owner-us and manager-us per request.
func BenchmarkStatusOwnerVsManager(b *testing.B) {
	w := newGrantWorld(b)
	if code, body := do(b, w.client(w.certs[w.tenant.String()]), http.MethodPut, fmt.Sprintf("https://%s/deployment/%s/%d/manifest", w.addr, w.tenant, w.managed), string(w.sdl.Canonical())); code != http.StatusAccepted {
		b.Fatalf("manifest: %d %s", code, body)
	}
	l := w.lease(w.managed)
	url := fmt.Sprintf("https://%s/lease/%s/%d/%d/%d/status", w.addr, l.Owner, l.DSeq, l.GSeq, l.OSeq)
	owner, manager := w.client(w.certs[w.tenant.String()]), w.client(w.certs[w.manager.String()])
	var spent [2]time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k, hc := range []*http.Client{owner, manager} {
			start := time.Now()
			if code, body := do(b, hc, http.MethodGet, url, ""); code != http.StatusOK {
				b.Fatalf("status as %s: %d %s", []string{"owner", "manager"}[k], code, body)
			}
			spent[k] += time.Since(start)
		}
	}
	b.ReportMetric(float64(spent[0].Microseconds())/float64(b.N), "owner-us")
	b.ReportMetric(float64(spent[1].Microseconds())/float64(b.N), "manager-us")
}
