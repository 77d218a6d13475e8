package manage_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/node/apptest"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	"github.com/akash-market/akash/provider/manage"
)

const webSDL = `version: "2.0"
services:
  web:
    image: web:1
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
profiles:
  compute:
    small:
      resources: {cpu: {units: 0.25}, memory: {size: 64Mi}, storage: {size: 128Mi}}
  placement:
    dc:
      pricing:
        small: {denom: uakt, amount: 100}
deployment:
  web: {dc: {profile: small, count: 1}}
`

const deliveryYAML = `check_every: 6s
input: {file: LOAD}
sdl: web.yaml
deposit: 5000000uakt
regions: [us-east, eu-west, ap-south]
latency_ms:
  us-east: {eu-west: 80, ap-south: 220}
  eu-west: {ap-south: 150}
target_ms: 50
users_per_group: 1000
min_groups: 1
max_groups: 3
`

type rig struct {
	t    *testing.T
	c    *apptest.Chain
	ch   *appChain
	load string
	m    *manage.Manager
}

func newRig(t *testing.T, policy, cfgYAML string) *rig {
	dir := t.TempDir()
	load := filepath.Join(dir, "load.prom")
	data := []byte(strings.ReplaceAll(cfgYAML, "LOAD", load))
	cfg, err := manage.ParseConfig(filepath.Join(dir, "manage.yaml"), data, policy)
	if err != nil {
		t.Fatal(err)
	}
	man, err := manifest.Parse("web.yaml", []byte(webSDL))
	if err != nil {
		t.Fatal(err)
	}
	c := apptest.NewChain(t, 3, 100_000_000_000)
	ch := &appChain{c: c, tenant: c.Accounts[1], manager: c.Accounts[2]}
	r := &rig{t: t, c: c, ch: ch, load: load}
	r.m = &manage.Manager{Cfg: cfg, Policy: policy, Owner: ch.tenant.String(), Chain: ch, Source: manage.NewSource(cfg),
		Manifest: man, Deposit: sdk.NewInt64Coin("uakt", 5_000_000)}
	return r
}

func (r *rig) grant(spend int64, maxPrice int64, n uint32, regions []string) {
	a := dtypes.NewManageDeploymentsAuthorization(nil, sdk.NewInt64Coin("uakt", spend), sdk.NewDecCoin("uakt", math.NewInt(maxPrice)), n, regions)
	msg, err := authz.NewMsgGrant(r.ch.tenant.Addr, r.ch.manager.Addr, a, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	r.c.MustDeliver(r.ch.tenant, msg)
}

func (r *rig) users(us, eu, ap float64) {
	r.t.Helper()
	body := fmt.Sprintf("# TYPE users gauge\nusers{region=\"us-east\"} %v\nusers{region=\"eu-west\"} %v\nusers{region=\"ap-south\"} %v\n", us, eu, ap)
	if err := os.WriteFile(r.load, []byte(body), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) step() manage.Step {
	r.t.Helper()
	s, err := r.m.Step(context.Background())
	if err != nil {
		r.t.Fatalf("step at height %d: %v", r.c.Height(), err)
	}
	return s
}

func (r *rig) liveRegions() []string {
	a, _ := r.ch.Grant(context.Background())
	var out []string
	for _, d := range a.Live {
		m, _ := r.ch.Deployment(context.Background(), d)
		out = append(out, m.Region)
	}
	return out
}

// TestManagerFollowsUsers: users move from us-east to ap-south; the manager
// adds a group near them and lets the far one go, through the grant only.
func TestManagerFollowsUsers(t *testing.T) {
	r := newRig(t, manage.PolicyDelivery, deliveryYAML)
	r.grant(30_000_000, 1000, 3, []string{"us-east", "eu-west", "ap-south"})
	if err := r.m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.users(800, 0, 0)
	if s := r.step(); !slices.Equal(s.Added, []string{"us-east"}) {
		t.Fatalf("first step: %v; want one group in us-east", s)
	}
	r.users(1500, 0, 0)
	if s := r.step(); !slices.Equal(s.Added, []string{"us-east"}) {
		t.Fatalf("us-east over one group: %v; want a second in us-east", s)
	}
	r.users(0, 0, 700)
	s := r.step()
	if !slices.Equal(s.Added, []string{"ap-south"}) || len(s.Removed) != 1 {
		t.Fatalf("users moved to ap-south: %v; want one us-east group gone and one ap-south added", s)
	}
	s = r.step()
	if got := r.liveRegions(); !slices.Equal(got, []string{"ap-south"}) {
		t.Fatalf("live after settling: %v (last step %v); want [ap-south]", got, s)
	}
	if s := r.step(); len(s.Added)+len(s.Removed) != 0 {
		t.Fatalf("steady load: %v; want no change", s)
	}
}

// TestManagerRestartsWithoutDuplicates: a new manager process (kill -9: no
// state kept) rebuilds its groups from the chain and creates nothing twice.
func TestManagerRestartsWithoutDuplicates(t *testing.T) {
	r := newRig(t, manage.PolicyDelivery, deliveryYAML)
	r.grant(30_000_000, 1000, 3, nil)
	r.users(1800, 0, 0)
	r.step()
	before := r.liveRegions()
	if len(before) != 2 {
		t.Fatalf("live %v; want two us-east groups", before)
	}
	old := r.m // a fresh process: same config, no memory
	r.m = &manage.Manager{Cfg: old.Cfg, Policy: old.Policy, Owner: old.Owner, Chain: old.Chain, Source: old.Source,
		Manifest: old.Manifest, Deposit: old.Deposit}
	if s := r.step(); len(s.Added)+len(s.Removed) != 0 || !slices.Equal(s.Groups, before) {
		t.Fatalf("after restart: %v; want the same %v and nothing created", s, before)
	}
}

// TestManagerRestartsWithAFullGrant: after a kill -9 with every slot of
// --max-deployments in use, a new manager starts (the grant is not "too
// small": its deployments are the policy's own) and creates nothing.
func TestManagerRestartsWithAFullGrant(t *testing.T) {
	r := newRig(t, manage.PolicyDelivery, deliveryYAML)
	r.grant(30_000_000, 1000, 2, nil)
	r.users(1800, 0, 0)
	r.step()
	if live := r.liveRegions(); len(live) != 2 {
		t.Fatalf("live %v; want two us-east groups, the grant's two slots", live)
	}
	old := r.m
	r.m = &manage.Manager{Cfg: old.Cfg, Policy: old.Policy, Owner: old.Owner, Chain: old.Chain, Source: old.Source,
		Manifest: old.Manifest, Deposit: old.Deposit}
	if err := r.m.Start(context.Background()); err != nil {
		t.Fatalf("start with the grant's slots all in use: %v", err)
	}
	if s := r.step(); len(s.Added)+len(s.Removed) != 0 {
		t.Fatalf("after restart: %v; want nothing created or closed", s)
	}
}

// TestManagerStopsAtRevokeAndLimits: a revoke stops the manager at its next
// step; a grant that cannot hold the policy's minimum is reported at start.
func TestManagerStopsAtRevokeAndLimits(t *testing.T) {
	r := newRig(t, manage.PolicyDelivery, deliveryYAML)
	if err := r.m.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "no management grant") {
		t.Fatalf("start without a grant: %v", err)
	}
	r.grant(4_000_000, 50, 3, []string{"us-east"})
	err := r.m.Start(context.Background())
	for _, want := range []string{"spend-limit: 4000000uakt left; opening 1 more deployment(s) at 5000000uakt each",
		"max-price: groups[0] (dc) bids up to 100.000000000000000000uakt", "regions: groups[0] (dc) requires region=eu-west"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("start with a small grant: %v; want it to name %q", err, want)
		}
	}
	r.grant(30_000_000, 1000, 3, nil)
	r.users(500, 0, 0)
	r.step()
	revoke := authz.NewMsgRevoke(r.ch.tenant.Addr, r.ch.manager.Addr, sdk.MsgTypeURL(&dtypes.MsgManageDeployment{}))
	r.c.MustDeliver(r.ch.tenant, &revoke)
	execs := r.ch.execs
	if _, err := r.m.Step(context.Background()); err == nil || !strings.Contains(err.Error(), "no management grant") {
		t.Fatalf("step after revoke: %v; want it to stop", err)
	}
	if r.ch.execs != execs {
		t.Fatal("the manager sent a message after the revoke")
	}
}

