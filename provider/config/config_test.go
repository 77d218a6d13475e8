package config

import (
	"strings"
	"testing"
)

func TestExampleParses(t *testing.T) {
	c, err := Parse("provider.yaml", []byte(Example))
	if err != nil {
		t.Fatal(err)
	}
	if c.Engine.ManifestTimeout != 50 || c.Engine.WithdrawPeriod != 600 || c.Engine.BidRetries != 2 {
		t.Fatalf("engine %+v", c.Engine)
	}
	if c.Stake.String() != "100000000uakt" {
		t.Fatalf("stake %s", c.Stake)
	}
	if c.Engine.Deposit.String() != "5000000uakt" {
		t.Fatalf("deposit %s", c.Engine.Deposit)
	}
	if len(c.Pools) != 2 || c.Pools[0].Capacity.CPUMillis != 16000 || c.Pools[1].Capacity.GPUUnits != 4 || c.Pools[0].Capacity.MemoryBytes != 64<<30 {
		t.Fatalf("pools %+v", c.Pools)
	}
	if c.Pools[1].Attributes[0].Key != "gpu-model" {
		t.Fatalf("pool attributes %+v", c.Pools[1].Attributes)
	}
	if c.Attributes[0].Key != "region" || c.Attributes[1].Key != "tier" {
		t.Fatalf("attributes not sorted: %+v", c.Attributes)
	}
	if c.Pricing.MarginBPS != 1500 || c.Pricing.CPU.ShortString() != "0.5" {
		t.Fatalf("pricing %+v", c.Pricing)
	}
	if len(c.Containers.Images) != 2 || len(c.Containers.Capabilities) != 2 || c.Containers.Isolation != "iptables" {
		t.Fatalf("containers %+v", c.Containers)
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse("p.yaml", []byte("pools: [{name: m, cpu: '2', memory: 4Gi}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Engine.ManifestTimeout != DefaultManifestTimeout || c.Engine.StallAfter != DefaultStallAfter || c.Pricing.Denom != "uakt" {
		t.Fatalf("defaults not applied: %+v", c.Engine)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"typo", "pols: []\n", `did you mean "pools"?`},
		{"no pools", "attributes: {region: eu}\n", "pools: none"},
		{"bad attribute key", "attributes: {a: b}\npools: [{name: m}]\n", "attributes.a: not a valid attribute key"},
		{"bad cpu", "pools: [{name: m, cpu: lots}]\n", `pools[0].cpu: "lots"`},
		{"bad memory", "pools: [{name: m, memory: 4GB!}]\n", `pools[0].memory`},
		{"bad stake", "stake: lots\npools: [{name: m}]\n", "stake: want a whole amount"},
		{"bad deposit", "deposit: uakt\npools: [{name: m}]\n", "deposit: want a whole amount"},
		{"negative timeout", "manifest-timeout-blocks: -1\npools: [{name: m}]\n", "manifest-timeout-blocks: -1"},
		{"http host", "host-uri: http://x\npools: [{name: m}]\n", "must start with https://"},
		{"bad rate", "pricing: {cpu: abc}\npools: [{name: m}]\n", `pricing.cpu "abc"`},
		{"duplicate pool", "pools: [{name: m}, {name: m}]\n", `name "m" used twice`},
		{"bad image entry", "pools: [{name: m}]\ncontainers: {images: [\"Bad Name\"]}\n", `containers.images: runtime: Options.Images: "Bad Name"`},
		{"bad capability", "pools: [{name: m}]\ncontainers: {capabilities: [CHOWN, FLY]}\n", `containers.capabilities[1]: "FLY" is not a Linux capability`},
		{"bad isolation", "pools: [{name: m}]\ncontainers: {isolation: none}\n", `containers.isolation: "none"; want "iptables"`},
		{"containers typo", "pools: [{name: m}]\ncontainers: {image: [x]}\n", `did you mean "images"?`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "p.yaml") {
				t.Fatalf("got %v, want an error starting with the file name and containing %q", err, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(Example))
	f.Add([]byte("pools: [{name: m, cpu: '2'}]\n"))
	f.Add([]byte("deposit: 1uakt\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// Whatever parses builds a valid engine config and inventory.
		c.Engine.Provider = "akash1x"
		if err := c.Engine.Validate(); err != nil {
			t.Fatalf("parsed config fails engine validation: %v", err)
		}
	})
}
