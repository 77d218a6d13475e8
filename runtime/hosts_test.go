package runtime

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
)

// remoteDBPort is db's port in remoteManifest; the test listens on it at the
// gateway of db's service network, standing in for the overlay's tunnel end.
const remoteDBPort = 15432

// remoteManifest: group "dc" holds web (may reach the local api and the
// remote db), api and worker (reaches nothing); group "far" holds db, which
// runs at another provider. web and worker fetch on request.
func remoteManifest(t testing.TB, image string) *manifest.Manifest {
	return mustParse(t, fmt.Sprintf(`version: "2.0"
services:
  web:
    image: %[1]s
    args: ["--allow-fetch"]
    expose:
      - port: 8080
        to: [{global: true}]
  worker:
    image: %[1]s
    args: ["--allow-fetch"]
    expose:
      - port: 8080
        to: [{global: true}]
  api:
    image: %[1]s
    args: ["--listen", ":9090"]
    expose:
      - port: 9090
        to: [{service: web}]
  db:
    image: %[1]s
    args: ["--listen", ":%[2]d"]
    expose:
      - port: %[2]d
        to: [{service: web}]
profiles:
  compute:
    s: {resources: {cpu: {units: 0.1}, memory: {size: 32Mi}, storage: {size: 32Mi}}}
  placement:
    dc: {pricing: {s: {denom: uakt, amount: 1}}}
    far: {pricing: {s: {denom: uakt, amount: 1}}}
deployment:
  web: {dc: {profile: s, count: 1}}
  worker: {dc: {profile: s, count: 1}}
  api: {dc: {profile: s, count: 1}}
  db: {far: {profile: s, count: 1}}
`, image, remoteDBPort))
}

// sameProvider is a second driver for d's provider with RemoteServiceHosts
// set as given: a provider daemon restarted with that option. newDriver's
// cleanup of d removes what it leaves.
func sameProvider(t *testing.T, cli *client.Client, d *Docker, hosts bool) *Docker {
	t.Helper()
	d2, err := NewDocker(context.Background(), Options{Provider: d.Provider(), Client: cli, RemoteServiceHosts: hosts})
	if err != nil {
		t.Fatal(err)
	}
	return d2
}

