package manifest

import (
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// The tests in this file hold the parser to Akash's own (pkg.akt.dev/go/sdl
// at chain-sdk 55f1c683, the reference of ../shared/sdl-corpus), one table
// per class of SDL corner case: each row is an edit of baseSDL and Akash's
// verdict on it. The verdicts were read from Akash's parser and validation
// code and its SDL documentation; docs/manifest.md lists where this parser
// deliberately differs (TestAkashBugsStayRefused).

// akashCase is one edited manifest and Akash's verdict on it.
type akashCase struct {
	name  string
	doc   string
	ok    bool   // Akash accepts it
	err   error  // refused: the sentinel of the error that says why
	path  string // refused: the field that error names
	warn  string // accepted: the path of a warning it must carry
	check func(t *testing.T, m *Manifest)
}

func runAkashCases(t *testing.T, cases []akashCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse("m.yaml", []byte(tc.doc))
			if !tc.ok {
				var el ErrorList
				if !errors.As(err, &el) {
					t.Fatalf("accepted; Akash refuses it (want %v at %s)", tc.err, tc.path)
				}
				for _, fe := range el {
					if fe.Path == tc.path && errors.Is(fe, tc.err) {
						if fe.Problem == "" || fe.Hint == "" || fe.Line <= 0 {
							t.Errorf("error lacks a place, problem or hint: %#v", fe)
						}
						return
					}
				}
				t.Fatalf("no %v error at %s; got:\n%v", tc.err, tc.path, err)
			}
			if err != nil {
				t.Fatalf("refused; Akash accepts it:\n%v", err)
			}
			if tc.warn != "" {
				found := false
				for _, w := range m.Warnings() {
					found = found || w.Path == tc.warn
				}
				if !found {
					t.Errorf("no warning at %s; warnings:\n%v", tc.warn, m.Warnings())
				}
			}
			if tc.check != nil {
				tc.check(t, m)
			}
			// whatever is accepted goes through the canonical form unchanged
			m2, err := Parse("canonical", m.Canonical())
			if err != nil {
				t.Fatalf("canonical form refused: %v\n%s", err, m.Canonical())
			}
			if m2.Version() != m.Version() {
				t.Fatalf("canonical form changed the version\n%s\n%s", m.AkashManifest(), m2.AkashManifest())
			}
		})
	}
}

func refused(name, doc string, err error, path string) akashCase {
	return akashCase{name: name, doc: doc, err: err, path: path}
}

func accepted(name, doc string, check func(t *testing.T, m *Manifest)) akashCase {
	return akashCase{name: name, doc: doc, ok: true, check: check}
}

// base21 is baseSDL in SDL 2.1.
func base21(t *testing.T, repl ...string) string {
	return strings.Replace(mutate(t, repl...), `version: "2.0"`, `version: "2.1"`, 1)
}

func unitCounts(m *Manifest, group int) []uint32 {
	var out []uint32
	for _, u := range m.Groups()[group].Units {
		out = append(out, u.Count)
	}
	return out
}

func wantCounts(want ...uint32) func(t *testing.T, m *Manifest) {
	return func(t *testing.T, m *Manifest) {
		t.Helper()
		if got := unitCounts(m, 0); !slices.Equal(got, want) {
			t.Fatalf("units with counts %v, want %v", got, want)
		}
	}
}

// Two services with one compute profile in one placement: SDL 2.0 gives one
// resource unit per service (each with its own count), 2.1 one unit whose
// count adds theirs up (Akash's groupBuilder_v2.go and groupBuilder_v2_1.go).
func TestAkashSameProfileServices(t *testing.T) {
	dbCount2 := []string{"  db:\n    west:\n      profile: small\n      count: 1", "  db:\n    west:\n      profile: small\n      count: 2"}
	runAkashCases(t, []akashCase{
		accepted("2.0: one unit per service, by service name", mutate(t, dbCount2...), wantCounts(2, 1)),
		accepted("2.1: one unit per profile, counts added", base21(t, dbCount2...), wantCounts(3)),
		accepted("2.0: the units keep the profile and price", mutate(t), func(t *testing.T, m *Manifest) {
			for _, u := range m.Groups()[0].Units {
				if u.Profile != "small" || u.Price.Amount.String() != "100.000000000000000000" || u.Resources.CPUMillis != 500 {
					t.Errorf("unit %+v", u)
				}
			}
			if total, _ := m.Groups()[0].MaxPrice(); total.Amount.String() != "200.000000000000000000" {
				t.Errorf("group price %v, want 200 (two replicas at 100)", total)
			}
		}),
		accepted("2.1: the services share the unit's ID in the manifest", base21(t), func(t *testing.T, m *Manifest) {
			if n := strings.Count(string(m.AkashManifest()), `"id":1`); n != 2 {
				t.Errorf("%d services with resource ID 1, want 2:\n%s", n, m.AkashManifest())
			}
		}),
	})
}

