package manifest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/akash-market/akash/internal/yamlfile"

	"go.yaml.in/yaml/v3"
)

// maxNodes bounds how many YAML nodes one Parse visits, so aliases that
// expand exponentially ("billion laughs") end in an error, not an outage.
const maxNodes = 200_000

// decoder walks a yaml.Node tree and collects every problem with its place.
type decoder struct {
	file   string
	errs   ErrorList
	warns  ErrorList
	visits int
	over   bool
	// Akash validates a profile, placement or service only when a
	// deployment uses it; problems of that kind found inside one wait in
	// deferred until the parser knows what is used (settleDeferred).
	scope    string
	deferred map[string]ErrorList
}

// Scopes whose problems wait until it is known whether a deployment uses them.
const (
	scopeService   = "service"
	scopeProfile   = "compute profile"
	scopePlacement = "placement"
)

// within sets the scope for reading one named profile, placement or
// service and returns the function that leaves it.
func (d *decoder) within(kind, name string) func() {
	d.scope = kind + " " + strconv.Quote(name)
	return func() { d.scope = "" }
}

// usedOnlyf reports a problem Akash finds only in what a deployment uses
// (limits, required keys, name rules): outside a scope it is an error; inside
// one it waits for settleDeferred.
func (d *decoder) usedOnlyf(n *yaml.Node, sentinel error, path, hint, format string, args ...any) {
	if d.scope == "" {
		d.errorf(n, sentinel, path, hint, format, args...)
		return
	}
	if d.deferred == nil {
		d.deferred = map[string]ErrorList{}
	}
	l := d.deferred[d.scope]
	d.add(&l, n, sentinel, path, hint, format, args...)
	d.deferred[d.scope] = l
}

// settleDeferred turns the waiting problems of used scopes into errors and
// those of unused ones into warnings: Akash accepts a file whose unused
// profile has no resources, say, and so does this parser, but says so.
func (d *decoder) settleDeferred(used map[string]bool) {
	for _, scope := range keysOf(d.deferred) {
		for _, fe := range d.deferred[scope] {
			if used[scope] {
				d.errs = append(d.errs, fe)
				continue
			}
			fe.Problem += " (ignored: no deployment uses " + scope + ")"
			d.warns = append(d.warns, fe)
		}
	}
	d.deferred = nil
}

type pair struct {
	key   string
	keyN  *yaml.Node
	value *yaml.Node
}

func (d *decoder) add(list *ErrorList, n *yaml.Node, sentinel error, path, hint, format string, args ...any) {
	if hint == "" {
		hint = "see docs/manifest.md for the accepted form"
	}
	fe := &FieldError{File: d.file, Path: path, Problem: fmt.Sprintf(format, args...), Hint: hint, Err: sentinel}
	if n != nil {
		fe.Line, fe.Column = n.Line, n.Column
	}
	*list = append(*list, fe)
}

func (d *decoder) errorf(n *yaml.Node, sentinel error, path, hint, format string, args ...any) {
	d.add(&d.errs, n, sentinel, path, hint, format, args...)
}

func (d *decoder) warnf(n *yaml.Node, path, hint, format string, args ...any) {
	d.add(&d.warns, n, ErrUnknownKey, path, hint, format, args...)
}

// resolve follows aliases and counts the visit.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	d.visits++
	if d.visits > maxNodes && !d.over {
		d.over = true
		d.errorf(n, ErrStructure, "", "write the manifest without deeply nested aliases", "document expands to more than %d nodes", maxNodes)
	}
	return n
}

// nullValue reports whether n, after aliases, is a YAML null (or absent),
// without counting a visit.
func nullValue(n *yaml.Node) bool {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return yamlfile.IsNull(n)
}

// mapping returns the pairs of a mapping node in file order, expanding merge
// keys ("<<") and reporting duplicate keys. A null node is an empty mapping.
func (d *decoder) mapping(n *yaml.Node, path, hint string) ([]pair, bool) {
	n = d.resolve(n)
	if d.over {
		return nil, false
	}
	if yamlfile.IsNull(n) {
		return nil, true
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, ErrStructure, path, hint, "want a mapping of key: value, got %s", yamlfile.KindName(n))
		return nil, false
	}
	out := make([]pair, 0, len(n.Content)/2)
	var merged []pair
	var big map[string]*yaml.Node // only for large mappings, where a linear search would be quadratic
	if len(n.Content) > 64 {
		big = make(map[string]*yaml.Node, len(n.Content)/2)
	}
	find := func(key string) *yaml.Node {
		if big != nil {
			return big[key]
		}
		return findPair(out, key)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := d.resolve(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			d.errorf(n.Content[i], ErrStructure, path, "keys are plain names", "a key must be a scalar")
			continue
		}
		if k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0) {
			merged = append(merged, d.mergePairs(v, path)...)
			continue
		}
		if prev := find(k.Value); prev != nil {
			d.errorf(k, ErrDuplicate, yamlfile.Join(path, k.Value), "remove one of them",
				"key %q is already defined at line %d", k.Value, prev.Line)
			continue
		}
		out = append(out, pair{key: k.Value, keyN: k, value: v})
		if big != nil {
			big[k.Value] = k
		}
	}
	for _, p := range merged { // explicit keys win over merged ones
		if find(p.key) == nil {
			out = append(out, p)
			if big != nil {
				big[p.key] = p.keyN
			}
		}
	}
	return out, true
}

// findPair is a linear search: SDL mappings are small, and a map per
// mapping would cost more than it saves.
func findPair(ps []pair, key string) *yaml.Node {
	for i := range ps {
		if ps[i].key == key {
			return ps[i].keyN
		}
	}
	return nil
}

