package manifest

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func version(t *testing.T, doc string) [32]byte {
	t.Helper()
	m, err := Parse("m.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	return m.Version()
}

// Rewrites that mean the same manifest must keep the version.
func TestVersionUnchangedBySameMeaning(t *testing.T) {
	base := version(t, baseSDL)
	reordered := `deployment:
  db:
    west: {count: 1, profile: small}
  web:
    west: {count: 1, profile: small}
profiles:
  placement:
    west:
      pricing:
        small: {amount: "100.0", denom: uakt}
  compute:
    small:
      resources:
        storage:
          - name: default
            size: 1024Mi
        memory: {size: 0.5Gi}
        cpu: {units: 500m}
services:
  db:
    expose:
      - to: [{service: web}]
        port: 5432
        proto: tcp
    image: "postgres:16"
  web:
    image: 'nginx:1.25'   # quotes do not matter
    expose:
      - {port: 80, as: 80, to: [{global: yes}]}
version: "2.0"
`
	for _, tc := range []struct{ name, doc string }{
		{"comments", strings.ReplaceAll(baseSDL, "\n", " # note\n")},
		{"key order, flow style, quotes and equivalent units", reordered},
		{"cpu as string", mutate(t, "units: 0.5", `units: "0.5"`)},
		{"cpu as millis", mutate(t, "units: 0.5", `units: 500m`)},
		{"memory in Mi vs bytes", mutate(t, "512Mi", "536870912")},
		{"storage 1Gi = 1024Mi", mutate(t, "size: 1Gi", "size: 1024Mi")},
		{"price 100 = 100.000", mutate(t, "amount: 100", `amount: "100.000"`)},
		{"explicit default http options", mutate(t, "        as: 80\n", "        as: 80\n        http_options: {max_body_size: 1048576, read_timeout: 60000}\n")},
		{"proto tcp = TCP = absent", mutate(t, "        as: 80\n", "        as: 80\n        proto: TCP\n")},
		{"undeployed service ignored", mutate(t, "profiles:\n", "  spare:\n    image: busybox\nprofiles:\n")},
		{"unknown service key ignored", mutate(t, "    image: postgres:16\n", "    image: postgres:16\n    restart: always\n")},
		{"version 2 = 2.0", mutate(t, `"2.0"`, `"2"`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := version(t, tc.doc); got != base {
				m, _ := Parse("a", []byte(baseSDL))
				n, _ := Parse("b", []byte(tc.doc))
				t.Errorf("version changed\nbase: %s\nthis: %s", m.Canonical(), n.Canonical())
			}
		})
	}
}

// Anything a provider runs must change the version.
func TestVersionChangedByMeaning(t *testing.T) {
	base := version(t, baseSDL)
	seen := map[[32]byte]string{base: "base"}
	for _, tc := range []struct {
		name string
		repl []string
	}{
		{"image", []string{"nginx:1.25", "nginx:1.26"}},
		{"env", []string{"    image: postgres:16\n", "    image: postgres:16\n    env: [A=1]\n"}},
		{"env value", []string{"    image: postgres:16\n", "    image: postgres:16\n    env: [A=2]\n"}},
		{"command", []string{"    image: postgres:16\n", "    image: postgres:16\n    command: [sh]\n"}},
		{"args", []string{"    image: postgres:16\n", "    image: postgres:16\n    args: [sh]\n"}},
		{"count", []string{"  db:\n    west:\n      profile: small\n      count: 1", "  db:\n    west:\n      profile: small\n      count: 2"}},
		{"port", []string{"port: 5432", "port: 5433"}},
		{"external port", []string{"as: 80", "as: 8080"}},
		{"proto", []string{"port: 5432\n", "port: 5432\n        proto: udp\n"}},
		{"expose target", []string{"service: web", "global: true"}},
		{"cpu", []string{"units: 0.5", "units: 0.6"}},
		{"memory", []string{"512Mi", "513Mi"}},
		{"storage", []string{"size: 1Gi", "size: 2Gi"}},
		{"accept host", []string{"        as: 80\n", "        as: 80\n        accept: [www.example.com]\n"}},
		{"accept written empty", []string{"        as: 80\n", "        as: 80\n        accept: []\n"}},
		{"http option", []string{"        as: 80\n", "        as: 80\n        http_options: {max_body_size: 2048}\n"}},
		{"proxy buffer size", []string{"        as: 80\n", "        as: 80\n        http_options: {proxy_buffer_size: 65536}\n"}},
		{"placement name", []string{"    west:\n      pricing:", "    east:\n      pricing:", "  web:\n    west:", "  web:\n    east:", "  db:\n    west:", "  db:\n    east:"}},
		{"params written empty", []string{"    image: postgres:16\n", "    image: postgres:16\n    params: {}\n"}},
		{"permissions", []string{"    image: postgres:16\n", "    image: postgres:16\n    params: {permissions: {read: [logs]}}\n"}},
		{"tee", []string{"    image: postgres:16\n", "    image: postgres:16\n    params: {tee: cpu}\n"}},
		{"cpu attributes", []string{"units: 0.5", "units: 0.5\n          attributes: {arch: amd64}"}},
		{"storage attributes written", []string{"          size: 1Gi\n", "          size: 1Gi\n          attributes: {persistent: false}\n"}},
		{"command written empty", []string{"    image: postgres:16\n", "    image: postgres:16\n    command: []\n"}},
		{"credentials", []string{"    image: postgres:16\n", "    image: postgres:16\n    credentials: {host: r.io, username: u, password: p}\n"}},
	} {
		v := version(t, mutate(t, tc.repl...))
		if prev, dup := seen[v]; dup {
			t.Errorf("%s: same version as %s", tc.name, prev)
		}
		seen[v] = tc.name
	}
}

// Akash's version covers what a provider runs, not what the market matches
// on: prices, placement requirements and the bandwidth extension are in the
// group (on chain), not in the manifest.
func TestVersionIgnoresPricesAndRequirements(t *testing.T) {
	base := version(t, baseSDL)
	for _, tc := range []struct {
		name string
		repl []string
	}{
		{"price", []string{"amount: 100", "amount: 100.000000000000000001"}},
		{"denom", []string{"denom: uakt", "denom: uact"}},
		{"placement attribute", []string{"    west:\n      pricing:", "    west:\n      attributes: {region: us}\n      pricing:"}},
		{"signedBy", []string{"    west:\n      pricing:", "    west:\n      signedBy: {anyOf: [akash1xyz]}\n      pricing:"}},
		{"bandwidth", []string{"          size: 1Gi\n", "          size: 1Gi\n        bandwidth: {size: 100Mi}\n"}},
		{"unused compute profile", []string{"  placement:\n", "    spare:\n      resources: {cpu: {units: 1}, memory: {size: 1Gi}, storage: {size: 1Gi}}\n  placement:\n"}},
	} {
		if got := version(t, mutate(t, tc.repl...)); got != base {
			t.Errorf("%s changed the version", tc.name)
		}
	}
}

func TestCanonicalIsStable(t *testing.T) {
	m, err := Parse("example.yaml", exampleYAML)
	if err != nil {
		t.Fatal(err)
	}
	c := m.Canonical()
	m2, err := Parse("canonical.json", c)
	if err != nil {
		t.Fatalf("canonical does not parse: %v\n%s", err, c)
	}
	if string(m2.Canonical()) != string(c) {
		t.Fatalf("canonical of canonical differs:\n%s\n%s", c, m2.Canonical())
	}
	if !strings.HasPrefix(string(c), `{"deployment":{"db":{"core":{"count":1,"profile":"db"}}`) {
		t.Errorf("unexpected canonical start: %.80s", c)
	}
	// golden: the encoding is a contract (docs/manifest.md); change it only on purpose
	golden := filepath.Join("testdata", "example.canonical.json")
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(golden, c, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if string(want) != string(c) {
		t.Errorf("canonical form changed:\nwant %s\ngot  %s", want, c)
	}
}

// TestAkashManifestGolden pins what the version hashes for the example:
// Akash's provider manifest, keys sorted (docs/manifest.md).
func TestAkashManifestGolden(t *testing.T) {
	m, err := Parse("example.yaml", exampleYAML)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "example.akash.json")
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(golden, m.AkashManifest(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if string(want) != string(m.AkashManifest()) {
		t.Errorf("Akash manifest changed:\nwant %s\ngot  %s", want, m.AkashManifest())
	}
	if v := m.Version(); v != sha256.Sum256(want) {
		t.Errorf("version is not sha256 of the Akash manifest")
	}
}

func TestJSONStringEscapes(t *testing.T) {
	doc := mutate(t, "    image: postgres:16\n", "    image: postgres:16\n    env: [\"A=tab\\there \\\"q\\\" \\\\ \\x01 \\u0085 é 日本 \\U0001F600\"]\n")
	m, err := Parse("m.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Parse("c", m.Canonical())
	if err != nil {
		t.Fatalf("%v\n%s", err, m.Canonical())
	}
	if m2.Services()[0].Env[0] != m.Services()[0].Env[0] {
		t.Errorf("env changed through canonical: %q vs %q", m.Services()[0].Env[0], m2.Services()[0].Env[0])
	}
}