// A group's totals over all replicas are bounded by Akash's deployment
// validation config: cpu 384 cores × 50, gpu 24 × 50, memory 2Ti × 50.
// Akash does not bound a group's storage or replica count.
func TestAkashGroupLimits(t *testing.T) {
	web := func(units, memory, count string) []string {
		return []string{"units: 0.5", "units: " + units, "size: 512Mi", "size: " + memory,
			"  web:\n    west:\n      profile: small\n      count: 1", "  web:\n    west:\n      profile: small\n      count: " + count}
	}
	gpu := func(count string) []string {
		return []string{"          size: 1Gi\n", "          size: 1Gi\n        gpu:\n          units: 24\n          attributes:\n            vendor:\n              nvidia:\n",
			"  web:\n    west:\n      profile: small\n      count: 1", "  web:\n    west:\n      profile: small\n      count: " + count}
	}
	cases := []akashCase{
		// web and db share the profile: web's count plus db's one replica
		refused("cpu above 19200 cores", mutate(t, web("384", "512Mi", "50")...), ErrLimit, "profiles.placement.west"),
		accepted("cpu at 19200 cores", mutate(t, web("384", "512Mi", "49")...), nil),
		refused("memory above 100Ti", mutate(t, web("1", "2Ti", "51")...), ErrLimit, "profiles.placement.west"),
		accepted("memory at 100Ti", mutate(t, "units: 0.5", "units: 1", "size: 512Mi", "size: 1Ti",
			"  web:\n    west:\n      profile: small\n      count: 1", "  web:\n    west:\n      profile: small\n      count: 99"), nil),
		refused("gpu above 1200", mutate(t, gpu("50")...), ErrLimit, "profiles.placement.west"),
		accepted("gpu at 1200", mutate(t, gpu("49")...), nil),
		accepted("storage is not bounded per group", mutate(t, "size: 1Gi", "size: 32Ti",
			"  web:\n    west:\n      profile: small\n      count: 1", "  web:\n    west:\n      profile: small\n      count: 1000"), nil),
		accepted("count is not bounded per group", mutate(t, "units: 0.5", "units: 10m", "size: 512Mi", "size: 1Mi",
			"  web:\n    west:\n      profile: small\n      count: 1", "  web:\n    west:\n      profile: small\n      count: 100000"), nil),
		refused("a huge count runs into the cpu limit", mutate(t, "units: 0.5", "units: 10m", "size: 512Mi", "size: 1Mi",
			"  web:\n    west:\n      profile: small\n      count: 1", "  web:\n    west:\n      profile: small\n      count: 4294967295"), ErrLimit, "profiles.placement.west"),
	}
	runAkashCases(t, cases)
	// the error names the limit
	for _, tc := range []struct {
		repl []string
		want string
	}{
		{web("384", "512Mi", "50"), "total cpu over all replicas is 19584000m, above the network's limit of 19200000m per group"},
		{web("1", "2Ti", "51"), "total memory over all replicas is 104Ti, above the network's limit of 100Ti per group"},
		{gpu("50"), "total gpu over all replicas is 1224, above the network's limit of 1200 per group"},
	} {
		_, err := Parse("m.yaml", []byte(mutate(t, tc.repl...)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v does not say %q", err, tc.want)
		}
	}
	if err := CheckGroupTotals(Totals{CPUMillis: MaxGroupCPUMillis, GPUUnits: MaxGroupGPUUnits, MemoryBytes: MaxGroupMemoryBytes, StorageBytes: 1 << 62}); err != nil {
		t.Errorf("totals at the limits refused: %v", err)
	}
	if err := CheckGroupTotals(Totals{MemoryBytes: MaxGroupMemoryBytes + 1}); !errors.Is(err, ErrLimit) {
		t.Errorf("memory above the limit: %v, want ErrLimit", err)
	}
}

// Storage: Akash needs at least one volume, and reads persistent as one of
// true/false/yes/no/on/off exactly as written (storage.go, utils.go).
func TestAkashStorageCorners(t *testing.T) {
	vol := func(attrs string) string {
		mount := "    params:\n      storage:\n        data:\n          mount: /data\n"
		return mutate(t, "          size: 1Gi\n", "          - size: 1Gi\n          - name: data\n            size: 2Gi\n            attributes:\n"+attrs,
			"    image: postgres:16\n", "    image: postgres:16\n"+mount, "    image: nginx:1.25\n", "    image: nginx:1.25\n"+mount)
	}
	attrsOf := func(want ...string) func(t *testing.T, m *Manifest) {
		return func(t *testing.T, m *Manifest) {
			t.Helper()
			var got []string
			for _, v := range m.Profiles()[0].Resources.Storage {
				if v.Name == "data" {
					for _, a := range v.Attributes {
						got = append(got, a.Key+"="+a.Value)
					}
				}
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("data volume attributes %v, want %v", got, want)
			}
		}
	}
	const at = "profiles.compute.small.resources.storage[1].attributes"
	runAkashCases(t, []akashCase{
		refused("storage: []", mutate(t, "          size: 1Gi\n", "          []\n"), ErrStorage, "profiles.compute.small.resources.storage"),
		refused("persistent True", vol("              persistent: True\n"), ErrStorage, at+".persistent"),
		refused("persistent FALSE", vol("              persistent: FALSE\n"), ErrStorage, at+".persistent"),
		refused(`persistent ""`, vol("              persistent: \"\"\n"), ErrStorage, at+".persistent"),
		refused("persistent null", vol("              persistent:\n"), ErrStorage, at+".persistent"),
		refused("persistent 1", vol("              persistent: 1\n"), ErrStorage, at+".persistent"),
		refused(`class ""`, vol("              class: \"\"\n"), ErrStorage, at+".class"),
		refused("class ram with persistent off (Akash wants the word false)", vol("              class: ram\n              persistent: off\n"), ErrStorage, at),
		refused("class beta2 with persistent false", vol("              class: beta2\n              persistent: false\n"), ErrStorage, at),
		accepted("persistent true gets class default", vol("              persistent: true\n"), attrsOf("class=default", "persistent=true")),
		accepted("persistent yes is true, without a class", vol("              persistent: yes\n"), attrsOf("persistent=true")),
		accepted("persistent on is true, without a class", vol("              persistent: \"on\"\n"), attrsOf("persistent=true")),
		accepted("persistent no with class beta2 passes as non-persistent", vol("              class: beta2\n              persistent: no\n"), attrsOf("class=beta2", "persistent=false")),
		accepted("class ram", vol("              class: ram\n"), attrsOf("class=ram", "persistent=false")),
		accepted("empty attributes mean persistent false", vol("              {}\n"), attrsOf("persistent=false")),
		accepted("null attributes mean none", vol(""), attrsOf()),
	})
}

// GPUs: units are read as a base-10 integer from the text (quotes allowed),
// models must be unique (gpu.go, attributes Validate).
func TestAkashGPUCorners(t *testing.T) {
	gpu := func(units, vendor string) string {
		return mutate(t, "          size: 1Gi\n", "          size: 1Gi\n        gpu:\n          units: "+units+"\n          attributes:\n            vendor:\n"+vendor)
	}
	const nvidia = "              nvidia:\n"
	gpuOf := func(units uint64, keys ...string) func(t *testing.T, m *Manifest) {
		return func(t *testing.T, m *Manifest) {
			t.Helper()
			g := m.Profiles()[0].Resources.GPU
			var got []string
			for _, a := range g.Attributes {
				got = append(got, a.Key)
			}
			if g.Units != units || strings.Join(got, ",") != strings.Join(keys, ",") {
				t.Errorf("gpu %d %v, want %d %v", g.Units, got, units, keys)
			}
		}
	}
	const units = "profiles.compute.small.resources.gpu.units"
	runAkashCases(t, []akashCase{
		refused("units 1.0", gpu("1.0", nvidia), ErrUnits, units),
		refused("units 0x1", gpu("0x1", nvidia), ErrUnits, units),
		refused("units 1e0", gpu("1e0", nvidia), ErrUnits, units),
		refused("units +1", gpu("+1", nvidia), ErrUnits, units),
		refused(`units " 1"`, gpu(`" 1"`, nvidia), ErrUnits, units),
		accepted(`units "1" (quoted)`, gpu(`"1"`, nvidia), gpuOf(1, "vendor/nvidia/model/*")),
		accepted("units 01", gpu("01", nvidia), gpuOf(1, "vendor/nvidia/model/*")),
		refused("a model listed twice", gpu("1", nvidia+"                - model: a100\n                - model: a100\n"), ErrDuplicate, "profiles.compute.small.resources.gpu.attributes.vendor"),
		accepted("one model with two ram sizes", gpu("1", nvidia+"                - {model: a100, ram: 40Gi}\n                - {model: a100, ram: 80Gi}\n"),
			gpuOf(1, "vendor/nvidia/model/a100/ram/40Gi", "vendor/nvidia/model/a100/ram/80Gi")),
		accepted("an empty vendor mapping is any nvidia", gpu("1", "              {}\n"), gpuOf(1, "vendor/nvidia/model/*")),
		accepted("an entry without a model", gpu("2", nvidia+"                - ram: 80Gi\n"), gpuOf(2, "vendor/nvidia/model//ram/80Gi")),
		accepted("interface null is no interface", gpu("1", nvidia+"                - {model: h100, interface: }\n"), gpuOf(1, "vendor/nvidia/model/h100")),
		{name: "an unknown key in a model entry is ignored", doc: gpu("1", nvidia+"                - {model: h100, memory: 80Gi}\n"), ok: true,
			warn: "profiles.compute.small.resources.gpu.attributes.vendor.nvidia[0].memory", check: gpuOf(1, "vendor/nvidia/model/h100")},
	})
}

// Numbers written as text: Akash reads sizes and cpu with Go's ParseFloat
// (no spaces; float64 arithmetic, truncated) and prices with cosmos-sdk's
// decimal parser (digits on both sides of a point).
func TestAkashNumberText(t *testing.T) {
	resources := func(t *testing.T, m *Manifest) Resources { return m.Profiles()[0].Resources }
	const amount = "profiles.placement.west.pricing.small.amount"
	runAkashCases(t, []akashCase{
		refused(`memory " 512Mi"`, mutate(t, "size: 512Mi", `size: " 512Mi"`), ErrUnits, "profiles.compute.small.resources.memory.size"),
		refused(`memory "512Mi "`, mutate(t, "size: 512Mi", `size: "512Mi "`), ErrUnits, "profiles.compute.small.resources.memory.size"),
		refused(`memory "512 Mi"`, mutate(t, "size: 512Mi", `size: "512 Mi"`), ErrUnits, "profiles.compute.small.resources.memory.size"),
		refused(`storage " 1Gi"`, mutate(t, "size: 1Gi", `size: " 1Gi"`), ErrUnits, "profiles.compute.small.resources.storage.size"),
		refused(`cpu " 0.5"`, mutate(t, "units: 0.5", `units: " 0.5"`), ErrUnits, "profiles.compute.small.resources.cpu.units"),
		refused(`amount " 100"`, mutate(t, "amount: 100", `amount: " 100"`), ErrPrice, amount),
		refused("amount 100.", mutate(t, "amount: 100", "amount: 100."), ErrPrice, amount),
		refused("amount .5", mutate(t, "amount: 100", "amount: .5"), ErrPrice, amount),
		refused("amount 1_000", mutate(t, "amount: 100", "amount: 1_000"), ErrPrice, amount),
		accepted("amount +5", mutate(t, "amount: 100", "amount: +5"), func(t *testing.T, m *Manifest) {
			if p := m.Groups()[0].Units[0].Price.Amount.String(); p != "5.000000000000000000" {
				t.Errorf("price %s", p)
			}
		}),
		accepted("amount 0.5", mutate(t, "amount: 100", "amount: 0.5"), nil),
		accepted("cpu 1.001 is 1000m, as Akash's float64 arithmetic makes it", mutate(t, "units: 0.5", "units: 1.001"), func(t *testing.T, m *Manifest) {
			if c := resources(t, m).CPUMillis; c != 1000 {
				t.Errorf("cpu %dm, want 1000m", c)
			}
		}),
		accepted("memory 2.01G is 2009999999 bytes, as in Akash", mutate(t, "size: 512Mi", "size: 2.01G"), func(t *testing.T, m *Manifest) {
			if b := resources(t, m).MemoryBytes; b != 2009999999 {
				t.Errorf("memory %d, want 2009999999", b)
			}
		}),
		accepted("memory .5Gi and 5.e2Mi", mutate(t, "size: 512Mi", "size: .5Gi", "size: 1Gi", "size: 5.e2Mi"), func(t *testing.T, m *Manifest) {
			if r := resources(t, m); r.MemoryBytes != 1<<29 || r.Storage[0].Bytes != 500<<20 {
				t.Errorf("memory %d storage %d", r.MemoryBytes, r.Storage[0].Bytes)
			}
		}),
	})
}

// Accepted hosts: Kubernetes' lowercase RFC 1123 subdomain, each once in the
// whole manifest, counting Akash's copies per target and per placement.
func TestAkashAcceptHosts(t *testing.T) {
	accept := func(hosts string) []string {
		return []string{"        as: 80\n", "        as: 80\n        accept: " + hosts + "\n"}
	}
	const at = "services.web.expose[0].accept"
	twoPlacements := append(accept("[www.example.com]"),
		"    west:\n      pricing:", "    east:\n      pricing:\n        small:\n          denom: uakt\n          amount: 100\n    west:\n      pricing:",
		"  web:\n    west:\n      profile: small\n      count: 1", "  web:\n    west:\n      profile: small\n      count: 1\n    east:\n      profile: small\n      count: 1")
	runAkashCases(t, []akashCase{
		refused("uppercase host", mutate(t, accept("[WWW.Example.com]")...), ErrExpose, at+"[0]"),
		refused("wildcard host", mutate(t, accept(`["*.example.com"]`)...), ErrExpose, at+"[0]"),
		refused("host with a port", mutate(t, accept(`["example.com:80"]`)...), ErrExpose, at+"[0]"),
		refused("a host twice", mutate(t, accept("[a.example.com, a.example.com]")...), ErrDuplicate, at),
		refused("a host on an entry with two targets", mutate(t, append(accept("[a.example.com]"), "          - global: true\n", "          - global: true\n          - service: db\n")...), ErrDuplicate, at),
		refused("a host on a service in two placements", mutate(t, twoPlacements...), ErrDuplicate, at),
		accepted("lowercase host", mutate(t, accept("[www.example.com, api.example.com]")...), func(t *testing.T, m *Manifest) {
			if h := m.Services()[1].Expose[0].Accept; strings.Join(h, ",") != "www.example.com,api.example.com" {
				t.Errorf("hosts %v, want them in the order written", h)
			}
		}),
		accepted("a label longer than 63 characters (Akash checks the whole name only)", mutate(t, accept("["+strings.Repeat("a", 70)+".example.com]")...), nil),
	})
}

// params.tee: cpu or cpu-gpu, the latter with a GPU; one kind per
// placement; the kind becomes the placement requirement tee/type (tee.go).
func TestAkashTEE(t *testing.T) {
	tee := func(kind string) []string {
		return []string{"    image: nginx:1.25\n", "    image: nginx:1.25\n    params:\n      tee: " + kind + "\n"}
	}
	withGPU := []string{"          size: 1Gi\n", "          size: 1Gi\n        gpu:\n          units: 1\n          attributes:\n            vendor:\n              nvidia:\n"}
	requires := func(want string) func(t *testing.T, m *Manifest) {
		return func(t *testing.T, m *Manifest) {
			t.Helper()
			var got []string
			for _, a := range m.Groups()[0].Requirements.Attributes {
				got = append(got, a.Key+"="+a.Value)
			}
			if strings.Join(got, ",") != want {
				t.Errorf("requirements %v, want %s", got, want)
			}
		}
	}
	runAkashCases(t, []akashCase{
		accepted("tee cpu", mutate(t, tee("cpu")...), requires("tee/type=cpu")),
		accepted("tee cpu-gpu with a gpu", mutate(t, append(tee("cpu-gpu"), withGPU...)...), requires("tee/type=cpu-gpu")),
		accepted("tee with placement attributes", mutate(t, append(tee("cpu"), "    west:\n      pricing:", "    west:\n      attributes: {region: us, zone: a}\n      pricing:")...),
			requires("region=us,tee/type=cpu,zone=a")),
		accepted(`tee ""`, mutate(t, tee(`""`)...), requires("")),
		refused("tee cpu-gpu without a gpu", mutate(t, tee("cpu-gpu")...), ErrGPU, "services.web.params.tee"),
		refused("tee sgx", mutate(t, tee("sgx")...), ErrStructure, "services.web.params.tee"),
		refused("two tee kinds in one placement", mutate(t, append(append(tee("cpu"), withGPU...),
			"    image: postgres:16\n", "    image: postgres:16\n    params:\n      tee: cpu-gpu\n")...), ErrStructure, "services.web.params.tee"),
	})
}

// http_options.proxy_buffer_size: a number of bytes up to 1 MiB (v2.go).
func TestAkashProxyBufferSize(t *testing.T) {
	pbs := func(v string) string {
		return mutate(t, "        as: 80\n", "        as: 80\n        http_options:\n          proxy_buffer_size: "+v+"\n")
	}
	const at = "services.web.expose[0].http_options.proxy_buffer_size"
	runAkashCases(t, []akashCase{
		refused("above 1 MiB", pbs("1048577"), ErrExpose, at),
		refused("negative", pbs("-1"), ErrStructure, at),
		refused("with a unit", pbs("1Mi"), ErrStructure, at),
		accepted("1 MiB", pbs("1048576"), func(t *testing.T, m *Manifest) {
			if !strings.Contains(string(m.AkashManifest()), `"proxyBufferSize":1048576`) {
				t.Errorf("proxy buffer size not in the manifest:\n%s", m.AkashManifest())
			}
		}),
		accepted("0 is left to the provider and out of the version", pbs("0"), func(t *testing.T, m *Manifest) {
			if m.Version() != version(t, baseSDL) {
				t.Error("proxy_buffer_size: 0 changed the version")
			}
		}),
	})
}

func utf16File(s string, order binary.AppendByteOrder) []byte {
	out := order.AppendUint16(nil, 0xFEFF)
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

// Files saved as UTF-16 with a byte-order mark read as their UTF-8 text.
func TestAkashUTF16(t *testing.T) {
	want := version(t, baseSDL)
	doc := mutate(t, "    image: postgres:16\n", "    image: postgres:16\n    env: [NAME=日本語 😀]\n")
	for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		m, err := Parse("m.yaml", utf16File(baseSDL, order))
		if err != nil || m.Version() != want {
			t.Errorf("%v: %v", order, err)
		}
		m, err = Parse("m.yaml", utf16File(doc, order))
		if err != nil || m.Services()[0].Env[0] != "NAME=日本語 😀" {
			t.Errorf("%v, non-ASCII: %v", order, err)
		}
	}
	bad := utf16File(baseSDL, binary.LittleEndian)
	for name, data := range map[string][]byte{
		"odd length":         bad[:len(bad)-1],
		"unpaired surrogate": append(bad[:len(bad):len(bad)], 0x00, 0xD8, 0x41, 0x00),
		"no byte-order mark": bad[2:],
	} {
		_, err := Parse("m.yaml", data)
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("%s: %v, want ErrSyntax", name, err)
		}
	}
}

