package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/internal/yamlfile"
	"github.com/akash-market/akash/scenarios"
)

// Spec keys, in the order docs/sweeps.md lists them.
var specKeys = []string{"name", "description", "scenario", "until", "set", "grid", "points", "sample", "replicates", "seed", "metrics"}

// DefaultMetrics are aggregated when a spec lists none.
var DefaultMetrics = []string{
	"orders.fill_rate",
	"price.markup",
	"price.mean_clearing_per_cpu",
	"utilisation.overall",
	"providers.revenue_gini",
	"time_to_lease_seconds.mean",
}

// Limits that keep a typo from planning a sweep no machine can finish.
const (
	DefaultReplicates = 5
	maxReplicates     = 100_000
	maxRuns           = 1_000_000
)

// specReader collects every problem of one spec file.
type specReader struct {
	file string
	errs Errors
	// origin maps each override string to the spec node it came from, so a
	// scenario error in an override is placed in the spec.
	origin map[string]*yaml.Node
}

func (r *specReader) fail(n *yaml.Node, path, problem, hint string) {
	e := Error{File: r.file, Path: path, Problem: problem, Hint: hint}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	r.errs = append(r.errs, e)
}

// LoadSpec reads a sweep spec (docs/sweeps.md) and resolves it into a Plan.
// filename names the file in errors, names the sweep when the spec has no
// name, and anchors a base scenario given as a relative file path.
//
// The spec is strict: an unknown key, a value of the wrong type, a duplicate
// point or a metric that summary.json does not have is an error at
// file:line:col. Every point's scenario (base + set + the point's values) is
// loaded and validated here, so a bad value fails before any run starts.
// All problems are returned at once, as Errors.
func LoadSpec(filename string, data []byte) (*Plan, error) {
	r := &specReader{file: filename, origin: map[string]*yaml.Node{}}
	root, perr := yamlfile.ParseOne(filename, data, "sweep")
	if perr != nil {
		return nil, Errors{*perr}
	}
	if root.Kind != yaml.MappingNode {
		return nil, Errors{{File: filename, Line: root.Line, Column: root.Column,
			Problem: "is not a mapping of keys", Hint: "start with scenario:, grid:, replicates:"}}
	}
	p := &Plan{Scenario: scenarios.DefaultName, Replicates: DefaultReplicates, Seed: 1}
	var gridNode, pointsNode, sampleNode, scenarioNode, metricsNode *yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], resolveAlias(root.Content[i+1])
		if seen[k.Value] {
			r.fail(k, k.Value, "is given twice", "keep one")
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "name":
			p.Name = r.text(v, "name")
		case "description":
			p.Description = r.text(v, "description")
		case "scenario":
			p.Scenario, scenarioNode = r.text(v, "scenario"), v
		case "until":
			s := r.text(v, "until")
			if d, err := time.ParseDuration(s); err != nil || d <= 0 {
				r.fail(v, "until", fmt.Sprintf("%q is not a positive duration", s), "write simulated time such as 90m, 6h or 24h")
			} else {
				p.Until = d.String()
			}
		case "set":
			r.mapping(v, "set", func(key, val *yaml.Node) {
				o := r.override(key, val, "set")
				if o != "" {
					p.Set = append(p.Set, o)
				}
			})
		case "grid":
			gridNode = v
		case "points":
			pointsNode = v
		case "sample":
			sampleNode = v
		case "replicates":
			p.Replicates = r.integer(v, "replicates", 1, maxReplicates)
		case "seed":
			s := r.text(v, "seed")
			seed, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				r.fail(v, "seed", fmt.Sprintf("%q is not a seed", s), "write a whole number from 0 to 18446744073709551615")
			}
			p.Seed = seed
		case "metrics":
			metricsNode = v
		default:
			r.fail(k, k.Value, "unknown key", yamlfile.AllowedHint(k.Value, "a sweep spec", specKeys))
		}
	}
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(filename), filepath.Ext(filename))
	}
	switch {
	case gridNode != nil && pointsNode != nil:
		r.fail(pointsNode, "points", "a spec has either grid or points, not both", "move the points into the grid, or list every point under points")
	case sampleNode != nil && (gridNode != nil || pointsNode != nil):
		r.fail(sampleNode, "sample", "a spec has one of grid, points and sample", "keep one; fixed values of other keys go under set:")
	case sampleNode != nil:
		r.sample(p, sampleNode)
	case gridNode != nil:
		r.grid(p, gridNode)
	case pointsNode != nil:
		r.points(p, pointsNode)
	default:
		// No grid: one point, the base scenario (a set of replicates).
		p.Points = []Point{{Values: []string{}}}
	}
	p.Metrics = r.metrics(metricsNode)
	if n := len(p.Points) * p.Replicates; n > maxRuns {
		r.fail(root, "", fmt.Sprintf("plans %d runs (%d points × %d replicates)", n, len(p.Points), p.Replicates),
			fmt.Sprintf("keep it at most %d; split the sweep into several specs", maxRuns))
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	if err := r.resolveScenario(p, scenarioNode); err != nil {
		return nil, err
	}
	p.seal()
	if err := r.checkPoints(p); err != nil {
		return nil, err
	}
	return p, nil
}

