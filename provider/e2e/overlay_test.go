package e2e

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/tunnel"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/gateway"
	"github.com/akash-market/akash/provider/overlaylink"
	"github.com/akash-market/akash/runtime"
)

// docker runs the docker CLI against the local engine.
func docker(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("docker %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return strings.TrimSpace(string(out)), nil
}

func mustDocker(t *testing.T, args ...string) string {
	t.Helper()
	out, err := docker(args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// nodeImage packs a static akash-node into a FROM scratch image tagged by
// the binary's hash (no registry here: the test builds what it runs).
func nodeImage(t *testing.T, bin string) string {
	t.Helper()
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	ref := "akash-test/node:" + hex.EncodeToString(sum[:6])
	if _, err := docker("image", "inspect", ref); err == nil {
		return ref
	}
	dir := t.TempDir()
	if err := os.Link(bin, filepath.Join(dir, "akash-node")); err != nil {
		if err := os.WriteFile(filepath.Join(dir, "akash-node"), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	df := "FROM scratch\nCOPY akash-node /akash-node\nENTRYPOINT [\"/akash-node\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	mustDocker(t, "build", "-q", "-t", ref, dir)
	return ref
}

// overlayManifestYAML: web (placement one, provider A) may reach db:7000
// and db:7001/udp (placement two, provider B); both also have a global expose, which is how
// the test asks each of them to fetch a URL (akash-hello --allow-fetch).
func overlayManifestYAML(image, dbMessage string) string {
	return fmt.Sprintf(`version: "2.0"
services:
  web:
    image: %[1]s
    args: ["--listen", ":8080", "--allow-fetch"]
    env: [HELLO_MESSAGE=web-at-a]
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
  db:
    image: %[1]s
    args: ["--listen", ":7000", "--allow-fetch", "--udp-echo", ":7001"]
    env: [HELLO_MESSAGE=%[2]s]
    expose:
      - port: 7000
        to: [{service: web}, {global: true}]
      - port: 7001
        proto: udp
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
  db: {two: {profile: small, count: 1}}
`, image, dbMessage)
}

// rogueManifestYAML is a third tenant's workload at provider A.
func rogueManifestYAML(image string) string {
	return fmt.Sprintf(`version: "2.0"
services:
  rogue:
    image: %[1]s
    args: ["--listen", ":8080", "--allow-fetch"]
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
profiles:
  compute:
    small:
      resources: {cpu: {units: 0.25}, memory: {size: 64Mi}, storage: {size: 128Mi}}
  placement:
    one:
      attributes: {tier: one}
      pricing:
        small: {denom: uakt, amount: 1000000}
deployment:
  rogue: {one: {profile: small, count: 1}}
`, image)
}

// datacenter is one provider daemon in its own container.
type datacenter struct {
	name     string // key name and container name suffix
	addr     string // provider address
	dcNet    string // its own network
	wanIP    string // its address on the wan
	cont     string // container name
	metrics  string // wanIP:9102
	gateway  string // wanIP:8443
	endpoint string // wanIP:8444
}

// TestOverlayAcrossDatacenters is issue 8's acceptance test on the real
// engine and a real chain: each provider daemon runs in its own container
// on its own network (its datacenter), the Docker socket mounted in, and the
// two reach each other only over a third network (the wan), where the chain
// listens too. The tenant sends the manifest to provider A only; B fetches
// it from A (and refused a tampered copy first). web at A reaches db at B by
// the name db:7000 through one mTLS tunnel between the daemons; db -> web
// fails; a third tenant's workload at A reaches nothing; tunnel
// certificates under a root never on chain, or revoked on chain, are refused
// by B; a partition of B (its wan link cut) breaks the name and healing it
// brings it back by itself, with nothing else reachable meanwhile; closing
// the deployment leaves nothing behind.
func TestOverlayAcrossDatacenters(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the overlay end-to-end test in -short mode (builds akash-node, runs a chain and provider containers on Docker)")
	}
	cli, image := dockerOrSkip(t, "this test runs providers as containers")
	work := t.TempDir()
	e := &env{t: t, cli: cli, work: work, home: filepath.Join(work, "devnet"), keys: map[string]string{}}
	start := time.Now()
	e.bin = buildNode(t)
	nodeImg := nodeImage(t, e.bin)
	t.Logf("built akash-node and its image %s in %s", nodeImg, time.Since(start).Round(time.Second))

	// Networks: the wan (chain + both daemons) and one per datacenter, with
	// fixed subnets so addresses survive a disconnect and reconnect.
	id := fmt.Sprintf("ov%d", time.Now().UnixNano()%1e9)
	label := "akash.test=" + id
	subnets := map[string]string{}
	var err error
	for _, n := range []string{"wan", "dcA", "dcB"} {
		for try := 0; ; try++ {
			sub := fmt.Sprintf("10.%d.%d", 150+rand.IntN(90), rand.IntN(250))
			if _, err = docker("network", "create", "--subnet", sub+".0/24", "--label", label, id+"-"+n); err == nil {
				subnets[n] = sub
				break
			}
			if try == 8 {
				t.Fatalf("create network %s: %v", n, err)
			}
		}
	}
	dcs := []*datacenter{
		{name: "provider1", dcNet: id + "-dcA", wanIP: subnets["wan"] + ".10", cont: id + "-provider-a"},
		{name: "provider2", dcNet: id + "-dcB", wanIP: subnets["wan"] + ".20", cont: id + "-provider-b"},
	}
	a, b := dcs[0], dcs[1]
	for _, d := range dcs {
		d.metrics, d.gateway, d.endpoint = d.wanIP+":9102", d.wanIP+":8443", d.wanIP+":8444"
	}
	t.Cleanup(func() {
		for _, d := range dcs {
			if t.Failed() {
				out, _ := docker("logs", "--tail", "150", d.cont)
				t.Logf("%s (%s) log:\n%s", d.name, d.cont, out)
			}
			_, _ = docker("rm", "-f", d.cont)
			if d.addr != "" {
				if rt, err := runtime.NewDocker(context.Background(), runtime.Options{Provider: d.addr, Client: cli}); err == nil {
					_, _ = rt.Reconcile(context.Background(), nil)
				}
			}
		}
		for _, n := range []string{"wan", "dcA", "dcB"} {
			_, _ = docker("network", "rm", id+"-"+n)
		}
	})

	// The chain listens on the host's address on the wan: both datacenters
	// (and the host) reach it.
	wanGW := subnets["wan"] + ".1"
	base := freeBase(t, 8)
	e.start("devnet", "devnet", "--block-time", "300ms", "--ports-from", fmt.Sprint(base), "--chain-id", "akash-ov",
		"--host", wanGW, "--keys", "tenant,tenant2,provider1,provider2")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("devnet log:\n%s", tail(e.logOf("devnet"), 3000))
		}
	})
	e.waitForBlocks(fmt.Sprintf("%s:%d", wanGW, base))
	for _, k := range []string{"tenant", "tenant2", "provider1", "provider2"} {
		e.keys[k] = strings.TrimSpace(e.must("keys", "show", k, "-a", "--keyring-backend", "test"))
	}
	for _, k := range []string{"tenant", "provider1", "provider2"} {
		e.must("provider", "cert", "create", "--from", k)
	}

	// Each provider daemon in its own container: created on its datacenter
	// network, given its fixed wan address, then started.
	for i, d := range dcs {
		d.addr = e.keys[d.name]
		cfg := filepath.Join(work, d.name+".yaml")
		tier := []string{"one", "two"}[i]
		y := strings.Replace(providerYAML(8443, "1", 10, tier), "https://127.0.0.1:8443", "https://"+d.gateway, 1)
		// In its own container the daemon is not in the Docker host's
		// network namespace, where the runtime's iptables rules belong.
		y += "containers: {isolation: docker}\n"
		if err := os.WriteFile(cfg, []byte(y), 0o644); err != nil {
			t.Fatal(err)
		}
		mustDocker(t, "create", "--name", d.cont, "--label", label, "--network", d.dcNet,
			"-v", "/var/run/docker.sock:/var/run/docker.sock", "-v", work+":"+work, "--tmpfs", "/tmp",
			nodeImg, "--home", e.home, "provider", "run", "--from", d.name, "--config", cfg,
			"--gateway-listen", d.gateway, "--metrics-listen", d.metrics, "--tunnel-listen", d.endpoint,
			"--tunnel-container", d.cont, "--public-host", "127.0.0.1")
		mustDocker(t, "network", "connect", "--ip", d.wanIP, id+"-wan", d.cont)
		mustDocker(t, "start", d.cont)
	}
	for _, d := range dcs {
		waitFor(t, d.name+" running in its container", 90*time.Second, func() bool {
			out, _ := docker("logs", d.cont)
			return strings.Contains(out, "provider daemon running")
		})
	}

	// The deployment: web's group to A, db's to B.
	const dseq = "4242"
	dsl := filepath.Join(work, "overlay.yaml")
	good := overlayManifestYAML(image, "db-at-b")
	_ = os.WriteFile(dsl, []byte(good), 0o600)
	e.must("tx", "deployment", "create", dsl, "--from", "tenant", "--deposit", "50000000uakt", "--dseq", dseq,
		"--keyring-backend", "test", "--chain-id", "akash-ov", "-y")
	waitFor(t, "both groups leased (web to A, db to B)", 60*time.Second, func() bool {
		la, _ := docker("logs", a.cont)
		lb, _ := docker("logs", b.cont)
		return strings.Contains(la, "/"+dseq+"/1/1/"+a.addr) && strings.Contains(lb, "/"+dseq+"/2/1/"+b.addr)
	})

	// Manifests: B refuses a tampered copy; the good one goes to A only.
	tenantCert, err := certgen.Load(e.home, e.keys["tenant"])
	if err != nil {
		t.Fatal(err)
	}
	put := func(d *datacenter, body string) (int, string) {
		pc, err := certgen.Load(e.home, d.addr)
		if err != nil {
			t.Fatal(err)
		}
		hc := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: gateway.ClientTLSConfig(tenantCert.TLS, pc.X509)}}
		req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("https://%s/deployment/%s/%s/manifest", d.gateway, e.keys["tenant"], dseq), strings.NewReader(body))
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("PUT manifest to %s: %v", d.name, err)
		}
		defer resp.Body.Close()
		rb, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(rb)
	}
	if code, body := put(b, overlayManifestYAML(image, "tampered")); code != http.StatusConflict {
		t.Fatalf("tampered manifest to B: %d %s, want 409", code, body)
	}
	if code, body := put(a, good); code != http.StatusAccepted {
		t.Fatalf("manifest to A: %d %s", code, body)
	}
	tPut := time.Now()
	waitFor(t, "B to fetch the manifest from A and run db", 90*time.Second, func() bool {
		return metricAt(b.metrics, `akash_provider_manifest_peer_fetches_total{result="ok"}`) == "1" && len(e.containerIDs(b.addr)) == 1
	})
	t.Logf("manifest at A -> db running at B from A's copy: %s", time.Since(tPut).Round(time.Millisecond))

	webURL := "http://127.0.0.1:" + strconv.Itoa(e.publicPort(a.addr, "web"))
	dbURL := "http://127.0.0.1:" + strconv.Itoa(e.publicPort(b.addr, "db"))

	// web -> db:7000 by its stable name, through the tunnel.
	var firstOK time.Duration
	waitFor(t, "web at A to reach db:7000 through the tunnel", 60*time.Second, func() bool {
		code, body := fetchVia(webURL, "http://db:7000/", "3s")
		if code == 200 && strings.Contains(body, "db-at-b") {
			firstOK = time.Since(tPut)
			return true
		}
		return false
	})
	stA, stB := tunnelsAt(t, a.metrics), tunnelsAt(t, b.metrics)
	link := overlay.Link{Deployment: overlay.DeploymentID{Owner: e.keys["tenant"], DSeq: 4242},
		Conn: manifest.Connection{From: "web", To: "db", Port: 7000, Proto: "TCP"}, Client: a.addr, Server: b.addr}
	ca, sb := findStats(stA, link.String(), "client"), findStats(stB, link.String(), "server")
	if len(stA) != 2 || len(stB) != 2 || ca == nil || sb == nil {
		t.Fatalf("want exactly web->db:7000/tcp and :7001/udp as A's client tunnels and B's routes; A %+v B %+v", stA, stB)
	}
	if ca.State != tunnel.Up || ca.Streams == 0 || sb.Streams == 0 || ca.BytesIn == 0 {
		t.Fatalf("the request did not go through the tunnel: A %+v B %+v", ca, sb)
	}
	t.Logf("manifest at A -> web's first answer from db:7000: %s; tunnel setup (open -> up) %s; A link %s local %s",
		firstOK.Round(time.Millisecond), ca.SetupTime.Round(time.Microsecond), ca.State, ca.Local)

	// UDP: a datagram from web to db:7001 by name, answered through the
	// tunnel's UDP link.
	if code, body := udpVia(webURL, "db:7001"); code != 200 || body != "echo: ping" {
		t.Fatalf("web -> db:7001/udp: %d %q", code, body)
	}
	udpLink := link
	udpLink.Conn.Port, udpLink.Conn.Proto = 7001, "UDP"
	cu := findStats(tunnelsAt(t, a.metrics), udpLink.String(), "client")
	if cu == nil || cu.Streams != 1 || cu.State != tunnel.Up {
		t.Fatalf("A's UDP link after web's datagram: %+v", cu)
	}

	// Throughput from web to db: through the tunnel (db:7000), and through
	// db's global expose (the host's published port: docker-proxy), the only
	// other path between the two containers.
	dbPort := e.publicPort(b.addr, "db")
	for i := 0; i < 2; i++ {
		tun := pull(t, webURL, "http://db:7000/bytes?n=134217728")
		direct := pull(t, webURL, fmt.Sprintf("http://%s:%d/bytes?n=134217728", wanGW, dbPort))
		t.Logf("128 MiB web <- db: tunnel %.0f MB/s, published port %.0f MB/s, ratio %.2f", tun, direct, tun/direct)
	}

	// db -> web is not allowed: no name, no listener.
	for _, target := range []string{"http://web:8080/", "http://web:80/", "http://" + ca.Local + "/"} {
		if code, body := fetchVia(dbURL, target, "2s"); code == 200 {
			t.Fatalf("db reached %s (not allowed by the topology): %s", target, body)
		}
	}

	// A third tenant's workload at A reaches neither web nor db, by name or
	// by any address they have.
	out := e.must("deploy", "create", writeFile(t, work, "rogue.yaml", rogueManifestYAML(image)), "--from", "tenant2",
		"--deposit", "50000000uakt", "--timeout", "90s")
	if !strings.Contains(out, a.addr) {
		t.Fatalf("the rogue deployment should run at A:\n%s", out)
	}
	rogueURL := "http://127.0.0.1:" + strconv.Itoa(e.publicPort(a.addr, "rogue"))
	targets := []string{"http://db:7000/", "http://web:8080/", "http://" + ca.Local + "/",
		"http://" + a.endpoint + "/", "http://" + b.endpoint + "/", "http://" + a.gateway + "/", "http://" + b.gateway + "/"}
	for _, ip := range append(e.containerIPs(a.addr, "web"), e.containerIPs(b.addr, "db")...) {
		targets = append(targets, "http://"+ip+":8080/", "http://"+ip+":7000/")
	}
	// The daemons run in containers here, so their runtime isolates lease
	// networks with Docker's own rules (containers.isolation: docker), which
	// Docker re-inserts when a network is created: a connection can slip
	// through in that instant (docs/runtime.md measures 14 of 2,000; the
	// host firewall mode, TestIsolationHoldsWhileNetworksChurn, lets none).
	// A reach that is refused again on the next tries is that documented
	// lapse and is logged; one that keeps answering is a hole and fails.
	rogueCannotReach := func(phase string) {
		t.Helper()
		for _, target := range targets {
			code, body := fetchVia(rogueURL, target, "1s")
			if code != 200 && code != 0 {
				continue
			}
			// Docker's lapse lasts while it deletes and re-inserts its jump
			// rules (milliseconds, up to a few hundred on a loaded machine);
			// a reach still answered after holeAfter is not that lapse.
			const holeAfter = 5 * time.Second
			first, tries, held := time.Now(), 1, false
			for !held && time.Since(first) < holeAfter {
				tries++
				if c, _ := fetchVia(rogueURL, target, "1s"); c != 200 && c != 0 {
					held = true
				} else {
					time.Sleep(100 * time.Millisecond) // poll interval, not a wait for an event
				}
			}
			if !held {
				t.Fatalf("%s: the third tenant's workload reaches %s on %d tries over %s: %d %q\nhost FORWARD chain:\n%s",
					phase, target, tries, holeAfter, code, body, hostForwardRules())
			}
			t.Logf("%s: the third tenant's workload reached %s (%d %q) for %s, then was refused: Docker's isolation lapse under containers.isolation: docker",
				phase, target, code, body, time.Since(first).Round(time.Millisecond))
		}
		for _, target := range []string{"db:7001", cu.Local} {
			if code, body := udpVia(rogueURL, target); code == 200 || code == 0 {
				t.Fatalf("%s: the third tenant's datagram to %s was answered: %d %q", phase, target, code, body)
			}
		}
	}
	rogueCannotReach("after setup")

	// Tunnel certificates for web->db under provider A's name but a root
	// never on chain, and under one published and then revoked: B refuses
	// both at the handshake.
	offChain, _ := certgen.New(a.addr, time.Hour)
	revoked, _ := certgen.New(a.addr, time.Hour)
	pemFile := writeFile(t, work, "revoked.crt", string(revoked.CertPEM()))
	serial := revoked.X509.SerialNumber.String()
	e.txUntil("publish the second root", func() bool {
		out, _ := e.run("query", "cert", "certificates", "--owner", a.addr, "--serial", serial, "-o", "json")
		return strings.Contains(out, serial)
	}, "tx", "cert", "publish", pemFile, "--from", "provider1", "--keyring-backend", "test", "--chain-id", "akash-ov", "-y")
	e.txUntil("revoke the second root", func() bool {
		out, _ := e.run("query", "cert", "certificates", "--owner", a.addr, "--state", "revoked", "-o", "json")
		return strings.Contains(out, serial)
	}, "tx", "cert", "revoke", serial, "--from", "provider1", "--keyring-backend", "test", "--chain-id", "akash-ov", "-y")
	for _, root := range []certgen.Account{offChain, revoked} {
		ok, why := acceptedWithRoot(link, root, b.endpoint)
		if ok {
			t.Fatalf("B accepted a tunnel certificate under root serial %s", root.X509.SerialNumber)
		}
		t.Logf("B refused the tunnel certificate under root %s: %v", root.X509.SerialNumber, why)
	}
	waitFor(t, "B to count the two refusals", 40*time.Second, func() bool {
		sb = findStats(tunnelsAt(t, b.metrics), link.String(), "server")
		return sb != nil && sb.Refused >= 2
	})
	t.Logf("B refused: %d, last error %q", sb.Refused, sb.LastError)
	if code, body := fetchVia(webURL, "http://db:7000/", "3s"); code != 200 || !strings.Contains(body, "db-at-b") {
		t.Fatalf("the real tunnel stopped working after the refusals: %d %s", code, body)
	}

	// Partition: B's wan link is cut. web's requests fail, A's tunnel goes
	// down, nothing else becomes reachable; heal: it comes back by itself.
	mustDocker(t, "network", "disconnect", id+"-wan", b.cont)
	tCut := time.Now()
	waitFor(t, "web's request to db:7000 to fail while B is cut off", 30*time.Second, func() bool {
		code, _ := fetchVia(webURL, "http://db:7000/", "2s")
		return code != 200
	})
	waitFor(t, "A's tunnel to go down", 30*time.Second, func() bool {
		c := findStats(tunnelsAt(t, a.metrics), link.String(), "client")
		return c != nil && c.State == tunnel.Down
	})
	t.Logf("partition -> A's tunnel down: %s", time.Since(tCut).Round(time.Millisecond))
	rogueCannotReach("during the partition")
	for _, target := range []string{"http://web:8080/", "http://" + ca.Local + "/"} {
		if code, body := fetchVia(dbURL, target, "1s"); code == 200 {
			t.Fatalf("during the partition db reached %s: %s", target, body)
		}
	}
	mustDocker(t, "network", "connect", "--ip", b.wanIP, id+"-wan", b.cont)
	tHeal := time.Now()
	waitFor(t, "db:7000 to answer again after the heal", 60*time.Second, func() bool {
		code, body := fetchVia(webURL, "http://db:7000/", "2s")
		return code == 200 && strings.Contains(body, "db-at-b")
	})
	healed := time.Since(tHeal)
	ca = findStats(tunnelsAt(t, a.metrics), link.String(), "client")
	if ca == nil || ca.State != tunnel.Up || ca.Reconnects == 0 {
		t.Fatalf("after the heal A's tunnel: %+v", ca)
	}
	t.Logf("heal -> db:7000 answers again: %s (reconnects %d)", healed.Round(time.Millisecond), ca.Reconnects)
	if code, body := udpVia(webURL, "db:7001"); code != 200 || body != "echo: ping" {
		t.Fatalf("web -> db:7001/udp after the heal: %d %q", code, body)
	}
	rogueCannotReach("after the heal")

	// kill -9 of A's daemon container and a start: the daemon adopts its
	// lease and opens the tunnel again by itself; the name works again.
	webIDs := e.containerIDs(a.addr)
	mustDocker(t, "kill", "--signal", "KILL", a.cont)
	if code, _ := fetchVia(webURL, "http://db:7000/", "2s"); code == 200 {
		t.Fatal("db:7000 answered while A's daemon (its tunnel end) was dead")
	}
	mustDocker(t, "start", a.cont)
	tStart := time.Now()
	waitFor(t, "web to reach db:7000 after A's daemon restarted", 90*time.Second, func() bool {
		code, body := fetchVia(webURL, "http://db:7000/", "2s")
		return code == 200 && strings.Contains(body, "db-at-b")
	})
	t.Logf("A's daemon killed and started -> db:7000 answers web again: %s", time.Since(tStart).Round(time.Millisecond))
	if after := e.containerIDs(a.addr); !sameSet(webIDs, after) {
		t.Fatalf("A's workload containers changed across the daemon's kill -9: %v -> %v", webIDs, after)
	}
	if code, body := udpVia(webURL, "db:7001"); code != 200 || body != "echo: ping" {
		t.Fatalf("web -> db:7001/udp after A's restart: %d %q", code, body)
	}
	rogueCannotReach("after A's restart")

	// Close: both providers tear down; the daemons leave the lease networks.
	e.must("deploy", "close", dseq, "--from", "tenant")
	waitFor(t, "both providers to tear the deployment down", 60*time.Second, func() bool {
		return e.leaseCount(a.addr, dseq) == 0 && e.leaseCount(b.addr, dseq) == 0 &&
			len(tunnelsAt(t, a.metrics)) == 0 && len(tunnelsAt(t, b.metrics)) == 0
	})
	for _, d := range dcs {
		nets := mustDocker(t, "inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", d.cont)
		if got := strings.Fields(nets); len(got) != 2 {
			t.Fatalf("%s's container is still on lease networks after the close: %v", d.name, got)
		}
	}
}