// cpu.attributes: Akash knows arch (cpu.go).
func TestAkashCPUAttributes(t *testing.T) {
	runAkashCases(t, []akashCase{
		accepted("arch amd64", mutate(t, "units: 0.5", "units: 0.5\n          attributes:\n            arch: amd64"), func(t *testing.T, m *Manifest) {
			if a := m.Profiles()[0].Resources.CPUAttributes; len(a) != 1 || a[0] != (Attribute{"arch", "amd64"}) {
				t.Errorf("cpu attributes %v", a)
			}
		}),
		refused("another attribute", mutate(t, "units: 0.5", "units: 0.5\n          attributes:\n            cores: 8"), ErrUnknownKey, "profiles.compute.small.resources.cpu.attributes.cores"),
		refused("arch as a list", mutate(t, "units: 0.5", "units: 0.5\n          attributes:\n            arch: [amd64, arm64]"), ErrStructure, "profiles.compute.small.resources.cpu.attributes.arch"),
	})
}

// Keys Akash's parser does not know inside cpu, a pricing entry, a GPU model
// entry or credentials are ignored there; here they are ignored with a
// warning, and do not change the version.
func TestAkashUnknownKeysWarn(t *testing.T) {
	same := func(t *testing.T, m *Manifest) {
		if m.Version() != version(t, baseSDL) {
			t.Error("an ignored key changed the version")
		}
	}
	runAkashCases(t, []akashCase{
		{name: "in cpu", doc: mutate(t, "units: 0.5", "units: 0.5\n          shares: 512"), ok: true, warn: "profiles.compute.small.resources.cpu.shares", check: same},
		{name: "in a pricing entry", doc: mutate(t, "amount: 100", "amount: 100\n          per: block"), ok: true, warn: "profiles.placement.west.pricing.small.per", check: same},
		{name: "in credentials", doc: mutate(t, "    image: postgres:16\n", "    image: postgres:16\n    credentials: {host: r.io, username: u, password: p, token: t}\n"),
			ok: true, warn: "services.db.credentials.token"},
	})
}

