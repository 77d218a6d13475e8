package overlaylink

import (
	"context"
	"crypto"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/overlay/tunnel"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/runtime"
	"github.com/akash-market/akash/runtime/testimage"
)

func dockerOrSkip(t *testing.T) (*client.Client, string) {
	t.Helper()
	return testimage.Engine(t, "this test runs tunnels between leases on a Docker Engine")
}

func splitSDL(img string) string {
	return fmt.Sprintf(`version: "2.0"
services:
  web:
    image: %[1]s
    args: ["--allow-fetch"]
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
  api:
    image: %[1]s
    args: ["--listen", ":9090", "--udp-echo", ":9091"]
    env: [HELLO_MESSAGE=api-at-provider-b]
    expose:
      - port: 9090
        to: [{service: web}]
      - port: 9091
        proto: udp
        to: [{service: web}]
profiles:
  compute:
    small:
      resources: {cpu: {units: 0.25}, memory: {size: 64Mi}, storage: {size: 128Mi}}
  placement:
    east: {pricing: {small: {denom: uakt, amount: 10}}}
    west: {pricing: {small: {denom: uakt, amount: 10}}}
deployment:
  api: {east: {profile: small, count: 1}}
  web: {west: {profile: small, count: 1}}
`, img)
}

// TestDockerTunnelsBetweenLeases: one deployment, api (group east) at
// provider B and web (group west) at provider A, each run by its own
// runtime.Docker on the real engine. With DockerAttach, A's client end
// listens on the gateway of A's api service network and B's route dials
// api's replica on B's: web, asked through its global expose to fetch
// http://<that gateway>:9090/, gets api's answer through the mutual-TLS
// tunnel; with the runtime's RemoteServiceHosts on, by the name api:9090.
// Another tenant's container on the same host, which can reach that
// gateway address too (Docker filters traffic between bridges, not to the
// host), is refused by the tunnel's source check. Closing removes the
// listener.
func TestDockerTunnelsBetweenLeases(t *testing.T) {
	cli, img := dockerOrSkip(t)
	m, err := manifest.Parse("split.yaml", []byte(splitSDL(img)))
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	suffix := fmt.Sprint(time.Now().UnixNano() % 1e8)
	owner := "akash1tenant" + suffix
	did := market.DeploymentID{Owner: owner, DSeq: 1}
	provA, provB := "akash1dockera"+suffix, "akash1dockerb"+suffix
	leaseB := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: did, GSeq: 1}, OSeq: 1}, Provider: provB}
	leaseA := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: did, GSeq: 2}, OSeq: 1}, Provider: provA}
	w.deployment(owner, 1, m, provB, provA)

	ctx := context.Background()
	endpoints := map[string]string{}
	type side struct {
		rt  *runtime.Docker
		tun *Tunnels
	}
	newSide := func(addr string, lease market.LeaseID) side {
		rt, err := runtime.NewDocker(ctx, runtime.Options{Provider: addr, Client: cli, RemoteServiceHosts: addr == provA})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = rt.Reconcile(context.Background(), nil) })
		if _, err := rt.Deploy(ctx, runtime.LeaseSpec{Lease: leaseRef(lease), Manifest: m}); err != nil {
			t.Fatalf("%s: deploy: %v", addr, err)
		}
		acct := w.account(addr)
		v := tunnelcert.Verifier{Roots: w.roots}
		ep, err := tunnel.Listen("127.0.0.1:0", v, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ep.Close() })
		endpoints[addr] = ep.Addr().String()
		tun := &Tunnels{Self: addr, Chain: w.chain, Endpoint: ep,
			Issuer:       tunnelcert.Issuer{Provider: addr, Root: acct.X509, Key: acct.TLS.PrivateKey.(crypto.Signer)},
			Attach:       DockerAttach{Net: runtime.NewNetworks(cli)},
			PeerEndpoint: func(_ context.Context, p string) (string, error) { return endpoints[p], nil },
			Template:     tunnel.Config{Verifier: v, DialTimeout: 2 * time.Second},
		}
		t.Cleanup(tun.CloseAll)
		return side{rt: rt, tun: tun}
	}
	b := newSide(provB, leaseB)
	a := newSide(provA, leaseA)

	// As the daemon does: open, again until the workloads run.
	start := time.Now()
	for _, x := range []struct {
		s side
		l market.LeaseID
	}{{b, leaseB}, {a, leaseA}} {
		var n int
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			if n, err = x.s.tun.Open(ctx, x.l, m); err == nil || time.Now().After(deadline) {
				break
			}
		}
		if err != nil || n != 2 {
			t.Fatalf("%s: open: %d links, %v; want web->api:9090/tcp and :9091/udp", x.l.Provider, n, err)
		}
	}
	t.Logf("deploy -> both ends open: %s", time.Since(start))
	st := a.tun.Stats()
	if len(st) != 2 || st[0].Role != "client" || st[1].Role != "client" {
		t.Fatalf("A's links: %+v", st)
	}
	tcpStat := func(x *Tunnels) tunnel.Stats { return linkStats(t, x, "web->api:9090/tcp") }
	listen := tcpStat(a.tun).Local

	var web string
	for deadline := time.Now().Add(20 * time.Second); web == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if s, err := a.rt.Status(ctx, leaseRef(leaseA)); err == nil && s.Ready() && len(s.Endpoints()) == 1 {
			web = s.Endpoints()[0].Address()
		}
	}
	if web == "" {
		t.Fatal("web's global expose did not come up")
	}
	fetch := func(web, target string) (int, string) {
		resp, err := http.Get("http://" + web + "/fetch?timeout=2s&url=" + url.QueryEscape(target))
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	var code int
	var body string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if code, body = fetch(web, "http://api:9090/"); code == 200 {
			break
		}
	}
	if code != 200 || !strings.Contains(body, "api-at-provider-b") {
		t.Fatalf("web -> api:9090 through the tunnel (%s): %d %q", listen, code, body)
	}
	t.Logf("deploy -> web reaches api:9090 at provider B through the tunnel: %s", time.Since(start))
	if code, body = fetch(web, "http://"+listen+"/"); code != 200 {
		t.Fatalf("web -> %s (the address api resolves to): %d %q", listen, code, body)
	}
	// UDP: one datagram from web to api:9091 by name, answered through
	// the tunnel's UDP link.
	udp := func(web, addr string) (int, string) {
		resp, err := http.Get("http://" + web + "/udp?timeout=2s&msg=ping&addr=" + url.QueryEscape(addr))
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body = udp(web, "api:9091"); code != 200 || body != "echo: ping" {
		t.Fatalf("web -> api:9091/udp through the tunnel: %d %q", code, body)
	}
	if us := linkStats(t, a.tun, "web->api:9091/udp"); us.Streams != 1 || us.BytesIn != uint64(len("echo: ping")) {
		t.Fatalf("A's UDP link after one datagram: %+v", us)
	}

	// Another tenant's web at provider A: same shape of deployment, no
	// tunnel of its own. It reaches neither A's listener (source refused)
	// nor anything named api.
	rogueLease := market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: "akash1rogue" + suffix, DSeq: 1}, GSeq: 2}, OSeq: 1}, Provider: provA}
	if _, err := a.rt.Deploy(ctx, runtime.LeaseSpec{Lease: leaseRef(rogueLease), Manifest: m}); err != nil {
		t.Fatal(err)
	}
	var rogue string
	for deadline := time.Now().Add(20 * time.Second); rogue == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if s, err := a.rt.Status(ctx, leaseRef(rogueLease)); err == nil && s.Ready() && len(s.Endpoints()) == 1 {
			rogue = s.Endpoints()[0].Address()
		}
	}
	if rogue == "" {
		t.Fatal("the other tenant's web did not come up")
	}
	refusedBefore := tcpStat(a.tun).Refused
	for _, target := range []string{"http://" + listen + "/", "http://api:9090/"} {
		if code, body := fetch(rogue, target); code != http.StatusBadGateway {
			t.Fatalf("another tenant's container -> %s: %d %q, want 502 (nothing reachable)", target, code, body)
		}
	}
	udpListen := linkStats(t, a.tun, "web->api:9091/udp").Local
	for _, target := range []string{udpListen, "api:9091"} {
		if code, body := udp(rogue, target); code != http.StatusBadGateway {
			t.Fatalf("another tenant's container -> udp %s: %d %q, want 502 (no answer)", target, code, body)
		}
	}
	if st := tcpStat(a.tun); st.Refused != refusedBefore+1 || !strings.Contains(st.LastError, "source networks") {
		t.Fatalf("A's tunnel should have refused the other tenant's stream by its source: %+v", st)
	}
	if sb := b.tun.Stats(); len(sb) != 2 || tcpStat(b.tun).Role != "server" || tcpStat(b.tun).Streams < 1 {
		t.Fatalf("B's links: %+v", sb)
	}

	// api's container is replaced (a crash and the reconcile's recreate):
	// new container, new address; B's route asks the runtime again after
	// the first failed dial, and api:9090 answers again.
	apiName := runtime.ContainerName(leaseRef(leaseB), "api", 0)
	apiNet := runtime.ServiceNetwork(leaseRef(leaseB), "api")
	oldIP := containerIP(t, cli, apiName, apiNet)
	if err := cli.ContainerRemove(ctx, apiName, container.RemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	// A stand-in takes the freed address, so the new api gets another one.
	standIn, err := cli.ContainerCreate(ctx, &container.Config{Image: img, Labels: map[string]string{"akash.test": "stand-in"}},
		&container.HostConfig{NetworkMode: container.NetworkMode(apiNet)}, nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer cli.ContainerRemove(context.Background(), standIn.ID, container.RemoveOptions{Force: true})
	if err := cli.ContainerStart(ctx, standIn.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.rt.Reconcile(ctx, []runtime.LeaseSpec{{Lease: leaseRef(leaseB), Manifest: m}}); err != nil {
		t.Fatal(err)
	}
	newIP := containerIP(t, cli, apiName, apiNet)
	if newIP == oldIP {
		t.Fatalf("the replaced api kept its address %s; the test needs a new one", oldIP)
	}
	replaced := time.Now()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if code, body = fetch(web, "http://api:9090/"); code == 200 {
			break
		}
	}
	if code != 200 || !strings.Contains(body, "api-at-provider-b") {
		t.Fatalf("web -> api:9090 after api's container was replaced (%s -> %s): %d %q", oldIP, newIP, code, body)
	}
	t.Logf("api replaced (%s -> %s): web reaches it again after %s; B's route now dials %s", oldIP, newIP,
		time.Since(replaced).Round(time.Millisecond), tcpStat(b.tun).Local)

	// A new manifest version (the tenant's update): both runtimes recreate
	// the lease's networks and containers, Open replaces the deployment's
	// tunnels, and web reaches the new api by the same name.
	m2, err := manifest.Parse("split-v2.yaml", []byte(strings.Replace(splitSDL(img), "api-at-provider-b", "api-v2", 1)))
	if err != nil {
		t.Fatal(err)
	}
	w.deployment(owner, 1, m2, provB, provA)
	updated := time.Now()
	for _, x := range []struct {
		s side
		l market.LeaseID
	}{{b, leaseB}, {a, leaseA}} {
		if _, err := x.s.rt.Deploy(ctx, runtime.LeaseSpec{Lease: leaseRef(x.l), Manifest: m2}); err != nil {
			t.Fatalf("%s: deploy v2: %v", x.l.Provider, err)
		}
		var n int
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			if n, err = x.s.tun.Open(ctx, x.l, m2); err == nil || time.Now().After(deadline) {
				break
			}
		}
		if err != nil || n != 2 {
			t.Fatalf("%s: open v2: %d links, %v", x.l.Provider, n, err)
		}
	}
	web = ""
	for deadline := time.Now().Add(20 * time.Second); web == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if s, err := a.rt.Status(ctx, leaseRef(leaseA)); err == nil && s.Ready() && len(s.Endpoints()) == 1 {
			web = s.Endpoints()[0].Address()
		}
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if code, body = fetch(web, "http://api:9090/"); code == 200 && strings.Contains(body, "api-v2") {
			break
		}
	}
	if code != 200 || !strings.Contains(body, "api-v2") {
		t.Fatalf("web -> api:9090 after the update: %d %q", code, body)
	}
	if code, body = udp(web, "api:9091"); code != 200 || body != "echo: ping" {
		t.Fatalf("web -> api:9091/udp after the update: %d %q", code, body)
	}
	listen = tcpStat(a.tun).Local
	t.Logf("manifest update -> web reaches the new api:9090 through the new tunnel: %s", time.Since(updated).Round(time.Millisecond))

	// The lease closes: nothing listens there any more. (Streams already
	// open, like web's kept-alive HTTP connection, are not cut by
	// tunnel.Close; the lease's teardown removes their containers.)
	if err := a.tun.Close(did); err != nil {
		t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", listen, time.Second); err == nil {
		c.Close()
		t.Fatalf("%s still accepts after close", listen)
	}
}

// containerIP is a container's address on a network.
func containerIP(t *testing.T, cli *client.Client, name, network string) string {
	t.Helper()
	c, err := cli.ContainerInspect(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	if ep, ok := c.NetworkSettings.Networks[network]; ok && ep.IPAddress != "" {
		return ep.IPAddress
	}
	t.Fatalf("container %s has no address on %s", name, network)
	return ""
}

// linkStats is the one link of x whose name ends with suffix.
func linkStats(t *testing.T, x *Tunnels, suffix string) tunnel.Stats {
	t.Helper()
	for _, s := range x.Stats() {
		if strings.HasSuffix(s.Link, suffix) {
			return s
		}
	}
	t.Fatalf("no link %s in %+v", suffix, x.Stats())
	return tunnel.Stats{}
}
