package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/client"

	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/provider/gateway"
	"github.com/akash-market/akash/runtime"
)

type env struct {
	t    testing.TB
	bin  string
	work string // binary, configs, logs
	home string // the devnet's home (only the devnet writes there first)
	cli  *client.Client
	rpc  int
	keys map[string]string // name -> address
	// procs and args: long-lived commands by name (oneProvider's daemon),
	// so a test can kill one and start it again.
	procs map[string]*exec.Cmd
	args  map[string][]string
}

func (e *env) run(args ...string) (string, error) {
	cmd := exec.Command(e.bin, append([]string{"--home", e.home}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func (e *env) must(args ...string) string {
	e.t.Helper()
	out, err := e.run(args...)
	if err != nil {
		e.t.Fatalf("akash-node %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// start runs a long-lived akash-node command, logging to a file; the
// returned process is killed (SIGKILL) at cleanup if still running.
func (e *env) start(name string, args ...string) *exec.Cmd {
	e.t.Helper()
	logf, err := os.Create(filepath.Join(e.work, name+".log"))
	if err != nil {
		e.t.Fatal(err)
	}
	cmd := exec.Command(e.bin, append([]string{"--home", e.home}, args...)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
		logf.Close()
	})
	return cmd
}

func (e *env) logOf(name string) string {
	b, _ := os.ReadFile(filepath.Join(e.work, name+".log"))
	return string(b)
}

// waitForBlocks returns once the devnet whose validator 0 serves CometBFT
// RPC at addr (host:port) reports a committed block. It asks the RPC's
// /status over HTTP rather than running `akash-node status`: on a loaded
// two-core CI machine a CLI process every 200 ms took half a core from the
// validator it waited for. The timeout only bounds a failure (a devnet is up
// in about 2 s here); on one, it fails with the last answer or error and the
// tail of the validator's own log, which says why no block came.
func (e *env) waitForBlocks(addr string) {
	e.t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	var last string
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		h, err := rpcHeight(client, addr)
		if err == nil && h > 0 {
			return
		}
		last = fmt.Sprintf("height %d, %v", h, err)
		time.Sleep(200 * time.Millisecond)
	}
	val0, _ := os.ReadFile(filepath.Join(e.home, "logs", "val0.log"))
	e.t.Fatalf("timed out after 3m waiting for the devnet's first block at http://%s/status (last: %s)\ndevnet log:\n%s\nval0 log:\n%s",
		addr, last, tail(e.logOf("devnet"), 3000), tail(string(val0), 6000))
}

// rpcHeight is the latest block height CometBFT's RPC at addr reports.
func rpcHeight(client *http.Client, addr string) (int64, error) {
	resp, err := client.Get("http://" + addr + "/status")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var st struct {
		Result struct {
			SyncInfo struct {
				Height string `json:"latest_block_height"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return 0, fmt.Errorf("GET /status: %s: %w", resp.Status, err)
	}
	return strconv.ParseInt(st.Result.SyncInfo.Height, 10, 64)
}

func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s", timeout, what)
}

// freeBase finds a base port with n free ports after it.
func freeBase(t testing.TB, n int) int {
	// Below the kernel's ephemeral range (32768–60999 here): the devnet's
	// clients connect from ephemeral ports on the same host address, and one
	// of those taking a port of the range between this check and the bind
	// failed a provider's gateway with "address already in use". Below
	// 20000, too, where cmd/akash-node's tests take their blocks.
	for base := 10000 + int(time.Now().UnixNano()%4000)*2; base < 20000-n; base += 97 {
		ok := true
		for p := base; p < base+n && ok; p++ {
			// Every address: the devnet and the gateways bind the host's.
			l, err := net.Listen("tcp", fmt.Sprintf(":%d", p))
			if err != nil {
				ok = false
				continue
			}
			l.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatal("no free port range")
	return 0
}

func manifestYAML(image, message string, price int) string {
	return fmt.Sprintf(`version: "2.0"
services:
  web:
    image: %[1]s
    env: [HELLO_MESSAGE=%[2]s]
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
  api:
    image: %[1]s
    args: ["--listen", ":9090"]
    expose:
      - port: 9090
        to: [{service: web}]
profiles:
  compute:
    small:
      resources: {cpu: {units: 0.25}, memory: {size: 64Mi}, storage: {size: 128Mi}}
  placement:
    dc:
      pricing:
        small: {denom: uakt, amount: %[3]d}
deployment:
  web: {dc: {profile: small, count: 1}}
  api: {dc: {profile: small, count: 1}}
`, image, message, price)
}

// peerManifestYAML places web with provider1 (tier one) and api with
// provider2 (tier two): one deployment, two providers.
func peerManifestYAML(image string) string {
	return fmt.Sprintf(`version: "2.0"
services:
  web:
    image: %[1]s
    env: [HELLO_MESSAGE=peer-e2e]
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
  api:
    image: %[1]s
    args: ["--listen", ":9090"]
    expose:
      - port: 9090
        to: [{service: web}]
profiles:
  compute:
    small:
      resources: {cpu: {units: 0.25}, memory: {size: 64Mi}, storage: {size: 128Mi}}
  placement:
    one:
      attributes: {tier: one}
      pricing:
        small: {denom: uakt, amount: 1000000}
    two:
      attributes: {tier: two}
      pricing:
        small: {denom: uakt, amount: 1000000}
deployment:
  web: {one: {profile: small, count: 1}}
  api: {two: {profile: small, count: 1}}
`, image)
}

func providerYAML(gatewayPort int, cpuRate string, withdraw int, tier string) string {
	return fmt.Sprintf(`host-uri: https://127.0.0.1:%d
attributes: {region: local, tier: %s}
deposit: 5000000uakt
manifest-timeout-blocks: 40
withdraw-period-blocks: %d
stall-after-blocks: 20
pricing: {denom: uakt, cpu: %q, memory: "0.5", margin-bps: 1000}
pools:
  - name: main
    cpu: "4"
    memory: 8Gi
    storage: 50Gi
`, gatewayPort, tier, withdraw, cpuRate)
}

// startDevnet starts `akash-node devnet` (chain id akash-e2e, extra: more
// of its flags) on a free range of 12 ports, whose first is returned and
// set as e.rpc; when the test fails, it logs the tail of the devnet's and
// of the named daemons' logs. It returns once the chain has a block.
func (e *env) startDevnet(daemons []string, extra ...string) int {
	t := e.t
	t.Helper()
	base := freeBase(t, 12)
	e.rpc = base
	e.start("devnet", append([]string{"devnet", "--ports-from", fmt.Sprint(base), "--chain-id", "akash-e2e"}, extra...)...)
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range append([]string{"devnet"}, daemons...) {
				t.Logf("%s log:\n%s", n, tail(e.logOf(n), 4000))
			}
		}
	})
	e.waitForBlocks(fmt.Sprintf("127.0.0.1:%d", base))
	return base
}

// leaseObjects counts what the engine holds for a provider's leases.
func (e *env) leaseObjects(provider string) (cs, ns, vs int) {
	f := filters.NewArgs(filters.Arg("label", runtime.LabelProvider+"="+provider))
	ctx := context.Background()
	c, _ := e.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	n, _ := e.cli.NetworkList(ctx, network.ListOptions{Filters: f})
	v, _ := e.cli.VolumeList(ctx, volume.ListOptions{Filters: f})
	return len(c), len(n), len(v.Volumes)
}

func (e *env) containerIDs(provider string) []string {
	f := filters.NewArgs(filters.Arg("label", runtime.LabelProvider+"="+provider))
	cs, _ := e.cli.ContainerList(context.Background(), container.ListOptions{All: true, Filters: f})
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

var (
	reDeployment = regexp.MustCompile(`deployment \S+ \(dseq (\d+)\)`)
	reLease      = regexp.MustCompile(`lease (\S+)/(akash1\w+) at`)
	reEndpoint   = regexp.MustCompile(`web 8080/TCP (http://\S+)`)
	reTotal      = regexp.MustCompile(`total .*`)
)

// TestDevnetEndToEnd: tenant `deploy create` of a two-service manifest →
// two providers bid → the lower price wins → manifest over mTLS →
// containers run → the global expose answers → logs → refusals of a
// tampered manifest and of another account → kill -9 and restart of the
// provider adopts without duplicates → close leaves nothing; then an
// escrow that runs dry closes the lease at its block with the reason shown
// to the tenant, and the provider tears it down.
func TestDevnetEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the devnet end-to-end test in -short mode (builds akash-node, runs a chain and Docker)")
	}
	cli, image := dockerOrSkip(t, "this test runs providers on Docker")
	work := t.TempDir()
	e := &env{t: t, cli: cli, work: work, home: filepath.Join(work, "devnet"), keys: map[string]string{}}
	start := time.Now()
	e.bin = buildNode(t)
	t.Logf("built akash-node in %s", time.Since(start).Round(time.Second))

	base := e.startDevnet([]string{"provider1", "provider2"}, "--block-time", "300ms")
	for _, k := range []string{"tenant", "provider1", "provider2"} {
		e.keys[k] = strings.TrimSpace(e.must("keys", "show", k, "-a", "--keyring-backend", "test"))
	}
	cleanup := func() {
		for _, p := range []string{e.keys["provider1"], e.keys["provider2"]} {
			d, err := runtime.NewDocker(context.Background(), runtime.Options{Provider: p, Client: cli})
			if err == nil {
				_, _ = d.Reconcile(context.Background(), nil)
			}
		}
	}
	t.Cleanup(cleanup)

	// Two providers: provider1 asks 1 uakt per core, provider2 a million.
	gw1, gw2 := base+6, base+7
	m1, m2 := base+8, base+9
	cfg1 := filepath.Join(work, "p1.yaml")
	cfg2 := filepath.Join(work, "p2.yaml")
	_ = os.WriteFile(cfg1, []byte(providerYAML(gw1, "1", 10, "one")), 0o600)
	_ = os.WriteFile(cfg2, []byte(providerYAML(gw2, "1000000", 1000, "two")), 0o600)
	runProvider := func(name, cfg string, gw, metricsPort int) *exec.Cmd {
		return e.start(name, "provider", "run", "--from", name, "--config", cfg,
			"--gateway-listen", fmt.Sprintf("127.0.0.1:%d", gw), "--metrics-listen", fmt.Sprintf("127.0.0.1:%d", metricsPort))
	}
	for _, p := range []string{"provider1", "provider2"} {
		e.must("provider", "cert", "create", "--from", p)
	}
	p1 := runProvider("provider1", cfg1, gw1, m1)
	runProvider("provider2", cfg2, gw2, m2)
	for _, p := range []string{"provider1", "provider2"} {
		waitFor(t, p+" running", 60*time.Second, func() bool { return strings.Contains(e.logOf(p), "provider daemon running") })
	}

	// The tenant deploys.
	sdl := filepath.Join(work, "deploy.yaml")
	_ = os.WriteFile(sdl, []byte(manifestYAML(image, "hello-e2e", 1000000)), 0o600)
	t0 := time.Now()
	out := e.must("deploy", "create", sdl, "--from", "tenant", "--deposit", "50000000uakt", "--timeout", "90s")
	t.Logf("deploy create (%s wall):\n%s", time.Since(t0).Round(time.Millisecond), out)
	if total := reTotal.FindString(out); total != "" {
		t.Logf("deploy create timings: %s", total)
	}
	dm, lm, em := reDeployment.FindStringSubmatch(out), reLease.FindStringSubmatch(out), reEndpoint.FindStringSubmatch(out)
	if dm == nil || lm == nil || em == nil {
		t.Fatalf("deploy create output lacks deployment, lease or endpoint:\n%s", out)
	}
	dseq := dm[1]
	if lm[2] != e.keys["provider1"] {
		t.Fatalf("lease went to %s, want the cheaper provider1 %s", lm[2], e.keys["provider1"])
	}
	waitFor(t, "provider2 to count its lost bid", 10*time.Second, func() bool {
		return metric(t, m2, "akash_provider_bids_lost_total") == "1"
	})
	// Both providers bid within one block of the order appearing: it is
	// created in the block its window opens, and a bid sent after that block's
	// event lands in the next one at the earliest.
	var bids struct {
		Bids []struct {
			ID       struct{ Provider string } `json:"id"`
			PlacedAt string                    `json:"placed_at"`
			State    string                    `json:"state"`
		} `json:"bids"`
	}
	var ord struct {
		Order struct {
			OpenHeight string `json:"open_height"`
		} `json:"order"`
	}
	if err := json.Unmarshal([]byte(e.must("query", "market", "bids", "--owner", e.keys["tenant"], "--dseq", dseq, "--gseq", "1", "--oseq", "1", "-o", "json")), &bids); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(e.must("query", "market", "order", e.keys["tenant"], dseq, "1", "1", "-o", "json")), &ord); err != nil {
		t.Fatal(err)
	}
	if len(bids.Bids) != 2 {
		t.Fatalf("want a bid from each provider, got %+v", bids.Bids)
	}
	for _, b := range bids.Bids {
		t.Logf("bid of %s placed at height %s (%s); order window opens at %s", b.ID.Provider, b.PlacedAt, b.State, ord.Order.OpenHeight)
		placed, _ := strconv.ParseInt(b.PlacedAt, 10, 64)
		open, _ := strconv.ParseInt(ord.Order.OpenHeight, 10, 64)
		if placed > open+1 {
			t.Errorf("bid of %s at height %d, want the block after the order appeared (%d)", b.ID.Provider, placed, open+1)
		}
	}
	for _, line := range strings.Split(e.logOf("provider1"), "\n") {
		if strings.Contains(line, "tx in a block") && strings.Contains(line, "place-bid") {
			t.Logf("provider1: %s", line)
		}
	}
	if body := answerOf(t, "the global expose", em[1]+"/"); !strings.Contains(body, "hello-e2e") {
		t.Fatalf("global expose answered %q", body)
	}
	logs := e.must("deploy", "logs", dseq, "--from", "tenant")
	if !strings.Contains(logs, "web-0 | request GET /") {
		t.Fatalf("logs lack the request:\n%s", logs)
	}

	// Refusals by the real gateway against the real chain.
	tenantCert, err := certgen.Load(e.home, e.keys["tenant"])
	if err != nil {
		t.Fatal(err)
	}
	p1Cert, _ := certgen.Load(e.home, e.keys["provider1"])
	p2Cert, _ := certgen.Load(e.home, e.keys["provider2"])
	put := func(as certgen.Account, body string) (int, string) {
		c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: gateway.ClientTLSConfig(as.TLS, p1Cert.X509)}}
		req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("https://127.0.0.1:%d/deployment/%s/%s/manifest", gw1, e.keys["tenant"], dseq), strings.NewReader(body))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, b := put(tenantCert, manifestYAML(image, "tampered", 1000000)); code != 409 || !strings.Contains(b, "differs from deployment") {
		t.Fatalf("tampered manifest: %d %s", code, b)
	}
	if code, b := put(p2Cert, manifestYAML(image, "hello-e2e", 1000000)); code != 403 {
		t.Fatalf("another account (provider2, not in this deployment): %d %s", code, b)
	}
	stray, _ := certgen.New(e.keys["tenant"], time.Hour) // the tenant's address, a certificate never published
	if code, b := put(stray, manifestYAML(image, "hello-e2e", 1000000)); code != 401 || !strings.Contains(b, "not on chain") {
		t.Fatalf("certificate not on chain: %d %s", code, b)
	}

	// Manifest from a peer: web's group goes to provider1 and api's to
	// provider2 (placement attributes); the tenant sends the manifest to
	// provider1 only; provider2 fetches it from provider1's gateway over
	// mTLS, checks it against the version on chain and runs api.
	p1Before := len(e.containerIDs(e.keys["provider1"]))
	peerSDL := filepath.Join(work, "peer.yaml")
	_ = os.WriteFile(peerSDL, []byte(peerManifestYAML(image)), 0o600)
	const peerDSeq = "7777"
	e.must("tx", "deployment", "create", peerSDL, "--from", "tenant", "--deposit", "50000000uakt", "--dseq", peerDSeq,
		"--keyring-backend", "test", "--chain-id", "akash-e2e", "-y")
	waitFor(t, "both groups of the peer deployment leased", 60*time.Second, func() bool {
		// Each daemon logs the lease it won (group 1 = placement "one").
		return strings.Contains(e.logOf("provider1"), "/"+peerDSeq+"/1/1/"+e.keys["provider1"]) &&
			strings.Contains(e.logOf("provider2"), "/"+peerDSeq+"/2/1/"+e.keys["provider2"])
	})
	peerPut, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("https://127.0.0.1:%d/deployment/%s/%s/manifest", gw1, e.keys["tenant"], peerDSeq), strings.NewReader(peerManifestYAML(image)))
	tc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: gateway.ClientTLSConfig(tenantCert.TLS, p1Cert.X509)}}
	presp, err := tc.Do(peerPut)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := io.ReadAll(presp.Body)
	presp.Body.Close()
	if presp.StatusCode != http.StatusAccepted {
		t.Fatalf("manifest to provider1: %d %s", presp.StatusCode, pb)
	}
	t0 = time.Now()
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range []string{"provider1", "provider2"} {
				for _, line := range strings.Split(e.logOf(n), "\n") {
					if strings.Contains(line, "/"+peerDSeq) {
						t.Logf("%s: %s", n, line)
					}
				}
			}
		}
	})
	waitFor(t, "provider2 to fetch the manifest from provider1 and run api", 60*time.Second, func() bool {
		return metric(t, m2, `akash_provider_manifest_peer_fetches_total{result="ok"}`) == "1" && len(e.containerIDs(e.keys["provider2"])) == 1
	})
	t.Logf("manifest at provider1 -> api running at provider2 from the peer copy: %s", time.Since(t0).Round(time.Millisecond))
	e.must("deploy", "close", peerDSeq, "--from", "tenant")
	waitFor(t, "the peer deployment torn down at both providers", 30*time.Second, func() bool {
		c, n, v := e.leaseObjects(e.keys["provider2"])
		return c == 0 && n == 0 && v == 0 && len(e.containerIDs(e.keys["provider1"])) == p1Before
	})

	// kill -9 and restart: the lease keeps exactly its containers.
	before := e.containerIDs(e.keys["provider1"])
	_ = p1.Process.Kill()
	_, _ = p1.Process.Wait()
	p1 = runProvider("provider1", cfg1, gw1, m1)
	waitFor(t, "provider1 restarted", 60*time.Second, func() bool {
		return strings.Count(e.logOf("provider1"), "provider daemon running") >= 1 && metric(t, m1, "akash_provider_leases_active{phase=\"running\"}") == "1"
	})
	after := e.containerIDs(e.keys["provider1"])
	slices.Sort(before)
	slices.Sort(after)
	if !slices.Equal(before, after) {
		t.Fatalf("containers changed across kill -9: before %v after %v", before, after)
	}
	waitFor(t, "a withdrawal by provider1", 30*time.Second, func() bool {
		return metric(t, m1, `akash_provider_withdrawals_total{result="ok"}`) != ""
	})

	// Close: nothing of the lease remains.
	e.must("deploy", "close", dseq, "--from", "tenant")
	waitFor(t, "provider1 teardown", 30*time.Second, func() bool {
		c, n, v := e.leaseObjects(e.keys["provider1"])
		return c == 0 && n == 0 && v == 0
	})

	// Escrow runs dry with no withdrawal (provider2 withdraws every 1000
	// blocks): provider1 stops, provider2 wins at ~550000 uakt per block, so
	// 20000000uakt lasts ~36 blocks.
	_ = p1.Process.Signal(syscall.SIGTERM)
	_, _ = p1.Process.Wait()
	out = e.must("deploy", "create", sdl, "--from", "tenant", "--deposit", "20000000uakt", "--timeout", "90s")
	dm = reDeployment.FindStringSubmatch(out)
	if dm == nil || !strings.Contains(out, e.keys["provider2"]) {
		t.Fatalf("second deployment should run at provider2:\n%s", out)
	}
	var status string
	waitFor(t, "the escrow to run dry", 60*time.Second, func() bool {
		status = e.must("deploy", "status", dm[1], "--from", "tenant")
		return strings.Contains(status, "insufficient-funds")
	})
	if !strings.Contains(status, "could not pay block") {
		t.Fatalf("tenant does not see why:\n%s", status)
	}
	waitFor(t, "provider2 teardown after the dry close", 30*time.Second, func() bool {
		c, n, v := e.leaseObjects(e.keys["provider2"])
		return c == 0 && n == 0 && v == 0
	})
	t.Logf("status after the dry close:\n%s", status)
}

// metric reads one sample from a daemon's /metrics ("" when absent).
func metric(t *testing.T, port int, name string) string {
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return v
		}
	}
	return ""
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// answerOf is the body of url's first answer. "Running" is the containers'
// state: the server behind a published port may take a moment more to
// listen, so the first GETs may be refused.
func answerOf(t *testing.T, what, url string) string {
	t.Helper()
	var lastErr error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		resp, err := http.Get(url)
		if lastErr = err; err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return string(b)
	}
	t.Fatalf("%s (%s) did not answer within 15s; last error: %v", what, url, lastErr)
	return ""
}