// txUntil sends a tx as a key that its provider daemon also signs with
// (withdrawals), so the account sequence may race and the tx be refused at
// CheckTx: it sends again until done reports the effect on chain.
func (e *env) txUntil(what string, done func() bool, args ...string) {
	e.t.Helper()
	for try := 1; try <= 5; try++ {
		out, err := e.run(args...)
		for deadline := time.Now().Add(6 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
			if done() {
				return
			}
		}
		e.t.Logf("%s: attempt %d not on chain yet (err %v): %s", what, try, err, tail(out, 300))
	}
	e.t.Fatalf("%s: not on chain after 5 attempts", what)
}

// fetchVia asks an akash-hello server (its /fetch) to GET target; code 0
// means the server itself could not be asked.
// hostForwardRules is the host's filter FORWARD chain and Docker's
// isolation chains, for the message of a failed isolation check.
func hostForwardRules() string {
	var b strings.Builder
	for _, chain := range []string{"FORWARD", "DOCKER-USER", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2"} {
		out, err := exec.Command("iptables", "-S", chain).CombinedOutput()
		fmt.Fprintf(&b, "%s(%v)\n", out, err)
	}
	return b.String()
}

func fetchVia(server, target, timeout string) (int, string) {
	return fetchViaQuery(server, target, timeout, "")
}

