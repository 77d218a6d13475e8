package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/akash-market/akash/runtime"
)

// selfManagedSDL is the tenant's deployment whose one service is the
// manager: akash-node (static, FROM scratch) running `manage run`,
// configured by env alone. The config and the managed group's SDL travel as
// env values (env:NAME), the management key as its mnemonic (held in memory
// by the manager: the provider running it can read it, which is why the
// grant is bounded). The profile orders ephemeral storage, so the root file
// system is writable: the manager keeps its own certificate under --home
// (and, the image having no /tmp, TMPDIR=/).
func selfManagedSDL(image, region, node, chainID, granter, mnemonic, config, managed string) string {
	indent := func(s string) string { return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n        ") }
	return fmt.Sprintf(`version: "2.0"
services:
  manager:
    image: %s
    args: [manage, run, --home, /home/manager]
    expose:
      - port: 9465      # the manager's /metrics and /status (config listen)
        to: [{global: true}]
    env:
      - TMPDIR=/                      # FROM scratch has no /tmp; the CLI wants a temp dir
      - AKASH_POLICY=delivery-network
      - AKASH_CONFIG=env:AKASH_MANAGE_CONFIG
      - AKASH_GRANTER=%s
      - AKASH_NODE=%s
      - AKASH_CHAIN_ID=%s
      - AKASH_MANAGER_MNEMONIC=%s
      - |-
        AKASH_MANAGE_CONFIG=%s
      - |-
        AKASH_MANAGE_SDL=%s
profiles:
  compute:
    manager:
      resources: {cpu: {units: 0.5}, memory: {size: 256Mi}, storage: {size: 256Mi}}
  placement:
    home:
      attributes: {region: %s}
      pricing:
        manager: {denom: uakt, amount: 1000}
deployment:
  manager: {home: {profile: manager, count: 1}}
`, image, granter, node, chainID, mnemonic, indent(config), indent(managed), region)
}

// hostBridge creates a bridge network of its own and returns the host's
// address on it (its gateway): the devnet, the daemons' gateways and the load
// endpoint listen there, and every container reaches it through its own
// network's route to the host (the lease isolation rules filter traffic
// forwarded into lease bridges, not traffic out of them to the host).
// Nothing joins the network; it exists for the address.
func hostBridge(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("akash-self-%d", time.Now().UnixNano()%1e9)
	for try := 0; ; try++ {
		sub := fmt.Sprintf("10.%d.%d", 150+rand.IntN(90), rand.IntN(250))
		_, err := docker("network", "create", "--subnet", sub+".0/24", "--label", "akash.test="+name, name)
		if err == nil {
			t.Cleanup(func() { _, _ = docker("network", "rm", name) })
			return sub + ".1"
		}
		if try == 8 {
			t.Fatalf("create network %s: %v", name, err)
		}
	}
}

// TestManagerRunsInsideItsDeployment is the whitepaper's picture: the
// manager is a service of the tenant's deployment. A devnet and two
// provider daemons (us-east, eu-west) listen on the host's address on a
// Docker bridge; the tenant funds a fresh management key, grants it, and
// deploys an SDL whose one service runs `akash-node manage run` in us-east,
// configured by env only (chain RPC, granter, policy, config with the load
// URL, the managed group's SDL, the key's mnemonic). The load endpoint (the
// test's HTTP server on the same address) puts the users in eu-west: the
// manager, from inside its container, creates a deployment there through
// the grant, and sends its manifest with its own certificate; it runs at
// the eu-west provider.
func TestManagerRunsInsideItsDeployment(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode (builds akash-node and its image, runs a devnet, two provider daemons and containers)")
	}
	cli, image := dockerOrSkip(t, "the manager runs as a container of its deployment")
	gw := hostBridge(t)
	work := t.TempDir()
	e := &env{t: t, cli: cli, work: work, home: filepath.Join(work, "devnet"), keys: map[string]string{}}
	e.bin = buildNode(t)
	nodeImg := nodeImage(t, e.bin)
	base := freeBase(t, 12)
	e.rpc = base
	const chainID = "akash-self"
	e.start("devnet", "devnet", "--block-time", "300ms", "--ports-from", fmt.Sprint(base), "--chain-id", chainID,
		"--host", gw, "--keys", "tenant,provider1,provider2")
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range []string{"devnet", "provider1", "provider2"} {
				t.Logf("%s log:\n%s", n, tail(e.logOf(n), 3000))
			}
			if out, err := docker("ps", "-a", "-q", "--filter", "label="+runtime.LabelService+"=manager"); err == nil {
				for _, id := range strings.Fields(out) {
					logs, _ := docker("logs", "--tail", "60", id)
					t.Logf("manager container %s log:\n%s", id, logs)
				}
			}
		}
	})
	e.waitForBlocks(fmt.Sprintf("%s:%d", gw, base))
	for _, k := range []string{"tenant", "provider1", "provider2"} {
		e.keys[k] = strings.TrimSpace(e.must("keys", "show", k, "-a", "--keyring-backend", "test"))
	}
	t.Cleanup(func() {
		for _, p := range []string{e.keys["provider1"], e.keys["provider2"]} {
			if d, err := runtime.NewDocker(context.Background(), runtime.Options{Provider: p, Client: cli}); err == nil {
				_, _ = d.Reconcile(context.Background(), nil)
			}
		}
	})
	tx := []string{"--keyring-backend", "test", "--chain-id", chainID, "-y"}

	regions := map[string]string{"provider1": "us-east", "provider2": "eu-west"}
	for i, p := range []string{"provider1", "provider2"} {
		port := base + 6 + i
		cfg := writeFile(t, work, p+".yaml", strings.Replace(regionProviderYAML(port, regions[p]), "https://127.0.0.1:", "https://"+gw+":", 1))
		e.must("provider", "cert", "create", "--from", p)
		e.start(p, "provider", "run", "--from", p, "--config", cfg,
			"--gateway-listen", fmt.Sprintf("%s:%d", gw, port), "--metrics-listen", fmt.Sprintf("127.0.0.1:%d", base+8+i))
	}
	for _, p := range []string{"provider1", "provider2"} {
		waitFor(t, p+" running", 60*time.Second, func() bool { return strings.Contains(e.logOf(p), "provider daemon running") })
	}

	// A fresh management key, made apart from the devnet's keyring: the
	// tenant funds it (it pays its own fees: its certificate, the execs)
	// and grants it. Only its mnemonic goes into the deployment.
	var key struct{ Address, Mnemonic string }
	keyHome := filepath.Join(work, "manager-key")
	out := e.must("keys", "add", "manager", "--home", keyHome, "--keyring-backend", "test", "--output", "json")
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &key); err != nil || key.Mnemonic == "" {
		t.Fatalf("keys add --output json: %v\n%s", err, out)
	}
	e.must(append([]string{"tx", "bank", "send", "tenant", key.Address, "2000000uakt"}, tx...)...)
	waitFor(t, "the management key funded", 20*time.Second, func() bool {
		out, err := e.run("query", "bank", "balances", key.Address, "-o", "json")
		return err == nil && strings.Contains(out, "2000000")
	})
	e.must(append([]string{"tx", "authz", "grant", key.Address, "manage-deployments", "--spend-limit", "20000000uakt",
		"--max-price", "1000uakt", "--max-deployments", "2", "--regions", "us-east,eu-west", "--from", "tenant"}, tx...)...)
	waitFor(t, "the grant on chain", 20*time.Second, func() bool {
		out, err := e.run("query", "authz", "grants", e.keys["tenant"], key.Address, "-o", "json")
		return err == nil && strings.Contains(out, "ManageDeploymentsAuthorization")
	})

	// The load endpoint, on the host's bridge address: users in eu-west.
	var east, west atomic.Int64
	west.Store(200)
	ll, err := net.Listen("tcp", gw+":0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "# TYPE users gauge\nusers{region=\"us-east\"} %d\nusers{region=\"eu-west\"} %d\n", east.Load(), west.Load())
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ll) }()
	t.Cleanup(func() { _ = srv.Close() })

	config := followUsersConfig(fmt.Sprintf(`{url: "http://%s/metrics"}`, ll.Addr()), "env:AKASH_MANAGE_SDL", "0.0.0.0:9465")
	self := writeFile(t, work, "self.yaml", selfManagedSDL(nodeImg, "us-east", fmt.Sprintf("tcp://%s:%d", gw, base), chainID,
		e.keys["tenant"], key.Mnemonic, config, tenantSDL(image, 1000, "us-east")))
	tDeploy := time.Now()
	out = e.must("deploy", "create", self, "--from", "tenant", "--deposit", "20000000uakt", "--timeout", "120s")
	t.Logf("the self-managed deployment (the manager's service) running in us-east: %s", time.Since(tDeploy).Round(time.Millisecond))
	if e.running(e.keys["provider1"]) != 1 {
		t.Fatalf("provider1 (us-east) runs %d container(s), want the manager's one:\n%s", e.running(e.keys["provider1"]), out)
	}
	mgr := e.containersOf(e.keys["provider1"], "manager")
	if len(mgr) != 1 {
		t.Fatalf("manager containers at provider1: %d", len(mgr))
	}
	managerLog := func() string { l, _ := docker("logs", mgr[0].ID); return l }

	// From its container, the manager acts through the grant: a deployment
	// in eu-west, its manifest sent with the manager's own certificate,
	// running at provider2.
	created := regexp.MustCompile(`created deployment (\d+) \(eu-west\)`)
	waitFor(t, "the manager's deployment in eu-west running at provider2", 120*time.Second, func() bool {
		return created.MatchString(managerLog()) && e.running(e.keys["provider2"]) > 0
	})
	t.Logf("manager start (deploy create) -> its eu-west deployment running at provider2: %s", time.Since(tDeploy).Round(time.Millisecond))
	log := managerLog()
	for _, want := range []string{"published the certificate of " + key.Address, "manifest sent to " + e.keys["provider2"]} {
		if !strings.Contains(log, want) {
			t.Fatalf("manager log lacks %q:\n%s", want, tail(log, 3000))
		}
	}
	dseq := created.FindStringSubmatch(log)[1]
	// Its /status, published like any global expose of the deployment.
	var st struct {
		Owner   string `json:"owner"`
		Created uint64 `json:"created"`
	}
	body := answerOf(t, "the manager's /status", fmt.Sprintf("http://127.0.0.1:%d/status", e.publicPort(e.keys["provider1"], "manager")))
	if err := json.Unmarshal([]byte(body), &st); err != nil || st.Owner != e.keys["tenant"] || st.Created < 1 {
		t.Fatalf("the manager's /status: %v\n%s", err, body)
	}
	out = e.must("query", "authz", "grants", e.keys["tenant"], key.Address, "-o", "json")
	if !strings.Contains(out, `"`+dseq+`"`) {
		t.Fatalf("the grant does not manage deployment %s:\n%s", dseq, out)
	}

	// Users move back to us-east: a group there too (the manager's own
	// deployment in us-east is not managed: it is the tenant's).
	tMove := time.Now()
	west.Store(0)
	east.Store(200)
	waitFor(t, "a managed deployment in us-east running at provider1", 120*time.Second, func() bool {
		return regexp.MustCompile(`created deployment \d+ \(us-east\)`).MatchString(managerLog()) && e.running(e.keys["provider1"]) > 1
	})
	t.Logf("users move to us-east -> a managed deployment running at provider1 (next to the manager): %s", time.Since(tMove).Round(time.Millisecond))

	// The trade-off, shown: whoever runs the manager's container (the
	// provider) can read the management key; the grant bounds what it is worth.
	insp, err := cli.ContainerInspect(context.Background(), mgr[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(insp.Config.Env, "\n"), "AKASH_MANAGER_MNEMONIC=") {
		t.Fatalf("the manager's container env lacks the key it runs with")
	}
	t.Logf("the manager's container holds the management key in its env (readable by the provider that runs it): the grant bounds it")
}
