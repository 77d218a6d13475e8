package yamlfile

import (
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Marshal writes v as YAML, by its yaml tags (the YAML library's Marshal,
// for packages above internal/ that may not import the library themselves).
func Marshal(v any) ([]byte, error) { return yaml.Marshal(v) }

// Tree turns v into the generic tree of its YAML form: maps keyed by the
// YAML names of v's fields, so it prints (as JSON, say) in the words of the
// file it came from.
func Tree(v any) (map[string]any, error) {
	b, err := yaml.Marshal(v)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := yaml.Unmarshal(b, &tree); err != nil {
		return nil, err
	}
	return tree, nil
}

// Flat is one YAML mapping: key: name, then the exported yaml-tagged fields
// of *params (a pointer to a struct, or nil) in declaration order, leaving
// out a field tagged key. A field that does not encode is left out.
func Flat(key, name string, params any) *yaml.Node {
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

// FlowText is n as one line of flow-style YAML ("{a: 1, b: x}"), or "" if
// it does not encode.
func FlowText(n *yaml.Node) string {
	n.Style = yaml.FlowStyle
	b, err := yaml.Marshal(n)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