// Placement names and attribute keys: Akash reads them into a map of
// strings and checks nothing but that a group has a name.
func TestAkashPlacementNames(t *testing.T) {
	attr := func(key string) string {
		return mutate(t, "    west:\n      pricing:", "    west:\n      attributes:\n        "+key+": x\n      pricing:")
	}
	rename := func(name string) string {
		return mutate(t, "    west:\n      pricing:", "    "+name+":\n      pricing:", "  web:\n    west:", "  web:\n    "+name+":", "  db:\n    west:", "  db:\n    "+name+":")
	}
	hasAttr := func(key string) func(t *testing.T, m *Manifest) {
		return func(t *testing.T, m *Manifest) {
			if a := m.Groups()[0].Requirements.Attributes; len(a) != 1 || a[0].Key != key {
				t.Errorf("requirements %v, want key %q", a, key)
			}
		}
	}
	named := func(name string) func(t *testing.T, m *Manifest) {
		return func(t *testing.T, m *Manifest) {
			if g := m.Groups()[0].Name; g != name {
				t.Errorf("group %q, want %q", g, name)
			}
		}
	}
	runAkashCases(t, []akashCase{
		accepted("key starting with a digit", attr(`"9region"`), hasAttr("9region")),
		accepted("key with a wildcard", attr(`"region*"`), hasAttr("region*")),
		accepted("non-ASCII key", attr("região"), hasAttr("região")),
		accepted("key with a space", attr(`"data center"`), hasAttr("data center")),
		accepted("one-letter key", attr("r"), hasAttr("r")),
		accepted("placement named with a digit first", rename(`"9west"`), named("9west")),
		accepted("placement named with a space", rename(`"west coast"`), named("west coast")),
		accepted("non-ASCII placement name", rename("東京"), named("東京")),
		refused("empty placement name", rename(`""`), ErrName, "profiles.placement."),
	})
}

