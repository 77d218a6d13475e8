package runtime

import (
	"reflect"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/docker/docker/api/types/mount"
)

// twoTier is web (global) -> api (to web) -> nothing, plus a lone worker,
// all in one placement; and db in a second placement reachable from api.
const twoTier = `version: "2.0"
services:
  web:
    image: hello:web
    env: [HELLO_MESSAGE=web]
    expose:
      - port: 8080
        as: 80
        to: [{global: true}]
      - port: 9000
        proto: udp
        to: [{global: true}]
  api:
    image: hello:api
    command: ["/akash-hello"]
    args: ["--listen", ":9090"]
    expose:
      - port: 9090
        to: [{service: web}]
    params:
      storage:
        data: {mount: /data}
        cache: {mount: /cache, readOnly: true}
        shm: {mount: /scratch}
  worker:
    image: hello:web
    expose:
      - port: 7000
  db:
    image: hello:db
    expose:
      - port: 5432
        to: [{service: api}]
profiles:
  compute:
    small:
      resources: {cpu: {units: 0.25}, memory: {size: 64Mi}, storage: {size: 128Mi}}
    tiny:
      resources: {cpu: {units: 10m}, memory: {size: 1Mi}, storage: {size: 5Mi}}
    withdisk:
      resources:
        cpu: {units: 1}
        memory: {size: 128Mi}
        storage:
          - size: 256Mi
          - name: data
            size: 1Gi
            attributes: {persistent: true, class: beta2}
          - name: cache
            size: 64Mi
          - name: shm
            size: 16Mi
            attributes: {class: ram}
  placement:
    dc:
      pricing:
        small: {denom: uakt, amount: 10}
        tiny: {denom: uakt, amount: 1}
        withdisk: {denom: uakt, amount: 20}
    far:
      pricing:
        small: {denom: uakt, amount: 10}
deployment:
  web: {dc: {profile: small, count: 1}}
  api: {dc: {profile: withdisk, count: 2}}
  worker: {dc: {profile: tiny, count: 1}}
  db: {far: {profile: small, count: 1}}
`

var testLease = LeaseRef{Owner: "akash1tenant", DSeq: 42, GSeq: 1, OSeq: 1, Provider: "akash1prov"}

func mustParse(t testing.TB, src string) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	return m
}

