package sim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
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

// Pricing is a provider class's pricing strategy: Strategy names a
// registered strategy (built in: cost-plus, undercut, utilisation,
// random-band; see StrategyKind) and Params holds its parameters.
type Pricing struct {
	Strategy string
	Params   StrategyParams
}

// ProviderAgentSpec is a provider class's agent: Kind names a registered
// provider agent (built in: default; "" means default) and Params holds its
// parameters.
type ProviderAgentSpec struct {
	Kind   string
	Params ProviderAgentParams
}

// TenantAgentSpec is a tenant class's agent: Kind names a registered tenant
// agent (built in: default, raise-on-miss; "" means default) and Params
// holds its parameters.
type TenantAgentSpec struct {
	Kind   string
	Params TenantAgentParams
}

// MetricSpec is one entry of the scenario's metrics: Kind names a
// registered metric and Params holds its parameters.
type MetricSpec struct {
	Kind   string
	Params MetricParams
}

// resolve returns p, or the kind's defaults when p is nil; false when the
// kind is not registered or p is another kind's parameters.
func resolve[P Params](r *registry[P], name string, p P) (P, bool) {
	d, ok := r.defaults(name)
	if !ok || reflect.ValueOf(&p).Elem().IsNil() {
		return d, ok
	}
	if reflect.TypeOf(p) != reflect.TypeOf(d) {
		var zero P
		return zero, false
	}
	return p, true
}

func (s *Pricing) SelectorKey() string { return "strategy" }
func (s *Pricing) What() string        { return strategies.what }
func (s *Pricing) Kinds() []string     { return strategies.names() }
func (s *Pricing) Select(name string) bool {
	p, ok := strategies.defaults(name)
	s.Strategy, s.Params = name, p
	return ok
}
func (s *Pricing) ParamsValue() any {
	p, ok := s.params()
	if !ok {
		return nil
	}
	s.Params = p
	return p
}
func (s Pricing) params() (StrategyParams, bool) { return resolve(strategies, s.Strategy, s.Params) }

// MarshalYAML writes the selector and the parameters as one mapping.
// String shows the kind and the parameters' values (fmt's %v of a scenario).
func (s Pricing) String() string {
	p, _ := s.params()
	return specString(s.Strategy, p)
}

func (s Pricing) MarshalYAML() (any, error) {
	p, _ := s.params()
	return flatten("strategy", s.Strategy, p), nil
}

func (s *ProviderAgentSpec) SelectorKey() string { return "kind" }
func (s *ProviderAgentSpec) What() string        { return providerAgents.what }
func (s *ProviderAgentSpec) Kinds() []string     { return providerAgents.names() }
func (s *ProviderAgentSpec) Select(name string) bool {
	p, ok := providerAgents.defaults(name)
	s.Kind, s.Params = name, p
	return ok
}
func (s *ProviderAgentSpec) ParamsValue() any {
	p, ok := s.params()
	if !ok {
		return nil
	}
	s.Params = p
	return p
}
func (s ProviderAgentSpec) params() (ProviderAgentParams, bool) {
	return resolve(providerAgents, orDefault(s.Kind), s.Params)
}

// String shows the kind and the parameters' values (fmt's %v of a scenario).
func (s ProviderAgentSpec) String() string {
	p, _ := s.params()
	return specString(s.Kind, p)
}

func (s ProviderAgentSpec) MarshalYAML() (any, error) {
	p, _ := s.params()
	return flatten("kind", s.Kind, p), nil
}

func (s *TenantAgentSpec) SelectorKey() string { return "kind" }
func (s *TenantAgentSpec) What() string        { return tenantAgents.what }
func (s *TenantAgentSpec) Kinds() []string     { return tenantAgents.names() }
func (s *TenantAgentSpec) Select(name string) bool {
	p, ok := tenantAgents.defaults(name)
	s.Kind, s.Params = name, p
	return ok
}
func (s *TenantAgentSpec) ParamsValue() any {
	p, ok := s.params()
	if !ok {
		return nil
	}
	s.Params = p
	return p
}
func (s TenantAgentSpec) params() (TenantAgentParams, bool) {
	return resolve(tenantAgents, orDefault(s.Kind), s.Params)
}

// String shows the kind and the parameters' values (fmt's %v of a scenario).
func (s TenantAgentSpec) String() string {
	p, _ := s.params()
	return specString(s.Kind, p)
}

func (s TenantAgentSpec) MarshalYAML() (any, error) {
	p, _ := s.params()
	return flatten("kind", s.Kind, p), nil
}

func (s *MetricSpec) SelectorKey() string { return "kind" }
func (s *MetricSpec) What() string        { return metricKinds.what }
func (s *MetricSpec) Kinds() []string     { return metricKinds.names() }
func (s *MetricSpec) Select(name string) bool {
	p, ok := metricKinds.defaults(name)
	s.Kind, s.Params = name, p
	return ok
}
func (s *MetricSpec) ParamsValue() any {
	p, ok := s.params()
	if !ok {
		return nil
	}
	s.Params = p
	return p
}
func (s MetricSpec) params() (MetricParams, bool) { return resolve(metricKinds, s.Kind, s.Params) }

// String shows the kind and the parameters' values (fmt's %v of a scenario).
func (s MetricSpec) String() string {
	p, _ := s.params()
	return specString(s.Kind, p)
}

func (s MetricSpec) MarshalYAML() (any, error) {
	p, _ := s.params()
	return flatten("kind", s.Kind, p), nil
}

func specString(kind string, p any) string {
	if p == nil || reflect.ValueOf(p).IsNil() {
		return kind
	}
	return fmt.Sprintf("%s%+v", kind, reflect.ValueOf(p).Elem().Interface())
}

// orDefault: an agent kind left empty (a scenario built in Go before agents
// existed) is the built-in "default".
func orDefault(kind string) string {
	if kind == "" {
		return "default"
	}
	return kind
}

// flatten is the selector and the parameters' exported yaml fields as one
// mapping, in declaration order, for yaml.Marshal (the scenario echo in
// summary.json, the trace header's hash).
func flatten(key, name string, params any) any {
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{str(key), str(name)}}
	if params == nil || reflect.ValueOf(params).IsNil() {
		return n
	}
	pv := reflect.ValueOf(params).Elem()
	for i := range pv.NumField() {
		f := pv.Type().Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || tag == "" || tag == "-" || tag == key {
			continue
		}
		var v yaml.Node
		if err := v.Encode(pv.Field(i).Interface()); err != nil {
			continue
		}
		n.Content = append(n.Content, str(tag), &v)
	}
	return n
}

// checkExtension validates an extension key: a registered kind, then the
// kind's own Check of its parameters.
func (v *validator) checkExtension(path, selector, what, name string, known []string, p Params, ok bool) {
	if !ok {
		if slices.Contains(known, name) {
			v.add(path, fmt.Sprintf("the parameters are not those of %s %q", what, name), "set Params to the value its kind's Params function returns, or leave it nil for the defaults")
			return
		}
		if name == "" {
			v.add(path+"."+selector, "is empty", "use one of "+strings.Join(known, ", "))
			return
		}
		v.add(path+"."+selector, fmt.Sprintf("%q is not a registered %s", name, what),
			"use one of "+strings.Join(known, ", ")+" (or register it from Go: docs/simulator.md, Extensions)")
		return
	}
	p.Check(&Checker{path: path, sc: v.sc, errs: &v.errs})
}
