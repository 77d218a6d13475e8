package sim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/akash-market/akash/internal/yamlfile"
)

// The scenario keys that name an extension. Each has a selector key
// (pricing.strategy, agent.kind, metrics[i].kind) and takes, beside it, the
// keys of the named kind's parameters:
//
//	pricing: {strategy: undercut, undercut_bps: 100, min_margin_bps: 500}
//	agent:   {kind: my-agent, threshold: 0.8}
//
// A key given without its selector keeps the default kind; giving the
// selector starts from that kind's defaults. In Go, Params may be left nil:
// the kind's defaults apply.

// ExtensionKey is implemented by the scenario keys that name an extension,
// so that package scenarios can decode them: the selector first, then the
// rest of the keys into the named kind's parameters.
type ExtensionKey interface {
	// SelectorKey is the key that names the kind: "strategy" or "kind".
	SelectorKey() string
	// What is the extension point, for messages: "strategy", "metric", ...
	What() string
	// Select names the kind and sets its default parameters; it reports
	// false for a name nothing registered.
	Select(name string) bool
	// Kinds lists the registered names, for hints.
	Kinds() []string
	// ParamsValue is the parameters the other keys decode into: a pointer
	// to a struct, the defaults of the kind when none are set; nil when the
	// kind is not registered.
	ParamsValue() any
}

// Extension is a scenario key naming a registered kind (Kind) with its
// parameters (Params; nil means the kind's defaults). In YAML the kind is
// under the extension point's selector key (strategy for pricing, kind for
// the others) and the parameters are the keys beside it.
type Extension[P Params] struct {
	Kind   string
	Params P
}

// Pricing is a provider class's pricing strategy (built in: cost-plus,
// undercut, utilisation, random-band; StrategyKind registers more).
type Pricing = Extension[StrategyParams]

// ProviderAgentSpec is a provider class's agent (built in: default; ""
// means default; ProviderAgentKind registers more).
type ProviderAgentSpec = Extension[ProviderAgentParams]

// TenantAgentSpec is a tenant class's agent (built in: default,
// raise-on-miss; "" means default; TenantAgentKind registers more).
type TenantAgentSpec = Extension[TenantAgentParams]

// MetricSpec is one entry of the scenario's metrics (built in:
// price-index; MetricKind registers more).
type MetricSpec = Extension[MetricParams]

// registryOf is the registry of the extension point P.
func registryOf[P Params]() *registry[P] {
	var r any
	switch any((*P)(nil)).(type) {
	case *StrategyParams:
		r = strategies
	case *ProviderAgentParams:
		r = providerAgents
	case *TenantAgentParams:
		r = tenantAgents
	case *MetricParams:
		r = metricKinds
	}
	return r.(*registry[P])
}

func (e *Extension[P]) SelectorKey() string { return registryOf[P]().selector }
func (e *Extension[P]) What() string        { return registryOf[P]().what }
func (e *Extension[P]) Kinds() []string     { return registryOf[P]().names() }

func (e *Extension[P]) Select(name string) bool {
	p, ok := registryOf[P]().defaults(name)
	e.Kind, e.Params = name, p
	return ok
}

func (e *Extension[P]) ParamsValue() any {
	p, ok := e.params()
	if !ok {
		return nil
	}
	e.Params = p
	return p
}

// kind is Kind, or the point's default kind when Kind is empty.
func (e Extension[P]) kind() string {
	if e.Kind == "" {
		return registryOf[P]().dflt
	}
	return e.Kind
}

// params returns Params, or the kind's defaults when Params is nil; false
// when the kind is not registered or Params are another kind's.
func (e Extension[P]) params() (P, bool) {
	r := registryOf[P]()
	d, ok := r.defaults(e.kind())
	if !ok || reflect.ValueOf(&e.Params).Elem().IsNil() {
		return d, ok
	}
	if reflect.TypeOf(e.Params) != reflect.TypeOf(d) {
		var zero P
		return zero, false
	}
	return e.Params, true
}

// String shows the kind and the parameters' values (fmt's %v of a scenario).
func (e Extension[P]) String() string {
	p, _ := e.params()
	return specString(e.Kind, p)
}

// MarshalYAML writes the selector and the parameters as one mapping.
func (e Extension[P]) MarshalYAML() (any, error) {
	p, _ := e.params()
	return flatten(registryOf[P]().selector, e.Kind, p), nil
}

// Validate checks the key at path of scenario sc: a registered kind, then
// the kind's own Check of its parameters. Package scenarios' validation
// calls it for every extension key.
func (e Extension[P]) Validate(path string, sc *Scenario) ValidationErrors {
	r := registryOf[P]()
	p, ok := e.params()
	var errs ValidationErrors
	add := func(path, problem, hint string) {
		errs = append(errs, FieldError{Path: path, Problem: problem, Hint: hint})
	}
	if !ok {
		known, name := r.names(), e.Kind
		switch {
		case slices.Contains(known, name):
			add(path, fmt.Sprintf("the parameters are not those of %s %q", r.what, name), "set Params to the value its kind's Params function returns, or leave it nil for the defaults")
		case name == "":
			add(path+"."+r.selector, "is empty", "use one of "+strings.Join(known, ", "))
		default:
			add(path+"."+r.selector, fmt.Sprintf("%q is not a registered %s", name, r.what),
				"use one of "+strings.Join(known, ", ")+" (or register it from Go: docs/simulator.md, Extensions)")
		}
		return errs
	}
	p.Check(&Checker{path: path, sc: sc, errs: &errs})
	return errs
}

func specString(kind string, p any) string {
	if p == nil || reflect.ValueOf(p).IsNil() {
		return kind
	}
	return fmt.Sprintf("%s%+v", kind, reflect.ValueOf(p).Elem().Interface())
}

// flatten is the selector and the parameters' exported yaml fields as one
// mapping, in declaration order, for yaml.Marshal (the scenario echo in
// summary.json, the trace header's hash).
func flatten(key, name string, params any) any { return yamlfile.Flat(key, name, params) }
