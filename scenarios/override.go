package scenarios

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/internal/yamlfile"
	"github.com/akash-market/akash/sim"
)

// An override is "key.path=value", as given to --set: a path of keys and list
// indexes (market.take_rate_bps, providers[0].count,
// tenants[0].arrival.rate_per_hour) and a YAML value (500, "6s",
// {us-east: 1}, [a, b]). It is applied to the file's node tree before
// decoding, so an override is checked exactly like the file: an unknown key
// or a value of the wrong type is an error naming the override.
//
// A missing key is added; providers[N] with N the list's length appends an
// item (that starts from the class defaults). When the file does not give a
// list at all, the override edits the default list: providers[0].count=50 on
// a file without providers is the defaults' two classes, the first with 50.

// segment is one step of a path: a key or a list index.
type segment struct {
	key   string
	index int // -1 for a key
}

// parsePath reads "a.b[2].c" into segments.
func parsePath(p string) ([]segment, error) {
	var segs []segment
	for p != "" {
		switch {
		case p[0] == '[':
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed '[' in the path")
			}
			i, err := strconv.Atoi(p[1:end])
			if err != nil || i < 0 {
				return nil, fmt.Errorf("%q is not a list index; use a number ≥ 0 as in providers[0]", p[1:end])
			}
			segs = append(segs, segment{index: i})
			p = p[end+1:]
		case p[0] == '.':
			if len(segs) == 0 || len(p) == 1 || p[1] == '.' || p[1] == '[' {
				return nil, fmt.Errorf("empty key in the path")
			}
			p = p[1:]
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			segs = append(segs, segment{key: p[:end], index: -1})
			p = p[end:]
			if p != "" && p[0] != '.' && p[0] != '[' {
				return nil, fmt.Errorf("bad path")
			}
		}
	}
	if len(segs) == 0 {
		return nil, fmt.Errorf("empty path")
	}
	return segs, nil
}

// override applies one "path=value" to the document's root mapping.
func (d *decoder) override(root *yaml.Node, raw string) {
	fail := func(path, problem, hint string) {
		d.errs = append(d.errs, Error{File: d.file, Set: raw, Path: path, Problem: problem, Hint: hint})
	}
	path, value, ok := strings.Cut(raw, "=")
	if !ok {
		fail("", "has no '='", "write key.path=value, e.g. market.take_rate_bps=500")
		return
	}
	path = strings.TrimSpace(path)
	segs, err := parsePath(path)
	if err != nil {
		fail(path, err.Error(), "write key.path=value, e.g. providers[0].count=50")
		return
	}
	val, err := parseValue(value)
	if err != nil {
		fail(path, fmt.Sprintf("value %q is not YAML: %v", value, err), "quote text with spaces or colons, e.g. name='my run'")
		return
	}
	d.mark(val, raw)

	t := reflect.TypeFor[sim.Scenario]()
	// dv follows the path through the defaults, so that a list the file
	// does not give starts as the default list (providers[1].count=5 on a
	// file without providers edits the defaults' second class).
	dv := reflect.ValueOf(Defaults())
	n := root
	walked := ""
	for i, s := range segs {
		last := i == len(segs)-1
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
			if dv.Kind() == reflect.Pointer && dv.IsNil() {
				dv = newDefault(t)
			}
			dv = dv.Elem()
		}
		if s.index < 0 {
			var next reflect.Type
			switch {
			case t.Kind() == reflect.Struct && reflect.PointerTo(t).Implements(extensionKey):
				var ok bool
				if next, dv, ok = d.overrideExtension(n, t, dv, s.key, walked, last, val, fail); !ok {
					return
				}
			case t.Kind() == reflect.Struct:
				fs := fieldsOf(t)
				idx, ok := fs.index[s.key]
				if !ok {
					fail(yamlfile.Join(walked, s.key), "unknown key", yamlfile.AllowedHint(s.key, walked, fs.names))
					return
				}
				next = t.Field(idx).Type
				dv = dv.Field(idx)
			case t.Kind() == reflect.Map:
				next = t.Elem()
				if dv = dv.MapIndex(reflect.ValueOf(s.key)); !dv.IsValid() {
					dv = newDefault(next).Elem()
				}
			default:
				fail(walked, fmt.Sprintf("is a single value; it has no key %q", s.key), "set "+walked+" itself")
				return
			}
			if !d.asMapping(n, walked, fail) {
				return
			}
			walked = yamlfile.Join(walked, s.key)
			n = d.child(n, s.key, last, val, raw)
			t = next
			continue
		}
		walked = fmt.Sprintf("%s[%d]", walked, s.index)
		if t.Kind() != reflect.Slice {
			fail(walked, "is not a list", "drop the index")
			return
		}
		if yamlfile.IsNull(n) {
			// The file leaves the list to its default: spell the default out.
			var enc yaml.Node
			if err := enc.Encode(dv.Interface()); err != nil || enc.Kind != yaml.SequenceNode {
				enc = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			}
			*n = enc
			d.mark(n, raw)
		}
		if n.Kind != yaml.SequenceNode {
			fail(walked, "the file gives "+yamlfile.KindName(n)+" here, not a list", "fix the file first")
			return
		}
		switch {
		case s.index < len(n.Content):
			if last {
				n.Content[s.index] = val
			}
		case s.index == len(n.Content):
			item := val
			if !last {
				item = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				d.mark(item, raw)
			}
			n.Content = append(n.Content, item)
		default:
			fail(walked, fmt.Sprintf("is past the end of a list of %d", len(n.Content)),
				fmt.Sprintf("use an index from 0 to %d (%d appends an item)", len(n.Content), len(n.Content)))
			return
		}
		n = own(n, s.index)
		t = t.Elem()
		if s.index < dv.Len() {
			dv = dv.Index(s.index)
		} else {
			dv = newDefault(t).Elem()
		}
	}
}

