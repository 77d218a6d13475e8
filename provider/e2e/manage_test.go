package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"

	"github.com/akash-market/akash/runtime"
)

// regionProviderYAML is a provider offering region=region.
func regionProviderYAML(gatewayPort int, region string) string {
	return fmt.Sprintf(`host-uri: https://127.0.0.1:%d
attributes: {region: %s}
deposit: 5000000uakt
manifest-timeout-blocks: 40
withdraw-period-blocks: 1000
stall-after-blocks: 20
pricing: {denom: uakt, cpu: "1", memory: "0.5", margin-bps: 1000}
pools:
  - name: main
    cpu: "8"
    memory: 8Gi
    storage: 50Gi
`, gatewayPort, region)
}

// running counts provider's running containers on the engine.
func (e *env) running(provider string) int {
	f := filters.NewArgs(filters.Arg("label", runtime.LabelProvider+"="+provider), filters.Arg("status", "running"))
	cs, _ := e.cli.ContainerList(context.Background(), container.ListOptions{Filters: f})
	return len(cs)
}

// TestManagerFollowsUsers: the management tier on a devnet with providers
// in two regions (us-east: provider1, eu-west: provider2), all real
// processes on the real engine.
//   - the tenant grants the manager key with `tx authz grant ... manage-deployments`;
//   - `manage run` (a real process, a file load source the test rewrites):
//     users in us-east -> a deployment there, provider1 wins, the manifest
//     reaches it (containers running); users move to eu-west -> a group in
//     eu-west runs at provider2 and us-east's is closed and torn down;
//   - a message beyond the grant (`tx authz exec` of a create above
//     --max-price) is refused naming max-price;
//   - `tx authz revoke` stops the manager: it logs why and exits.
//
// Measured: load change -> new lease running (issue target: bid window + 2
// blocks + 1 s; bid window 5 blocks of 300ms here, so 3.1 s, plus up to
// one check_every of the manager's polling).
//
// The manager runs from its own home (managerHome) holding the management
// key alone, no key material of the tenant's: it sends manifests with its own
// certificate (published at its start), which the providers' gateways accept
// because the tenant's grant created the deployment.
func TestManagerFollowsUsers(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode (builds akash-node, runs a devnet, two provider daemons, a manager and containers)")
	}
	e, image, base := managedDevnet(t, "providers run the manager's deployments on Docker",
		[]string{"tenant", "provider1", "provider2", "manager"})
	write := func(name, body string) string { return writeFile(t, e.work, name, body) }
	tx := []string{"--keyring-backend", "test", "--chain-id", "akash-e2e", "-y"}

	regions := map[string]string{"provider1": "us-east", "provider2": "eu-west"}
	for i, p := range []string{"provider1", "provider2"} {
		gw := base + 6 + i
		cfg := write(p+".yaml", regionProviderYAML(gw, regions[p]))
		e.must("provider", "cert", "create", "--from", p)
		e.start(p, "provider", "run", "--from", p, "--config", cfg,
			"--gateway-listen", fmt.Sprintf("127.0.0.1:%d", gw), "--metrics-listen", fmt.Sprintf("127.0.0.1:%d", base+8+i))
	}
	for _, p := range []string{"provider1", "provider2"} {
		waitFor(t, p+" running", 60*time.Second, func() bool { return strings.Contains(e.logOf(p), "provider daemon running") })
	}

	// The grant: 1000uakt per block per group at most, two regions.
	out := e.must(append([]string{"tx", "authz", "grant", e.keys["manager"], "manage-deployments", "--spend-limit", "50000000uakt",
		"--max-price", "1000uakt", "--max-deployments", "3", "--regions", "us-east,eu-west", "--from", "tenant"}, tx...)...)
	t.Logf("grant: %s", strings.TrimSpace(out))
	waitFor(t, "the grant on chain", 20*time.Second, func() bool {
		out, err := e.run("query", "authz", "grants", e.keys["tenant"], e.keys["manager"], "-o", "json")
		return err == nil && strings.Contains(out, "ManageDeploymentsAuthorization")
	})

	load := filepath.Join(e.work, "load.prom")
	setUsers := func(east, west int) time.Time {
		// Written whole and renamed: the manager never reads half a file.
		tmp := load + ".tmp"
		body := fmt.Sprintf("# TYPE users gauge\nusers{region=\"us-east\"} %d\nusers{region=\"eu-west\"} %d\n", east, west)
		if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, load); err != nil {
			t.Fatal(err)
		}
		return time.Now()
	}
	write("web.yaml", tenantSDL(image, 1000, "us-east"))
	mcfg := write("manage.yaml", followUsersConfig(fmt.Sprintf("{file: %s}", load), "web.yaml", fmt.Sprintf("127.0.0.1:%d", base+10)))

	// Users in us-east: a group there, provider1 runs it.
	tA := setUsers(200, 0)
	// The manager's own home: the management key alone in its keyring and
	// the node settings; its certificate is its own (made at start).
	me := managerHome(t, e)
	mgr := me.start("manager", "manage", "run", "--policy", "delivery-network", "--config", mcfg, "--granter", e.keys["tenant"],
		"--from", "manager", "--keyring-backend", "test", "--chain-id", "akash-e2e")
	created := func(region string) string {
		m := regexp.MustCompile(`created deployment (\d+) \(` + region + `\)`).FindStringSubmatch(e.logOf("manager"))
		if m == nil {
			return ""
		}
		return m[1]
	}
	waitFor(t, "a deployment in us-east running at provider1", 90*time.Second, func() bool {
		return created("us-east") != "" && e.running(e.keys["provider1"]) > 0
	})
	firstLease := time.Since(tA)
	dA := created("us-east")
	if n := e.running(e.keys["provider2"]); n != 0 {
		t.Fatalf("provider2 (eu-west) runs %d container(s) with all users in us-east", n)
	}
	t.Logf("users in us-east -> deployment %s running at provider1: %s (manager start included)", dA, firstLease.Round(time.Millisecond))
	// It got there with the manager's own certificate: nothing of the
	// tenant's is in the manager's home.
	if log := e.logOf("manager"); !strings.Contains(log, "published the certificate of "+e.keys["manager"]) || !strings.Contains(log, "manifest sent to "+e.keys["provider1"]) {
		t.Fatalf("manager log: want its own certificate published and the manifest sent to provider1:\n%s", tail(log, 2000))
	}
	noKeyMaterialOf(t, me.home, e.keys["tenant"], e.keys["manager"])

	// Users move to eu-west: a group there; us-east's is let go.
	tB := setUsers(0, 200)
	waitFor(t, "a deployment in eu-west running at provider2", 90*time.Second, func() bool {
		return created("eu-west") != "" && e.running(e.keys["provider2"]) > 0
	})
	moveLease := time.Since(tB)
	dB := created("eu-west")
	t.Logf("users move to eu-west -> deployment %s running at provider2: %s (target: bid window 5 blocks + 2 blocks of 300ms + 1s = 3.1s, plus up to check_every 500ms)",
		dB, moveLease.Round(time.Millisecond))
	// A loose bound (the machine is shared): ten times the target.
	if moveLease > 36*time.Second {
		t.Errorf("load change -> new lease running took %s, want about 3.6s", moveLease)
	}
	waitFor(t, "us-east's deployment closed and torn down at provider1", 60*time.Second, func() bool {
		c, n, v := e.leaseObjects(e.keys["provider1"])
		return strings.Contains(e.logOf("manager"), "closed deployment "+dA+" (us-east)") && c == 0 && n == 0 && v == 0
	})
	t.Logf("users move -> us-east's deployment torn down: %s", time.Since(tB).Round(time.Millisecond))
	var st struct {
		Deployments []struct {
			DSeq   uint64
			Region string
			Active bool
		} `json:"deployments"`
	}
	jsonOut(t, me, &st, "manage", "status", "--granter", e.keys["tenant"], "--from", "manager", "--keyring-backend", "test", "-o", "json")
	if len(st.Deployments) != 1 || fmt.Sprint(st.Deployments[0].DSeq) != dB || st.Deployments[0].Region != "eu-west" {
		t.Fatalf("manage status: %+v, want only deployment %s in eu-west", st.Deployments, dB)
	}

	// Beyond the grant: a create at 2000uakt per block, above --max-price.
	pricey := write("pricey.yaml", tenantSDL(image, 2000, "eu-west"))
	gen := e.must("tx", "deployment", "create", pricey, "--from", "tenant", "--dseq", "9001", "--generate-only", "--keyring-backend", "test", "--chain-id", "akash-e2e")
	var unsigned struct {
		Body struct {
			Messages []map[string]any `json:"messages"`
		} `json:"body"`
	}
	if err := json.Unmarshal([]byte(gen[strings.Index(gen, "{"):]), &unsigned); err != nil || len(unsigned.Body.Messages) != 1 {
		t.Fatalf("tx deployment create --generate-only: %v\n%s", err, gen)
	}
	create := unsigned.Body.Messages[0]
	delete(create, "@type")
	execTx, _ := json.Marshal(map[string]any{"body": map[string]any{"messages": []any{map[string]any{
		"@type": "/akash.deployment.v1.MsgManageDeployment", "owner": e.keys["tenant"], "create": create}}}})
	// Sync broadcast passes CheckTx (authz runs the message at delivery):
	// the refusal is the tx's result in its block.
	out = me.must(append([]string{"tx", "authz", "exec", write("exec.json", string(execTx)), "--from", "manager"}, tx...)...)
	hash := regexpFind(t, `txhash: (\w+)`, out)
	var res struct {
		Code   int    `json:"code"`
		RawLog string `json:"raw_log"`
	}
	waitFor(t, "the exec's tx in a block", 20*time.Second, func() bool {
		o, err := e.run("query", "tx", hash, "-o", "json")
		return err == nil && json.Unmarshal([]byte(o[strings.Index(o, "{"):]), &res) == nil
	})
	if res.Code == 0 || !strings.Contains(res.RawLog, "max-price") {
		t.Fatalf("tx authz exec of a create at 2000uakt (grant's --max-price 1000uakt): code %d, want a refusal naming max-price: %s", res.Code, res.RawLog)
	}
	out = res.RawLog
	t.Logf("beyond the grant: %s", lastLine(out))

	// Revoke: the manager stops at its next step and says why.
	e.must(append([]string{"tx", "authz", "revoke", e.keys["manager"], "manage-deployments", "--from", "tenant"}, tx...)...)
	done := make(chan error, 1)
	go func() { done <- mgr.Wait() }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(e.logOf("manager"), "no management grant") {
			t.Fatalf("manager after revoke: exit %v, log:\n%s", err, tail(e.logOf("manager"), 2000))
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the manager still runs 30s after the revoke:\n%s", tail(e.logOf("manager"), 2000))
	}
	t.Logf("after revoke: %s", lastLine(e.logOf("manager")))
	// Load comes back to us-east: nothing is created (nothing runs to create it).
	setUsers(300, 0)
	out, _ = me.run("manage", "status", "--granter", e.keys["tenant"], "--from", "manager", "--keyring-backend", "test")
	if !strings.Contains(out, "no management grant") {
		t.Fatalf("manage status after revoke:\n%s", out)
	}
}

