// Package manage is the management tier on the chain (whitepaper 5.1, 5.2;
// docs/tiers.md): a loop that reads live load (users per region, or a job
// queue), runs the simulator's own decision (core/policy Decide, MLDecide)
// and acts on the tenant's deployments through the tenant's bounded authz
// grant (x/deployment ManageDeploymentsAuthorization). It keeps no state of
// its own: every step rebuilds the managed deployments from the chain (the
// grant's live list), so a manager killed at any point restarts without
// creating a deployment twice.
package manage

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/core/policy"
	"github.com/akash-market/akash/internal/yamlfile"
)

// The policies `manage run --policy` takes.
const (
	PolicyDelivery = "delivery-network"
	PolicyMLBatch  = "ml-batch"
)

// Config is manage.yaml.
type Config struct {
	File string `yaml:"-"`
	// CheckEvery is the time between decisions (default 30s).
	CheckEvery time.Duration `yaml:"check_every"`
	// Input is where the load comes from.
	Input Input `yaml:"input"`
	// SDL is the manifest every group runs (one group; its region is set
	// per group): a path relative to the config's directory, or env:NAME.
	SDL string `yaml:"sdl"`
	// Deposit opens each deployment; TopUp refills one whose escrow runs low.
	Deposit string `yaml:"deposit"`
	TopUp   TopUp  `yaml:"top_up"`

	// delivery-network
	Regions       []string                      `yaml:"regions"`
	LatencyMS     map[string]map[string]float64 `yaml:"latency_ms"`
	DefaultLatMS  float64                       `yaml:"default_latency_ms"`
	TargetMS      float64                       `yaml:"target_ms"`
	UsersPerGroup float64                       `yaml:"users_per_group"`
	MinGroups     int                           `yaml:"min_groups"`
	MaxGroups     int                           `yaml:"max_groups"`

	// ml-batch
	WorkersPerJob int `yaml:"workers_per_job"`
	MaxWorkers    int `yaml:"max_workers"`

	// Listen serves /metrics and /status ("" = off).
	Listen string `yaml:"listen"`
}

// Input names the load source: an HTTP endpoint in Prometheus text format,
// or a file in the same format (tests; a file another process rewrites).
type Input struct {
	URL         string `yaml:"url"`
	File        string `yaml:"file"`
	UsersMetric string `yaml:"users_metric"` // gauge with a region label (default users)
	QueueMetric string `yaml:"queue_metric"` // gauge (default queue_length)
	RegionLabel string `yaml:"region_label"` // default region
}

// TopUp: when a managed deployment's escrow balance falls below Below,
// deposit Amount (counted against the grant's spend limit).
type TopUp struct {
	Below  string `yaml:"below"`
	Amount string `yaml:"amount"`
}

// Errors are every problem of a config file, one per line.
type Errors []yamlfile.Error

func (es Errors) Error() string { return yamlfile.Lines(es) }

// EnvPrefix marks a "file" given as an environment variable's value: the
// config path env:AKASH_MANAGE_CONFIG, or its sdl: env:AKASH_MANAGE_SDL. A
// manager that runs as a service of its deployment is configured so, by the
// env of its SDL (docs/tiers.md); errors then name env:NAME:line:col.
const EnvPrefix = "env:"

// ReadSource reads a file, or the value of the variable named by an
// env:NAME path (an unset or empty variable is an error naming it).
func ReadSource(path string) ([]byte, error) {
	name, ok := strings.CutPrefix(path, EnvPrefix)
	if !ok {
		return os.ReadFile(path)
	}
	v := os.Getenv(name)
	if v == "" {
		return nil, fmt.Errorf("%s: the environment variable %s is unset or empty; set it to the file's text (e.g. in the SDL's env)", path, name)
	}
	return []byte(v), nil
}

// LoadConfig reads and checks manage.yaml (a file, or env:NAME) for policy.
func LoadConfig(path, policy string) (*Config, error) {
	data, err := ReadSource(path)
	if err != nil {
		return nil, fmt.Errorf("manage config: %w", err)
	}
	return ParseConfig(path, data, policy)
}

// SDLPath is where the config's sdl is: as written when absolute or env:NAME,
// else relative to the config file's directory.
func (c *Config) SDLPath() string {
	if strings.HasPrefix(c.SDL, "/") || strings.HasPrefix(c.SDL, EnvPrefix) {
		return c.SDL
	}
	return filepath.Join(filepath.Dir(c.File), c.SDL)
}

