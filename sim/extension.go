package sim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/akash-market/akash/internal/yamlfile"
)

// The extension API: pricing strategies, provider agents, tenant agents and
// metrics are registered by name, from any package (a researcher's own
// module included), and a scenario names them with their own parameters.
// The built-in ones register through the same calls (extension_builtin.go).
//
// An extension is a kind: a name, a line of documentation, and a function
// returning its parameters holding their defaults. The parameters are a
// pointer to a struct whose yaml-tagged fields are the keys the extension
// takes; package scenarios decodes a file's keys into it with the rules and
// errors of every other key (unknown keys, bad values, file:line:col), then
// the scenario's validation calls its Check, whose problems are placed on
// the file's lines too. The same parameters then build the extension's
// per-agent value: a Strategy or ProviderAgent per provider, a TenantAgent
// per tenant class, a Metric per run.

// Params is what every extension's parameters implement.
type Params interface {
	// Check reports every problem with the parameters to c (nothing when
	// they are fine). It runs when the scenario is validated, before any
	// agent is built.
	Check(c *Checker)
}

// Checker collects an extension's parameter problems, each under the
// scenario key path of the parameters (providers[2].pricing, ...).
type Checker struct {
	path string
	sc   *Scenario
	errs *ValidationErrors
}

// Add records a problem with the parameter key (a yaml key of the
// parameters, or "" for the parameters as a whole): what is wrong, and what
// would be right.
func (c *Checker) Add(key, problem, hint string) {
	p := c.path
	if key != "" {
		p += "." + key
	}
	*c.errs = append(*c.errs, FieldError{Path: p, Problem: problem, Hint: hint})
}

// Scenario is the scenario the parameters are part of, for checks against
// other keys (region names, the take rate, ...). It must not be changed.
func (c *Checker) Scenario() *Scenario { return c.sc }

// StrategyParams are a pricing strategy's parameters (the keys of a
// provider class's pricing besides strategy).
type StrategyParams interface {
	Params
	// NewStrategy returns the strategy of one provider, when it joins. A
	// stateless strategy may return its parameters themselves; one that
	// learns returns a fresh value per provider.
	NewStrategy(p *ProviderInfo) Strategy
}

// ProviderAgentParams are a provider agent's parameters (the keys of a
// provider class's agent besides kind).
type ProviderAgentParams interface {
	Params
	NewProviderAgent(p *ProviderInfo) ProviderAgent
}

// TenantAgentParams are a tenant agent's parameters (the keys of a tenant
// class's agent besides kind).
type TenantAgentParams interface {
	Params
	NewTenantAgent(t *TenantInfo) TenantAgent
}

// MetricParams are a metric's parameters (the keys of an entry of the
// scenario's metrics besides kind).
type MetricParams interface {
	Params
	NewMetric(m *MetricInfo) Metric
}

// StrategyKind registers a pricing strategy: providers[i].pricing.strategy
// names it.
type StrategyKind struct {
	Name string
	Doc  string
	// Params returns new parameters holding their defaults: a pointer to a
	// struct with yaml tags.
	Params func() StrategyParams
}

// ProviderAgentKind registers a provider agent: providers[i].agent.kind names it.
type ProviderAgentKind struct {
	Name   string
	Doc    string
	Params func() ProviderAgentParams
}

// TenantAgentKind registers a tenant agent: tenants[i].agent.kind names it.
type TenantAgentKind struct {
	Name   string
	Doc    string
	Params func() TenantAgentParams
}

// MetricKind registers a metric: an entry of the scenario's metrics list
// names it with kind.
type MetricKind struct {
	Name   string
	Doc    string
	Params func() MetricParams
}

// registry holds the kinds of one extension point, by name.
type registry[P Params] struct {
	what     string // "strategy", for messages
	selector string // the scenario key that names a kind
	dflt     string // the kind an empty name means ("": none)
	mu       sync.RWMutex
	kinds    map[string]kindEntry[P]
}

type kindEntry[P Params] struct {
	doc    string
	params func() P
}

