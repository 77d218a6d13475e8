package manifest

import (
	"cmp"
	"strings"
)

// AttributeKeyRule says, for error messages, what ValidAttributeKey accepts.
const AttributeKeyRule = "start with a letter; then letters, digits, '_', '-', '.', '/'; 2..128 characters (a trailing '*' is a wildcard)"

// ValidAttributeKey reports whether key is an attribute key the chain
// accepts: the rule placement requirements are parsed with, reused by the
// provider registry so that a provider can state every key an order can ask
// for.
func ValidAttributeKey(key string) bool { return attrKeyRE.MatchString(key) }

// CompareAttributes orders attributes by key, then by value: the order of a
// provider's attribute list, so that a lookup can stop at the first key past
// the one it seeks. For slices.SortFunc.
func CompareAttributes(a, b Attribute) int {
	return cmp.Or(strings.Compare(a.Key, b.Key), strings.Compare(a.Value, b.Value))
}