var keys = []string{"check_every", "input", "sdl", "deposit", "top_up", "regions", "latency_ms", "default_latency_ms",
	"target_ms", "users_per_group", "min_groups", "max_groups", "workers_per_job", "max_workers", "listen"}

var inputKeys = []string{"url", "file", "users_metric", "queue_metric", "region_label"}

// ParseConfig parses data (file name for errors) and checks it for policy;
// every problem is reported at once as file:line:col: key: problem; hint.
func ParseConfig(file string, data []byte, policy string) (*Config, error) {
	root, perr := yamlfile.ParseOne(file, data, "manager config")
	if perr != nil {
		return nil, Errors{*perr}
	}
	var errs Errors
	at := func(n *yaml.Node, path, problem, hint string) {
		errs = append(errs, yamlfile.Error{File: file, Line: n.Line, Column: n.Column, Path: path, Problem: problem, Hint: hint})
	}
	if root.Kind != yaml.MappingNode {
		at(root, "", "not a mapping", "write key: value pairs (see docs/tiers.md)")
		return nil, errs
	}
	c := &Config{File: file}
	where := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !slices.Contains(keys, k.Value) {
			at(k, k.Value, "unknown key", yamlfile.AllowedHint(k.Value, "", keys))
			continue
		}
		where[k.Value] = v
		if k.Value == "input" && v.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(v.Content); j += 2 {
				if ik := v.Content[j]; !slices.Contains(inputKeys, ik.Value) {
					at(ik, "input."+ik.Value, "unknown key", yamlfile.AllowedHint(ik.Value, "input", inputKeys))
				}
			}
		}
		one := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{k, v}}
		if err := one.Decode(c); err != nil {
			at(v, k.Value, fmt.Sprintf("cannot read %q: %v", v.Value, trimYAML(err)), hintFor(k.Value))
		}
	}
	node := func(key string) *yaml.Node {
		if n := where[key]; n != nil {
			return n
		}
		return root
	}
	need := func(key string, ok bool, problem, hint string) {
		if !ok {
			at(node(key), key, problem, hint)
		}
	}
	if c.CheckEvery == 0 {
		c.CheckEvery = 30 * time.Second
	}
	need("check_every", c.CheckEvery > 0, "must be positive", "e.g. 30s")
	need("input", (c.Input.URL == "") != (c.Input.File == ""), "give exactly one of url and file",
		"url: http://web:9100/metrics (Prometheus text format) or file: load.prom")
	if c.Input.UsersMetric == "" {
		c.Input.UsersMetric = "users"
	}
	if c.Input.QueueMetric == "" {
		c.Input.QueueMetric = "queue_length"
	}
	if c.Input.RegionLabel == "" {
		c.Input.RegionLabel = "region"
	}
	need("sdl", c.SDL != "", "missing", "the SDL file every group runs, e.g. sdl: web.yaml")
	need("deposit", c.Deposit != "", "missing", "each deployment's opening deposit, e.g. deposit: 5000000uakt")
	switch policy {
	case PolicyDelivery:
		need("regions", len(c.Regions) > 0, "missing", "the regions users come from and groups may go to, e.g. [us-east, eu-west]")
		for a, row := range c.LatencyMS {
			need("latency_ms", slices.Contains(c.Regions, a), fmt.Sprintf("region %q is not in regions %v", a, c.Regions), "name regions as regions lists them")
			for b, ms := range row {
				need("latency_ms", slices.Contains(c.Regions, b), fmt.Sprintf("%s.%s: region %q is not in regions %v", a, b, b, c.Regions), "name regions as regions lists them")
				need("latency_ms", ms >= 0 && ms <= maxLatencyMS, fmt.Sprintf("%s.%s: %v ms", a, b, ms), "must be ≥ 0 and at most an hour (3600000)")
			}
		}
		if c.DefaultLatMS == 0 {
			c.DefaultLatMS = 200
		}
		need("default_latency_ms", c.DefaultLatMS >= 0 && c.DefaultLatMS <= maxLatencyMS, fmt.Sprintf("%v ms", c.DefaultLatMS), "must be ≥ 0 and at most an hour (3600000)")
		need("target_ms", c.TargetMS > 0 && c.TargetMS <= maxLatencyMS, "missing, not positive or over an hour", "the latency within which a group serves users, e.g. target_ms: 50")
		need("users_per_group", c.UsersPerGroup > 0 && c.UsersPerGroup <= MaxUsers, "missing, not positive or over 1e9",
			"users one group serves, e.g. users_per_group: 1000")
		if c.MaxGroups == 0 {
			c.MaxGroups = len(c.Regions)
		}
		need("min_groups", c.MinGroups >= 0 && c.MinGroups <= c.MaxGroups, fmt.Sprintf("%d with max_groups %d", c.MinGroups, c.MaxGroups), "0 ≤ min_groups ≤ max_groups")
	case PolicyMLBatch:
		if c.WorkersPerJob == 0 {
			c.WorkersPerJob = 1
		}
		need("workers_per_job", c.WorkersPerJob > 0, "not positive", "e.g. workers_per_job: 1")
		need("max_workers", c.MaxWorkers > 0, "missing or not positive", "the most worker groups at once, e.g. max_workers: 4")
	default:
		errs = append(errs, yamlfile.Error{File: file, Path: "--policy", Problem: fmt.Sprintf("%q is not a policy", policy),
			Hint: "want delivery-network or ml-batch"})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

func hintFor(key string) string {
	switch key {
	case "check_every":
		return "a duration, e.g. 30s"
	case "regions":
		return "a list of region names, e.g. [us-east, eu-west]"
	case "latency_ms":
		return "a map of region to region to milliseconds, e.g. {us-east: {eu-west: 80}}"
	case "input", "top_up":
		return "a mapping (see docs/tiers.md)"
	}
	return "see docs/tiers.md for the key's type"
}

func trimYAML(err error) string {
	s := err.Error()
	for _, p := range []string{"yaml: unmarshal errors:\n  ", "yaml: "} {
		if len(s) > len(p) && s[:len(p)] == p {
			s = s[len(p):]
		}
	}
	return s
}

// Latency is the region × region matrix of round trips in µs (core/policy's
// unit; latency_ms × 1000 rounded to the nearest µs) in Regions' order:
// given pairs hold both ways (the larger wins when given twice), a region to
// itself is 0 unless given, any other pair default_latency_ms.
func (c *Config) Latency() [][]int64 {
	n := len(c.Regions)
	m := make([][]int64, n)
	for i := range m {
		m[i] = make([]int64, n)
		for j := range m[i] {
			if i != j {
				m[i][j] = -1
			}
		}
	}
	idx := map[string]int{}
	for i, r := range c.Regions {
		idx[r] = i
	}
	for a, row := range c.LatencyMS {
		for b, ms := range row {
			i, j := idx[a], idx[b]
			m[i][j] = max(m[i][j], microsOf(ms))
			m[j][i] = max(m[j][i], microsOf(ms))
		}
	}
	for i := range m {
		for j := range m[i] {
			if m[i][j] < 0 {
				m[i][j] = microsOf(c.DefaultLatMS)
			}
		}
	}
	return m
}

// TargetUS is target_ms in µs (rounded to the nearest).
func (c *Config) TargetUS() int64 { return microsOf(c.TargetMS) }

// GroupCapacity is users_per_group in core/policy's user unit (thousandths,
// rounded to the nearest).
func (c *Config) GroupCapacity() int64 { return UserUnits(c.UsersPerGroup) }

// maxLatencyMS bounds the config's latencies (an hour), so that they fit
// core/policy's µs integers with room to spare.
const maxLatencyMS = 3_600_000

// MaxUsers bounds users_per_group and each users gauge sample: in
// thousandths, summed over the regions and times 10^4 (the headroom check),
// they must fit core/policy's int64s.
const MaxUsers = 1e9

// microsOf is ms milliseconds in whole µs, rounded to the nearest (half
// away from zero).
func microsOf(ms float64) int64 { return int64(math.Round(ms * 1000)) }

// UserUnits is x users in core/policy's unit (1/policy.UserScale of a user),
// rounded to the nearest, half away from zero: how a gauge's value or a
// config's users_per_group reaches the decision.
func UserUnits(x float64) int64 { return int64(math.Round(x * policy.UserScale)) }