func networkGateway(t *testing.T, cli *client.Client, name string) string {
	t.Helper()
	n, err := cli.NetworkInspect(context.Background(), name, network.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range n.IPAM.Config {
		if ip := net.ParseIP(c.Gateway); ip != nil && ip.To4() != nil {
			return ip.String()
		}
	}
	t.Fatalf("network %s has no IPv4 gateway: %+v", name, n.IPAM.Config)
	return ""
}

func extraHosts(t *testing.T, cli *client.Client, lease LeaseRef, service string) ([]string, string) {
	t.Helper()
	info, err := cli.ContainerInspect(context.Background(), ContainerName(lease, service, 0))
	if err != nil {
		t.Fatal(err)
	}
	return info.HostConfig.ExtraHosts, info.Config.Labels[LabelHosts]
}

// TestRemoteServiceHosts: with Options.RemoteServiceHosts, web reaches the
// remote db by its name at the listener on the gateway of db's service
// network (where the overlay's tunnel end listens); worker, which may not
// reach db, and the local api get no entry; a second Deploy and a restarted
// driver's Reconcile adopt everything; turning the option off replaces web
// alone, and then web's db no longer resolves.
func TestRemoteServiceHosts(t *testing.T) {
	cli, image := engine(t)
	t.Parallel()
	base := newDriver(t, cli)
	d := sameProvider(t, cli, base, true)
	ctx := context.Background()
	spec := LeaseSpec{Lease: leaseFor(d, 60), Manifest: remoteManifest(t, image), Group: "dc"}

	acts, err := d.Deploy(ctx, spec)
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	if n := acts.Count(ActCreate, ObjContainer); n != 3 {
		t.Fatalf("created %d containers, want 3 (web, worker, api; db runs elsewhere):\n%s", n, actionLines(acts))
	}
	dbNet := ServiceNetwork(spec.Lease, "db")
	gw := networkGateway(t, cli, dbNet)

	// The tunnel end's stand-in: an HTTP server on the gateway at db's port.
	ln, err := net.Listen("tcp", net.JoinHostPort(gw, fmt.Sprint(remoteDBPort)))
	if err != nil {
		t.Fatalf("listen on the gateway of %s: %v (is something else on the host listening on port %d on all addresses?)", dbNet, err, remoteDBPort)
	}
	from := make(chan string, 10)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		from <- r.RemoteAddr
		fmt.Fprintf(w, "tunnel end for db at %s", ln.Addr())
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })

	st, _ := waitReady(t, d, spec.Lease, time.Now())
	webURL := endpoint(t, st, "web", 8080)
	workerURL := endpoint(t, st, "worker", 8080)

	// The engine holds exactly the planned entries: web has db (remote), not
	// api (local: the alias answers); worker and api have none.
	hosts, label := extraHosts(t, cli, spec.Lease, "web")
	if want := []string{"db:" + gw}; !slices.Equal(hosts, want) || label != "db:"+gw {
		t.Fatalf("web's extra hosts %v (label %q), want %v", hosts, label, want)
	}
	for _, svc := range []string{"worker", "api"} {
		if hosts, label := extraHosts(t, cli, spec.Lease, svc); len(hosts) != 0 || label != "" {
			t.Errorf("%s must get no hosts entry: %v (label %q)", svc, hosts, label)
		}
	}

	// web -> db:port lands on the gateway listener, from web's address on
	// db's service network (the Go resolver of the FROM scratch image reads
	// the hosts file the engine writes).
	code, body := get(t, webURL+fmt.Sprintf("/fetch?url=http://db:%d/", remoteDBPort))
	if code != 200 || !strings.Contains(body, "tunnel end for db at "+gw) {
		t.Fatalf("web -> db: %d %q, want the gateway listener's answer", code, body)
	}
	web, err := cli.ContainerInspect(ctx, ContainerName(spec.Lease, "web", 0))
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := net.SplitHostPort(<-from); got != web.NetworkSettings.Networks[dbNet].IPAddress {
		t.Errorf("request came from %s, want web's address on %s (%s)", got, dbNet, web.NetworkSettings.Networks[dbNet].IPAddress)
	}
	// The local service still answers by its alias (once its server
	// listens: a running container may not yet; it failed a CI run).
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		code, body := get(t, webURL+"/fetch?url=http://api:9090/")
		if code == 200 && strings.HasPrefix(body, "200 hello from api-0") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("web -> api: %d %q", code, body)
		}
	}
	// worker may not reach db: the name does not resolve there.
	code, body = get(t, workerURL+fmt.Sprintf("/fetch?timeout=3s&url=http://db:%d/", remoteDBPort))
	if code != 502 || !strings.Contains(body, "lookup db") {
		t.Fatalf("worker -> db must fail to resolve: %d %q", code, body)
	}
	// Not the runtime's to prevent, but the overlay's to know: the gateway is
	// a host address, so a container with any route to the host may dial it
	// by address. Logged, not asserted.
	if code, body, err := fetch(workerURL + fmt.Sprintf("/fetch?timeout=2s&url=http://%s:%d/", gw, remoteDBPort)); err == nil && code == 200 {
		t.Logf("worker (not allowed to reach db) reached the gateway listener by address: %d %q", code, body)
	} else {
		t.Logf("worker could not reach the gateway listener by address: %d %q %v", code, body, err)
	}

	// Another provider's lease with the option off (the default): no entry,
	// db does not resolve for its web.
	other := newDriver(t, cli)
	specB := LeaseSpec{Lease: leaseFor(other, 61), Manifest: spec.Manifest, Group: "dc"}
	if _, err := other.Deploy(ctx, specB); err != nil {
		t.Fatal(err)
	}
	stB, _ := waitReady(t, other, specB.Lease, time.Now())
	webB := endpoint(t, stB, "web", 8080)
	if hosts, label := extraHosts(t, cli, specB.Lease, "web"); len(hosts) != 0 || label != "" {
		t.Fatalf("option off: web has hosts %v label %q", hosts, label)
	}
	code, body = get(t, webB+fmt.Sprintf("/fetch?timeout=3s&url=http://db:%d/", remoteDBPort))
	if code != 502 || !strings.Contains(body, "lookup db") {
		t.Fatalf("option off: web -> db must fail to resolve: %d %q", code, body)
	}
	if code, body, err := fetch(webB + fmt.Sprintf("/fetch?timeout=2s&url=http://%s:%d/", gw, remoteDBPort)); err == nil && code == 200 {
		t.Logf("another lease's web reached this lease's gateway listener by address: %d %q", code, body)
	} else {
		t.Logf("another lease's web could not reach this lease's gateway listener by address: %d %q %v", code, body, err)
	}

	// Idempotent: a second Deploy, and a restarted driver's Reconcile, adopt
	// everything (the gateways are unchanged, so the labels match).
	acts, err = d.Deploy(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if acts.Count(ActAdopt, ObjContainer) != 3 || len(acts) != acts.Count(ActAdopt, "") {
		t.Fatalf("second deploy must only adopt:\n%s", actionLines(acts))
	}
	acts, err = sameProvider(t, cli, d, true).Reconcile(ctx, []LeaseSpec{spec})
	if err != nil {
		t.Fatal(err)
	}
	if acts.Count(ActAdopt, ObjContainer) != 3 || len(acts) != acts.Count(ActAdopt, "") {
		t.Fatalf("reconcile after restart must only adopt:\n%s", actionLines(acts))
	}

	// The option off (the daemon restarted without it): web, which carries
	// an entry, is replaced; the others are adopted. Then db does not
	// resolve for web either.
	acts, err = sameProvider(t, cli, d, false).Reconcile(ctx, []LeaseSpec{spec})
	if err != nil {
		t.Fatal(err)
	}
	if acts.Count(ActReplace, ObjContainer) != 1 || acts.Count(ActAdopt, ObjContainer) != 2 || acts.Count(ActCreate, "")+acts.Count(ActRemove, "") != 0 {
		t.Fatalf("option off: want web replaced, worker and api adopted:\n%s", actionLines(acts))
	}
	for _, a := range acts {
		if a.Kind == ActReplace && a.Name != ContainerName(spec.Lease, "web", 0) {
			t.Errorf("replaced %s, want only web: %v", a.Name, a)
		}
	}
	if hosts, label := extraHosts(t, cli, spec.Lease, "web"); len(hosts) != 0 || label != "" {
		t.Fatalf("web after the option went off: hosts %v label %q", hosts, label)
	}
	st, _ = waitReady(t, d, spec.Lease, time.Now())
	webURL = endpoint(t, st, "web", 8080) // a new container: a new host port
	code, body = get(t, webURL+fmt.Sprintf("/fetch?timeout=3s&url=http://db:%d/", remoteDBPort))
	if code != 502 || !strings.Contains(body, "lookup db") {
		t.Fatalf("web -> db without the option must fail to resolve: %d %q", code, body)
	}
	// ...while the gateway listener still answers web by address: only the
	// name was missing.
	code, body = get(t, webURL+fmt.Sprintf("/fetch?url=http://%s:%d/", gw, remoteDBPort))
	if code != 200 || !strings.Contains(body, "tunnel end for db") {
		t.Fatalf("web -> gateway by address: %d %q", code, body)
	}
}
