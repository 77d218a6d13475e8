// Package config reads the provider daemon's configuration file
// (provider.yaml): attributes, bid deposit, timeouts in blocks, the pricing
// rate card and the capacity pools. Unknown keys are errors that name the
// key and suggest the nearest known one.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/provider/bidengine"
	"github.com/akash-market/akash/provider/inventory"
	"github.com/akash-market/akash/provider/pricing"
	"github.com/akash-market/akash/runtime"
)

// File is provider.yaml as written.
type File struct {
	HostURI         string                 `yaml:"host-uri"`
	Attributes      map[string]string      `yaml:"attributes"`
	Deposit         string                 `yaml:"deposit"`
	Stake           string                 `yaml:"stake"`
	ManifestTimeout int64                  `yaml:"manifest-timeout-blocks"`
	WithdrawPeriod  int64                  `yaml:"withdraw-period-blocks"`
	StallAfter      int64                  `yaml:"stall-after-blocks"`
	BidRetries      *int                   `yaml:"bid-retries"`
	Pricing         pricing.RateCardConfig `yaml:"pricing"`
	Pools           []PoolFile             `yaml:"pools"`
	Containers      ContainersFile         `yaml:"containers"`
}

// ContainersFile is what the provider agrees to run and how it isolates it
// (every key optional).
type ContainersFile struct {
	// Images is the allow-list: image IDs (sha256:...), name@sha256:...,
	// name:tag or a bare name (any tag). Absent: any image on the engine.
	Images []string `yaml:"images"`
	// Capabilities a service may ask for in params.capabilities; absent:
	// Docker's default set (runtime.DefaultCapabilities).
	Capabilities []string `yaml:"capabilities"`
	// Isolation: "iptables" (default) or "docker" (runtime.Options.Isolation).
	Isolation string `yaml:"isolation"`
}

// PoolFile is one capacity pool: sizes as in manifests (cpu "8" or "500m",
// memory "16Gi", bandwidth bytes/s "100Mi").
type PoolFile struct {
	Name       string            `yaml:"name"`
	Attributes map[string]string `yaml:"attributes"`
	CPU        string            `yaml:"cpu"`
	Memory     string            `yaml:"memory"`
	Storage    string            `yaml:"storage"`
	GPU        uint64            `yaml:"gpu"`
	Bandwidth  string            `yaml:"bandwidth"`
}

// Config is the checked configuration.
type Config struct {
	HostURI    string
	Stake      money.Coin       // bonded stake to keep (zero: leave it as it is)
	Engine     bidengine.Config // without Provider (the key decides)
	Pricing    pricing.RateCard
	Pools      []inventory.Pool
	Attributes manifest.Attributes
	Containers ContainersFile // checked; passed to runtime.Options
}

// Defaults for keys left out, in blocks (about 6 s each).
const (
	DefaultManifestTimeout = 50  // ~5 minutes
	DefaultWithdrawPeriod  = 600 // ~1 hour
	DefaultStallAfter      = 20  // ~2 minutes
	DefaultBidRetries      = 2
)

// Example is a complete provider.yaml; `provider run --help` shows it and a
// test parses it.
const Example = `host-uri: https://provider.example.com:8443
attributes: {region: eu-west, tier: community}
deposit: 5000000uakt            # bid deposit, whole coins
stake: 100000000uakt            # bonded stake kept (bonds what is missing at start)
manifest-timeout-blocks: 50     # close a won lease with no manifest after this
withdraw-period-blocks: 600
stall-after-blocks: 20          # log + metric when no bid lands this long
bid-retries: 2
pricing:                        # per unit per block, exact decimals
  denom: uakt
  cpu: "0.5"                    # per core
  memory: "0.1"                 # per GiB
  storage: "0.01"               # per GiB
  gpu: "20"                     # per unit
  bandwidth: "0"                # per MiB/s
  margin-bps: 1500              # +15%
pools:
  - name: main
    cpu: "16"
    memory: 64Gi
    storage: 1Ti
    bandwidth: 1Gi
  - name: a100
    attributes: {gpu-model: a100}
    cpu: "32"
    memory: 256Gi
    storage: 2Ti
    gpu: 4
containers:                     # what the provider agrees to run (all optional)
  images: [ghcr.io/example/app, "nginx:1.25"]   # allow-list: name (any tag), name:tag, name@sha256:..., sha256:<image ID>; absent = any image on the engine
  capabilities: [NET_BIND_SERVICE, CHOWN]       # what a service may ask for (params.capabilities); absent = Docker's default set
  isolation: iptables           # own per-lease iptables rules (default), or docker (Docker's rules only)
`

// Parse reads provider.yaml.
func Parse(filename string, data []byte) (Config, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return Config{}, fmt.Errorf("%s: %s%s", filename, err, hint(err))
	}
	return f.Check(filename)
}

var knownKeys = []string{"host-uri", "attributes", "deposit", "stake", "manifest-timeout-blocks", "withdraw-period-blocks", "stall-after-blocks", "bid-retries", "pricing", "pools",
	"denom", "cpu", "memory", "storage", "gpu", "bandwidth", "margin-bps", "name", "containers", "images", "capabilities", "isolation"}