// Where Akash's parser has a plain bug, this one keeps refusing, with an
// error that says what is wrong (docs/manifest.md, "Deliberate differences").
func TestAkashBugsStayRefused(t *testing.T) {
	runAkashCases(t, []akashCase{
		// Akash decodes each top-level section into the same map, so a
		// second "services:" silently adds to the first
		refused("duplicate key", mutate(t, "profiles:\n", "services:\n  extra:\n    image: x\nprofiles:\n"), ErrDuplicate, "services"),
		// semver >= 2.1.0 selects the 2.1 reader, so "3.0" (and "2.2") pass there
		refused("version 3.0", mutate(t, `"2.0"`, `"3.0"`), ErrVersion, "version"),
		refused("version 2.2", mutate(t, `"2.0"`, `"2.2"`), ErrVersion, "version"),
		// yaml.v3 truncates a float into an integer field: 80.5 becomes 80
		refused("float port", mutate(t, "port: 80", "port: 80.5"), ErrStructure, "services.web.expose[0].port"),
		refused("float count", mutate(t, "  web:\n    west:\n      profile: small\n      count: 1", "  web:\n    west:\n      profile: small\n      count: 1.5"), ErrStructure, "deployment.web.west.count"),
		// cpu cores × 1000 is converted to 32 bits: 4294967.306 cores wraps to 10m
		refused("cpu that wraps around 32 bits", mutate(t, "units: 0.5", "units: 4294967.306"), ErrUnits, "profiles.compute.small.resources.cpu.units"),
		// Akash checks only the container port's range
		refused("external port above 65535", mutate(t, "as: 80", "as: 70000"), ErrExpose, "services.web.expose[0].as"),
		// a replica count of 0 passes when another unit has replicas
		refused("count 0", mutate(t, "  db:\n    west:\n      profile: small\n      count: 1", "  db:\n    west:\n      profile: small\n      count: 0"), ErrLimit, "deployment.db.west.count"),
		// Akash's gpu vendor mapping knows only nvidia and drops other keys
		refused("unknown gpu vendor", mutate(t, "          size: 1Gi\n", "          size: 1Gi\n        gpu:\n          units: 1\n          attributes:\n            vendor:\n              intel:\n"),
			ErrGPU, "profiles.compute.small.resources.gpu.attributes.vendor.intel"),
		// Akash keys a leased IP's ports by "as" as written: port 8080 without
		// "as" and another with "as: 8080" share the port unnoticed
		refused("two exposes sharing a leased IP's port", mutate(t, "      - port: 80\n        as: 80\n        to:\n          - global: true\n",
			"      - {port: 8080, as: 8080, to: [{global: true, ip: ipa}]}\n      - {port: 8080, proto: TCP, to: [{global: true, ip: ipa}]}\n", "deployment:\n", "endpoints:\n  ipa: {kind: ip}\ndeployment:\n"),
			ErrDuplicate, "services.web.expose[1].to[0].ip"),
		// Akash does not check that a target service exists
		refused("target service not deployed", mutate(t, "service: web", "service: cache"), ErrReference, "services.db.expose[0].to[0].service"),
		// an image with spaces around it reaches the provider as written
		refused("image with spaces around it", mutate(t, "image: nginx:1.25", `image: " nginx:1.25"`), ErrStructure, "services.web.image"),
		// a model with '/' in its name makes another model's attribute
		refused("gpu model with a slash", mutate(t, "          size: 1Gi\n", "          size: 1Gi\n        gpu:\n          units: 1\n          attributes:\n            vendor:\n              nvidia:\n                - model: a100/ram/80Gi\n"),
			ErrGPU, "profiles.compute.small.resources.gpu.attributes.vendor.nvidia[0].model"),
	})
}