// managerHome is a home holding only the manager key (imported from the
// devnet's saved mnemonic) and the devnet's client.toml.
func managerHome(t *testing.T, e *env) *env {
	t.Helper()
	me := *e
	me.home = filepath.Join(e.work, "manager-home")
	for _, d := range []string{"config", "certs"} {
		if err := os.MkdirAll(filepath.Join(me.home, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cp := func(from, to string) {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cp(filepath.Join(e.home, "config", "client.toml"), filepath.Join(me.home, "config", "client.toml"))
	var saved struct{ Mnemonic string }
	b, err := os.ReadFile(filepath.Join(e.home, "keys", "manager.json"))
	if err == nil {
		err = json.Unmarshal(b, &saved)
	}
	if err != nil || saved.Mnemonic == "" {
		t.Fatalf("the devnet's saved mnemonic of manager: %v", err)
	}
	cmd := exec.Command(me.bin, "--home", me.home, "keys", "add", "manager", "--recover", "--keyring-backend", "test")
	cmd.Stdin = strings.NewReader(saved.Mnemonic + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("keys add manager --recover: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(me.must("keys", "show", "manager", "-a", "--keyring-backend", "test")); got != e.keys["manager"] {
		t.Fatalf("manager home: key manager is %s, want %s", got, e.keys["manager"])
	}
	if keys := me.must("keys", "list", "--keyring-backend", "test"); strings.Contains(keys, "tenant") {
		t.Fatalf("manager home holds the tenant's key:\n%s", keys)
	}
	return &me
}

// noKeyMaterialOf fails unless home's certificates are the manager's own
// and no file under home is named after the tenant (the devnet's keyring
// names key files by address; certgen names certificates so).
func noKeyMaterialOf(t *testing.T, home, tenant, manager string) {
	t.Helper()
	var own []string
	err := filepath.WalkDir(home, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(d.Name(), tenant) {
			t.Errorf("the manager's home holds %s, named after the tenant", p)
		}
		if filepath.Base(filepath.Dir(p)) == "certs" && !d.IsDir() {
			own = append(own, d.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{manager + ".crt", manager + ".key"}; strings.Join(own, ",") != strings.Join(want, ",") {
		t.Errorf("the manager's home/certs holds %v, want only its own %v", own, want)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// managedDevnet starts the manager tests' devnet (300 ms blocks, chain
// akash-e2e, 12 ports from base) with keys, waits for its first blocks and
// fills e.keys. On failure it logs the devnet, every key's process and the
// extra procs.
func managedDevnet(t *testing.T, why string, keys []string, procs ...string) (e *env, image string, base int) {
	t.Helper()
	cli, image := dockerOrSkip(t, why)
	work := t.TempDir()
	e = &env{t: t, cli: cli, work: work, home: filepath.Join(work, "devnet"), keys: map[string]string{}}
	e.bin = buildNode(t)
	base = freeBase(t, 12)
	e.rpc = base
	e.start("devnet", "devnet", "--block-time", "300ms", "--ports-from", fmt.Sprint(base), "--chain-id", "akash-e2e",
		"--keys", strings.Join(keys, ","))
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range append(append([]string{"devnet"}, keys...), procs...) {
				if n != "tenant" {
					t.Logf("%s log:\n%s", n, tail(e.logOf(n), 4000))
				}
			}
		}
	})
	e.waitForBlocks(fmt.Sprintf("127.0.0.1:%d", base))
	for _, k := range keys {
		e.keys[k] = strings.TrimSpace(e.must("keys", "show", k, "-a", "--keyring-backend", "test"))
	}
	// Registered before any provider daemon starts, so it runs after their
	// processes are stopped: nothing recreates what it removes.
	t.Cleanup(func() {
		for _, k := range keys {
			if !strings.HasPrefix(k, "provider") {
				continue
			}
			if d, err := runtime.NewDocker(context.Background(), runtime.Options{Provider: e.keys[k], Client: e.cli}); err == nil {
				_, _ = d.Reconcile(context.Background(), nil)
			}
		}
	})
	return e, image, base
}

// followUsersConfig is the follow-users manager configuration the manager
// tests share: two regions 90 ms apart, 1,000 users per group, one or two
// groups. input is the YAML of its load input ({file: ...} or {url: ...}).
func followUsersConfig(input, sdl, listen string) string {
	return fmt.Sprintf(`check_every: 500ms
input: %s
sdl: %s
deposit: 5000000uakt
regions: [us-east, eu-west]
latency_ms: {us-east: {eu-west: 90}}
default_latency_ms: 200
target_ms: 50
users_per_group: 1000
min_groups: 1
max_groups: 2
listen: %s
`, input, sdl, listen)
}
