package manage_test

import (
	"strings"
	"testing"

	"github.com/akash-market/akash/provider/manage"
)

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, policy, yaml string
		want               []string // every line expected, in order
	}{
		{"unknown key with a suggestion", manage.PolicyMLBatch, "input: {file: q.prom}\nsdl: w.yaml\ndeposit: 1uakt\nmax_worker: 3\n",
			[]string{`m.yaml:4:1: max_worker: unknown key; did you mean "max_workers"?`, "m.yaml:1:1: max_workers: missing or not positive"}},
		{"wrong type at its place", manage.PolicyDelivery, "input: {url: http://x/metrics}\nsdl: w.yaml\ndeposit: 1uakt\nregions: us-east\ntarget_ms: 50\nusers_per_group: 10\n",
			[]string{`m.yaml:4:10: regions: cannot read "us-east"`, "m.yaml:4:10: regions: missing"}},
		{"both inputs, unknown input key", manage.PolicyMLBatch, "input:\n  url: http://x\n  file: y\n  queue: q\nsdl: w.yaml\ndeposit: 1uakt\nmax_workers: 2\n",
			[]string{`m.yaml:4:3: input.queue: unknown key; keys allowed in input: url, file`, "m.yaml:2:3: input: give exactly one of url and file"}},
		{"latency names an unknown region", manage.PolicyDelivery, "input: {file: l}\nsdl: w.yaml\ndeposit: 1uakt\nregions: [a, b]\nlatency_ms: {a: {c: 10}}\ntarget_ms: 50\nusers_per_group: 10\n",
			[]string{`m.yaml:5:13: latency_ms: a.c: region "c" is not in regions [a b]`}},
		{"numbers that do not fit the decision's integers", manage.PolicyDelivery, "input: {file: l}\nsdl: w.yaml\ndeposit: 1uakt\nregions: [a, b]\nlatency_ms: {a: {b: .inf}}\ntarget_ms: 1e300\nusers_per_group: 2e9\n",
			[]string{`m.yaml:5:13: latency_ms: a.b: +Inf ms`, "m.yaml:6:12: target_ms: missing, not positive or over an hour", "m.yaml:7:18: users_per_group: missing, not positive or over 1e9"}},
		{"bad policy", "batch", "input: {file: l}\nsdl: w.yaml\ndeposit: 1uakt\n", []string{`m.yaml: --policy: "batch" is not a policy; want delivery-network or ml-batch`}},
		{"syntax", manage.PolicyMLBatch, "input: [\n", []string{"m.yaml:"}},
	} {
		_, err := manage.ParseConfig("m.yaml", []byte(tc.yaml), tc.policy)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		for i, w := range tc.want {
			if i >= len(lines) || !strings.HasPrefix(lines[i], w) {
				t.Errorf("%s: error\n%s\nwant line %d to start %q", tc.name, err, i+1, w)
			}
		}
	}
}

func TestLatencyMatrix(t *testing.T) {
	c, err := manage.ParseConfig("m.yaml", []byte("input: {file: l}\nsdl: w\ndeposit: 1uakt\nregions: [a, b, c]\nlatency_ms: {a: {b: 10, a: 1}, b: {a: 30}}\ndefault_latency_ms: 99\ntarget_ms: 5\nusers_per_group: 1\n"), manage.PolicyDelivery)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int64{{1000, 30000, 99000}, {30000, 0, 99000}, {99000, 99000, 0}}
	got := c.Latency()
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Fatalf("latency %v, want %v", got, want)
			}
		}
	}
}

