package yamlfile

import (
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// The node helpers every strict reader of a YAML tree shares (the manifest
// parser in core/manifest, the scenario loader): what a node is, in the words
// of an error message, and the key path of a position.

// IsNull reports whether n is absent: nil, an empty node, or a null scalar
// ("", "~", "null").
func IsNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// KindName names what n is, for "is …, want …" messages: "a mapping",
// "a list", "empty", "the value \"x\"", "an alias", "something else".
func KindName(n *yaml.Node) string {
	switch {
	case n == nil:
		return "empty"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.ScalarNode:
		if IsNull(n) {
			return "empty"
		}
		return fmt.Sprintf("the value %q", n.Value)
	case n.Kind == yaml.AliasNode:
		return "an alias"
	}
	return "something else"
}

// Join appends a key to a key path ("market" + "take_rate" is
// "market.take_rate").
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index appends a list position to a key path ("services.web.expose[0]").
func Index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