// overrideExtension is one step of an override into a key that names an
// extension (pricing, agent, a metric): the selector, or a key of the
// parameters of the kind the file (or the default) names. Setting the
// selector keeps the file's keys that the new kind also takes and drops the
// others, so that --set providers[0].pricing.strategy=utilisation works on
// a file that prices cost-plus with a margin_bps.
func (d *decoder) overrideExtension(n *yaml.Node, t reflect.Type, dv reflect.Value, key, walked string, last bool, val *yaml.Node,
	fail func(path, problem, hint string)) (reflect.Type, reflect.Value, bool) {
	x := reflect.New(t)
	if dv.IsValid() {
		x.Elem().Set(dv)
	}
	ext := x.Interface().(sim.ExtensionKey)
	sel := ext.SelectorKey()
	name := ""
	if key == sel {
		name = val.Value
	} else if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == sel && n.Content[i+1].Kind == yaml.ScalarNode {
				name = n.Content[i+1].Value
			}
		}
	}
	if name != "" && !ext.Select(name) {
		fail(yamlfile.Join(walked, sel), fmt.Sprintf("%q is not a registered %s", name, ext.What()), "use one of "+strings.Join(ext.Kinds(), ", "))
		return nil, dv, false
	}
	p := ext.ParamsValue()
	if p == nil {
		fail(yamlfile.Join(walked, sel), "names nothing registered", "use one of "+strings.Join(ext.Kinds(), ", "))
		return nil, dv, false
	}
	fs := fieldsOf(reflect.TypeOf(p).Elem())
	if key == sel {
		if last && n.Kind == yaml.MappingNode { // keep the keys the new kind takes
			kept := n.Content[:0:0]
			for i := 0; i+1 < len(n.Content); i += 2 {
				if _, ok := fs.index[n.Content[i].Value]; ok || n.Content[i].Value == sel {
					kept = append(kept, n.Content[i], n.Content[i+1])
				}
			}
			n.Content = kept
		}
		return reflect.TypeFor[string](), reflect.ValueOf(name), true
	}
	idx, ok := fs.index[key]
	if !ok {
		fail(yamlfile.Join(walked, key), "unknown key", yamlfile.AllowedHint(key, walked, append([]string{sel}, fs.names...)))
		return nil, dv, false
	}
	return reflect.TypeOf(p).Elem().Field(idx).Type, reflect.ValueOf(p).Elem().Field(idx), true
}

// asMapping makes n a mapping when it is empty (null), or reports that the
// file has something else there.
func (d *decoder) asMapping(n *yaml.Node, walked string, fail func(path, problem, hint string)) bool {
	if n.Kind == yaml.MappingNode {
		return true
	}
	if yamlfile.IsNull(n) {
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
		return true
	}
	fail(walked, "the file gives "+yamlfile.KindName(n)+" here, not a mapping of keys", "set "+walked+" as a whole")
	return false
}

// child returns the value under key in mapping n, adding the key when it is
// missing; when last, the value is replaced by val.
func (d *decoder) child(n *yaml.Node, key string, last bool, val *yaml.Node, raw string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Kind == yaml.ScalarNode && n.Content[i].Value == key {
			if last {
				n.Content[i+1] = val
			}
			return own(n, i+1)
		}
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
	d.mark(k, raw)
	v := val
	if !last {
		v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
		d.mark(v, raw)
	}
	n.Content = append(n.Content, k, v)
	return v
}

// parseValue reads an override's value as YAML; an empty value is "".
func parseValue(s string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}, nil
	}
	return doc.Content[0], nil
}

// mark records that n and everything under it came from an override.
func (d *decoder) mark(n *yaml.Node, raw string) {
	if n == nil || d.set[n] != "" {
		return
	}
	d.set[n] = raw
	for _, c := range n.Content {
		d.mark(c, raw)
	}
}

// own returns parent.Content[i] ready to be edited: an alias, or a node with
// an anchor, is first replaced by a copy, so that the edit does not reach the
// anchor's other users (providers[0].count=9 must not change providers[1]
// when it is "<<: *providers0").
func own(parent *yaml.Node, i int) *yaml.Node {
	c := parent.Content[i]
	switch {
	case c.Kind == yaml.AliasNode && c.Alias != nil:
		parent.Content[i] = deepCopy(c.Alias)
	case c.Anchor != "":
		parent.Content[i] = deepCopy(c)
	}
	return parent.Content[i]
}

// deepCopy copies a node tree (aliases inside it still point at their anchors).
func deepCopy(n *yaml.Node) *yaml.Node {
	c := *n
	c.Anchor = ""
	if n.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, x := range n.Content {
			c.Content[i] = deepCopy(x)
		}
	}
	return &c
}