// resolveScenario reads the base scenario's text: a file when the name ends
// in .yaml/.yml or holds a '/', relative to the spec's folder; otherwise a
// shipped scenario.
func (r *specReader) resolveScenario(p *Plan, at *yaml.Node) error {
	name := p.Scenario
	if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") || strings.ContainsRune(name, '/') {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(r.file), path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			r.fail(at, "scenario", fmt.Sprintf("cannot read %s: %v", path, errors.Unwrap(err)),
				"a file path is relative to the spec's folder; a shipped scenario is named without .yaml (akash-sim scenario list)")
			return r.errs
		}
		p.source, p.sourceName = data, path
	} else {
		data, err := scenarios.Source(name)
		if err != nil {
			r.fail(at, "scenario", fmt.Sprintf("%q is not a shipped scenario", name),
				fmt.Sprintf("use one of %s, or a file path ending in .yaml", strings.Join(scenarios.Shipped(), ", ")))
			return r.errs
		}
		p.source, p.sourceName = data, name+".yaml"
	}
	sum := sha256.Sum256(p.source)
	p.ScenarioSHA256 = hex.EncodeToString(sum[:])
	return nil
}

// checkPoints loads every point's scenario, placing any problem with an
// override on the spec's line; a problem repeated by many points is
// reported once.
func (r *specReader) checkPoints(p *Plan) error {
	seen := map[string]bool{}
	for i := range p.Points {
		_, err := scenarios.Load(p.sourceName, p.source, p.Overrides(i))
		if err == nil {
			continue
		}
		var ses scenarios.Errors
		if !errors.As(err, &ses) {
			ses = scenarios.Errors{{File: p.sourceName, Problem: err.Error()}}
		}
		for _, se := range ses {
			e := Error{File: r.file, Problem: se.Error(), Hint: ""}
			if n, ok := r.origin[se.Set]; ok && se.Set != "" {
				e = Error{File: r.file, Line: n.Line, Column: n.Column, Path: se.Path, Problem: se.Problem, Hint: se.Hint}
			} else {
				e.Problem = fmt.Sprintf("point %s (%s): %s", p.Points[i].ID, p.Label(i), se.Error())
			}
			if msg := e.Error(); !seen[msg] && !seen[se.Error()] {
				seen[msg], seen[se.Error()] = true, true
				r.errs = append(r.errs, e)
			}
		}
	}
	if len(r.errs) > 0 {
		return r.errs
	}
	return nil
}

func (r *specReader) grid(p *Plan, n *yaml.Node) {
	var lists [][]string
	r.mapping(n, "grid", func(key, val *yaml.Node) {
		path := "grid." + key.Value
		if val.Kind != yaml.SequenceNode || len(val.Content) == 0 {
			r.fail(val, path, "want a non-empty list of values", fmt.Sprintf("write %s: [a, b, c]", key.Value))
			return
		}
		var vals []string
		for _, item := range val.Content {
			o := r.override(key, item, "grid")
			if o == "" {
				return
			}
			v := strings.TrimPrefix(o, key.Value+"=")
			if slices.Contains(vals, v) {
				r.fail(item, path, fmt.Sprintf("value %s is listed twice", v), "list each value once")
				return
			}
			vals = append(vals, v)
		}
		if slices.Contains(p.Params, key.Value) {
			r.fail(key, path, "is given twice", "keep one")
			return
		}
		p.Params = append(p.Params, key.Value)
		lists = append(lists, vals)
	})
	if len(lists) == 0 {
		return
	}
	// Cartesian product, the first key varying slowest (row-major).
	total := 1
	for _, l := range lists {
		total *= len(l)
		if total > maxRuns {
			r.fail(n, "grid", fmt.Sprintf("has more than %d points", maxRuns), "split the sweep into several specs")
			return
		}
	}
	for k := 0; k < total; k++ {
		vals := make([]string, len(lists))
		rest := k
		for j := len(lists) - 1; j >= 0; j-- {
			vals[j] = lists[j][rest%len(lists[j])]
			rest /= len(lists[j])
		}
		p.Points = append(p.Points, Point{Values: vals})
	}
}