func (d *decoder) mergePairs(v *yaml.Node, path string) []pair {
	v = d.resolve(v)
	if v == nil || d.over {
		return nil
	}
	switch v.Kind {
	case yaml.MappingNode:
		ps, _ := d.mapping(v, path, "")
		return ps
	case yaml.SequenceNode:
		var out []pair
		for _, item := range v.Content {
			out = append(out, d.mergePairs(item, path)...)
		}
		return out
	}
	d.errorf(v, ErrStructure, path, "merge a mapping or a list of mappings", "merge key '<<' takes %s", yamlfile.KindName(v))
	return nil
}

// sequence returns the items of a list; null is empty.
func (d *decoder) sequence(n *yaml.Node, path, hint string) ([]*yaml.Node, bool) {
	n = d.resolve(n)
	if d.over {
		return nil, false
	}
	if yamlfile.IsNull(n) {
		return nil, true
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, ErrStructure, path, hint, "want a list, got %s", yamlfile.KindName(n))
		return nil, false
	}
	if n.Content == nil {
		return []*yaml.Node{}, true // [] is an empty list, not an absent one
	}
	return n.Content, true
}

// scalar returns the text of a scalar; null is "". Any scalar type is text.
func (d *decoder) scalar(n *yaml.Node, path, hint string) (string, *yaml.Node, bool) {
	n = d.resolve(n)
	if d.over || n == nil {
		return "", n, false
	}
	if yamlfile.IsNull(n) {
		return "", n, true
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, ErrStructure, path, hint, "want a single value, got %s", yamlfile.KindName(n))
		return "", n, false
	}
	return n.Value, n, true
}

func (d *decoder) str(n *yaml.Node, path, hint string) string {
	s, _, _ := d.scalar(n, path, hint)
	return s
}

// strList reads a list of scalars: nil for null, an empty (non-nil) list
// for [] (Akash's manifest tells the two apart).
func (d *decoder) strList(n *yaml.Node, path, hint string) []string {
	items, ok := d.sequence(n, path, hint)
	if !ok || items == nil {
		return nil
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, _, ok := d.scalar(it, yamlfile.Index(path, i), hint)
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// uintN reads a non-negative integer of at most max. YAML integers in any
// base YAML allows are accepted, and floats only when whole ("80.0").
func (d *decoder) uintN(n *yaml.Node, path, hint string, max uint64) (uint64, bool) {
	s, sn, ok := d.scalar(n, path, hint)
	if !ok {
		return 0, false
	}
	if yamlfile.IsNull(sn) {
		return 0, true
	}
	bad := func(what string) (uint64, bool) {
		d.errorf(sn, ErrStructure, path, hint, "%q is %s", s, what)
		return 0, false
	}
	switch sn.Tag {
	case "!!int":
		t := strings.ReplaceAll(s, "_", "")
		t = strings.TrimPrefix(t, "+")
		if strings.HasPrefix(t, "-") {
			return bad("negative")
		}
		if strings.HasPrefix(t, "0o") || strings.HasPrefix(t, "0x") {
			// Go's base prefixes match YAML's
		} else if len(t) > 1 && t[0] == '0' {
			t = "0o" + t[1:] // YAML 1.1 octal, as yaml.v3 reads it
		}
		v, err := strconv.ParseUint(t, 0, 64)
		if err != nil || v > max {
			return bad(fmt.Sprintf("out of range (0..%d)", max))
		}
		return v, true
	case "!!float":
		v, err := scaleDecimal(strings.ReplaceAll(s, "_", ""), 1, 0)
		if err != nil {
			return bad("not a whole number")
		}
		// whole only: compare with the value scaled by 10^3
		if w, _ := scaleDecimal(strings.ReplaceAll(s, "_", ""), 1, 3); w != v*1000 {
			return bad("not a whole number")
		}
		if v > max {
			return bad(fmt.Sprintf("out of range (0..%d)", max))
		}
		return v, true
	}
	return bad("not a number (write it without quotes)")
}

// boolean reads a bool as yaml.v3 decodes one into Go's bool (as Akash
// does): true/false in YAML 1.2's spellings (true, True, TRUE, ...) when
// unquoted, and YAML 1.1's y, yes, on, n, no, off (in lower, title or upper
// case) quoted or not; anything else, such as a quoted "true", is refused.
func (d *decoder) boolean(n *yaml.Node, path string) bool {
	s, sn, ok := d.scalar(n, path, "write true or false")
	if !ok || yamlfile.IsNull(sn) {
		return false
	}
	if sn.Tag == "!!bool" && sn.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		switch s {
		case "true", "True", "TRUE":
			return true
		case "false", "False", "FALSE":
			return false
		}
	}
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON":
		return true
	case "n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return false
	}
	d.errorf(sn, ErrStructure, path, "write true or false", "%q is not a boolean", s)
	return false
}

// keyset dispatches the pairs of a mapping to handlers; keys without one are
// reported as errors when strict, else as warnings (Akash ignores them).
type keyset map[string]func(p pair)

func (d *decoder) dispatch(ps []pair, path string, ks keyset, strict bool, known string) {
	for _, p := range ps {
		if f, ok := ks[p.key]; ok {
			f(p)
			continue
		}
		hint := "known keys: " + known
		if strict {
			d.errorf(p.keyN, ErrUnknownKey, yamlfile.Join(path, p.key), hint, "unknown key %q", p.key)
		} else {
			d.warnf(p.keyN, yamlfile.Join(path, p.key), hint, "unknown key %q is ignored", p.key)
		}
	}
}