// TestManagerMLBatch: the queue rises, workers are ordered; it drains, they go.
func TestManagerMLBatch(t *testing.T) {
	r := newRig(t, manage.PolicyMLBatch, "input: {file: LOAD}\nsdl: web.yaml\ndeposit: 5000000uakt\nworkers_per_job: 1\nmax_workers: 3\n")
	r.grant(50_000_000, 1000, 3, nil)
	queue := func(n int) {
		if err := os.WriteFile(r.load, []byte(fmt.Sprintf("queue_length %d\n", n)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ queue, live int }{{0, 0}, {2, 2}, {7, 3}, {1, 1}, {0, 0}} {
		queue(tc.queue)
		r.step()
		if got := len(r.liveRegions()); got != tc.live {
			t.Fatalf("queue %d: %d workers live, want %d", tc.queue, got, tc.live)
		}
	}
}

// TestManagerTopUpAndMetrics: escrow below top_up.below is refilled through
// the grant (counted against its spend limit, exactly); /metrics and /status
// report what the manager did.
func TestManagerTopUpAndMetrics(t *testing.T) {
	r := newRig(t, manage.PolicyMLBatch, "input: {file: LOAD}\nsdl: web.yaml\ndeposit: 5000000uakt\nmax_workers: 2\n")
	r.grant(13_000_000, 1000, 2, nil)
	below := math.LegacyNewDec(6_000_000)
	r.m.TopBelow, r.m.TopUp = &below, sdk.NewInt64Coin("uakt", 2_000_000)
	if err := os.WriteFile(r.load, []byte("queue_length 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := r.step(); len(s.Added) != 1 || len(s.TopUps) != 0 {
		t.Fatalf("first step: %+v; want one worker, no top-up yet", s)
	}
	if s := r.step(); len(s.TopUps) != 1 {
		t.Fatalf("second step: %+v; want the 5000000 escrow topped up", s)
	}
	if s := r.step(); len(s.TopUps) != 0 {
		t.Fatalf("third step: %+v; the escrow holds 7000000, above 6000000: no top-up", s)
	}
	a, _ := r.ch.Grant(context.Background())
	if a.Spent.Amount.Int64() != 7_000_000 || a.SpendLeft.Amount.Int64() != 6_000_000 {
		t.Fatalf("grant spent %s left %s; want 7000000 and 6000000", a.Spent, a.SpendLeft)
	}
	srv := httptest.NewServer(r.m.Handler())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	samples, err := manage.ParseMetrics(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, s := range samples {
		got[s.Name] = s.Value
	}
	if got["akash_manage_steps_total"] != 3 || got["akash_manage_deployments_created_total"] != 1 || got["akash_manage_topups_total"] != 1 ||
		got["akash_manage_spend_left"] != 6_000_000 || got["akash_manage_groups"] != 1 {
		t.Fatalf("metrics %v", got)
	}
}
