package keeper_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	sdkquery "github.com/cosmos/cosmos-sdk/types/query"

	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/node/x/cert/types"
)

// query runs the Certificates query through the app's ABCI query path, as the
// provider daemon's gateway does over gRPC.
func query(t *testing.T, c *apptest.Chain, req *types.QueryCertificatesRequest) (*types.QueryCertificatesResponse, error) {
	t.Helper()
	bz, err := req.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.App.Query(context.Background(), &abci.RequestQuery{Path: "/akash.cert.v1.Query/Certificates", Data: bz})
	if err != nil {
		return nil, err
	}
	if res.Code != 0 {
		return nil, &queryError{res.Log}
	}
	var out types.QueryCertificatesResponse
	if err := out.Unmarshal(res.Value); err != nil {
		t.Fatal(err)
	}
	return &out, nil
}

type queryError struct{ log string }

func (e *queryError) Error() string { return e.log }

func serials(r *types.QueryCertificatesResponse) string {
	var s []string
	for _, c := range r.Certificates {
		s = append(s, c.Owner[len(c.Owner)-4:]+":"+c.State.String())
	}
	return strings.Join(s, ",")
}

func TestCreateRevokeQuery(t *testing.T) {
	c := apptest.NewChain(t, 3, 1_000_000)
	a, b := c.Accounts[1], c.Accounts[2]
	now := c.Ctx().BlockTime()
	gen := func(owner string, from time.Time, validity time.Duration) certgen.Root {
		r, err := certgen.Generate(rand.Reader, owner, from, validity)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	ra := gen(a.String(), now, time.Hour)
	c.MustDeliver(a, &types.MsgCreateCertificate{Owner: a.String(), Cert: ra.CertPEM, Pubkey: ra.PubKeyPEM})
	// The same serial again is refused.
	r := c.Deliver(a, &types.MsgCreateCertificate{Owner: a.String(), Cert: ra.CertPEM, Pubkey: ra.PubKeyPEM})
	if r.Code != types.ErrCertificateExists.ABCICode() {
		t.Fatalf("duplicate serial: code %d %s", r.Code, r.Log)
	}
	// Someone else's certificate (CN = a) published by b is refused.
	r = c.Deliver(b, &types.MsgCreateCertificate{Owner: b.String(), Cert: ra.CertPEM, Pubkey: ra.PubKeyPEM})
	if r.Code != types.ErrInvalidCertificate.ABCICode() || !strings.Contains(r.Log, "owner's address") {
		t.Fatalf("other owner's cert: code %d %s", r.Code, r.Log)
	}
	// Expired at block time (valid one minute, made two hours ago).
	old := gen(b.String(), now.Add(-2*time.Hour), time.Minute)
	r = c.Deliver(b, &types.MsgCreateCertificate{Owner: b.String(), Cert: old.CertPEM, Pubkey: old.PubKeyPEM})
	if r.Code != types.ErrCertificateExpired.ABCICode() || !strings.Contains(r.Log, "expired") {
		t.Fatalf("expired cert: code %d %s", r.Code, r.Log)
	}
	// A second valid certificate of a, and one of b.
	ra2 := gen(a.String(), now, time.Hour)
	c.MustDeliver(a, &types.MsgCreateCertificate{Owner: a.String(), Cert: ra2.CertPEM, Pubkey: ra2.PubKeyPEM})
	rb := gen(b.String(), now, time.Hour)
	c.MustDeliver(b, &types.MsgCreateCertificate{Owner: b.String(), Cert: rb.CertPEM, Pubkey: rb.PubKeyPEM})

	// Revoke: only the owner's own serial, once.
	sa := ra.Serial.String()
	if r := c.Deliver(b, &types.MsgRevokeCertificate{Owner: b.String(), Serial: sa}); r.Code != types.ErrCertificateNotFound.ABCICode() {
		t.Fatalf("revoking another owner's serial: code %d %s", r.Code, r.Log)
	}
	c.MustDeliver(a, &types.MsgRevokeCertificate{Owner: a.String(), Serial: sa})
	revokedAt := c.Height()
	if r := c.Deliver(a, &types.MsgRevokeCertificate{Owner: a.String(), Serial: sa}); r.Code != types.ErrCertificateRevoked.ABCICode() {
		t.Fatalf("second revoke: code %d %s", r.Code, r.Log)
	}

	all, err := query(t, c, &types.QueryCertificatesRequest{})
	if err != nil || len(all.Certificates) != 3 {
		t.Fatalf("all certificates: %v %v", serials(all), err)
	}
	ofA, _ := query(t, c, &types.QueryCertificatesRequest{Owner: a.String()})
	if len(ofA.Certificates) != 2 {
		t.Fatalf("a's certificates: %s", serials(ofA))
	}
	valid, _ := query(t, c, &types.QueryCertificatesRequest{Owner: a.String(), State: "valid"})
	if len(valid.Certificates) != 1 || valid.Certificates[0].Serial != ra2.Serial.String() {
		t.Fatalf("a's valid certificates: %s", serials(valid))
	}
	one, _ := query(t, c, &types.QueryCertificatesRequest{Owner: a.String(), Serial: sa})
	if len(one.Certificates) != 1 || one.Certificates[0].State != types.CertificateRevoked || one.Certificates[0].RevokedAt != revokedAt ||
		string(one.Certificates[0].Cert) != string(ra.CertPEM) {
		t.Fatalf("a's revoked certificate: %+v", one.Certificates)
	}
	revoked, _ := query(t, c, &types.QueryCertificatesRequest{State: "revoked"})
	if len(revoked.Certificates) != 1 {
		t.Fatalf("revoked: %s", serials(revoked))
	}
	page, _ := query(t, c, &types.QueryCertificatesRequest{Pagination: &sdkquery.PageRequest{Limit: 2, CountTotal: true}})
	if len(page.Certificates) != 2 || page.Pagination.Total != 3 || len(page.Pagination.NextKey) == 0 {
		t.Fatalf("page of 2: %s, pagination %+v", serials(page), page.Pagination)
	}
	if _, err := query(t, c, &types.QueryCertificatesRequest{State: "expired"}); err == nil || !strings.Contains(err.Error(), "want valid or revoked") {
		t.Fatalf("bad state filter: %v", err)
	}
	if _, err := query(t, c, &types.QueryCertificatesRequest{Owner: "nobody"}); err == nil {
		t.Fatal("bad owner filter accepted")
	}

	// Export -> genesis validation -> import into a fresh chain gives the same records.
	exported, err := c.App.ExportAppStateAndValidators(false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]json.RawMessage
	if err := json.Unmarshal(exported.AppState, &state); err != nil {
		t.Fatal(err)
	}
	var g types.GenesisState
	if err := c.App.AppCodec().UnmarshalJSON(state[types.ModuleName], &g); err != nil {
		t.Fatal(err)
	}
	if err := g.Validate(); err != nil || len(g.Certificates) != 3 {
		t.Fatalf("exported genesis: %d certificates, %v", len(g.Certificates), err)
	}
	// It loads into a new chain, and the query there answers the same.
	c2 := apptest.NewChainWithGenesis(t, 1, 1, func(gen map[string]json.RawMessage) { gen[types.ModuleName] = state[types.ModuleName] })
	again, _ := query(t, c2, &types.QueryCertificatesRequest{Owner: a.String(), Serial: sa})
	if len(again.Certificates) != 1 || !again.Certificates[0].Equal(one.Certificates[0]) {
		t.Fatalf("after genesis import: %+v", again.Certificates)
	}
}