func (r *specReader) points(p *Plan, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		r.fail(n, "points", "want a non-empty list of points", "write - {market.take_rate_bps: 0, providers[0].count: 50}")
		return
	}
	type raw struct {
		vals map[string]string
		at   *yaml.Node
	}
	var pts []raw
	for i, item := range n.Content {
		item = resolveAlias(item)
		where := fmt.Sprintf("points[%d]", i)
		vals := map[string]string{}
		if item.Kind != yaml.MappingNode || len(item.Content) == 0 {
			r.fail(item, where, "want a mapping of keys to values", "write - {market.take_rate_bps: 0}")
			continue
		}
		r.mapping(item, where, func(key, val *yaml.Node) {
			o := r.override(key, val, where)
			if o == "" {
				return
			}
			if !slices.Contains(p.Params, key.Value) {
				p.Params = append(p.Params, key.Value)
			}
			vals[key.Value] = strings.TrimPrefix(o, key.Value+"=")
		})
		pts = append(pts, raw{vals, item})
	}
	seen := map[string]int{}
	for i, pt := range pts {
		vals := make([]string, len(p.Params))
		for j, k := range p.Params {
			vals[j] = pt.vals[k]
		}
		key := strings.Join(vals, "\x00")
		if first, dup := seen[key]; dup {
			r.fail(pt.at, fmt.Sprintf("points[%d]", i), fmt.Sprintf("is the same point as points[%d]", first), "drop it, or raise replicates for more runs of one point")
			continue
		}
		seen[key] = i
		p.Points = append(p.Points, Point{Values: vals})
	}
}

func (r *specReader) metrics(n *yaml.Node) []string {
	if n == nil {
		return slices.Clone(DefaultMetrics)
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		r.fail(n, "metrics", "want a non-empty list of summary.json paths", "write metrics: [orders.fill_rate, price.markup]")
		return nil
	}
	var out []string
	for i, item := range n.Content {
		where := fmt.Sprintf("metrics[%d]", i)
		m := r.text(item, where)
		if m == "" {
			continue
		}
		if slices.Contains(out, m) {
			r.fail(item, where, fmt.Sprintf("%q is listed twice", m), "list each metric once")
			continue
		}
		if problem, hint := checkMetric(m); problem != "" {
			r.fail(item, where, problem, hint)
			continue
		}
		out = append(out, m)
	}
	return out
}

// override turns key: value into "key=value" with the value as flow YAML,
// remembering where it came from.
func (r *specReader) override(key, val *yaml.Node, where string) string {
	if key.Kind != yaml.ScalarNode || key.Value == "" {
		r.fail(key, where, "a key must be a --set path", "write market.take_rate_bps or providers[0].count")
		return ""
	}
	if strings.ContainsAny(key.Value, "= ") {
		r.fail(key, where+"."+key.Value, "a key must be a --set path without '=' or spaces", "write market.take_rate_bps: 500")
		return ""
	}
	text, err := flowText(val)
	if err != nil {
		r.fail(val, where+"."+key.Value, "cannot be written as an override: "+err.Error(), "use a plain value, list or mapping")
		return ""
	}
	o := key.Value + "=" + text
	if _, ok := r.origin[o]; !ok {
		r.origin[o] = val
	}
	return o
}

func (r *specReader) mapping(n *yaml.Node, path string, each func(key, val *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		r.fail(n, path, "want a mapping of --set paths to values", "write "+path+": {market.take_rate_bps: ...}")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if seen[k.Value] {
			r.fail(k, path+"."+k.Value, "is given twice", "keep one")
			continue
		}
		seen[k.Value] = true
		each(k, resolveAlias(n.Content[i+1]))
	}
}

func (r *specReader) text(n *yaml.Node, path string) string {
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		r.fail(n, path, "want a single value", "")
		return ""
	}
	return n.Value
}

func (r *specReader) integer(n *yaml.Node, path string, lo, hi int) int {
	s := r.text(n, path)
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		if s != "" {
			r.fail(n, path, fmt.Sprintf("%q is not a whole number from %d to %d", s, lo, hi), "")
		}
		return lo
	}
	return v
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// flowText writes a value as one line of YAML, the form --set takes:
// scalars keep their quoting, lists and mappings are written in flow style.
func flowText(n *yaml.Node) (string, error) {
	b, err := yaml.Marshal(flowCopy(n))
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(b))
	if strings.ContainsRune(s, '\n') {
		return "", fmt.Errorf("the value spans several lines")
	}
	return s, nil
}

func flowCopy(n *yaml.Node) *yaml.Node {
	n = resolveAlias(n)
	c := *n
	c.Anchor, c.HeadComment, c.LineComment, c.FootComment = "", "", "", ""
	if c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode {
		c.Style |= yaml.FlowStyle
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = flowCopy(k)
	}
	return &c
}