func (r *registry[P]) register(name, doc string, params func() P) {
	if name == "" || strings.ContainsAny(name, " \t\n:{}[],") {
		panic(fmt.Sprintf("sim: register %s %q: want a plain name such as my-%s", r.what, name, r.what))
	}
	if params == nil {
		panic(fmt.Sprintf("sim: register %s %q: Params is nil", r.what, name))
	}
	p := params()
	if t := reflect.TypeOf(p); t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("sim: register %s %q: Params returns %T; want a pointer to a struct with yaml tags", r.what, name, p))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.kinds == nil {
		r.kinds = map[string]kindEntry[P]{}
	}
	if _, dup := r.kinds[name]; dup {
		panic(fmt.Sprintf("sim: %s %q is registered twice", r.what, name))
	}
	r.kinds[name] = kindEntry[P]{doc: doc, params: params}
}

// defaults returns new default parameters of the named kind.
func (r *registry[P]) defaults(name string) (P, bool) {
	r.mu.RLock()
	e, ok := r.kinds[name]
	r.mu.RUnlock()
	if !ok {
		var zero P
		return zero, false
	}
	return e.params(), true
}

func (r *registry[P]) names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.kinds))
	for n := range r.kinds {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func (r *registry[P]) docs() []KindDoc {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]KindDoc, 0, len(r.kinds))
	for n, e := range r.kinds {
		out = append(out, KindDoc{Name: n, Doc: e.doc, Keys: paramKeys(e.params()), Defaults: defaultsText(r.selector, n, e.params())})
	}
	slices.SortFunc(out, func(a, b KindDoc) int { return strings.Compare(a.Name, b.Name) })
	return out
}

var (
	strategies     = &registry[StrategyParams]{what: "strategy", selector: "strategy"}
	providerAgents = &registry[ProviderAgentParams]{what: "provider agent", selector: "kind", dflt: "default"}
	tenantAgents   = &registry[TenantAgentParams]{what: "tenant agent", selector: "kind", dflt: "default"}
	metricKinds    = &registry[MetricParams]{what: "metric", selector: "kind"}
)

// RegisterStrategy adds a pricing strategy. It panics on an empty or
// repeated name (call it from an init function, as database/sql drivers do).
func RegisterStrategy(k StrategyKind) { strategies.register(k.Name, k.Doc, k.Params) }

// RegisterProviderAgent adds a provider agent; it panics on a repeated name.
func RegisterProviderAgent(k ProviderAgentKind) {
	providerAgents.register(k.Name, k.Doc, k.Params)
}

// RegisterTenantAgent adds a tenant agent; it panics on a repeated name.
func RegisterTenantAgent(k TenantAgentKind) { tenantAgents.register(k.Name, k.Doc, k.Params) }

// RegisterMetric adds a metric; it panics on a repeated name.
func RegisterMetric(k MetricKind) { metricKinds.register(k.Name, k.Doc, k.Params) }

// KindDoc describes one registered kind: its name, documentation, keys and
// the scenario text of its defaults ("{strategy: cost-plus, margin_bps: 2000}").
type KindDoc struct {
	Name, Doc string
	Keys      []string
	Defaults  string
}

// defaultsText is a kind's defaults as one flow-style YAML mapping.
func defaultsText(selector, name string, p any) string {
	return yamlfile.FlowText(yamlfile.Flat(selector, name, p))
}

// ExtensionPoint is one extension point and its registered kinds.
type ExtensionPoint struct {
	What  string // "strategy", "provider agent", "tenant agent", "metric"
	Key   string // where a scenario names it: providers[].pricing, ...
	Kinds []KindDoc
}

// Extensions lists every registered kind, by extension point, each sorted
// by name.
func Extensions() []ExtensionPoint {
	return []ExtensionPoint{
		{What: strategies.what, Key: "providers[].pricing", Kinds: strategies.docs()},
		{What: providerAgents.what, Key: "providers[].agent", Kinds: providerAgents.docs()},
		{What: tenantAgents.what, Key: "tenants[].agent", Kinds: tenantAgents.docs()},
		{What: metricKinds.what, Key: "metrics[]", Kinds: metricKinds.docs()},
	}
}

// paramKeys lists the yaml keys of a parameters struct.
func paramKeys(p any) []string {
	t := reflect.TypeOf(p).Elem()
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if f.IsExported() && tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	return keys
}