// hint suggests the nearest known key for yaml's "field x not found".
func hint(err error) string {
	msg := err.Error()
	i := strings.Index(msg, "field ")
	j := strings.Index(msg, " not found")
	if i < 0 || j < i {
		return ""
	}
	got := msg[i+len("field ") : j]
	best, bestD := "", 4
	for _, k := range knownKeys {
		if d := distance(got, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return "; known keys: " + strings.Join(knownKeys[:10], ", ")
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func distance(a, b string) int {
	d := make([]int, len(b)+1)
	for j := range d {
		d[j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev := d[0]
		d[0] = i
		for j := 1; j <= len(b); j++ {
			cur := d[j]
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[j] = min(d[j]+1, d[j-1]+1, prev+cost)
			prev = cur
		}
	}
	return d[len(b)]
}

// Check validates a File and fills defaults.
func (f File) Check(filename string) (Config, error) {
	bad := func(key, format string, args ...any) error {
		return fmt.Errorf("%s: %s: %s", filename, key, fmt.Sprintf(format, args...))
	}
	var c Config
	c.HostURI = f.HostURI
	if f.HostURI != "" && !strings.HasPrefix(f.HostURI, "https://") {
		return c, bad("host-uri", "%q must start with https:// (the gateway speaks mutual TLS)", f.HostURI)
	}
	c.Attributes = attrs(f.Attributes)
	for _, a := range c.Attributes {
		if !manifest.ValidAttributeKey(a.Key) {
			return c, bad("attributes."+a.Key, "not a valid attribute key: %s", manifest.AttributeKeyRule)
		}
	}
	c.Engine = bidengine.Config{
		Attributes:      c.Attributes,
		ManifestTimeout: orDefault(f.ManifestTimeout, DefaultManifestTimeout),
		WithdrawPeriod:  orDefault(f.WithdrawPeriod, DefaultWithdrawPeriod),
		StallAfter:      orDefault(f.StallAfter, DefaultStallAfter),
		BidRetries:      DefaultBidRetries,
	}
	if f.BidRetries != nil {
		c.Engine.BidRetries = *f.BidRetries
	}
	if f.Stake != "" {
		st, err := parseCoin(f.Stake)
		if err != nil {
			return c, bad("stake", "%v", err)
		}
		c.Stake = st
	}
	if f.Deposit != "" {
		d, err := parseCoin(f.Deposit)
		if err != nil {
			return c, bad("deposit", "%v", err)
		}
		c.Engine.Deposit = d
	}
	for key, v := range map[string]int64{"manifest-timeout-blocks": c.Engine.ManifestTimeout, "withdraw-period-blocks": c.Engine.WithdrawPeriod, "stall-after-blocks": c.Engine.StallAfter} {
		if v <= 0 {
			return c, bad(key, "%d; must be at least 1 block", v)
		}
	}
	if c.Engine.BidRetries < 0 {
		return c, bad("bid-retries", "%d; must be 0 or more", c.Engine.BidRetries)
	}
	if f.Pricing.Denom == "" {
		f.Pricing.Denom = "uakt"
	}
	rc, err := f.Pricing.Build()
	if err != nil {
		return c, fmt.Errorf("%s: %w", filename, err)
	}
	c.Pricing = rc
	if len(f.Pools) == 0 {
		return c, bad("pools", "none; list at least one pool with its cpu, memory and storage")
	}
	for i, p := range f.Pools {
		key := fmt.Sprintf("pools[%d]", i)
		pool := inventory.Pool{Name: p.Name, Attributes: attrs(p.Attributes)}
		if p.CPU != "" {
			if pool.Capacity.CPUMillis, err = manifest.ParseCPU(p.CPU); err != nil {
				return c, bad(key+".cpu", "%q: %v (e.g. \"16\" cores or \"500m\")", p.CPU, err)
			}
		}
		for _, s := range []struct {
			key string
			in  string
			out *uint64
		}{{"memory", p.Memory, &pool.Capacity.MemoryBytes}, {"storage", p.Storage, &pool.Capacity.StorageBytes}, {"bandwidth", p.Bandwidth, &pool.Capacity.BandwidthBps}} {
			if s.in == "" {
				continue
			}
			if *s.out, err = manifest.ParseSize(s.in); err != nil {
				return c, bad(key+"."+s.key, "%q: %v (e.g. 64Gi)", s.in, err)
			}
		}
		pool.Capacity.GPUUnits = p.GPU
		c.Pools = append(c.Pools, pool)
	}
	if _, err := inventory.New(c.Pools); err != nil {
		return c, fmt.Errorf("%s: %w", filename, err)
	}
	if err := runtime.CheckImageAllowList(f.Containers.Images); err != nil {
		return c, bad("containers.images", "%v", err)
	}
	for i, name := range f.Containers.Capabilities {
		if _, ok := manifest.CanonicalCapability(name); !ok {
			return c, bad(fmt.Sprintf("containers.capabilities[%d]", i), "%q is not a Linux capability (e.g. NET_BIND_SERVICE, CHOWN)", name)
		}
	}
	switch f.Containers.Isolation {
	case "", runtime.IsolationIPTables, runtime.IsolationDocker:
	default:
		return c, bad("containers.isolation", "%q; want %q (the default: the provider's own iptables rules) or %q (Docker's rules only, which lapse while networks are created)",
			f.Containers.Isolation, runtime.IsolationIPTables, runtime.IsolationDocker)
	}
	c.Containers = f.Containers
	return c, nil
}

func orDefault(v, d int64) int64 {
	if v == 0 {
		return d
	}
	return v
}

func attrs(m map[string]string) manifest.Attributes {
	var out manifest.Attributes
	for k, v := range m {
		out = append(out, manifest.Attribute{Key: k, Value: v})
	}
	slices.SortFunc(out, func(a, b manifest.Attribute) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// parseCoin reads a whole-coin amount such as "5000000uakt".
func parseCoin(s string) (money.Coin, error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return money.Coin{}, errors.New("want a whole amount and a denom, e.g. 5000000uakt")
	}
	d, err := money.ParseDec(s[:i])
	if err != nil {
		return money.Coin{}, err
	}
	return money.NewCoin(s[i:], d)
}
