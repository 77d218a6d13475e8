package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/types/bech32"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/akash-market/akash/runtime"
)

// pickBids is `query market bids -o json` as this test reads it.
type pickBids struct {
	Bids []struct {
		ID struct {
			Provider string `json:"provider"`
		} `json:"id"`
		State         string `json:"state"`
		Outcome       string `json:"outcome"`
		DepositAction string `json:"deposit_action"`
		Deposit       struct {
			Amount string `json:"amount"`
		} `json:"deposit"`
		Price string `json:"price"` // a DecCoin: "5500.068750000000000000uakt"
	} `json:"bids"`
}

// pickOrder is `query market order -o json` as this test reads it.
type pickOrder struct {
	Order struct {
		State       string `json:"state"`
		CloseHeight string `json:"close_height"`
		PickUntil   string `json:"pick_until"`
		ClosedAt    string `json:"closed_at"`
		CloseDetail string `json:"close_detail"`
	} `json:"order"`
}

// TestTenantPickEndToEnd: a devnet whose genesis says matching: tenant
// (devnet --matching tenant --bid-timeout N) and two provider daemons, a
// cheap one and a dear one.
//   - deploy create without --pick, stdin not a terminal: it stops at the
//     order waiting for a pick, lists both bids and names --pick; with
//     --keep-on-failure the deployment stays open, unpicked;
//   - deploy create --pick <the dear provider>: the dear bid wins (not the
//     lowest), its containers run and the global expose answers; the cheap
//     provider's bid is lost with its deposit refunded;
//   - the unpicked order expires at its bid timeout: unmatched, both bids
//     lost and refunded, both daemons release it, nobody runs it;
//   - the market module then holds exactly the winner's deposit, and none
//     once the picked deployment is closed.
func TestTenantPickEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode (builds akash-node, runs a devnet, two provider daemons and containers)")
	}
	const bidTimeout = 40
	cli, image := dockerOrSkip(t, "this test runs providers on Docker")
	work := t.TempDir()
	e := &env{t: t, cli: cli, work: work, home: filepath.Join(work, "devnet"), keys: map[string]string{}}
	started := time.Now()
	e.bin = buildNode(t)
	t.Logf("built akash-node in %s", time.Since(started).Round(time.Millisecond))
	started = time.Now()
	base := e.startDevnet([]string{"provider1", "provider2"}, "--block-time", "300ms", "--matching", "tenant", "--bid-timeout", fmt.Sprint(bidTimeout))
	var params struct {
		Params struct {
			Matching   string `json:"matching"`
			BidTimeout string `json:"bid_timeout_blocks"`
		} `json:"params"`
	}
	if jsonOut(t, e, &params, "query", "market", "params", "-o", "json"); params.Params.Matching != "tenant" || params.Params.BidTimeout != fmt.Sprint(bidTimeout) {
		t.Fatalf("market params %+v, want matching tenant and bid_timeout_blocks %d from devnet --matching/--bid-timeout", params.Params, bidTimeout)
	}
	for _, k := range []string{"tenant", "provider1", "provider2"} {
		e.keys[k] = strings.TrimSpace(e.must("keys", "show", k, "-a", "--keyring-backend", "test"))
	}
	cheap, dear := e.keys["provider1"], e.keys["provider2"]
	t.Cleanup(func() {
		for _, p := range []string{cheap, dear} {
			if d, err := runtime.NewDocker(context.Background(), runtime.Options{Provider: p, Client: cli}); err == nil {
				_, _ = d.Reconcile(context.Background(), nil)
			}
		}
	})

	// provider1 asks 1 uakt per core and block, provider2 10000: both under
	// the manifest's maximum, provider2 the dearer by far.
	ports := map[string][2]int{"provider1": {base + 6, base + 8}, "provider2": {base + 7, base + 9}} // gateway, metrics
	for name, rate := range map[string]string{"provider1": "1", "provider2": "10000"} {
		cfg := filepath.Join(work, name+".yaml")
		if err := os.WriteFile(cfg, []byte(providerYAML(ports[name][0], rate, 1000, "one")), 0o600); err != nil {
			t.Fatal(err)
		}
		e.must("provider", "cert", "create", "--from", name)
		e.start(name, "provider", "run", "--from", name, "--config", cfg,
			"--gateway-listen", fmt.Sprintf("127.0.0.1:%d", ports[name][0]), "--metrics-listen", fmt.Sprintf("127.0.0.1:%d", ports[name][1]))
	}
	for _, p := range []string{"provider1", "provider2"} {
		waitFor(t, p+" running", 60*time.Second, func() bool { return strings.Contains(e.logOf(p), "provider daemon running") })
	}
	t.Logf("devnet (matching tenant, bid timeout %d blocks) and two providers up in %s", bidTimeout, time.Since(started).Round(time.Millisecond))
	sdl := filepath.Join(work, "deploy.yaml")
	if err := os.WriteFile(sdl, []byte(manifestYAML(image, "pick-e2e", 1000000)), 0o600); err != nil {
		t.Fatal(err)
	}
	bidsOf := func(dseq string) pickBids {
		var b pickBids
		jsonOut(t, e, &b, "query", "market", "bids", "--owner", e.keys["tenant"], "--dseq", dseq, "--gseq", "1", "--oseq", "1", "-o", "json")
		return b
	}
	orderOf := func(dseq string) pickOrder {
		var o pickOrder
		jsonOut(t, e, &o, "query", "market", "order", e.keys["tenant"], dseq, "1", "1", "-o", "json")
		return o
	}

	// No --pick and stdin not a terminal (exec gives /dev/null): the
	// command stops at the waiting order, lists its bids and names --pick.
	const unpicked, picked = "601", "602"
	t0 := time.Now()
	out, err := e.run("deploy", "create", sdl, "--from", "tenant", "--dseq", unpicked, "--deposit", "50000000uakt", "--timeout", "90s", "--keep-on-failure")
	if err == nil || !strings.Contains(out, "waits for the tenant's pick") || !strings.Contains(out, "--pick cheapest") ||
		!strings.Contains(out, cheap) || !strings.Contains(out, dear) || !strings.Contains(out, "stays open") {
		t.Fatalf("deploy create without --pick on a non-terminal: err %v, want a stop that lists both bids, names --pick and keeps the deployment:\n%s", err, out)
	}
	stopped := time.Now()
	t.Logf("deploy create without --pick stopped in %s:\n%s", stopped.Sub(t0).Round(time.Millisecond), out)
	if o := orderOf(unpicked); o.Order.State != "open" || o.Order.PickUntil == "0" || o.Order.PickUntil == "" {
		t.Fatalf("order %s after the stop: %+v, want open and waiting for a pick", unpicked, o.Order)
	}

	// --pick the dearer provider: its bid wins, not the lowest.
	t0 = time.Now()
	out = e.must("deploy", "create", sdl, "--from", "tenant", "--dseq", picked, "--deposit", "50000000uakt", "--timeout", "90s", "--pick", dear)
	pickWall := time.Since(t0)
	t.Logf("deploy create --pick %s (%s wall):\n%s", dear, pickWall.Round(time.Millisecond), out)
	lm, em := reLease.FindStringSubmatch(out), reEndpoint.FindStringSubmatch(out)
	if lm == nil || em == nil {
		t.Fatalf("deploy create --pick output lacks the lease or the endpoint:\n%s", out)
	}
	if lm[2] != dear {
		t.Fatalf("lease went to %s, want the picked (dearer) provider2 %s", lm[2], dear)
	}
	if body := answerOf(t, "the picked provider's global expose", em[1]+"/"); !strings.Contains(body, "pick-e2e") {
		t.Fatalf("the picked provider's global expose answered %q", body)
	}
	if c, _, _ := e.leaseObjects(dear); c != 2 {
		t.Fatalf("provider2 runs %d containers, want web and api of deployment %s", c, picked)
	}
	prices := map[string]string{}
	for _, b := range bidsOf(picked).Bids {
		prices[b.ID.Provider] = b.Price
		switch {
		case b.ID.Provider == dear && b.State != "won":
			t.Errorf("picked bid of provider2 on %s: state %s, outcome %q; want won", picked, b.State, b.Outcome)
		case b.ID.Provider == cheap && (b.State != "lost" || b.DepositAction != "refund"):
			t.Errorf("bid of provider1 on %s: state %s, outcome %q, deposit %s; want lost and refunded", picked, b.State, b.Outcome, b.DepositAction)
		}
	}
	if len(prices) != 2 || dec(t, prices[dear]) <= dec(t, prices[cheap]) {
		t.Fatalf("bids on %s: %v, want one of each provider with provider2 the dearer", picked, prices)
	}
	t.Logf("picked provider2 at %s per block over provider1 at %s", prices[dear], prices[cheap])

	// The unpicked order expires at its bid timeout: unmatched, every bid
	// lost and refunded, both daemons release their capacity, nobody runs it.
	var o pickOrder
	waitFor(t, "the unpicked order to expire at its bid timeout", 90*time.Second, func() bool {
		o = orderOf(unpicked)
		return o.Order.State != "open"
	})
	closeH, until, closedAt := atoi(t, o.Order.CloseHeight), atoi(t, o.Order.PickUntil), atoi(t, o.Order.ClosedAt)
	t.Logf("order %s: bids closed at %d, pick until %d, closed %s at %d (%s) %s after deploy create stopped",
		unpicked, closeH, until, o.Order.State, closedAt, o.Order.CloseDetail, time.Since(stopped).Round(time.Millisecond))
	if o.Order.State != "unmatched" || until-closeH < bidTimeout-1 || until-closeH > bidTimeout+1 || closedAt < until {
		t.Fatalf("order %s: %+v; want unmatched at the end of its bid timeout (%d blocks after the close)", unpicked, o.Order, bidTimeout)
	}
	ub := bidsOf(unpicked)
	if len(ub.Bids) != 2 {
		t.Fatalf("bids on %s: %+v, want one of each provider", unpicked, ub.Bids)
	}
	for _, b := range ub.Bids {
		if b.State != "lost" || b.DepositAction != "refund" {
			t.Errorf("bid of %s on the expired order: state %s, outcome %q, deposit %s; want lost and refunded", b.ID.Provider, b.State, b.Outcome, b.DepositAction)
		}
	}
	for _, p := range []string{"provider1", "provider2"} {
		waitFor(t, p+" to release its bid on the expired order", 20*time.Second, func() bool {
			for _, line := range strings.Split(e.logOf(p), "\n") {
				if strings.Contains(line, `msg="bid lost"`) && strings.Contains(line, "/"+unpicked+"/1/1") {
					return true
				}
			}
			return false
		})
	}
	if c, n, v := e.leaseObjects(cheap); c+n+v != 0 {
		t.Errorf("provider1 won nothing but holds %d containers, %d networks, %d volumes", c, n, v)
	}
	if c, _, _ := e.leaseObjects(dear); c != 2 {
		t.Errorf("provider2 holds %d containers, want only the 2 of deployment %s", c, picked)
	}
	if ls := e.must("query", "market", "lease", "list", "--owner", e.keys["tenant"], "--dseq", unpicked, "-o", "json"); strings.Contains(ls, `"dseq":"`+unpicked+`"`) {
		t.Errorf("the expired order has a lease:\n%s", ls)
	}
	// Deposits: the market module holds exactly the winner's, 5000000uakt.
	if held := marketHeld(t, e); held != 5000000 {
		t.Errorf("market module holds %d uakt after the expiry, want only provider2's won deposit 5000000", held)
	}

	e.must("deploy", "close", picked, "--from", "tenant")
	e.must("deploy", "close", unpicked, "--from", "tenant")
	waitFor(t, "provider2 teardown", 30*time.Second, func() bool {
		c, n, v := e.leaseObjects(dear)
		return c == 0 && n == 0 && v == 0
	})
	if held := marketHeld(t, e); held != 0 {
		t.Errorf("market module holds %d uakt with every order closed, want 0", held)
	}
	t.Logf("whole test %s", time.Since(started).Round(time.Millisecond))
}

// marketHeld is the market module account's uakt: the bid deposits held.
func marketHeld(t *testing.T, e *env) int64 {
	t.Helper()
	addr, err := bech32.ConvertAndEncode("akash", authtypes.NewModuleAddress("market"))
	if err != nil {
		t.Fatal(err)
	}
	var bal struct {
		Balances []struct{ Denom, Amount string } `json:"balances"`
	}
	jsonOut(t, e, &bal, "query", "bank", "balances", addr, "-o", "json")
	for _, c := range bal.Balances {
		if c.Denom == "uakt" {
			return atoi(t, c.Amount)
		}
	}
	return 0
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q is not an integer: %v", s, err)
	}
	return n
}

// dec reads a DecCoin ("5500.068750000000000000uakt") as whole units.
func dec(t *testing.T, s string) int64 {
	t.Helper()
	whole, _, _ := strings.Cut(strings.TrimSuffix(s, "uakt"), ".")
	return atoi(t, whole)
}
