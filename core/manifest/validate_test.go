package manifest

import (
	"errors"
	"strings"
	"testing"
)

const baseSDL = `version: "2.0"
services:
  web:
    image: nginx:1.25
    expose:
      - port: 80
        as: 80
        to:
          - global: true
  db:
    image: postgres:16
    expose:
      - port: 5432
        to:
          - service: web
profiles:
  compute:
    small:
      resources:
        cpu:
          units: 0.5
        memory:
          size: 512Mi
        storage:
          size: 1Gi
  placement:
    west:
      pricing:
        small:
          denom: uakt
          amount: 100
deployment:
  web:
    west:
      profile: small
      count: 1
  db:
    west:
      profile: small
      count: 1
`

// mutate applies old→new replacements to baseSDL; each old must occur once.
func mutate(t *testing.T, repl ...string) string {
	t.Helper()
	s := baseSDL
	for i := 0; i+1 < len(repl); i += 2 {
		if strings.Count(s, repl[i]) != 1 {
			t.Fatalf("replacement %q occurs %d times in the base manifest", repl[i], strings.Count(s, repl[i]))
		}
		s = strings.Replace(s, repl[i], repl[i+1], 1)
	}
	return s
}

// position returns the 1-based line and column where marker starts.
// A '^' in marker marks the exact spot; the rest only makes it unique.
func position(t *testing.T, doc, marker string) (int, int) {
	t.Helper()
	off := max(strings.Index(marker, "^"), 0)
	marker = strings.Replace(marker, "^", "", 1)
	i := strings.Index(doc, marker)
	if i < 0 || strings.Count(doc, marker) != 1 {
		t.Fatalf("marker %q must occur exactly once", marker)
	}
	i += off
	line := 1 + strings.Count(doc[:i], "\n")
	col := i - strings.LastIndex(doc[:i], "\n")
	return line, col
}

func TestBaseIsValid(t *testing.T) {
	if _, err := Parse("base.yaml", []byte(baseSDL)); err != nil {
		t.Fatal(err)
	}
}

func TestValidationRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		repl []string
		path string
		err  error
		at   string // where the error must point; "" to skip the position check
	}{
		{"unsupported version", []string{`"2.0"`, `"3.0"`}, "version", ErrVersion, `"3.0"`},
		{"lowercase size unit", []string{"512Mi", "2gi"}, "profiles.compute.small.resources.memory.size", ErrUnits, "2gi"},
		{"size with B", []string{"size: 1Gi", "size: 4GB"}, "profiles.compute.small.resources.storage.size", ErrUnits, "4GB"},
		{"zero cpu", []string{"units: 0.5", "units: 0"}, "profiles.compute.small.resources.cpu.units", ErrLimit, "units: ^0\n"},
		{"memory below 1Mi", []string{"512Mi", "512Ki"}, "profiles.compute.small.resources.memory.size", ErrLimit, "512Ki"},
		{"storage above 32Ti", []string{"size: 1Gi", "size: 33Ti"}, "profiles.compute.small.resources.storage.size", ErrLimit, "33Ti"},
		{"missing memory", []string{"        memory:\n          size: 512Mi\n", ""}, "profiles.compute.small.resources.memory", ErrStructure, "resources:"},
		{"zero count", []string{"  web:\n    west:\n      profile: small\n      count: 1", "  web:\n    west:\n      profile: small\n      count: 0"},
			"deployment.web.west.count", ErrLimit, "0\n  db:\n    west"},
		{"port zero", []string{"port: 80", "port: 0"}, "services.web.expose[0].port", ErrExpose, "0\n        as"},
		{"port too big", []string{"port: 80", "port: 70000"}, "services.web.expose[0].port", ErrExpose, "70000"},
		{"port quoted", []string{"port: 80", `port: "80"`}, "services.web.expose[0].port", ErrStructure, `"80"`},
		{"unknown proto", []string{"        as: 80\n", "        as: 80\n        proto: SCTP\n"}, "services.web.expose[0].proto", ErrExpose, "SCTP"},
		{"expose to unknown service", []string{"service: web", "service: cache"}, "services.db.expose[0].to[0].service", ErrReference, "cache"},
		{"deployment of undefined service", []string{"  db:\n    west:", "  cache:\n    west:"}, "deployment.cache.west", ErrReference, "cache:\n    ^west:"},
		{"unknown compute profile", []string{"  db:\n    west:\n      profile: small", "  db:\n    west:\n      profile: large"}, "deployment.db.west.profile", ErrReference, "large"},
		{"unknown placement", []string{"  db:\n    west:", "  db:\n    east:"}, "deployment.db.east", ErrReference, "east:"},
		{"no price for profile", []string{"        small:\n          denom", "        big:\n          denom"}, "deployment.db.west.profile", ErrReference, ""},
		{"bad denom", []string{"denom: uakt", "denom: u"}, "profiles.placement.west.pricing.small.denom", ErrPrice, "u\n"},
		{"zero price", []string{"amount: 100", "amount: 0"}, "profiles.placement.west.pricing.small.amount", ErrPrice, "amount: ^0\n"},
		{"negative price", []string{"amount: 100", "amount: -5"}, "profiles.placement.west.pricing.small.amount", ErrPrice, "-5"},
		{"price with exponent", []string{"amount: 100", "amount: 1e3"}, "profiles.placement.west.pricing.small.amount", ErrPrice, "1e3"},
		{"price with 19 decimals", []string{"amount: 100", "amount: 0.0000000000000000001"}, "profiles.placement.west.pricing.small.amount", ErrPrice, "0.0000000000000000001"},
		{"duplicate service", []string{"  db:\n    image: postgres:16", "  web:\n    image: postgres:16"}, "services.web", ErrDuplicate, "web:\n    image: postgres"},
		{"bad service name", []string{"  db:\n    image", "  Db_1:\n    image", "  db:\n    west:", "  Db_1:\n    west:"}, "services.Db_1", ErrName, "Db_1:\n    image"},
		{"missing image", []string{"    image: postgres:16\n", ""}, "services.db.image", ErrStructure, "db:\n    expose"},
		{"bad env name", []string{"    image: postgres:16\n", "    image: postgres:16\n    env:\n      - 1BAD=x\n"}, "services.db.env[0]", ErrName, "1BAD"},
		{"no global expose", []string{"          - global: true", "          - service: db"}, "services", ErrExpose, "services:"},
		{"unknown top-level key", []string{"deployment:\n", "deploy:\n  x: 1\ndeployment:\n"}, "deploy", ErrUnknownKey, "deploy:\n  x"},
		{"expose to unknown ip endpoint", []string{"          - global: true", "          - global: true\n            ip: myip"}, "services.web.expose[0].to[0].ip", ErrReference, ""},
		{"ip without global", []string{"          - service: web", "          - service: web\n            ip: myip"}, "services.db.expose[0].to[0].ip", ErrExpose, ""},
		{"endpoint never used", []string{"deployment:\n", "endpoints:\n  myip:\n    kind: ip\ndeployment:\n"}, "endpoints.myip", ErrReference, "myip"},
		{"endpoint wrong kind", []string{"deployment:\n", "endpoints:\n  myip:\n    kind: dns\ndeployment:\n"}, "endpoints.myip.kind", ErrStructure, "myip"},
		{"http body too large", []string{"        as: 80\n", "        as: 80\n        http_options:\n          max_body_size: 104857601\n"}, "services.web.expose[0].http_options.max_body_size", ErrExpose, "104857601"},
		{"unknown next case", []string{"        as: 80\n", "        as: 80\n        http_options:\n          next_cases: [oops]\n"}, "services.web.expose[0].http_options.next_cases", ErrExpose, "[oops]"},
		{"duplicate accept host", []string{"        as: 80\n", "        as: 80\n        accept: [a.example.com, a.example.com]\n"}, "services.web.expose[0].accept", ErrDuplicate, ""},
		{"bad accept host", []string{"        as: 80\n", "        as: 80\n        accept: [\"http://x\"]\n"}, "services.web.expose[0].accept[0]", ErrExpose, `"http://x"`},
		{"gpu units without vendor", []string{"          size: 1Gi\n", "          size: 1Gi\n        gpu:\n          units: 1\n"}, "profiles.compute.small.resources.gpu.attributes", ErrGPU, "gpu:"},
		{"gpu vendor without units", []string{"          size: 1Gi\n", "          size: 1Gi\n        gpu:\n          units: 0\n          attributes:\n            vendor:\n              nvidia:\n"}, "profiles.compute.small.resources.gpu.attributes", ErrGPU, "attributes:\n            vendor"},
		{"gpu too many", []string{"          size: 1Gi\n", "          size: 1Gi\n        gpu:\n          units: 25\n          attributes:\n            vendor:\n              nvidia:\n"}, "profiles.compute.small.resources.gpu.units", ErrLimit, "units: ^25"},
		{"gpu bad interface", []string{"          size: 1Gi\n", "          size: 1Gi\n        gpu:\n          units: 1\n          attributes:\n            vendor:\n              nvidia:\n                - model: a100\n                  interface: nvlink\n"}, "profiles.compute.small.resources.gpu.attributes.vendor.nvidia[0].interface", ErrGPU, "nvlink"},
		{"cpu attribute unsupported", []string{"units: 0.5", "units: 0.5\n          attributes: {vendor: intel}"}, "profiles.compute.small.resources.cpu.attributes.vendor", ErrUnknownKey, "vendor"},
		{"duplicate volume", []string{"          size: 1Gi\n", "          - size: 1Gi\n          - size: 2Gi\n"}, "profiles.compute.small.resources.storage[1].name", ErrDuplicate, "- ^size: 2Gi"},
		{"class without persistent", []string{"          size: 1Gi\n", "          - size: 1Gi\n          - name: data\n            size: 2Gi\n            attributes:\n              class: beta2\n"}, "profiles.compute.small.resources.storage[1].attributes", ErrStorage, "beta2"},
		{"unknown storage class", []string{"          size: 1Gi\n", "          - size: 1Gi\n          - name: data\n            size: 2Gi\n            attributes:\n              persistent: true\n              class: gold\n"}, "profiles.compute.small.resources.storage[1].attributes.class", ErrStorage, "gold"},
		{"persistent ram", []string{"          size: 1Gi\n", "          - size: 1Gi\n          - name: shm\n            size: 2Gi\n            attributes:\n              persistent: true\n              class: ram\n"}, "profiles.compute.small.resources.storage[1].attributes", ErrStorage, "ram\n"},
		{"persistent volume not mounted", []string{"          size: 1Gi\n", "          - size: 1Gi\n          - name: data\n            size: 2Gi\n            attributes:\n              persistent: true\n"}, "services.db.params.storage", ErrStorage, "db:\n    image"},
		{"mount of undefined volume", []string{"    image: postgres:16\n", "    image: postgres:16\n    params:\n      storage:\n        data:\n          mount: /data\n"}, "services.db.params.storage.data", ErrReference, "data:\n          mount"},
		{"relative mount", []string{"          size: 1Gi\n", "          - size: 1Gi\n          - name: data\n            size: 2Gi\n",
			"    image: postgres:16\n", "    image: postgres:16\n    params:\n      storage:\n        data:\n          mount: data\n"}, "services.db.params.storage.data.mount", ErrStorage, "mount: ^data\n"},
		{"two denominations", []string{"  placement:\n", "    big:\n      resources:\n        cpu: {units: 1}\n        memory: {size: 1Gi}\n        storage: {size: 1Gi}\n  placement:\n",
			"          amount: 100\n", "          amount: 100\n        big:\n          denom: uact\n          amount: 100\n",
			"  db:\n    west:\n      profile: small", "  db:\n    west:\n      profile: big"}, "profiles.placement.west.pricing.small.denom", ErrPrice, "^small:\n          denom: uakt"},
		{"empty placement attribute key", []string{"    west:\n      pricing:", "    west:\n      attributes:\n        \"\": y\n      pricing:"}, "profiles.placement.west.attributes", ErrName, `"": y`},
		{"invalid yaml", []string{"    image: nginx:1.25\n", "    image: [nginx\n"}, "", ErrSyntax, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := mutate(t, tc.repl...)
			_, err := Parse("m.yaml", []byte(doc))
			var el ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("got %v (%T), want an ErrorList", err, err)
			}
			var hit *FieldError
			for _, fe := range el {
				if fe.Path == tc.path && errors.Is(fe, tc.err) {
					hit = fe
				}
				if fe.Problem == "" || fe.Hint == "" || fe.Line < 0 {
					t.Errorf("incomplete error: %#v", fe)
				}
			}
			if hit == nil {
				t.Fatalf("no %v error at %s; got:\n%v", tc.err, tc.path, err)
			}
			if tc.at != "" {
				line, col := position(t, doc, tc.at)
				if hit.Line != line || hit.Column != col {
					t.Errorf("error at %d:%d, want %d:%d (%q): %v", hit.Line, hit.Column, line, col, tc.at, hit)
				}
			}
			if !strings.HasPrefix(hit.Error(), "m.yaml:") {
				t.Errorf("error text %q does not start with the file name", hit.Error())
			}
		})
	}
}

