package manifest

// AttributeKeyRule says, for error messages, what ValidAttributeKey accepts.
const AttributeKeyRule = "start with a letter; then letters, digits, '_', '-', '.', '/'; 2..128 characters (a trailing '*' is a wildcard)"

// ValidAttributeKey reports whether key is an attribute key the chain
// accepts: the rule placement requirements are parsed with, reused by the
// provider registry so that a provider can state every key an order can ask
// for.
func ValidAttributeKey(key string) bool { return attrKeyRE.MatchString(key) }
