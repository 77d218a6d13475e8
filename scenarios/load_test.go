package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/akash-market/akash/sim"
)

// TestLoadErrors: each bad file gives exactly these lines, in this order.
func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name string
		file string
		set  []string
		want []string
	}{
		{
			name: "unknown key with suggestion and allowed keys",
			file: "providers:\n  - capacity: {cpus: 4}\n",
			want: []string{`s.yaml:2:16: providers[0].capacity.cpus: unknown key; did you mean "cpu"? keys allowed in providers[0].capacity: cpu, memory, storage, gpu, bandwidth`},
		},
		{
			name: "unknown top-level key without a near match",
			file: "name: x\nzzzzzzzzzz: 1\n",
			want: []string{`s.yaml:2:1: zzzzzzzzzz: unknown key; keys allowed in the top level: name, description, seed, duration, block_time, sample_every, market, regions, tenants, providers, tiers, metrics, outputs`},
		},
		{
			name: "type errors name what is allowed",
			file: "market:\n  take_rate_bps: lots\nproviders:\n  - capacity:\n      cpu: \"lots\"\n      memory: 8 gigs\n",
			want: []string{
				`s.yaml:2:18: market.take_rate_bps: "lots" is not a whole number ≥ 0; want a whole number from 0 to 4294967295`,
				`s.yaml:5:12: providers[0].capacity.cpu: cpu "lots": want cores ("2", "0.5") or millicores ("250m")`,
				`s.yaml:6:15: providers[0].capacity.memory: size "8 gigs": want a number with an optional unit Ki Mi Gi Ti (1024-based) or k M G T (1000-based), e.g. 512Mi`,
			},
		},
		{
			name: "structure errors",
			file: "regions: us-east\ntenants:\n  arrival: x\nmarket: [1]\n",
			want: []string{
				`s.yaml:1:10: regions: is the value "us-east", want a list; write one item per line starting with '- '`,
				`s.yaml:3:3: tenants: is a mapping, want a list; write one item per line starting with '- '`,
				`s.yaml:4:9: market: is a list, want a mapping of keys; keys allowed here: denom, bidding_window, reveal_window, take_rate_bps, bid_deposit, min_deposit, unbonding_period, slash_fault_bps, reorder_on_fault, matching, bid_timeout, withdraw_every, reference`,
			},
		},
		{
			name: "validation problems placed on their key or its parent",
			file: "block_time: 6s\nsample_every: 10s\nproviders:\n  - name: a\n    pricing:\n      strategy: cheap\n  - name: b\n",
			want: []string{
				`s.yaml:6:17: providers[0].pricing.strategy: "cheap" is not a registered strategy; use one of cost-plus, random-band, undercut, utilisation (or register it from Go: docs/simulator.md, Extensions)`,
				`s.yaml:2:1: sample_every: 10s is not a multiple of block_time 6s; samples are taken on blocks; use 6s or 12s`,
			},
		},
		{
			name: "an extension's keys are its kind's: decoded, then checked by the kind",
			file: "providers:\n  - name: a\n    pricing: {strategy: utilisation, margin_bps: 10, min_margin_bps: 900, max_margin_bps: 100}\n" +
				"    agent: {kind: default, max_utilisation_bps: x}\n" +
				"tenants:\n  - agent: {kind: raise-on-miss, retries: -1}\nmetrics:\n  - {kind: price-index, above: 0}\n  - kind: nope\n",
			want: []string{
				`s.yaml:3:38: providers[0].pricing.margin_bps: unknown key; did you mean "min_margin_bps"? keys allowed in providers[0].pricing: strategy, min_margin_bps, max_margin_bps`,
				`s.yaml:4:49: providers[0].agent.max_utilisation_bps: "x" is not a whole number; want a whole number such as 50`,
				`s.yaml:9:11: metrics[1].kind: "nope" is not a registered metric; use one of price-index (or register it from Go: docs/simulator.md, Extensions)`,
				`s.yaml:6:34: tenants[0].agent.retries: is -1; use 0..100 re-posts of an unmatched order`,
				`s.yaml:3:75: providers[0].pricing.max_margin_bps: 100 is below min_margin_bps 900; make max_margin_bps ≥ min_margin_bps`,
				`s.yaml:8:25: metrics[0].above: is 0; use a positive multiple of the reference cost, e.g. 1.2`,
			},
		},
		{
			name: "absent key placed at the parent",
			file: "name: x\ntiers:\n  delivery_network:\n    max_groups: 2\n",
			want: []string{
				`s.yaml:3:3: tiers.delivery_network.users: is empty; the network would serve no one; give users by region, e.g. us-east: {peak: 5000, amplitude: 0.6, peak_at: 20h}`,
			},
		},
		{
			name: "duplicate key",
			file: "seed: 1\nseed: 2\n",
			want: []string{`s.yaml:2:1: seed: is given twice; keep one`},
		},
		{
			name: "syntax error",
			file: "name: x\n  bad: indent\n",
			want: []string{`s.yaml:2:1: is not valid YAML: mapping values are not allowed in this context; check the indentation and the ':' after each key`},
		},
		{
			name: "not a mapping",
			file: "- 1\n",
			want: []string{`s.yaml:1:1: is a list, want a mapping of keys; start with keys such as name:, duration:, market:`},
		},
		{
			name: "two documents",
			file: "name: a\n---\nname: b\n",
			want: []string{`s.yaml:2:1: has more than one YAML document; keep one scenario per file (remove the second '---')`},
		},
		{
			name: "overrides: unknown path, bad index, bad value, no '='",
			file: "providers:\n  - count: 5\n",
			set:  []string{"market.take_rate=5", "providers[3].count=1", "providers[0].count=abc", "tenants[0]", "seed.x=1"},
			want: []string{
				`--set market.take_rate=5: market.take_rate: unknown key; did you mean "take_rate_bps"? keys allowed in market: denom, bidding_window, reveal_window, take_rate_bps, bid_deposit, min_deposit, unbonding_period, slash_fault_bps, reorder_on_fault, matching, bid_timeout, withdraw_every, reference`,
				`--set providers[3].count=1: providers[3]: is past the end of a list of 1; use an index from 0 to 1 (1 appends an item)`,
				`--set tenants[0]: has no '='; write key.path=value, e.g. market.take_rate_bps=500`,
				`--set seed.x=1: seed: is a single value; it has no key "x"; set seed itself`,
				`--set providers[0].count=abc: providers[0].count: "abc" is not a whole number; want a whole number such as 50`,
			},
		},
		{
			name: "validation problem caused by an override",
			set:  []string{"market.take_rate_bps=20000"},
			want: []string{`--set market.take_rate_bps=20000: market.take_rate_bps: 20000 is more than 100%; use basis points 0..10000 (200 = 2%)`},
		},
		{
			name: "a bad value is reported once, not again by Validate",
			file: "tenants:\n  - valuation: {kind: uniform, min: 2, max: x}\n",
			want: []string{`s.yaml:2:45: tenants[0].valuation.max: "x" is not a number; want a number such as 0.5 or 120`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := Load("s.yaml", []byte(c.file), c.set)
			if err == nil {
				t.Fatalf("loaded: %+v", sc)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("errors.Is(err, ErrInvalid) is false")
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("got:\n%s\nwant:\n%s", err, strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestLoadDefaultsAndOverrides(t *testing.T) {
	file := `
name: mine
market:
  take_rate_bps: 0          # an explicit zero stays zero
regions:
  - name: here
  - name: there
    latency: {here: 30ms}
tenants:
  - name: web
    arrival: {rate_per_hour: 10}
    demand:
      - {cpu: 500m, memory: 1Gi, weight: 3}
      - {cpu: 2, memory: 4Gi}
    lease_length: 3600      # a number alone is a constant
  - name: batch
providers:
  - &base
    name: small
    count: 3
    regions: {here: 1}
    cost: {kind: const, value: 0.7}
  - <<: *base
    name: big
    capacity: {cpu: 64}
tiers:
  ml_batch: {}
`
	sc, err := Load("mine.yaml", []byte(file), []string{
		"providers[0].count=50",
		"tenants[0].arrival.rate_per_hour=120",
		"providers[2].name=new",
		"tiers.ml_batch=~",
		"providers[2].capacity.gpu=4",
		"description=a run",
	})
	if err != nil {
		t.Fatal(err)
	}
	d := Defaults()
	if sc.Name != "mine" || sc.Description != "a run" || sc.Market.TakeRateBPS != 0 || sc.Market.Denom != "uakt" || sc.BlockTime != d.BlockTime {
		t.Errorf("top level: %+v", sc)
	}
	if len(sc.Regions) != 2 || sc.Regions[1].Latency["here"] != sim.Duration(30*time.Millisecond) {
		t.Errorf("regions: %+v", sc.Regions)
	}
	web, batch := sc.Tenants[0], sc.Tenants[1]
	if web.Arrival.RatePerHour != 120 || web.Arrival.Process != "poisson" || web.Valuation != DefaultTenantClass().Valuation {
		t.Errorf("web: %+v", web)
	}
	if web.LeaseLength != (sim.Dist{Kind: "const", Value: 3600}) {
		t.Errorf("lease_length: %+v", web.LeaseLength)
	}
	if s := web.Demand[0]; s.CPU != 500 || s.Weight != 3 || s.Count != 1 {
		t.Errorf("demand[0]: %+v", s)
	}
	if s := web.Demand[1]; s.CPU != 2000 || s.Weight != 1 {
		t.Errorf("demand[1]: %+v", s)
	}
	if batch.Arrival.RatePerHour != 300 || batch.LeaseLength != DefaultTenantClass().LeaseLength {
		t.Errorf("batch takes the class defaults: %+v", batch)
	}
	if len(sc.Providers) != 3 {
		t.Fatalf("providers: %+v", sc.Providers)
	}
	small, big, added := sc.Providers[0], sc.Providers[1], sc.Providers[2]
	if small.Count != 50 || small.Cost.Value != 0.7 || small.Capacity.CPU != 32000 {
		t.Errorf("small: %+v", small)
	}
	if big.Name != "big" || big.Count != 3 || big.Capacity.CPU != 64000 || big.Capacity.Memory != DefaultProviderClass().Capacity.Memory || big.Regions["here"] != 1 {
		t.Errorf("big (merged from small): %+v", big)
	}
	if added.Name != "new" || added.Count != 100 || added.Capacity.GPU != 4 || len(added.Regions) != 2 {
		t.Errorf("appended class: %+v", added)
	}
	if sc.Tiers.MLBatch != nil {
		t.Errorf("tiers.ml_batch=~ should turn the tier off")
	}
}

func TestLoadEmptyIsDefaults(t *testing.T) {
	sc, err := Load("empty.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Defaults()
	FillImplied(&want)
	want.Name, want.Description = "empty", ""
	if got, w := fmtScenario(sc), fmtScenario(&want); got != w {
		t.Errorf("empty file:\n got %s\nwant %s", got, w)
	}
}

func TestOverrideTurnsTierOn(t *testing.T) {
	sc, err := Load("x.yaml", []byte("name: x\n"), []string{"tiers.delivery_network.users.us-east={peak: 100}"})
	if err != nil {
		t.Fatal(err)
	}
	dn := sc.Tiers.DeliveryNetwork
	if dn == nil || dn.Users["us-east"].Peak != 100 || dn.MaxGroups != DefaultDeliveryNetwork().MaxGroups || dn.HomeRegion != "us-east" {
		t.Fatalf("delivery_network: %+v", dn)
	}
}

// TestOverrideEditsDefaultList: an index into a list the file leaves out
// edits the default list, not a new one.
func TestOverrideEditsDefaultList(t *testing.T) {
	sc, err := Load("x.yaml", []byte("name: x\n"), []string{"providers[1].count=5", "providers[0].pricing.strategy=undercut"})
	if err != nil {
		t.Fatal(err)
	}
	d := Defaults()
	if len(sc.Providers) != len(d.Providers) || sc.Providers[1].Count != 5 || sc.Providers[1].Capacity != d.Providers[1].Capacity ||
		sc.Providers[0].Pricing.Kind != "undercut" || sc.Providers[0].Count != d.Providers[0].Count {
		t.Fatalf("providers: %+v", sc.Providers)
	}
}

// TestOverrideSwitchesStrategy: --set …pricing.strategy=X starts from X's
// defaults, keeping the file's keys X also takes and dropping the others;
// a key of the kind then set is checked against that kind.
func TestOverrideSwitchesStrategy(t *testing.T) {
	file := []byte("providers:\n  - name: a\n    pricing: {strategy: cost-plus, margin_bps: 3000}\n")
	for _, c := range []struct {
		set  []string
		want string
	}{
		{[]string{"providers[0].pricing.strategy=undercut"}, "undercut{NoFeedback:{} UndercutBPS:100 MinMarginBPS:500 MarginBPS:3000}"},
		{[]string{"providers[0].pricing.strategy=utilisation", "providers[0].pricing.max_margin_bps=7000"},
			"utilisation{NoFeedback:{} MinMarginBPS:500 MaxMarginBPS:7000}"},
		{[]string{"providers[0].pricing.margin_bps=100"}, "cost-plus{NoFeedback:{} MarginBPS:100}"},
		{[]string{"providers[0].agent.max_utilisation_bps=5000"}, "cost-plus{NoFeedback:{} MarginBPS:3000}"},
	} {
		sc, err := Load("x.yaml", file, c.set)
		if err != nil {
			t.Fatalf("%v: %v", c.set, err)
		}
		if got := sc.Providers[0].Pricing.String(); got != c.want {
			t.Errorf("%v: pricing %s, want %s", c.set, got, c.want)
		}
	}
	_, err := Load("x.yaml", file, []string{"providers[0].pricing.strategy=utilisation", "providers[0].pricing.undercut_bps=5"})
	if err == nil || !strings.Contains(err.Error(), "--set providers[0].pricing.undercut_bps=5: providers[0].pricing.undercut_bps: unknown key") {
		t.Fatalf("a key utilisation does not take: %v", err)
	}
}

func TestOverrideDoesNotEditAnchorUsers(t *testing.T) {
	file := "providers:\n  - &p {name: a, count: 2}\n  - <<: *p\n    name: b\n"
	sc, err := Load("x.yaml", []byte(file), []string{"providers[0].count=9"})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Providers[0].Count != 9 {
		t.Errorf("providers[0].count = %d, want 9", sc.Providers[0].Count)
	}
}

// TestAliasBomb: a small file whose aliases expand to millions of values
// is refused rather than decoded.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("tenants:\n  - &t\n    demand:\n      - &s {cpu: 1, memory: 1Gi}\n")
	for range 400 {
		b.WriteString("      - *s\n")
	}
	for range 400 {
		b.WriteString("  - *t\n")
	}
	_, err := Load("bomb.yaml", []byte(b.String()), nil)
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Fatalf("want the expansion limit, got %.300v", err)
	}
}

// fmtScenario prints a scenario with its maps sorted (fmt sorts them).
func fmtScenario(sc *sim.Scenario) string { return fmt.Sprintf("%+v", *sc) }

func FuzzLoad(f *testing.F) {
	for _, name := range Shipped() {
		data, _ := Source(name)
		f.Add(data, "providers[0].count=5")
	}
	f.Add(Template(), "tiers.ml_batch.max_workers=3")
	f.Add([]byte("providers:\n  - &p {name: a}\n  - <<: *p\n"), "providers[1].regions={x: 1}")
	f.Add([]byte("a: &a [*a]\n"), "a=1")
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		sc, err := Load("fuzz.yaml", data, []string{set})
		if err == nil {
			if sc == nil {
				t.Fatal("nil scenario without an error")
			}
			if verr := Validate(sc); verr != nil {
				t.Fatalf("Load returned a scenario that does not validate: %v", verr)
			}
			return
		}
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v is not ErrInvalid", err)
		}
		if strings.Contains(err.Error(), "report this file as a bug") {
			t.Fatalf("Load recovered from a panic: %v", err)
		}
	})
}
