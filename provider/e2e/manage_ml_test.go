package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestManagerMLBatch: the ML batch tier (whitepaper 5.2) on a devnet with
// a provider daemon on Docker, the manager (`manage run --policy ml-batch`)
// a real process reading a queue-length gauge from a file the test rewrites.
//
//   - the queue rises (0 -> 2): two worker deployments are created through
//     the grant, leased, and their containers run;
//   - the queue rises again (2 -> 3) and the manager is killed with SIGKILL
//     in the middle of that step (right after its create landed, before it
//     sent the manifest or topped up); a new manager process rebuilds its
//     state from the chain: the third worker runs, and nothing is created
//     twice over the steps that follow;
//   - every worker's escrow is topped up once within the grant's spend limit
//     (deposit 1000000uakt is below top_up.below 1500000uakt): the grant's
//     spent is exactly 3 deposits + 3 top-ups;
//   - a deposit beyond the spend left and a fourth create beyond
//     --max-deployments (`tx authz exec` by the management key) are refused
//     in their block, naming spend-limit and max-deployments;
//   - the queue drains (3 -> 0): every worker is released (deployment
//     closed, lease closed, containers torn down).
//
// Measured: queue change -> workers running, and -> workers torn down.
func TestManagerMLBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode (builds akash-node, runs a devnet, a provider daemon, a manager and containers)")
	}
	e, image, base := managedDevnet(t, "the provider runs the manager's workers on Docker",
		[]string{"tenant", "provider1", "manager"}, "manager-2")
	prov := e.keys["provider1"]
	write := func(name, body string) string { return writeFile(t, e.work, name, body) }
	tx := []string{"--keyring-backend", "test", "--chain-id", "akash-e2e", "-y"}

	gw := base + 6
	e.must("provider", "cert", "create", "--from", "provider1")
	e.start("provider1", "provider", "run", "--from", "provider1", "--config", write("provider1.yaml", regionProviderYAML(gw, "us-east")),
		"--gateway-listen", fmt.Sprintf("127.0.0.1:%d", gw), "--metrics-listen", fmt.Sprintf("127.0.0.1:%d", base+8))
	waitFor(t, "provider1 running", 60*time.Second, func() bool { return strings.Contains(e.logOf("provider1"), "provider daemon running") })

	// The grant: three workers at most; 3 deposits + 3 top-ups of
	// 1000000uakt fit, with 700000uakt left over.
	const deposit, spendLimit = 1_000_000, 6_700_000
	e.must(append([]string{"tx", "authz", "grant", e.keys["manager"], "manage-deployments", "--spend-limit", fmt.Sprintf("%duakt", spendLimit),
		"--max-price", "1000uakt", "--max-deployments", "3", "--from", "tenant"}, tx...)...)
	waitFor(t, "the grant on chain", 20*time.Second, func() bool {
		out, err := e.run("query", "authz", "grants", e.keys["tenant"], e.keys["manager"], "-o", "json")
		return err == nil && strings.Contains(out, "ManageDeploymentsAuthorization")
	})

	load := filepath.Join(e.work, "queue.prom")
	setQueue := func(n int) time.Time {
		// Written whole and renamed: the manager never reads half a file.
		tmp := load + ".tmp"
		if err := os.WriteFile(tmp, fmt.Appendf(nil, "# TYPE queue_length gauge\nqueue_length %d\n", n), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, load); err != nil {
			t.Fatal(err)
		}
		return time.Now()
	}
	write("worker.yaml", tenantSDL(image, 1000, "us-east"))
	listen := fmt.Sprintf("127.0.0.1:%d", base+10)
	mcfg := write("manage.yaml", fmt.Sprintf(`check_every: 500ms
input: {file: %s}
sdl: worker.yaml
deposit: %duakt
top_up: {below: 1500000uakt, amount: %duakt}
workers_per_job: 1
max_workers: 3
listen: %s
`, load, deposit, deposit, listen))

	me := managerHome(t, e)
	runArgs := []string{"manage", "run", "--policy", "ml-batch", "--config", mcfg, "--granter", e.keys["tenant"],
		"--from", "manager", "--keyring-backend", "test", "--chain-id", "akash-e2e"}
	// steps is the manager's akash_manage_steps_total (-1 while it does not answer).
	steps := func() int {
		res, err := http.Get("http://" + listen + "/metrics")
		if err != nil {
			return -1
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		m := regexp.MustCompile(`(?m)^akash_manage_steps_total (\d+)$`).FindSubmatch(b)
		if m == nil {
			return -1
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	createdIn := func(log string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`created deployment (\d+) \(any region\)`).FindAllStringSubmatch(e.logOf(log), -1) {
			out = append(out, m[1])
		}
		return out
	}
	// onChain is every deployment of the tenant the chain has (active or closed).
	onChain := func() map[string]bool {
		out := e.must("query", "deployment", "deployments", "--owner", e.keys["tenant"], "-o", "json")
		ds := map[string]bool{}
		for _, m := range regexp.MustCompile(`"dseq":\s*"?(\d+)`).FindAllStringSubmatch(out, -1) {
			ds[m[1]] = true
		}
		return ds
	}
	type coin struct{ Denom, Amount string }
	var status struct {
		Grant struct {
			SpendLeft coin     `json:"spend_left"`
			Spent     coin     `json:"spent"`
			Live      []uint64 `json:"live"`
		} `json:"grant"`
		Deployments []struct {
			DSeq    uint64
			Active  bool
			Leases  []json.RawMessage
			Balance string
		} `json:"deployments"`
	}
	readStatus := func() {
		status.Grant.Live, status.Deployments = nil, nil
		jsonOut(t, me, &status, "manage", "status", "--granter", e.keys["tenant"], "--from", "manager", "--keyring-backend", "test", "-o", "json")
	}

	// An empty queue: the manager steps and orders nothing.
	setQueue(0)
	mgr := me.start("manager", runArgs...)
	waitFor(t, "the manager's first steps", 60*time.Second, func() bool { return steps() >= 3 })
	if c := createdIn("manager"); len(c) != 0 || len(onChain()) != 0 {
		t.Fatalf("an empty queue: the manager created %v; want nothing", c)
	}

	// The queue rises: two workers leased, their containers run.
	tA := setQueue(2)
	waitFor(t, "two workers running at provider1", 90*time.Second, func() bool {
		return len(createdIn("manager")) == 2 && e.running(prov) == 2
	})
	rise := time.Since(tA)
	t.Logf("queue 0 -> 2: workers %v running: %s (target: bid window 5 blocks + 2 blocks of 300ms + 1s = 3.1s, plus up to check_every 500ms)",
		createdIn("manager"), rise.Round(time.Millisecond))

	// The queue rises to 3; SIGKILL the manager in that step, right after
	// its create landed (the manifest and the top-up of that step are not
	// yet done), then start a new one.
	tB := setQueue(3)
	waitFor(t, "the manager's third create", 60*time.Second, func() bool { return len(createdIn("manager")) == 3 })
	if err := mgr.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = mgr.Wait()
	killed := createdIn("manager")
	t.Logf("manager killed (SIGKILL) after creating %v; %d container(s) running", killed, e.running(prov))
	me.start("manager-2", runArgs...)
	waitFor(t, "three workers running after the restart", 90*time.Second, func() bool { return e.running(prov) == 3 })
	t.Logf("queue 2 -> 3 with a kill -9 and a restart in between: three workers running: %s", time.Since(tB).Round(time.Millisecond))
	// A few more steps of the new manager: it must not create anything
	// (the three it would want exist on chain already).
	from := steps()
	waitFor(t, "three more steps of the restarted manager", 60*time.Second, func() bool { return steps() >= from+3 })
	if c := createdIn("manager-2"); len(c) != 0 {
		t.Fatalf("the restarted manager created %v again; the chain had %v already", c, killed)
	}
	if ds := onChain(); len(ds) != 3 {
		t.Fatalf("the tenant has deployments %v on chain; want exactly the 3 created: %v", ds, killed)
	}

	// Top-ups: each worker's escrow (1000000uakt, under the 1500000uakt
	// mark) was topped up once, within the spend limit.
	waitFor(t, "3 deposits and 3 top-ups spent through the grant", 60*time.Second, func() bool {
		readStatus()
		return status.Grant.Spent.Amount == fmt.Sprint(6*deposit)
	})
	for _, d := range status.Deployments {
		if b, err := strconv.ParseFloat(d.Balance, 64); err != nil || b < 1_500_000 || len(d.Leases) != 1 {
			t.Fatalf("deployment %d: escrow %s, %d lease(s); want topped up above 1500000uakt, one lease", d.DSeq, d.Balance, len(d.Leases))
		}
	}
	if status.Grant.SpendLeft.Amount != fmt.Sprint(spendLimit-6*deposit) {
		t.Fatalf("grant: spent %v, left %v; want left %d", status.Grant.Spent, status.Grant.SpendLeft, spendLimit-6*deposit)
	}
	t.Logf("top-ups: grant spent %s%s (3 deposits + 3 top-ups), %s%s left", status.Grant.Spent.Amount, status.Grant.Spent.Denom,
		status.Grant.SpendLeft.Amount, status.Grant.SpendLeft.Denom)

	// Beyond the grant, by the management key: a top-up above what is
	// left, and a fourth deployment.
	live := status.Deployments[0].DSeq
	refusal := func(name, action string, unsigned string) string {
		var u struct {
			Body struct {
				Messages []map[string]any `json:"messages"`
			} `json:"body"`
		}
		if err := json.Unmarshal([]byte(unsigned[strings.Index(unsigned, "{"):]), &u); err != nil || len(u.Body.Messages) != 1 {
			t.Fatalf("%s --generate-only: %v\n%s", name, err, unsigned)
		}
		msg := u.Body.Messages[0]
		delete(msg, "@type")
		body, _ := json.Marshal(map[string]any{"body": map[string]any{"messages": []any{map[string]any{
			"@type": "/akash.deployment.v1.MsgManageDeployment", "owner": e.keys["tenant"], action: msg}}}})
		out := me.must(append([]string{"tx", "authz", "exec", write(name+".json", string(body)), "--from", "manager"}, tx...)...)
		hash := regexpFind(t, `txhash: (\w+)`, out)
		var res struct {
			Code   int    `json:"code"`
			RawLog string `json:"raw_log"`
		}
		waitFor(t, name+"'s tx in a block", 20*time.Second, func() bool {
			o, err := e.run("query", "tx", hash, "-o", "json")
			return err == nil && json.Unmarshal([]byte(o[strings.Index(o, "{"):]), &res) == nil
		})
		if res.Code == 0 {
			t.Fatalf("%s through the grant was accepted; want a refusal", name)
		}
		return res.RawLog
	}
	overSpend := refusal("deposit", "deposit", e.must("tx", "deployment", "deposit", fmt.Sprintf("%duakt", deposit), "--dseq", fmt.Sprint(live),
		"--from", "tenant", "--generate-only", "--keyring-backend", "test", "--chain-id", "akash-e2e"))
	if !strings.Contains(overSpend, "spend-limit") {
		t.Fatalf("a top-up of %duakt with %duakt left: refused, but not naming spend-limit: %s", deposit, spendLimit-6*deposit, overSpend)
	}
	t.Logf("beyond the spend limit: %s", lastLine(overSpend))
	fourth := refusal("create", "create", e.must("tx", "deployment", "create", write("fourth.yaml", tenantSDL(image, 1000, "us-east")),
		"--deposit", "500000uakt", "--dseq", "9002", "--from", "tenant", "--generate-only", "--keyring-backend", "test", "--chain-id", "akash-e2e"))
	if !strings.Contains(fourth, "max-deployments") {
		t.Fatalf("a fourth create with --max-deployments 3: refused, but not naming max-deployments: %s", fourth)
	}
	t.Logf("beyond max-deployments: %s", lastLine(fourth))

	// The queue drains: every worker released, leases closed, containers gone.
	tE := setQueue(0)
	waitFor(t, "every worker released and torn down", 90*time.Second, func() bool {
		c, n, v := e.leaseObjects(prov)
		return strings.Count(e.logOf("manager-2"), "closed deployment ") == 3 && c == 0 && n == 0 && v == 0
	})
	t.Logf("queue 3 -> 0: workers released and torn down: %s", time.Since(tE).Round(time.Millisecond))
	readStatus()
	if len(status.Grant.Live) != 0 || status.Grant.Spent.Amount != fmt.Sprint(6*deposit) {
		t.Fatalf("after the drain: grant live %v, spent %v; want none live and spent still %d", status.Grant.Live, status.Grant.Spent, 6*deposit)
	}
	if out := e.must("query", "market", "lease", "list", "--owner", e.keys["tenant"], "--state", "active", "-o", "json"); strings.Contains(out, `"dseq"`) {
		t.Fatalf("active leases after the drain:\n%s", out)
	}
}