func TestParseMetrics(t *testing.T) {
	in := "# HELP users users now\n# TYPE users gauge\nusers{region=\"us-east\",tier=\"a\"} 120\nusers{region=\"eu-west\"} 3.5 1700000000\nusers{region=\"mars\"} 9\nqueue_length 4\n\nusers{region=\"a\\\"b\"} 1\n"
	s, err := manage.ParseMetrics(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 5 || s[0].Labels["tier"] != "a" || s[1].Value != 3.5 || s[4].Labels["region"] != `a"b` {
		t.Fatalf("samples %+v", s)
	}
	c, _ := manage.ParseConfig("m", []byte("input: {file: l}\nsdl: w\ndeposit: 1uakt\nregions: [us-east, eu-west]\ntarget_ms: 5\nusers_per_group: 1\n"), manage.PolicyDelivery)
	l, err := c.LoadFrom(s)
	if err != nil || l.Users[0] != 120_000 || l.Users[1] != 3_500 || l.Queue != 4 {
		t.Fatalf("load %+v %v", l, err)
	}
	if _, err := c.LoadFrom([]manage.Sample{{Name: "users", Labels: map[string]string{"region": "us-east"}, Value: 2e9}}); err == nil ||
		!strings.Contains(err.Error(), "from 0 to 1e9") {
		t.Errorf("2e9 users in a region: %v; want refused (core/policy's integers)", err)
	}
	for _, bad := range []string{"users{region=\"x\" 1", "users", "users{region=x} 1", "users{} one", "users 1 2 3"} {
		if _, err := manage.ParseMetrics(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "metrics line 1") {
			t.Errorf("%q: %v; want an error naming line 1", bad, err)
		}
	}
}

func FuzzParseMetrics(f *testing.F) {
	f.Add("users{region=\"us-east\"} 120\nqueue_length 4\n")
	f.Add("a{b=\"c\\\"d\",e=\"\"} -1e9 5\n# x\n")
	f.Fuzz(func(t *testing.T, s string) {
		samples, err := manage.ParseMetrics(strings.NewReader(s))
		if err == nil && len(samples) > strings.Count(s, "\n")+1 {
			t.Fatalf("%d samples from %d lines", len(samples), strings.Count(s, "\n")+1)
		}
	})
}

func FuzzParseConfig(f *testing.F) {
	f.Add("input: {file: l}\nsdl: w\ndeposit: 1uakt\nregions: [a]\ntarget_ms: 5\nusers_per_group: 1\n")
	f.Add("input: [\n")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := manage.ParseConfig("m.yaml", []byte(s), manage.PolicyDelivery)
		if err == nil {
			_ = c.Latency()
		}
	})
}

// TestConfigFromEnv: a manager run as a service of its deployment reads its
// config and SDL from env:NAME (the SDL's env); errors name env:NAME:line:col,
// and an unset variable is named.
func TestConfigFromEnv(t *testing.T) {
	t.Setenv("AKASH_MANAGE_CONFIG", "input: {url: http://web:9100/metrics}\nsdl: env:AKASH_MANAGE_SDL\ndeposit: 5000000uakt\nmax_workers: 2\n")
	c, err := manage.LoadConfig("env:AKASH_MANAGE_CONFIG", manage.PolicyMLBatch)
	if err != nil {
		t.Fatal(err)
	}
	if c.SDLPath() != "env:AKASH_MANAGE_SDL" || c.MaxWorkers != 2 || c.Input.URL != "http://web:9100/metrics" {
		t.Fatalf("config from env: sdl %q, %+v", c.SDLPath(), c)
	}
	t.Setenv("AKASH_MANAGE_SDL", "version: \"2.0\"\n")
	if b, err := manage.ReadSource(c.SDLPath()); err != nil || string(b) != "version: \"2.0\"\n" {
		t.Fatalf("sdl from env: %q, %v", b, err)
	}
	t.Setenv("AKASH_MANAGE_CONFIG", "input: {url: http://x}\nsdl: env:S\ndeposit: 1uakt\nmax_workrs: 2\n")
	if _, err := manage.LoadConfig("env:AKASH_MANAGE_CONFIG", manage.PolicyMLBatch); err == nil || !strings.HasPrefix(err.Error(), `env:AKASH_MANAGE_CONFIG:4:1: max_workrs: unknown key; did you mean "max_workers"?`) {
		t.Fatalf("error from an env config: %v", err)
	}
	if _, err := manage.LoadConfig("env:AKASH_NO_SUCH_VAR", manage.PolicyMLBatch); err == nil || !strings.Contains(err.Error(), "the environment variable AKASH_NO_SUCH_VAR is unset or empty") {
		t.Fatalf("unset variable: %v", err)
	}
	if c := (&manage.Config{File: "/etc/akash/manage.yaml", SDL: "web.yaml"}); c.SDLPath() != "/etc/akash/web.yaml" {
		t.Fatalf("relative sdl: %q", c.SDLPath())
	}
}
