package tunneld

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/akash-market/akash/overlay/internal/testpki"
	"github.com/akash-market/akash/overlay/tunnel"
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

// tunnelImage builds cmd/akash-tunnel statically into a FROM scratch image
// tagged by the binary's hash, unless the engine has it already.
func tunnelImage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "akash-tunnel")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "github.com/akash-market/akash/cmd/akash-tunnel")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/akash-tunnel: %v\n%s", err, out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	ref := "akash-test/tunnel:" + hex.EncodeToString(sum[:6])
	if _, err := docker("image", "inspect", ref); err == nil {
		return ref
	}
	df := "FROM scratch\nCOPY akash-tunnel /akash-tunnel\nENTRYPOINT [\"/akash-tunnel\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	mustDocker(t, "build", "-q", "-t", ref, dir)
	return ref
}

// TestDockerTwoDatacenters runs the overlay on the real engine: two internal
// bridge networks are two providers' lease networks ("datacenters"), a third
// network is the internet between the providers' tunnel containers. web at
// provider A reaches db at provider B by the name db:7000, which lands on A's
// tunnel; nothing else is reachable; a partition of B heals by itself.
func TestDockerTwoDatacenters(t *testing.T) {
	if _, err := docker("ps"); err != nil {
		t.Skipf("no Docker engine answers (%v); this test needs one", err)
	}
	img := tunnelImage(t)
	id := fmt.Sprintf("ovt%06x", rand.N(1<<24))
	name := func(s string) string { return id + "-" + s }
	var containers, networks []string
	t.Cleanup(func() {
		for _, c := range containers {
			docker("rm", "-f", c)
		}
		for _, n := range networks {
			docker("network", "rm", n)
		}
	})
	// Lease networks get a fixed subnet so that A's tunnel can bind its
	// listener to its lease-network address only (not to the internet side).
	subnets := map[string]string{}
	for _, n := range []string{"dcA", "dcB"} {
		var err error
		for try := 0; try < 5; try++ {
			sub := fmt.Sprintf("10.%d.%d", 200+rand.N(50), rand.N(256))
			if _, err = docker("network", "create", "--internal", "--subnet", sub+".0/24", "--label", "akash.test="+id, name(n)); err == nil {
				subnets[n] = sub
				networks = append(networks, name(n))
				break
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	mustDocker(t, "network", "create", "--label", "akash.test="+id, name("wan"))
	networks = append(networks, name("wan"))

	roots := map[string]testpki.Root{provA: testpki.MustRoot(provA), provB: testpki.MustRoot(provB)}
	a, b := pair(t, roots)
	tunnelAIP := subnets["dcA"] + ".10"
	a.Endpoint, a.HTTP, a.ListenHost, a.ProbeEvery, a.DialTimeout = ":8444", "127.0.0.1:9100", tunnelAIP, "1s", "2s"
	a.Peers = map[string]string{provB: name("tunnelB") + ":8444"}
	b.Endpoint, b.HTTP, b.ProbeEvery = ":8444", "127.0.0.1:9100", "1s"
	// Two rogue copies of A's tunnel: one under a root A registered and then
	// revoked, one under a root that never was on chain.
	revokedA, offChainA := testpki.MustRoot(provA), testpki.MustRoot(provA)
	b.ChainRoots = append(slices.Clone(b.ChainRoots), ChainRoot{Owner: provA, Cert: pemCert(revokedA.Cert), Revoked: true})
	rogue := map[string]Config{}
	for n, r := range map[string]testpki.Root{"rogueRevoked": revokedA, "rogueOffChain": offChainA} {
		c := a
		c.RootCert, c.RootKey, c.ListenHost = pemCert(r.Cert), pemKey(t, r), "127.0.0.1"
		rogue[n] = c
	}

	run := func(n, network, alias string, args ...string) {
		t.Helper()
		full := append([]string{"run", "-d", "--name", name(n), "--network", name(network), "--network-alias", alias, "--label", "akash.test=" + id, img}, args...)
		mustDocker(t, full...)
		containers = append(containers, name(n))
	}
	run("db", "dcB", "db", "echo", "--listen", ":7000")
	run("web", "dcA", "web", "echo", "--listen", ":80")
	run("other", "wan", "other", "echo", "--listen", ":80") // a third tenant's workload on the internet side

	// A tunnel container sits in its provider's lease network and on the wan.
	startTunnel := func(n, dc, ip, alias string, cfg Config) time.Time {
		t.Helper()
		js, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		args := []string{"create", "--name", name(n), "--network", name(dc), "--label", "akash.test=" + id, "-e", "AKASH_TUNNEL_CONFIG=" + string(js)}
		if ip != "" {
			args = append(args, "--ip", ip)
		}
		if alias != "" {
			args = append(args, "--network-alias", alias)
		}
		mustDocker(t, append(args, img, "run")...)
		containers = append(containers, name(n))
		mustDocker(t, "network", "connect", name("wan"), name(n))
		start := time.Now()
		mustDocker(t, "start", name(n))
		return start
	}
	startTunnel("tunnelB", "dcB", "", "", b)
	for n, c := range rogue {
		js, _ := json.Marshal(c)
		mustDocker(t, "run", "-d", "--name", name(n), "--network", name("wan"), "--label", "akash.test="+id, "-e", "AKASH_TUNNEL_CONFIG="+string(js), img, "run")
		containers = append(containers, name(n))
	}
	started := startTunnel("tunnelA", "dcA", tunnelAIP, "db", a)

	probe := func(from, addr string) (float64, error) {
		out, err := docker("exec", name(from), "/akash-tunnel", "probe", "--addr", addr, "--timeout", "2s")
		if err != nil {
			return 0, err
		}
		var r struct {
			FirstByteMS float64 `json:"first_byte_ms"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			return 0, fmt.Errorf("probe output %q: %v", out, err)
		}
		return r.FirstByteMS, nil
	}
	waitProbe := func(what string, d time.Duration) float64 {
		t.Helper()
		deadline := time.Now().Add(d)
		for {
			ms, err := probe("web", "db:7000")
			if err == nil {
				return ms
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: web -> db:7000 still fails after %v: %v\ntunnelA logs:\n%s\nstatus:\n%+v", what, d, err,
					mustDocker(t, "logs", name("tunnelA")), tunnelStatus(t, name("tunnelA")))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	firstMS := waitProbe("initial", 20*time.Second)
	leaseToReachable := time.Since(started)
	stA := tunnelStatus(t, name("tunnelA"))
	if len(stA) != 1 || stA[0].State != tunnel.Up {
		t.Fatalf("tunnelA status %+v; want one link, up", stA)
	}
	t.Logf("tunnel container start -> web reaches db:7000: %v (tunnel setup, open -> first handshake: %v; first probe's connect+echo %.2f ms)",
		leaseToReachable.Round(time.Millisecond), stA[0].SetupTime.Round(time.Millisecond), firstMS)

	// B refuses tunnel certificates under a revoked root or a root not on chain.
	for n := range rogue {
		deadline := time.Now().Add(15 * time.Second)
		for {
			st := tunnelStatus(t, name(n))
			if len(st) == 1 && st[0].Refused > 0 {
				if st[0].State == tunnel.Up {
					t.Fatalf("%s: tunnel up despite its certificate: %+v", n, st[0])
				}
				t.Logf("%s refused by B: %s", n, st[0].LastError)
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: no refusal seen: %+v", n, st)
			}
			time.Sleep(200 * time.Millisecond)
		}
		if _, err := probe(n, "127.0.0.1:7000"); err == nil {
			t.Fatalf("%s carried a stream to db", n)
		}
	}

	if st := tunnelStatus(t, name("tunnelB")); len(st) != 1 || st[0].Role != "server" || st[0].Refused < 2 {
		t.Fatalf("B's route does not count both refusals: %+v", st)
	} else {
		t.Logf("B's route: %d refused, last: %s", st[0].Refused, st[0].LastError)
	}

	// Isolation: only web -> db is allowed.
	denied := []struct{ from, addr, why string }{
		{"db", "web:80", "db -> web is not allowed"},
		{"other", name("tunnelA") + ":7000", "third tenant -> A's tunnel listener (bound to the lease network only)"},
		{"other", name("tunnelB") + ":8444", "third tenant -> B's endpoint without a tunnel certificate"},
		{"other", "db:7000", "third tenant -> db by name"},
		{"other", name("db") + ":7000", "third tenant -> db container"},
	}
	checkDenied := func(phase string) {
		t.Helper()
		for _, d := range denied {
			if _, err := probe(d.from, d.addr); err == nil {
				t.Errorf("%s: %s: %s reached %s", phase, d.why, d.from, d.addr)
			}
		}
	}
	checkDenied("before partition")

	// Throughput through the tunnel vs direct between the same containers.
	const size = 128 << 20
	pump := func(addr string) float64 {
		out := mustDocker(t, "exec", name("web"), "/akash-tunnel", "pump", "--addr", addr, "--bytes", fmt.Sprint(size))
		var r struct {
			MBps float64 `json:"mb_per_s"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("pump output %q: %v", out, err)
		}
		return r.MBps
	}
	// Connect + one echoed line, by address (no DNS), median of 7.
	medianProbe := func(addr string) float64 {
		var ms []float64
		for i := 0; i < 7; i++ {
			v, err := probe("web", addr)
			if err != nil {
				t.Fatal(err)
			}
			ms = append(ms, v)
		}
		slices.Sort(ms)
		return ms[len(ms)/2]
	}
	viaTunnel := pump("db:7000")
	tunnelMS := medianProbe(tunnelAIP + ":7000")
	mustDocker(t, "network", "connect", name("dcB"), name("web"))
	dbIP := mustDocker(t, "inspect", "-f", "{{(index .NetworkSettings.Networks \""+name("dcB")+"\").IPAddress}}", name("db"))
	direct := pump(dbIP + ":7000")
	directMS := medianProbe(dbIP + ":7000")
	mustDocker(t, "network", "disconnect", name("dcB"), name("web"))
	t.Logf("echo throughput (each byte both ways), %d MiB: tunnel %.0f MB/s, direct %.0f MB/s, ratio %.2f", size>>20, viaTunnel, direct, viaTunnel/direct)
	t.Logf("new stream, connect + first echoed line (median of 7): tunnel %.2f ms, direct %.2f ms", tunnelMS, directMS)

	// Partition: cut provider B off the wan, then heal.
	mustDocker(t, "network", "disconnect", name("wan"), name("tunnelB"))
	cut := time.Now()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := tunnelStatus(t, name("tunnelA"))
		if len(st) == 1 && st[0].State == tunnel.Down {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("tunnelA did not notice the partition: %+v", st)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("partition noticed after %v", time.Since(cut).Round(time.Millisecond))
	if _, err := probe("web", "db:7000"); err == nil {
		t.Fatal("web reached db across a partition")
	}
	checkDenied("during partition")
	mustDocker(t, "network", "connect", name("wan"), name("tunnelB"))
	healed := time.Now()
	waitProbe("after heal", 30*time.Second)
	t.Logf("heal -> web reaches db:7000 again at the same name: %v", time.Since(healed).Round(time.Millisecond))
	checkDenied("after heal")
	st := tunnelStatus(t, name("tunnelA"))
	if st[0].Reconnects < 1 || st[0].State != tunnel.Up {
		t.Fatalf("after heal: %+v", st)
	}
}

func tunnelStatus(t *testing.T, container string) []tunnel.Stats {
	t.Helper()
	out, err := docker("exec", container, "/akash-tunnel", "status", "--json")
	if err != nil {
		t.Fatalf("status of %s: %v", container, err)
	}
	var st []tunnel.Stats
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status of %s: %q: %v", container, out, err)
	}
	return st
}