// Akash decodes every profile, placement and service, but validates limits,
// required keys and names only on those a deployment uses: a problem of that
// kind elsewhere is a warning here, and a decoding problem (a unit it cannot
// read) is refused wherever it is.
func TestAkashChecksOnlyWhatIsDeployed(t *testing.T) {
	spare := func(resources string) string {
		return mutate(t, "  placement:\n", "    spare:\n"+resources+"  placement:\n")
	}
	runAkashCases(t, []akashCase{
		{name: "unused profile without resources", doc: spare("      {}\n"), ok: true, warn: "profiles.compute.spare.resources"},
		{name: "unused profile with memory 0", doc: spare("      resources: {cpu: {units: 1}, memory: {size: 0}, storage: {size: 1Gi}}\n"), ok: true, warn: "profiles.compute.spare.resources.memory.size"},
		refused("unused profile with an unreadable unit", spare("      resources: {cpu: {units: 1}, memory: {size: 2gi}, storage: {size: 1Gi}}\n"), ErrUnits, "profiles.compute.spare.resources.memory.size"),
		{name: "undeployed service without image, badly named", doc: mutate(t, "profiles:\n", "  Spare_1:\n    expose: [{port: 0}]\nprofiles:\n"), ok: true, warn: "services.Spare_1"},
		{name: "unused placement priced above the maximum", doc: mutate(t, "  placement:\n", "  placement:\n    east:\n      pricing:\n        small: {denom: uakt, amount: 20000000}\n"),
			ok: true, warn: "profiles.placement.east.pricing.small.amount"},
		{name: "a null price for a profile the placement does not deploy", doc: mutate(t, "          amount: 100\n", "          amount: 100\n        spare:\n"),
			ok: true, warn: "profiles.placement.west.pricing.spare"},
		refused("a null price for a profile the placement deploys", mutate(t, "        small:\n          denom: uakt\n          amount: 100\n", "        small:\n"),
			ErrReference, "deployment.db.west.profile"),
		refused("unused placement with an unreadable price", mutate(t, "  placement:\n", "  placement:\n    east:\n      pricing:\n        small: {denom: uakt, amount: 1e3}\n"),
			ErrPrice, "profiles.placement.east.pricing.small.amount"),
	})
}