func TestPlanLease(t *testing.T) {
	m := mustParse(t, twoTier)
	opt := planOptions{HostIP: "10.0.0.1", PublicHost: "p.example", PidsLimit: 512, LogMaxSize: "10m", LogMaxFiles: 3}
	p, err := planLease(LeaseSpec{Lease: testLease, Manifest: m, Group: "dc"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	prefix := testLease.namePrefix()
	version := VersionHex(m)

	// Networks: the edge, and a service network for every service a local
	// service may reach or that is local and reachable: api (from web) and
	// db (from api; db itself runs elsewhere, the overlay completes it).
	var nets []string
	for _, n := range p.Networks {
		nets = append(nets, n.Name+"/"+n.Role)
		if n.Labels[LabelLease] != testLease.String() || n.Labels[LabelVersion] != version {
			t.Errorf("network %s labels %v", n.Name, n.Labels)
		}
	}
	wantNets := []string{prefix + "-edge/edge-network", prefix + "-svc-api/service-network", prefix + "-svc-db/service-network"}
	if !reflect.DeepEqual(nets, wantNets) {
		t.Errorf("networks %v, want %v", nets, wantNets)
	}
	if got := p.Networks[0].Labels[LabelServices]; got != "api=2,web=1,worker=1" {
		t.Errorf("edge network records wanted services %q, want api=2,web=1,worker=1", got)
	}
	if !p.Networks[0].NoICC || p.Networks[0].Internal || !p.Networks[1].Internal || p.Networks[1].NoICC {
		t.Errorf("edge must be icc-off and routed, service networks internal: %+v", p.Networks)
	}

	var names []string
	for _, c := range p.Containers {
		names = append(names, c.Name)
	}
	wantNames := []string{prefix + "-api-0", prefix + "-api-1", prefix + "-web-0", prefix + "-worker-0"}
	if !reflect.DeepEqual(names, wantNames) {
		t.Fatalf("containers %v, want %v", names, wantNames)
	}
	if !reflect.DeepEqual(p.Images, []imageUse{{"hello:api", []string{"api"}}, {"hello:web", []string{"web", "worker"}}}) {
		t.Errorf("images %+v", p.Images)
	}

	attach := func(c containerPlan) []string {
		var out []string
		for _, a := range c.Attach {
			out = append(out, a.Network+"="+strings.Join(a.Aliases, ","))
		}
		return out
	}
	cases := []struct {
		name       string
		c          containerPlan
		attach     []string
		nanoCPUs   int64
		memory     int64
		entrypoint []string
		cmd        []string
		ports      []string
	}{
		{"api answers as api on its network and reaches db", p.Containers[1],
			[]string{prefix + "-svc-api=api", prefix + "-svc-db="}, 1_000_000_000, 128 << 20,
			[]string{"/akash-hello"}, []string{"--listen", ":9090"}, nil},
		{"web reaches api and publishes both global ports", p.Containers[2],
			[]string{prefix + "-svc-api="}, 250_000_000, 64 << 20, nil, nil, []string{"8080/tcp", "9000/udp"}},
		{"worker shares no network; 1Mi memory rounds up to the engine's 6Mi", p.Containers[3],
			nil, 10_000_000, minMemoryBytes, nil, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			if got := attach(c); !reflect.DeepEqual(got, tc.attach) {
				t.Errorf("attach %v, want %v", got, tc.attach)
			}
			if c.Edge != prefix+"-edge" {
				t.Errorf("edge %q", c.Edge)
			}
			r := c.Host.Resources
			if r.NanoCPUs != tc.nanoCPUs || r.Memory != tc.memory || r.MemorySwap != tc.memory || r.PidsLimit == nil || *r.PidsLimit != 512 {
				t.Errorf("resources nano=%d mem=%d swap=%d pids=%v", r.NanoCPUs, r.Memory, r.MemorySwap, r.PidsLimit)
			}
			if !reflect.DeepEqual([]string(c.Config.Entrypoint), tc.entrypoint) || !reflect.DeepEqual([]string(c.Config.Cmd), tc.cmd) {
				t.Errorf("entrypoint %q cmd %q", c.Config.Entrypoint, c.Config.Cmd)
			}
			var ports []string
			for p, b := range c.Host.PortBindings {
				ports = append(ports, string(p))
				if len(b) != 1 || b[0].HostIP != "10.0.0.1" || b[0].HostPort != "" {
					t.Errorf("binding %s %+v: want HostIP 10.0.0.1 and an engine-picked port", p, b)
				}
			}
			if len(ports) > 1 && ports[0] > ports[1] {
				ports[0], ports[1] = ports[1], ports[0]
			}
			if !reflect.DeepEqual(ports, tc.ports) {
				t.Errorf("published %v, want %v", ports, tc.ports)
			}
			l := c.Config.Labels
			if l[LabelLease] != testLease.String() || l[LabelService] != c.Service || l[LabelVersion] != version || l[LabelRole] != roleContainer || l[LabelProvider] != "akash1prov" {
				t.Errorf("labels %v", l)
			}
			if c.Host.RestartPolicy.Name != "always" || c.Host.StorageOpt != nil {
				t.Errorf("restart %q storage opt %v", c.Host.RestartPolicy.Name, c.Host.StorageOpt)
			}
		})
	}

	web := p.Containers[2]
	env := strings.Join(web.Config.Env, " ")
	for _, want := range []string{"HELLO_MESSAGE=web", "AKASH_OWNER=akash1tenant", "AKASH_DEPLOYMENT_SEQUENCE=42", "AKASH_CLUSTER_PUBLIC_HOSTNAME=p.example", "AKASH_SERVICE_NAME=web"} {
		if !strings.Contains(env, want) {
			t.Errorf("web env lacks %s: %v", want, web.Config.Env)
		}
	}
	if web.Config.Hostname != "web-0" || web.Config.Labels[LabelCount] != "1" || p.Containers[1].Config.Labels[LabelCount] != "2" {
		t.Errorf("hostname %q count labels %q %q", web.Config.Hostname, web.Config.Labels[LabelCount], p.Containers[1].Config.Labels[LabelCount])
	}
}

func TestPlanStorage(t *testing.T) {
	m := mustParse(t, twoTier)
	spec := LeaseSpec{Lease: testLease, Manifest: m, Group: "dc"}
	p, err := planLease(spec, planOptions{EphemeralLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	prefix := testLease.namePrefix()
	var vols []string
	for _, v := range p.Volumes {
		vols = append(vols, v.Name+"/"+v.Labels[LabelKeep])
	}
	want := []string{prefix + "-api-0-cache/false", prefix + "-api-0-data/true", prefix + "-api-1-cache/false", prefix + "-api-1-data/true"}
	if !reflect.DeepEqual(vols, want) {
		t.Errorf("volumes %v, want %v", vols, want)
	}
	api1 := p.Containers[1]
	if !reflect.DeepEqual(api1.Scratch, []string{prefix + "-api-1-cache"}) {
		t.Errorf("scratch %v", api1.Scratch)
	}
	wantMounts := []mount.Mount{
		{Type: mount.TypeVolume, Source: prefix + "-api-1-cache", Target: "/cache", ReadOnly: true},
		{Type: mount.TypeVolume, Source: prefix + "-api-1-data", Target: "/data"},
		{Type: mount.TypeTmpfs, Target: "/scratch", TmpfsOptions: &mount.TmpfsOptions{SizeBytes: 16 << 20}},
	}
	if !reflect.DeepEqual(api1.Host.Mounts, wantMounts) {
		t.Errorf("mounts %+v\nwant %+v", api1.Host.Mounts, wantMounts)
	}
	if got := api1.Host.StorageOpt["size"]; got != "268435456" {
		t.Errorf("ephemeral size opt %q, want 268435456 (256Mi)", got)
	}
}

func TestPlanLeaseErrors(t *testing.T) {
	m := mustParse(t, twoTier)
	cases := []struct {
		name string
		spec LeaseSpec
		want string
	}{
		{"unknown group", LeaseSpec{Lease: testLease, Manifest: m, Group: "moon"}, `group "moon" is not in the manifest (groups: dc, far)`},
		{"gseq beyond the groups", LeaseSpec{Lease: LeaseRef{Owner: "o", DSeq: 1, GSeq: 3, Provider: "p"}, Manifest: m}, "gseq 3 but the manifest has 2 group(s)"},
		{"no manifest", LeaseSpec{Lease: testLease}, "no manifest"},
		{"gseq 0", LeaseSpec{Lease: LeaseRef{Owner: "o", Provider: "p"}, Manifest: m}, "gseq is 0"},
		{"owner with a slash", LeaseSpec{Lease: LeaseRef{Owner: "a/b", GSeq: 1, Provider: "p"}, Manifest: m}, "owner \"a/b\""},
	}
	gpu := mustParse(t, `version: "2.0"
services:
  ml:
    image: trainer:1
    expose: [{port: 80, to: [{global: true}]}]
profiles:
  compute:
    g:
      resources:
        cpu: {units: 1}
        memory: {size: 1Gi}
        storage: {size: 1Gi}
        gpu: {units: 1, attributes: {vendor: {nvidia: [{model: a100}]}}}
  placement:
    dc: {pricing: {g: {denom: uakt, amount: 100}}}
deployment:
  ml: {dc: {profile: g, count: 1}}
`)
	cases = append(cases, struct {
		name string
		spec LeaseSpec
		want string
	}{"gpu is refused, not ignored", LeaseSpec{Lease: testLease, Manifest: gpu}, "profiles.compute.g.resources.gpu: 1 GPU unit(s) for service \"ml\", but this runtime has no GPU support"})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := planLease(tc.spec, planOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
	// GSeq picks the group by position when no name is given: 2 = "far".
	p, err := planLease(LeaseSpec{Lease: LeaseRef{Owner: "o", DSeq: 1, GSeq: 2, Provider: "p"}, Manifest: m}, planOptions{})
	if err != nil || len(p.Containers) != 1 || p.Containers[0].Service != "db" {
		t.Fatalf("gseq 2: %v %+v", err, p.Containers)
	}
}

func TestLeaseRefRoundTrip(t *testing.T) {
	cases := []struct {
		in  string
		ok  bool
		err string
	}{
		{"akash1owner/7/1/2/akash1prov", true, ""},
		{"akash1owner/18446744073709551615/4294967295/0/p", true, ""},
		{"akash1owner/7/1/2", false, "5 parts"},
		{"akash1owner/07/1/2/p", false, "canonical form"},
		{"akash1owner/+7/1/2/p", false, "unsigned decimal"},
		{"akash1owner/x/1/2/p", false, "unsigned decimal"},
		{"akash1owner/1/4294967296/2/p", false, "unsigned decimal"},
		{"/1/1/2/p", false, "owner"},
		{"o/1/0/2/p", false, "gseq is 0"},
		{"o/1/1/2/", false, "provider"},
	}
	for _, tc := range cases {
		l, err := ParseLeaseRef(tc.in)
		if tc.ok != (err == nil) {
			t.Errorf("%q: err %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && l.String() != tc.in {
			t.Errorf("%q round-trips to %q", tc.in, l.String())
		}
		if !tc.ok && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%q: error %q lacks %q", tc.in, err, tc.err)
		}
	}
}

func FuzzParseLeaseRef(f *testing.F) {
	f.Add("akash1owner/7/1/2/akash1prov")
	f.Add("a/0/1/0/b")
	f.Add("a//1/0/b")
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLeaseRef(s)
		if err != nil {
			return
		}
		if l.String() != s {
			t.Fatalf("%q parsed to %+v which prints %q", s, l, l.String())
		}
		if err := l.Validate(); err != nil {
			t.Fatalf("%q parsed but is invalid: %v", s, err)
		}
	})
}

func TestHostname(t *testing.T) {
	long := strings.Repeat("a", 61) + "-b"
	cases := []struct {
		svc  string
		r    int
		want string
	}{
		{"web", 0, "web-0"},
		{long, 12, strings.Repeat("a", 60) + "-12"},
	}
	for _, tc := range cases {
		if got := hostname(tc.svc, tc.r); got != tc.want || len(got) > 63 {
			t.Errorf("hostname(%q, %d) = %q, want %q", tc.svc, tc.r, got, tc.want)
		}
	}
}

func TestVolumeNameSanitizes(t *testing.T) {
	if got := volumeName(testLease, "api", 0, "data"); got != testLease.namePrefix()+"-api-0-data" {
		t.Errorf("plain name: %q", got)
	}
	got := volumeName(testLease, "api", 0, "my volume/ü")
	if !safeVolumeName.MatchString(strings.TrimPrefix(got, testLease.namePrefix()+"-api-0-")) || strings.ContainsAny(got, " /ü") {
		t.Errorf("unsafe name kept: %q", got)
	}
}

func BenchmarkPlanLease(b *testing.B) {
	m := mustParse(b, twoTier)
	spec := LeaseSpec{Lease: testLease, Manifest: m, Group: "dc"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := planLease(spec, planOptions{PidsLimit: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseServiceCounts(t *testing.T) {
	cases := []struct {
		in   string
		want map[string]int
	}{
		{"api=2,web=1", map[string]int{"api": 2, "web": 1}},
		{"", map[string]int{}},
		{"api=x,=3,web=0,db=4,junk", map[string]int{"db": 4}},
	}
	for _, tc := range cases {
		if got := parseServiceCounts(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseServiceCounts(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// fanOut: front (dc) may reach api (dc, local) and cache and db (far, i.e.
// at another provider); lone (dc) reaches nothing; db may reach cache.
const fanOut = `version: "2.0"
services:
  front:
    image: hello:web
    expose: [{port: 80, to: [{global: true}]}]
  lone:
    image: hello:web
  api:
    image: hello:web
    expose: [{port: 9090, to: [{service: front}]}]
  db:
    image: hello:db
    expose: [{port: 5432, to: [{service: front}]}]
  cache:
    image: hello:db
    expose: [{port: 6379, to: [{service: front}, {service: db}]}]
profiles:
  compute:
    s: {resources: {cpu: {units: 0.1}, memory: {size: 16Mi}, storage: {size: 16Mi}}}
  placement:
    dc: {pricing: {s: {denom: uakt, amount: 1}}}
    far: {pricing: {s: {denom: uakt, amount: 1}}}
deployment:
  front: {dc: {profile: s, count: 2}}
  lone: {dc: {profile: s, count: 1}}
  api: {dc: {profile: s, count: 1}}
  db: {far: {profile: s, count: 1}}
  cache: {far: {profile: s, count: 1}}
`

// TestPlanRemoteServices: only clients of services in another group get
// remote services to write hosts entries for, and only with the option on.
func TestPlanRemoteServices(t *testing.T) {
	fan := mustParse(t, fanOut)
	two := mustParse(t, twoTier)
	cases := []struct {
		name   string
		m      *manifest.Manifest
		group  string
		hosts  bool
		remote map[string][]string // service -> Remote of each of its replicas; absent = none
	}{
		{"remote db and cache for front, not the local api; lone reaches nothing", fan, "dc", true,
			map[string][]string{"front": {"cache", "db"}}},
		{"option off: no entries at all", fan, "dc", false, nil},
		{"far side: db reaches cache locally (alias), front is a remote client", fan, "far", true, nil},
		{"two-tier: api reaches db in the far group; web reaches the local api", two, "dc", true,
			map[string][]string{"api": {"db"}}},
		{"two-tier far group: db reaches nothing", two, "far", true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := planLease(LeaseSpec{Lease: testLease, Manifest: tc.m, Group: tc.group}, planOptions{RemoteServiceHosts: tc.hosts})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Containers) == 0 {
				t.Fatal("no containers planned")
			}
			for _, c := range p.Containers {
				if !reflect.DeepEqual(c.Remote, tc.remote[c.Service]) {
					t.Errorf("%s: remote %v, want %v", c.Name, c.Remote, tc.remote[c.Service])
				}
				// Every remote service's network is one the container joins,
				// so the gateway it gets is on one of its own bridges.
				for _, s := range c.Remote {
					joined := false
					for _, a := range c.Attach {
						joined = joined || (a.Network == ServiceNetwork(testLease, s) && len(a.Aliases) == 0)
					}
					if !joined {
						t.Errorf("%s: remote %s but does not join %s as a client: %+v", c.Name, s, ServiceNetwork(testLease, s), c.Attach)
					}
				}
				if c.Host.ExtraHosts != nil || c.Config.Labels[LabelHosts] != "" {
					t.Errorf("%s: the plan must leave hosts to apply (gateways are unknown before the networks exist): %v %q", c.Name, c.Host.ExtraHosts, c.Config.Labels[LabelHosts])
				}
			}
		})
	}
	got := hostsEntries([]string{"cache", "db"}, map[string]string{"db": "172.20.0.1", "cache": "172.21.0.1"})
	if want := []string{"cache:172.21.0.1", "db:172.20.0.1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("hostsEntries %v, want %v", got, want)
	}
}
