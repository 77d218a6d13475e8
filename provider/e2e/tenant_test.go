package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func tenantSDL(image string, price int, region string) string {
	return fmt.Sprintf(`version: "2.0"
services:
  web:
    image: %s
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
profiles:
  compute:
    tiny:
      resources: {cpu: {units: 0.1}, memory: {size: 32Mi}, storage: {size: 64Mi}}
  placement:
    dc:
      attributes: {region: %s}
      pricing:
        tiny: {denom: uakt, amount: %d}
deployment:
  web: {dc: {profile: tiny, count: 1}}
`, image, region, price)
}

// forward accepts on from and copies each connection to and from to, until
// the test ends (a provider's gateway that comes back).
func forward(t *testing.T, from, to string) {
	l, err := net.Listen("tcp", from)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				u, err := net.Dial("tcp", to)
				if err != nil {
					return
				}
				defer u.Close()
				var wg sync.WaitGroup
				wg.Add(1)
				go func() { defer wg.Done(); _, _ = io.Copy(u, c) }()
				_, _ = io.Copy(c, u)
				wg.Wait()
			}()
		}
	}()
}

// jsonOut runs akash-node and decodes its stdout (progress goes to stderr).
func jsonOut(t *testing.T, e *env, v any, args ...string) {
	t.Helper()
	cmd := exec.Command(e.bin, append([]string{"--home", e.home}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("akash-node %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), v); err != nil {
		t.Fatalf("akash-node %s: stdout is not JSON: %v\n%s", strings.Join(args, " "), err, stdout.String())
	}
}

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestTenantRecovers: the tenant client on a devnet with one provider whose
// registered gateway address is down at first.
//   - deposits with a fraction or an exponent are refused before any tx;
//   - an order no provider bids on: deploy create fails and closes the
//     deployment (state closed, the deposit returned);
//   - the provider's gateway unreachable when the manifest goes out, back a
//     little later: deploy create retries and the services run;
//   - deploy update with only a new price is refused, naming the price;
//   - deploy send-manifest sends the same manifest again;
//   - -o json of status and lease-status parses; tx market lease create
//     explains automatic matching.
func TestTenantRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode (builds akash-node, runs a devnet, a provider daemon and containers)")
	}
	e, base, image := oneProvider(t, func(base int) int { return base + 10 })
	work := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(work, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", tenantSDL(image, 1000000, "local"))

	for _, bad := range []struct{ dep, says string }{{"5000000.5uakt", "has a fraction"}, {"1e40uakt", "exponents are not accepted"}} {
		out, err := e.run("deploy", "create", good, "--from", "tenant", "--deposit", bad.dep)
		if err == nil || !strings.Contains(out, bad.says) {
			t.Fatalf("deposit %s: err %v, output:\n%s\nwant a refusal saying %q", bad.dep, err, out, bad.says)
		}
	}

	// No provider offers region mars: the order closes unmatched.
	mars := write("mars.yaml", tenantSDL(image, 1000000, "mars"))
	out, err := e.run("deploy", "create", mars, "--from", "tenant", "--dseq", "501", "--timeout", "60s")
	if err == nil || !strings.Contains(out, "closed without a lease") || !strings.Contains(out, "closed and the rest of its deposit returned") {
		t.Fatalf("unmatched order: err %v, output:\n%s", err, out)
	}
	var st struct {
		State string `json:"state"`
		Hint  string `json:"hint"`
	}
	if jsonOut(t, e, &st, "deploy", "status", "501", "--from", "tenant", "-o", "json"); st.State != "closed" {
		t.Fatalf("deploy status 501 -o json: %+v, want state closed", st)
	}

	// The gateway is registered at base+10, where nothing listens until the
	// client has failed once; then a forwarder brings it back.
	cmd := exec.Command(e.bin, "--home", e.home, "deploy", "create", good, "--from", "tenant", "--dseq", "502", "--timeout", "90s", "--manifest-retry", "60s")
	var cout lockedBuf
	cmd.Stdout, cmd.Stderr = &cout, &cout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the client to retry the manifest", 60*time.Second, func() bool { return strings.Contains(cout.String(), "trying again in") })
	forward(t, fmt.Sprintf("127.0.0.1:%d", base+10), fmt.Sprintf("127.0.0.1:%d", base+6))
	if err := cmd.Wait(); err != nil || !strings.Contains(cout.String(), "manifest sent to") {
		t.Fatalf("deploy create with the gateway briefly down: %v\n%s", err, cout.String())
	}
	t.Logf("deploy create with the gateway briefly down:\n%s", cout.String())

	// Only the price changes: refused with the difference, nothing sent.
	pricier := write("pricier.yaml", tenantSDL(image, 2000000, "local"))
	out, err = e.run("deploy", "update", "502", pricier, "--from", "tenant")
	if err == nil || !strings.Contains(out, "price.amount: 1000000") || !strings.Contains(out, "2000000") || !strings.Contains(out, "close it") {
		t.Fatalf("price-only update: err %v, want a refusal naming the price:\n%s", err, out)
	}

	var sent struct {
		Leases []struct {
			Lease     string   `json:"lease"`
			Endpoints []string `json:"endpoints"`
		} `json:"leases"`
	}
	if jsonOut(t, e, &sent, "deploy", "send-manifest", "502", good, "--from", "tenant", "-o", "json"); len(sent.Leases) != 1 || len(sent.Leases[0].Endpoints) != 1 {
		t.Fatalf("send-manifest -o json: %+v, want one lease with its endpoint", sent)
	}
	var ls struct {
		Ready bool `json:"ready"`
	}
	if jsonOut(t, e, &ls, "deploy", "lease-status", "--dseq", "502", "--from", "tenant", "-o", "json"); !ls.Ready {
		t.Fatalf("lease-status -o json: %+v, want ready", ls)
	}
	out, err = e.run("tx", "market", "lease", "create", "--dseq", "502", "--provider", e.keys["provider1"], "--from", "tenant")
	if err == nil || !strings.Contains(out, "not waiting for a pick") || !strings.Contains(out, "already leased") {
		t.Fatalf("tx market lease create: err %v\n%s", err, out)
	}
	out = e.must("query", "market", "lease", "list", "--owner", e.keys["tenant"], "--dseq", "502", "-o", "json")
	if !strings.Contains(out, `"dseq":"502"`) {
		t.Fatalf("query market lease list --dseq 502:\n%s", out)
	}
	// A real update (an env var): the services run again and the command
	// prints where (the host port may have moved).
	v2 := write("v2.yaml", strings.Replace(tenantSDL(image, 1000000, "local"), "    expose:", "    env: [HELLO_MESSAGE=v2]\n    expose:", 1))
	out = e.must("deploy", "update", "502", v2, "--from", "tenant")
	if !strings.Contains(out, "at version") || !strings.Contains(out, "web 8080/TCP http://127.0.0.1:") {
		t.Fatalf("deploy update: want the new version and the endpoint:\n%s", out)
	}
	t.Logf("deploy update:\n%s", out)

	// Gas by simulation, and a fee from a gas price.
	var dep struct{ Deposited string }
	if jsonOut(t, e, &dep, "deploy", "deposit", "502", "1000uakt", "--from", "tenant", "--gas", "auto", "--gas-adjustment", "1.3", "--gas-prices", "0.025uakt", "-o", "json"); dep.Deposited != "1000uakt" {
		t.Fatalf("deposit with --gas auto: %+v", dep)
	}
	e.must("deploy", "close", "502", "--from", "tenant")

	// Akash's certificate and provider commands, as provider2 (unused so far).
	p2 := strings.TrimSpace(e.must("keys", "show", "provider2", "-a", "--keyring-backend", "test"))
	out = e.must("tx", "cert", "generate", "client", "--from", "provider2")
	serial := regexpFind(t, `serial (\d+)`, out)
	e.must("tx", "cert", "publish", "client", "--from", "provider2", "--yes")
	certState := func() string {
		var cs struct {
			Certificates []struct{ Serial, State string } `json:"certificates"`
		}
		jsonOut(t, e, &cs, "query", "cert", "certificates", "--owner", p2, "-o", "json")
		for _, c := range cs.Certificates {
			if c.Serial == serial {
				return c.State
			}
		}
		return ""
	}
	waitFor(t, "provider2's certificate on chain", 20*time.Second, func() bool { return certState() == "valid" })
	e.must("tx", "cert", "revoke", "client", "--serial", serial, "--from", "provider2", "--yes")
	waitFor(t, "provider2's certificate revoked", 20*time.Second, func() bool { return certState() == "revoked" })
	akashYAML := write("provider.yaml", "host: https://p2.example.com:8443\nattributes:\n  - key: region\n    value: eu\ninfo:\n  email: ops@example.com\n")
	e.must("tx", "provider", "create", akashYAML, "--from", "provider2", "--yes")
	waitFor(t, "provider2 registered from provider.yaml", 20*time.Second, func() bool {
		out, err := e.run("query", "provider", "provider", p2, "-o", "json")
		return err == nil && strings.Contains(out, "https://p2.example.com:8443") && strings.Contains(out, `"eu"`)
	})
	var og struct {
		Order struct{ State string } `json:"order"`
	}
	if jsonOut(t, e, &og, "query", "market", "order", "get", "--owner", e.keys["tenant"], "--dseq", "502", "-o", "json"); og.Order.State != "closed" && og.Order.State != "matched" {
		t.Fatalf("query market order get --dseq 502: state %q", og.Order.State)
	}
}

func regexpFind(t *testing.T, re, s string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in:\n%s", re, s)
	}
	return m[1]
}