func TestAkashEmptyDeploymentEntry(t *testing.T) {
	runAkashCases(t, []akashCase{
		{name: "a service deployed nowhere", doc: mutate(t, "  db:\n    west:\n      profile: small\n      count: 1\n", "  db:\n    west:\n      profile: small\n      count: 1\n  cache: {}\n"),
			ok: true, warn: "deployment.cache"},
	})
}

// Exposes on one leased IP: Akash tells their ports apart by "as" and proto
// as written, once per placement of the service (v2.go validate).
func TestAkashLeasedIPPorts(t *testing.T) {
	ip := func(exposes string) string {
		return mutate(t, "      - port: 80\n        as: 80\n        to:\n          - global: true\n", exposes, "deployment:\n", "endpoints:\n  ipa: {kind: ip}\ndeployment:\n")
	}
	const at = "services.web.expose[1].to[0].ip"
	runAkashCases(t, []akashCase{
		accepted("two ports, each with its as", ip("      - {port: 80, as: 80, to: [{global: true, ip: ipa}]}\n      - {port: 443, as: 443, to: [{global: true, ip: ipa}]}\n"), nil),
		accepted("two ports without as, protos written differently", ip("      - {port: 80, proto: tcp, to: [{global: true, ip: ipa}]}\n      - {port: 443, to: [{global: true, ip: ipa}]}\n"), nil),
		refused("two ports without as, protos written alike", ip("      - {port: 80, to: [{global: true, ip: ipa}]}\n      - {port: 443, to: [{global: true, ip: ipa}]}\n"), ErrDuplicate, at),
		accepted("one port in tcp and udp", ip("      - {port: 80, as: 80, to: [{global: true, ip: ipa}]}\n      - {port: 80, as: 80, proto: udp, to: [{global: true, ip: ipa}]}\n"), nil),
	})
}
