package runtime

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akash-market/akash/runtime/testimage"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/client"
)

// These tests run on the real Docker Engine (DOCKER_HOST or the default
// socket). They skip only when no engine answers. Each test uses its own
// provider address, so Reconcile in one test never sees another's leases
// (nor those of other programs sharing the engine).

// engine returns a client and the hello image, or skips the test (fails
// under CI=true).
func engine(t testing.TB) (*client.Client, string) {
	t.Helper()
	return testimage.Engine(t, "these tests need a Docker Engine")
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newDriver makes a driver for a fresh provider address and tears down every
// lease of that provider when the test ends.
func newDriver(t testing.TB, cli *client.Client) *Docker {
	t.Helper()
	d, err := NewDocker(context.Background(), Options{Provider: "akash1rtprov" + randHex(4), Client: cli})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Generous: the engine is shared and slow under load, and a cleanup
		// cut short leaves containers behind for the next run.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if _, err := d.Reconcile(ctx, nil); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return d
}

func leaseFor(d *Docker, dseq uint64) LeaseRef {
	return LeaseRef{Owner: "akash1rttenant", DSeq: dseq, GSeq: 1, OSeq: 1, Provider: d.Provider()}
}

// helloManifest: web (global :8080, may reach api) and api (two replicas,
// other command line and env, reachable from web and published too so the
// test can ask it to fetch), with a persistent, a scratch and a RAM volume.
func helloManifest(t testing.TB, image, webMessage string) LeaseSpec {
	src := fmt.Sprintf(`version: "2.0"
services:
  web:
    image: %[1]s
    args: ["--allow-fetch"]
    env: [HELLO_MESSAGE=%[2]s]
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
  api:
    image: %[1]s
    command: ["/akash-hello"]
    args: ["--listen", ":9090", "--message-env", "API_GREETING", "--allow-fetch"]
    env: [API_GREETING=from-api]
    expose:
      - port: 9090
        to: [{service: web}, {global: true}]
    params:
      storage:
        data: {mount: /data}
        cache: {mount: /cache}
        shm: {mount: /scratch}
profiles:
  compute:
    web:
      resources: {cpu: {units: 0.25}, memory: {size: 64Mi}, storage: {size: 128Mi}}
    api:
      resources:
        cpu: {units: 0.5}
        memory: {size: 96Mi}
        storage:
          - size: 128Mi
          - {name: data, size: 64Mi, attributes: {persistent: true, class: beta2}}
          - {name: cache, size: 32Mi}
          - {name: shm, size: 16Mi, attributes: {class: ram}}
  placement:
    dc:
      pricing:
        web: {denom: uakt, amount: 10}
        api: {denom: uakt, amount: 10}
deployment:
  web: {dc: {profile: web, count: 1}}
  api: {dc: {profile: api, count: 2}}
`, image, webMessage)
	return LeaseSpec{Manifest: mustParse(t, src)}
}

// waitReady polls Status until every service is running and returns the
// time it took from start.
func waitReady(t *testing.T, d *Docker, lease LeaseRef, start time.Time) (Status, time.Duration) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := d.Status(context.Background(), lease)
		if err == nil && st.Ready() {
			return st, time.Since(start)
		}
		if time.Now().After(deadline) {
			t.Fatalf("lease %s not ready after 20s: %+v (err %v)", lease, st, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// get fetches url, retrying while the server inside the container starts.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	code, body, err := fetch(url)
	if err != nil {
		t.Fatal(err)
	}
	return code, body
}

// fetch is get for goroutines (no t.Fatal).
func fetch(url string) (int, string, error) {
	c := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := c.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp.StatusCode, string(body), nil
		}
		if time.Now().After(deadline) {
			return 0, "", fmt.Errorf("GET %s: %w", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func endpoint(t *testing.T, st Status, service string, port uint32) string {
	t.Helper()
	for _, e := range st.Endpoints() {
		if e.Service == service && e.Port == port {
			return "http://" + e.Address()
		}
	}
	t.Fatalf("no endpoint for %s:%d in %v", service, port, st.Endpoints())
	return ""
}

// leftovers counts the engine's objects labelled with the lease.
func leftovers(t *testing.T, cli *client.Client, lease LeaseRef) (containers, networks, volumes int) {
	t.Helper()
	ctx := context.Background()
	f := leaseFilter(lease)
	cs, err := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := cli.NetworkList(ctx, network.ListOptions{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := cli.VolumeList(ctx, volume.ListOptions{Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	return len(cs), len(ns), len(vs.Volumes)
}

func TestDeployServesLogsStatusAndTearsDown(t *testing.T) {
	cli, image := engine(t)
	t.Parallel()
	d := newDriver(t, cli)
	ctx := context.Background()
	spec := helloManifest(t, image, "from-web")
	spec.Lease = leaseFor(d, 1)

	start := time.Now()
	acts, err := d.Deploy(ctx, spec)
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	deployed := time.Since(start)
	st, ready := waitReady(t, d, spec.Lease, start)
	t.Logf("lease -> all 3 containers running: %v (Deploy returned after %v)", ready, deployed)
	// The goal is <= 5 s (BenchmarkDeployToRunning measures it alone: ~1.9 s);
	// here other tests deploy at the same time on a shared machine, so only a
	// time far beyond the goal fails.
	if ready > 15*time.Second {
		t.Errorf("lease -> all containers running took %v; goal is <= 5s", ready)
	}
	if n := acts.Count(ActCreate, ObjContainer); n != 3 {
		t.Errorf("created %d containers, want 3: %v", n, acts)
	}

	// Status: replicas per service, endpoints on host ports.
	if len(st.Services) != 2 || st.Services[0].Name != "api" || st.Services[0].Wanted != 2 || st.Services[0].Ready != 2 ||
		st.Services[1].Name != "web" || st.Services[1].Ready != 1 || st.Services[1].Restarts != 0 {
		t.Fatalf("status %+v", st)
	}
	if len(st.Services[0].Endpoints) != 2 || len(st.Services[1].Endpoints) != 1 {
		t.Fatalf("endpoints %v: want one per api replica and one for web", st.Endpoints())
	}

	// The global expose answers; the env and hostname reach the workload.
	webURL := endpoint(t, st, "web", 8080)
	code, body := get(t, webURL+"/")
	if code != 200 || body != "hello from web-0: from-web\n" {
		t.Fatalf("GET web /: %d %q", code, body)
	}

	// Topology: web may reach api by name (both replicas answer behind the
	// alias); api may not reach web: the name does not even resolve.
	code, body = get(t, webURL+"/fetch?url=http://api:9090/")
	if code != 200 || !strings.HasPrefix(body, "200 hello from api-") || !strings.Contains(body, "from-api") {
		t.Fatalf("web -> api: %d %q", code, body)
	}
	apiURL := endpoint(t, st, "api", 9090)
	code, body = get(t, apiURL+"/fetch?url=http://web:8080/")
	if code != 502 {
		t.Fatalf("api -> web must fail (topology allows only web -> api): %d %q", code, body)
	}

	// Logs show the request, prefixed with service and replica. The
	// engine's log driver writes asynchronously: the line may land a moment
	// after the answer did (it failed 1 of 3 runs without waiting).
	var logs []byte
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		rc, err := d.Logs(ctx, spec.Lease, LogOptions{Service: "web"})
		if err != nil {
			t.Fatal(err)
		}
		logs, _ = io.ReadAll(rc)
		rc.Close()
		if strings.Contains(string(logs), "web-0 | request GET / from ") || time.Now().After(deadline) {
			break
		}
	}
	if !strings.Contains(string(logs), "web-0 | request GET / from ") || strings.Contains(string(logs), "api-") {
		t.Fatalf("web logs lack the request or show api lines:\n%s", logs)
	}

	// Follow: a new request shows up while streaming.
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	rc, err := d.Logs(fctx, spec.Lease, LogOptions{Follow: true, Tail: 1})
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(rc)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	get(t, webURL+"/healthz")
	for found := false; !found; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("follow stream ended before the request appeared")
			}
			found = strings.HasPrefix(l, "web-0 | request GET /healthz")
		case <-fctx.Done():
			t.Fatal("the request never appeared in the followed logs")
		}
	}
	rc.Close()

	// Limits and labels as the engine reports them.
	info, err := cli.ContainerInspect(ctx, ContainerName(spec.Lease, "api", 1))
	if err != nil {
		t.Fatal(err)
	}
	if info.HostConfig.NanoCPUs != 500_000_000 || info.HostConfig.Memory != 96<<20 || info.HostConfig.MemorySwap != 96<<20 {
		t.Errorf("api limits: nanocpus %d memory %d swap %d", info.HostConfig.NanoCPUs, info.HostConfig.Memory, info.HostConfig.MemorySwap)
	}
	if info.HostConfig.PidsLimit == nil || *info.HostConfig.PidsLimit != 1024 {
		t.Errorf("pids limit %v", info.HostConfig.PidsLimit)
	}
	var tmpfs bool
	for _, m := range info.HostConfig.Mounts {
		tmpfs = tmpfs || (m.Target == "/scratch" && m.TmpfsOptions != nil && m.TmpfsOptions.SizeBytes == 16<<20)
	}
	if !tmpfs {
		t.Errorf("no 16Mi tmpfs at /scratch: %+v", info.HostConfig.Mounts)
	}
	c, n, v := leftovers(t, cli, spec.Lease)
	if c != 3 || n != 2 || v != 4 {
		t.Errorf("objects: %d containers, %d networks, %d volumes; want 3, 2 (edge, svc-api), 4 (data and cache per api replica)", c, n, v)
	}
	checkLabels(t, cli, spec)

	// A second Deploy adopts everything and creates nothing.
	acts, err = d.Deploy(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if acts.Count(ActAdopt, ObjContainer) != 3 || acts.Count(ActCreate, "") != 0 || acts.Count(ActRemove, "") != 0 {
		t.Fatalf("second deploy must only adopt: %v", acts)
	}

	// Teardown leaves nothing labelled with the lease; a second one is a no-op.
	if _, err := d.Teardown(ctx, spec.Lease); err != nil {
		t.Fatal(err)
	}
	if c, n, v := leftovers(t, cli, spec.Lease); c+n+v != 0 {
		t.Fatalf("after teardown: %d containers, %d networks, %d volumes remain", c, n, v)
	}
	if acts, err := d.Teardown(ctx, spec.Lease); err != nil || len(acts) != 0 {
		t.Fatalf("second teardown: %v %v", acts, err)
	}
	if _, err := d.Status(ctx, spec.Lease); !errors.Is(err, ErrNoLease) {
		t.Fatalf("status after teardown: %v, want ErrNoLease", err)
	}
}

// checkLabels asserts the four lease labels on every container, network and volume.
func checkLabels(t *testing.T, cli *client.Client, spec LeaseSpec) {
	t.Helper()
	ctx := context.Background()
	f := leaseFilter(spec.Lease)
	version := VersionHex(spec.Manifest)
	check := func(kind, name string, l map[string]string) {
		for _, k := range []string{LabelLease, LabelService, LabelReplica, LabelVersion} {
			if _, ok := l[k]; !ok {
				t.Errorf("%s %s lacks label %s: %v", kind, name, k, l)
			}
		}
		if l[LabelVersion] != version {
			t.Errorf("%s %s version %q, want %q", kind, name, l[LabelVersion], version)
		}
	}
	cs, _ := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	for _, c := range cs {
		check("container", containerName(c), c.Labels)
	}
	ns, _ := cli.NetworkList(ctx, network.ListOptions{Filters: f})
	for _, n := range ns {
		check("network", n.Name, n.Labels)
	}
	vs, _ := cli.VolumeList(ctx, volume.ListOptions{Filters: f})
	for _, v := range vs.Volumes {
		check("volume", v.Name, v.Labels)
	}
}

func TestReconcileAdoptsRestartsAndRemovesOrphans(t *testing.T) {
	cli, image := engine(t)
	t.Parallel()
	d := newDriver(t, cli)
	other := newDriver(t, cli) // another provider on the same engine
	ctx := context.Background()

	keep := helloManifest(t, image, "keep")
	keep.Lease = leaseFor(d, 10)
	orphan := helloManifest(t, image, "orphan")
	orphan.Lease = leaseFor(d, 11)
	foreign := helloManifest(t, image, "foreign")
	foreign.Lease = leaseFor(other, 12)
	for _, s := range []struct {
		d    *Docker
		spec LeaseSpec
	}{{d, keep}, {d, orphan}, {other, foreign}} {
		if _, err := s.d.Deploy(ctx, s.spec); err != nil {
			t.Fatal(err)
		}
	}
	waitReady(t, d, keep.Lease, time.Now())

	// Break the kept lease: kill one replica (the engine does not restart a
	// container killed through its API) and remove another outright.
	killed := ContainerName(keep.Lease, "api", 0)
	if err := cli.ContainerKill(ctx, killed, "SIGKILL"); err != nil {
		t.Fatal(err)
	}
	gone := ContainerName(keep.Lease, "web", 0)
	if err := cli.ContainerRemove(ctx, gone, container.RemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	waitState(t, cli, killed, "exited")
	st, err := d.Status(ctx, keep.Lease)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Services) != 2 || st.Services[0].State != StateDegraded || st.Services[0].Ready != 1 || st.Services[0].Wanted != 2 ||
		st.Services[1].State != StateDown || st.Services[1].Wanted != 1 || len(st.Services[1].Replicas) != 0 {
		t.Fatalf("broken lease status: want api degraded 1/2 and web down 0/1 (no container): %+v", st)
	}

	acts, err := d.Reconcile(ctx, []LeaseSpec{keep})
	if err != nil {
		t.Fatalf("reconcile: %v\n%v", err, acts)
	}
	t.Logf("reconcile actions:\n%s", actionLines(acts))
	wantCounts := []struct {
		kind ActionKind
		obj  string
		n    int
	}{
		{ActAdopt, ObjContainer, 1},  // api-1 ran all along
		{ActStart, ObjContainer, 1},  // api-0 was killed
		{ActCreate, ObjContainer, 1}, // web-0 was removed
		{ActRemove, ObjContainer, 3}, // the orphan lease's containers
		{ActRemove, ObjNetwork, 2},
		{ActRemove, ObjVolume, 4},
	}
	for _, w := range wantCounts {
		if got := acts.Count(w.kind, w.obj); got != w.n {
			t.Errorf("%s %s: %d actions, want %d", w.kind, w.obj, got, w.n)
		}
	}
	for _, a := range acts {
		if a.Kind == ActRemove && a.Lease != orphan.Lease.String() {
			t.Errorf("removed an object of lease %s, which is wanted or foreign: %v", a.Lease, a)
		}
	}
	st, _ = waitReady(t, d, keep.Lease, time.Now())
	code, body := get(t, endpoint(t, st, "web", 8080)+"/")
	if code != 200 || !strings.Contains(body, "keep") {
		t.Fatalf("recreated web: %d %q", code, body)
	}
	if c, n, v := leftovers(t, cli, orphan.Lease); c+n+v != 0 {
		t.Fatalf("orphan lease left %d containers, %d networks, %d volumes", c, n, v)
	}
	if c, _, _ := leftovers(t, cli, foreign.Lease); c != 3 {
		t.Fatalf("another provider's lease lost containers: %d left of 3", c)
	}

	// Reconciling again changes nothing.
	acts, err = d.Reconcile(ctx, []LeaseSpec{keep})
	if err != nil {
		t.Fatal(err)
	}
	if acts.Count(ActAdopt, ObjContainer) != 3 || len(acts) != acts.Count(ActAdopt, "") {
		t.Fatalf("second reconcile must only adopt:\n%s", actionLines(acts))
	}
}

func TestUpdateReplacesContainersAndKeepsPersistentVolumes(t *testing.T) {
	cli, image := engine(t)
	t.Parallel()
	d := newDriver(t, cli)
	ctx := context.Background()
	v1 := helloManifest(t, image, "v1")
	v1.Lease = leaseFor(d, 20)
	if _, err := d.Deploy(ctx, v1); err != nil {
		t.Fatal(err)
	}
	data := volumeName(v1.Lease, "api", 0, "data")
	before, err := cli.VolumeInspect(ctx, data)
	if err != nil {
		t.Fatal(err)
	}

	v2 := helloManifest(t, image, "v2")
	v2.Lease = v1.Lease
	acts, err := d.Deploy(ctx, v2)
	if err != nil {
		t.Fatal(err)
	}
	if acts.Count(ActReplace, ObjContainer) != 3 || acts.Count(ActAdopt, ObjVolume) != 2 || acts.Count(ActRemove, ObjVolume) != 2 || acts.Count(ActCreate, ObjVolume) != 2 ||
		acts.Count(ActRemove, ObjNetwork) != 2 || acts.Count(ActCreate, ObjNetwork) != 2 {
		t.Fatalf("update: want 3 containers replaced, 2 persistent volumes adopted, 2 scratch volumes and 2 networks renewed:\n%s", actionLines(acts))
	}
	after, err := cli.VolumeInspect(ctx, data)
	if err != nil || after.CreatedAt != before.CreatedAt {
		t.Fatalf("persistent volume %s was recreated (%v -> %v, %v)", data, before.CreatedAt, after.CreatedAt, err)
	}
	st, _ := waitReady(t, d, v2.Lease, time.Now())
	if code, body := get(t, endpoint(t, st, "web", 8080)+"/"); code != 200 || !strings.Contains(body, ": v2") {
		t.Fatalf("after update: %d %q", code, body)
	}
	for _, svc := range st.Services {
		for _, r := range svc.Replicas {
			if r.Version != VersionHex(v2.Manifest) {
				t.Errorf("%s runs version %s", r.Container, r.Version)
			}
		}
	}
}

func TestMissingImageIsAClearErrorAndCreatesNothing(t *testing.T) {
	cli, _ := engine(t)
	t.Parallel()
	d := newDriver(t, cli)
	missing := "akash-test/absent:" + randHex(4)
	spec := helloManifest(t, missing, "x")
	spec.Lease = leaseFor(d, 30)
	_, err := d.Deploy(context.Background(), spec)
	if !errors.Is(err, ErrImageNotPresent) {
		t.Fatalf("error %v, want ErrImageNotPresent", err)
	}
	for _, want := range []string{missing, "service api, web", "docker load -i", "docker build -t " + missing} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q should mention %q", err, want)
		}
	}
	if c, n, v := leftovers(t, cli, spec.Lease); c+n+v != 0 {
		t.Fatalf("a failed deploy left %d containers, %d networks, %d volumes", c, n, v)
	}
}

func TestLeasesAreIsolatedFromEachOther(t *testing.T) {
	cli, image := engine(t)
	t.Parallel()
	d := newDriver(t, cli)
	ctx := context.Background()
	a := helloManifest(t, image, "a")
	a.Lease = leaseFor(d, 40)
	b := helloManifest(t, image, "b")
	b.Lease = leaseFor(d, 41)
	for _, s := range []LeaseSpec{a, b} {
		if _, err := d.Deploy(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	stA, _ := waitReady(t, d, a.Lease, time.Now())
	waitReady(t, d, b.Lease, time.Now())
	webA := endpoint(t, stA, "web", 8080)

	// From a's web: b's api by its address on b's service network and on
	// b's edge network, and a's own api replica on the edge (icc off).
	addr := func(l LeaseRef, svc string, net string) string { return ipOn(t, cli, l, svc, net) }
	targets := []struct{ what, ip string }{
		{"lease b's api on b's service network", addr(b.Lease, "api", ServiceNetwork(b.Lease, "api"))},
		{"lease b's api on b's edge network", addr(b.Lease, "api", EdgeNetwork(b.Lease))},
		{"lease a's own api on the edge network (icc off)", addr(a.Lease, "api", EdgeNetwork(a.Lease))},
	}
	subnets := func(l LeaseRef) []string {
		ns, _ := cli.NetworkList(ctx, network.ListOptions{Filters: leaseFilter(l)})
		var out []string
		for _, n := range ns {
			for _, c := range n.IPAM.Config {
				out = append(out, n.Name+"="+c.Subnet)
			}
		}
		return out
	}
	t.Logf("subnets a %v b %v", subnets(a.Lease), subnets(b.Lease))
	// Docker 20.10's own rules lapse whenever any network is created (other
	// tests create networks concurrently); the driver's rules do not, so a
	// single reach is a failure (TestIsolationHoldsWhileNetworksChurn
	// hammers exactly this).
	reaches := func(ip string) (bool, string) {
		code, body, err := fetch(webA + "/fetch?timeout=1500ms&url=http://" + ip + ":9090/")
		return err == nil && code != 502, fmt.Sprintf("%d %q %v", code, body, err)
	}
	var wg sync.WaitGroup
	for _, target := range targets {
		if target.ip == "" {
			t.Fatalf("%s: no address", target.what)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, got := reaches(target.ip); ok {
				t.Errorf("a's web reached %s (%s): %s", target.what, target.ip, got)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		if out, err := exec.Command("sh", "-c", "iptables -t mangle -S; iptables -S FORWARD; iptables -S DOCKER-ISOLATION-STAGE-1; iptables -S DOCKER-ISOLATION-STAGE-2").CombinedOutput(); err == nil {
			t.Logf("host firewall now:\n%s", out)
		}
	}
	// ...while the allowed path through a's service network works.
	if code, body := get(t, webA+"/fetch?url=http://api:9090/"); code != 200 || !strings.Contains(body, "from-api") {
		t.Fatalf("a's web -> a's api: %d %q", code, body)
	}
}

func waitState(t *testing.T, cli *client.Client, name, state string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := cli.ContainerInspect(context.Background(), name)
		if err == nil && info.State != nil && info.State.Status == state {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("container %s never reached state %s", name, state)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func actionLines(acts Actions) string {
	var b strings.Builder
	for _, a := range acts {
		b.WriteString("  " + a.String() + "\n")
	}
	return b.String()
}

func TestCrashingServiceReportsRestartsAndDown(t *testing.T) {
	cli, image := engine(t)
	t.Parallel()
	d := newDriver(t, cli)
	ctx := context.Background()
	// akash-hello cannot listen on a malformed address and exits 1 at once;
	// the engine restarts it (policy always) with growing back-off.
	m := mustParse(t, fmt.Sprintf(`version: "2.0"
services:
  crash:
    image: %s
    args: ["--listen", "not-an-address"]
    expose:
      - port: 8080
        to: [{global: true}]
profiles:
  compute:
    c: {resources: {cpu: {units: 0.1}, memory: {size: 16Mi}, storage: {size: 16Mi}}}
  placement:
    dc: {pricing: {c: {denom: uakt, amount: 1}}}
deployment:
  crash: {dc: {profile: c, count: 1}}
`, image))
	spec := LeaseSpec{Lease: leaseFor(d, 50), Manifest: m}
	if _, err := d.Deploy(ctx, spec); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		st, err := d.Status(ctx, spec.Lease)
		if err != nil {
			t.Fatal(err)
		}
		svc := st.Services[0]
		if svc.Restarts >= 2 {
			if st.Ready() || svc.Ready != 0 || svc.State == StateRunning {
				t.Fatalf("a crash-looping service must not be ready: %+v", svc)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no restarts seen after 15s: %+v", svc)
		}
		time.Sleep(100 * time.Millisecond)
	}
	rc, err := d.Logs(ctx, spec.Lease, LogOptions{Tail: 5})
	if err != nil {
		t.Fatal(err)
	}
	logs, _ := io.ReadAll(rc)
	rc.Close()
	if !strings.Contains(string(logs), "crash-0 | akash-hello: listen on not-an-address") {
		t.Fatalf("logs should carry the workload's stderr:\n%s", logs)
	}
}

// BenchmarkDeployToRunning measures a lease of three containers from Deploy
// to Status reporting all of them ready (the goal: <= 5 s), and the
// teardown after it.
func BenchmarkDeployToRunning(b *testing.B) {
	cli, image := engine(b)
	d := newDriver(b, cli)
	ctx := context.Background()
	spec := helloManifest(b, image, "bench")
	var dseq uint64 = 1000
	var teardown time.Duration
	for b.Loop() {
		dseq++
		spec.Lease = leaseFor(d, dseq)
		if _, err := d.Deploy(ctx, spec); err != nil {
			b.Fatal(err)
		}
		for {
			st, err := d.Status(ctx, spec.Lease)
			if err == nil && st.Ready() {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		b.StopTimer()
		t0 := time.Now()
		if _, err := d.Teardown(ctx, spec.Lease); err != nil {
			b.Fatal(err)
		}
		teardown += time.Since(t0)
		b.StartTimer()
	}
	b.ReportMetric(float64(teardown.Milliseconds())/float64(b.N), "teardown-ms/op")
}