func fetchViaQuery(server, target, timeout, extra string) (int, string) {
	hc := &http.Client{Timeout: 15 * time.Second}
	resp, err := hc.Get(server + "/fetch?url=" + url.QueryEscape(target) + "&timeout=" + timeout + extra)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// pull asks web to download target and discard it; MB/s as web measured.
func pull(t *testing.T, web, target string) float64 {
	t.Helper()
	code, body := fetchViaQuery(web, target, "10s", "&discard=1")
	var status, n int64
	var took string
	if _, err := fmt.Sscanf(body, "%d %d bytes in %s", &status, &n, &took); code != 200 || err != nil || status != 200 {
		t.Fatalf("pull %s: %d %q (%v)", target, code, body, err)
	}
	d, err := time.ParseDuration(took)
	if err != nil || d <= 0 {
		t.Fatalf("pull %s: duration %q: %v", target, took, err)
	}
	return float64(n) / d.Seconds() / 1e6
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// udpVia asks an akash-hello server to send "ping" to addr over UDP and
// return the answer (502: none came).
func udpVia(server, addr string) (int, string) {
	hc := &http.Client{Timeout: 15 * time.Second}
	resp, err := hc.Get(server + "/udp?timeout=2s&msg=ping&addr=" + url.QueryEscape(addr))
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metricAt reads one sample from /metrics at addr ("" when absent).
func metricAt(addr, name string) string {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}

func tunnelsAt(t *testing.T, addr string) []tunnel.Stats {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := overlaylink.GetStats(ctx, addr)
	if err != nil {
		t.Fatalf("/tunnels at %s: %v", addr, err)
	}
	return st
}

func findStats(st []tunnel.Stats, link, role string) *tunnel.Stats {
	for i := range st {
		if st[i].Link == link && st[i].Role == role {
			return &st[i]
		}
	}
	return nil
}

// publicPort is the host port of a provider's service's global expose.
func (e *env) publicPort(provider, service string) int {
	e.t.Helper()
	for _, c := range e.containersOf(provider, service) {
		for _, p := range c.Ports {
			if p.PublicPort != 0 {
				return int(p.PublicPort)
			}
		}
	}
	e.t.Fatalf("no published port for %s at %s", service, provider)
	return 0
}

// containerIPs are every address of a provider's service's containers.
func (e *env) containerIPs(provider, service string) []string {
	var ips []string
	for _, c := range e.containersOf(provider, service) {
		if c.NetworkSettings == nil {
			continue
		}
		for _, n := range c.NetworkSettings.Networks {
			if n.IPAddress != "" {
				ips = append(ips, n.IPAddress)
			}
		}
	}
	return ips
}

func (e *env) containersOf(provider, service string) []container.Summary {
	f := filters.NewArgs(filters.Arg("label", runtime.LabelProvider+"="+provider), filters.Arg("label", runtime.LabelService+"="+service))
	cs, err := e.cli.ContainerList(context.Background(), container.ListOptions{Filters: f})
	if err != nil {
		e.t.Fatal(err)
	}
	return cs
}

// leaseCount counts a provider's containers and networks of one deployment.
func (e *env) leaseCount(provider, dseq string) int {
	f := filters.NewArgs(filters.Arg("label", runtime.LabelProvider+"="+provider))
	ctx := context.Background()
	n := 0
	cs, _ := e.cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	for _, c := range cs {
		if strings.Contains(c.Labels[runtime.LabelLease], "/"+dseq+"/") {
			n++
		}
	}
	ns, _ := e.cli.NetworkList(ctx, network.ListOptions{Filters: f})
	for _, nw := range ns {
		if strings.Contains(nw.Labels[runtime.LabelLease], "/"+dseq+"/") {
			n++
		}
	}
	return n
}

// acceptedWithRoot opens a tunnel stream to an endpoint as link's client
// with a certificate issued under root, and reports whether the endpoint
// accepted the handshake and answered the stream request (why not, if not).
func acceptedWithRoot(link overlay.Link, root certgen.Account, endpoint string) (bool, error) {
	signer, ok := root.TLS.PrivateKey.(crypto.Signer)
	if !ok {
		return false, fmt.Errorf("root key %T cannot sign", root.TLS.PrivateKey)
	}
	leaf, err := tunnelcert.Issuer{Provider: link.Client, Root: root.X509, Key: signer}.Issue(link, time.Now(), time.Hour)
	if err != nil {
		return false, err
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	conn, err := tls.DialWithDialer(d, "tcp", endpoint, &tls.Config{
		ServerName: link.ServerName(), Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS13,
		InsecureSkipVerify: true, // the test checks B's refusal, not B's identity
	})
	if err != nil {
		return false, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	// TLS 1.3: the server judges the client certificate after the client's
	// handshake finished; its refusal arrives at the first read.
	if _, err := conn.Write([]byte{'S'}); err != nil {
		return false, err
	}
	var reply [1]byte
	if _, err := io.ReadFull(conn, reply[:]); err != nil {
		return false, err
	}
	return true, nil
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
