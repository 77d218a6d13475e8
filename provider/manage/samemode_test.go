package manage_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/policy"
	"github.com/akash-market/akash/node/apptest"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	"github.com/akash-market/akash/provider/manage"
	"github.com/akash-market/akash/scenarios"
	"github.com/akash-market/akash/sim"
	"github.com/akash-market/akash/sim/tiers"
)

// TestSameDecisionsAsSimulator: the simulator's delivery tier runs the
// shipped delivery-network scenario; its users per region at every check
// are the load trace the chain's manager reads (a Prometheus text file),
// one manager step per check on the real app. Both must make the same
// decisions, check after check: the groups they hold (by region, in
// order), the regions they add and the regions they let go.
func TestSameDecisionsAsSimulator(t *testing.T) {
	sc, err := scenarios.Open("delivery-network", "duration=12h")
	if err != nil {
		t.Fatal(err)
	}
	var checks []tiers.DeliveryCheck
	if _, err := sim.Run(sc, sim.Options{Tiers: tiers.AttachObserved(func(c tiers.DeliveryCheck) { checks = append(checks, c) })}); err != nil {
		t.Fatal(err)
	}
	if len(checks) < 100 {
		t.Fatalf("%d checks in 12h; want one per check_every", len(checks))
	}
	first := checks[0]
	dir := t.TempDir()
	cfg := &manage.Config{File: "manage.yaml", CheckEvery: time.Second, Input: manage.Input{File: filepath.Join(dir, "load.prom"),
		UsersMetric: "users", RegionLabel: "region"}, Regions: first.Regions, LatencyMS: map[string]map[string]float64{},
		TargetMS: float64(first.State.TargetUS) / 1000, UsersPerGroup: float64(first.State.GroupCapacity) / policy.UserScale,
		MinGroups: first.State.MinGroups, MaxGroups: first.State.MaxGroups}
	for i, a := range first.Regions {
		cfg.LatencyMS[a] = map[string]float64{}
		for j, b := range first.Regions {
			cfg.LatencyMS[a][b] = float64(first.State.LatencyUS[i][j]) / 1000
		}
	}
	lat := cfg.Latency()
	for i := range lat {
		if !slices.Equal(lat[i], first.State.LatencyUS[i]) {
			t.Fatalf("latency row %d: manager %v, simulator %v", i, lat[i], first.State.LatencyUS[i])
		}
	}
	if cfg.TargetUS() != first.State.TargetUS || cfg.GroupCapacity() != first.State.GroupCapacity {
		t.Fatalf("target %d µs, capacity %d: simulator %d, %d", cfg.TargetUS(), cfg.GroupCapacity(), first.State.TargetUS, first.State.GroupCapacity)
	}
	man, err := manifest.Parse("web.yaml", []byte(webSDL))
	if err != nil {
		t.Fatal(err)
	}
	c := apptest.NewChain(t, 3, 1_000_000_000_000)
	ch := &appChain{c: c, tenant: c.Accounts[1], manager: c.Accounts[2], assumeLeased: true}
	grant, _ := authz.NewMsgGrant(ch.tenant.Addr, ch.manager.Addr, dtypes.NewManageDeploymentsAuthorization(nil,
		sdk.NewInt64Coin("uakt", 900_000_000_000), sdk.NewDecCoin("uakt", math.NewInt(1000)), uint32(cfg.MaxGroups), nil), nil)
	c.MustDeliver(ch.tenant, grant)
	m := &manage.Manager{Cfg: cfg, Policy: manage.PolicyDelivery, Owner: ch.tenant.String(), Chain: ch, Source: manage.NewSource(cfg),
		Manifest: man, Deposit: sdk.NewInt64Coin("uakt", 5_000_000)}

	names := func(idx []int, of func(int) int) []string {
		out := []string{}
		for _, i := range idx {
			out = append(out, first.Regions[of(i)])
		}
		return out
	}
	changes := 0
	for k, chk := range checks {
		var body string
		for i, r := range chk.Regions {
			u := chk.State.Users[i] // thousandths: the gauge carries them exactly
			body += fmt.Sprintf("users{region=%q} %d.%03d\n", r, u/policy.UserScale, u%policy.UserScale)
		}
		if err := os.WriteFile(cfg.Input.File, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		st, err := m.Step(context.Background())
		if err != nil {
			t.Fatalf("check %d (sim height %d): manager: %v", k, chk.Height, err)
		}
		all := make([]int, len(chk.State.Groups))
		for i := range all {
			all[i] = i
		}
		simGroups := names(all, func(i int) int { return chk.State.Groups[i].Region })
		simAdd := names(chk.Decision.Add, func(r int) int { return r })
		simRemove := names(chk.Decision.Remove, func(i int) int { return chk.State.Groups[i].Region })
		got := []any{orEmpty(st.Groups), orEmpty(st.Added), orEmpty(st.RemovedRegions)}
		want := []any{simGroups, simAdd, simRemove}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("check %d (sim height %d, users %v): manager held %v, added %v, removed %v; simulator held %v, added %v, removed %v",
				k, chk.Height, chk.State.Users, got[0], got[1], got[2], want[0], want[1], want[2])
		}
		changes += len(st.Added) + len(st.Removed)
	}
	if changes < 4 {
		t.Fatalf("only %d groups added or removed over %d checks: the trace does not exercise the policy", changes, len(checks))
	}
	t.Logf("%d checks, %d groups added or removed, same decisions in both modes", len(checks), changes)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