func TestAllErrorsReported(t *testing.T) {
	doc := mutate(t, "512Mi", "2gi", "port: 80", "port: 0", "  db:\n    west:\n      profile: small", "  db:\n    west:\n      profile: large")
	_, err := Parse("m.yaml", []byte(doc))
	var el ErrorList
	if !errors.As(err, &el) {
		t.Fatalf("want ErrorList, got %v", err)
	}
	want := []string{"services.web.expose[0].port", "profiles.compute.small.resources.memory.size", "deployment.db.west.profile"}
	for _, w := range want {
		found := false
		for _, fe := range el {
			found = found || fe.Path == w
		}
		if !found {
			t.Errorf("missing error at %s in:\n%v", w, err)
		}
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != len(el) {
		t.Errorf("Error() prints %d lines for %d errors", n, len(el))
	}
	for i := 1; i < len(el); i++ {
		if el[i].Line < el[i-1].Line {
			t.Errorf("errors not in file order: %v", err)
		}
	}
}

func TestWarnings(t *testing.T) {
	doc := mutate(t, "    image: postgres:16\n", "    image: postgres:16\n    depends_on: [web]\n", "          - service: web", "          - servcie: web")
	m, err := Parse("m.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	w := m.Warnings()
	if len(w) != 3 || w[0].Path != "services.db.depends_on" {
		t.Fatalf("warnings:\n%v", w)
	}
}

func TestVersion21(t *testing.T) {
	doc := mutate(t, `"2.0"`, `"2.1"`, "          size: 1Gi\n", "          - size: 1Gi\n          - name: data\n            size: 2Gi\n            attributes:\n              persistent: true\n")
	m, err := Parse("m.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("2.1 does not require every persistent volume to be mounted: %v", err)
	}
	if m.SDLVersion() != "2.1" {
		t.Errorf("version %q", m.SDLVersion())
	}
	for _, v := range []string{`"2"`, `"2.0.0"`, `v2.0`, `2.0`, `"02.00"`, `" 2.0 "`, `"2.0.0+build.1"`, `"2.1.5"`, `"2.1.1-rc1"`} {
		if _, err := Parse("m.yaml", []byte(mutate(t, `"2.0"`, v))); err != nil {
			t.Errorf("version %s: %v", v, err)
		}
	}
	for _, v := range []string{`"2.2"`, `"1.0"`, `"2.0.1"`, `"two"`, `[2]`, `"2.0.0-rc1"`, `"2.1.0-rc1"`, `"2.1-rc"`, `""`} {
		if _, err := Parse("m.yaml", []byte(mutate(t, `"2.0"`, v))); err == nil {
			t.Errorf("version %s accepted", v)
		}
	}
}
