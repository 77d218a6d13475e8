package scenarios

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/internal/yamlfile"
	"github.com/akash-market/akash/sim"
)

// decoder turns a YAML node tree into a sim.Scenario that already holds the
// defaults, key by key, so that a key the file leaves out keeps its default
// and a key it writes as 0 is 0. Unlike yaml's own decoder it keeps going
// after a bad value (every problem is reported at once), rejects unknown keys
// with the keys allowed at that place, and records where each key is so that
// later problems (Validate's) can be placed on a line.
type decoder struct {
	file string
	errs Errors
	// pos maps a key path (tenants[0].arrival) to the node to point at: the
	// key for a mapping entry, the item for a list entry.
	pos map[string]*yaml.Node
	// bad holds the paths whose value could not be decoded, so that Validate
	// does not report them a second time.
	bad map[string]bool
	// set maps the nodes an override created to its "path=value" text.
	set map[*yaml.Node]string
	// vals maps a key path to its value node (pos holds its key node): an
	// override that replaced only the value is found through it.
	vals map[string]*yaml.Node
	// budget bounds the values decoded, so a few aliases cannot expand into
	// billions of them (a "billion laughs" file).
	budget int
}

const maxValues = 1 << 17

func newDecoder(file string) *decoder {
	return &decoder{
		file:   file,
		pos:    map[string]*yaml.Node{},
		bad:    map[string]bool{},
		set:    map[*yaml.Node]string{},
		vals:   map[string]*yaml.Node{},
		budget: maxValues,
	}
}

// fail records a problem at node n.
func (d *decoder) fail(n *yaml.Node, path, problem, hint string) {
	e := Error{File: d.file, Path: path, Problem: problem, Hint: hint}
	if n != nil {
		if s, ok := d.set[n]; ok {
			e.Set = s
		} else {
			e.Line, e.Column = n.Line, n.Column
		}
	}
	d.errs = append(d.errs, e)
	d.bad[path] = true
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	distType        = reflect.TypeFor[sim.Dist]()
	extensionKey    = reflect.TypeFor[sim.ExtensionKey]()
)

// decode sets v (addressable) from node n; path is v's key path.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.budget--; d.budget < 0 {
		if d.budget == -1 {
			d.fail(n, path, fmt.Sprintf("the file expands to more than %d values (aliases?)", maxValues), "write the scenario without deeply repeated aliases")
		}
		return
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			d.fail(n, path, "alias to nothing", "define the anchor before using it")
			return
		}
		n = n.Alias
	}
	if yamlfile.IsNull(n) {
		// A key with no value keeps its default, except a tier, which it
		// turns off ("ml_batch: ~").
		if v.Kind() == reflect.Pointer {
			v.SetZero()
		}
		return
	}
	if reflect.PointerTo(v.Type()).Implements(textUnmarshaler) {
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "is "+yamlfile.KindName(n)+", want a single value", hintFor(v.Type()))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			// The types' own messages say what is allowed; add ours when not.
			hint := hintFor(v.Type())
			if strings.Contains(err.Error(), "want") {
				hint = ""
			}
			d.fail(n, path, err.Error(), hint)
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == distType {
			d.dist(n, v, path)
			return
		}
		if reflect.PointerTo(v.Type()).Implements(extensionKey) {
			d.extension(n, v.Addr().Interface().(sim.ExtensionKey), path)
			return
		}
		d.structure(n, v, path, "")
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(newDefault(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), path)
	case reflect.Slice:
		d.list(n, v, path)
	case reflect.Map:
		d.mapping(n, v, path)
	default:
		d.scalar(n, v, path)
	}
}

// structure decodes a mapping into a struct's fields by their yaml tags.
// skip is a key decoded elsewhere (an extension's selector), or "".
func (d *decoder) structure(n *yaml.Node, v reflect.Value, path, skip string) {
	fs := fieldsOf(v.Type())
	names := fs.names
	if skip != "" {
		names = append([]string{skip}, names...)
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "is "+yamlfile.KindName(n)+", want a mapping of keys", "keys allowed here: "+strings.Join(names, ", "))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if isMerge(k) {
			d.merge(val, v, path)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, "has "+yamlfile.KindName(k)+" as a key", "keys are plain words")
			continue
		}
		if skip != "" && k.Value == skip {
			continue
		}
		kp := yamlfile.Join(path, k.Value)
		idx, ok := fs.index[k.Value]
		if !ok {
			d.fail(k, kp, "unknown key", yamlfile.AllowedHint(k.Value, path, names))
			continue
		}
		if seen[k.Value] {
			d.fail(k, kp, "is given twice", "keep one")
			continue
		}
		seen[k.Value] = true
		d.pos[kp], d.vals[kp] = k, val
		d.decode(val, v.Field(idx), kp)
	}
}

// merge applies a YAML merge key ("<<: *base") to a struct.
func (d *decoder) merge(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.SequenceNode {
		for _, m := range n.Content {
			d.decode(m, v, path)
		}
		return
	}
	d.decode(n, v, path)
}

// dist decodes a distribution. It starts from zero rather than from the
// default, so a file that gives a different kind does not inherit the
// default's parameters; a bare number means a constant.
func (d *decoder) dist(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.ScalarNode {
		var f float64
		if err := n.Decode(&f); err != nil {
			d.fail(n, path, fmt.Sprintf("%q is not a number or a distribution", n.Value), hintFor(distType))
			return
		}
		v.Set(reflect.ValueOf(sim.Dist{Kind: "const", Value: f}))
		return
	}
	v.SetZero()
	d.structure(n, v, path, "")
}

// extension decodes a key that names a registered extension (a provider
// class's pricing or agent, a tenant class's agent, a metric): its selector
// key (strategy, kind) first, which starts from that kind's defaults, then
// every other key into the kind's parameters. Without the selector the
// keys go into the current kind's parameters (the default kind's).
func (d *decoder) extension(n *yaml.Node, x sim.ExtensionKey, path string) {
	sel := x.SelectorKey()
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "is "+yamlfile.KindName(n)+", want a mapping of keys", "start with "+sel+": one of "+strings.Join(x.Kinds(), ", "))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value != sel {
			continue
		}
		sp := yamlfile.Join(path, sel)
		d.pos[sp] = k
		if val.Kind == yaml.AliasNode && val.Alias != nil {
			val = val.Alias
		}
		if val.Kind != yaml.ScalarNode || yamlfile.IsNull(val) {
			d.fail(val, sp, "is "+yamlfile.KindName(val)+", want a name", "use one of "+strings.Join(x.Kinds(), ", "))
			return
		}
		if !x.Select(val.Value) {
			d.fail(val, sp, fmt.Sprintf("%q is not a registered %s", val.Value, x.What()),
				"use one of "+strings.Join(x.Kinds(), ", ")+" (or register it from Go: docs/simulator.md, Extensions)")
			return
		}
		break
	}
	p := x.ParamsValue()
	if p == nil {
		d.fail(n, yamlfile.Join(path, sel), "names nothing registered", "use one of "+strings.Join(x.Kinds(), ", "))
		return
	}
	d.structure(n, reflect.ValueOf(p).Elem(), path, sel)
}

// list decodes a sequence; each item starts from its type's defaults (a
// tenant class from DefaultTenantClass, and so on).
func (d *decoder) list(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, path, "is "+yamlfile.KindName(n)+", want a list", "write one item per line starting with '- '")
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		ip := fmt.Sprintf("%s[%d]", path, i)
		d.pos[ip] = item
		s.Index(i).Set(newDefault(v.Type().Elem()).Elem())
		d.decode(item, s.Index(i), ip)
	}
	v.Set(s)
}

// mapping decodes a mapping into a Go map, which it replaces as a whole.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "is "+yamlfile.KindName(n)+", want a mapping", "write name: value pairs, e.g. {us-east: 1}")
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || yamlfile.IsNull(k) || isMerge(k) {
			d.fail(k, path, "has a key that is not a name", "use plain names as keys")
			continue
		}
		kp := yamlfile.Join(path, k.Value)
		if m.MapIndex(reflect.ValueOf(k.Value)).IsValid() {
			d.fail(k, kp, "is given twice", "keep one")
			continue
		}
		d.pos[kp], d.vals[kp] = k, val
		e := newDefault(v.Type().Elem()).Elem()
		d.decode(val, e, kp)
		m.SetMapIndex(reflect.ValueOf(k.Value), e)
	}
	v.Set(m)
}

// scalar decodes strings, booleans and numbers, with messages in the terms
// of the key rather than of Go's types.
func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "is "+yamlfile.KindName(n)+", want a single value", hintFor(v.Type()))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if err := n.Decode(&b); err != nil {
			d.fail(n, path, fmt.Sprintf("%q is not true or false", n.Value), "use true or false")
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x, err := strconv.ParseInt(cleanNumber(n.Value), 0, v.Type().Bits())
		if err != nil {
			d.fail(n, path, fmt.Sprintf("%q is not a whole number", n.Value), hintFor(v.Type()))
			return
		}
		v.SetInt(x)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		x, err := strconv.ParseUint(cleanNumber(n.Value), 0, v.Type().Bits())
		if err != nil {
			d.fail(n, path, fmt.Sprintf("%q is not a whole number ≥ 0", n.Value), hintFor(v.Type()))
			return
		}
		v.SetUint(x)
	case reflect.Float32, reflect.Float64:
		var f float64
		if err := n.Decode(&f); err != nil || n.ShortTag() == "!!str" {
			d.fail(n, path, fmt.Sprintf("%q is not a number", n.Value), hintFor(v.Type()))
			return
		}
		v.SetFloat(f)
	default:
		// The schema holds no other kind; a test walks it to keep it so.
		d.fail(n, path, fmt.Sprintf("cannot be read (Go type %s)", v.Type()), "report this as a bug")
	}
}

// cleanNumber accepts YAML's digit separators ("1_000_000").
func cleanNumber(s string) string {
	return strings.TrimPrefix(strings.ReplaceAll(s, "_", ""), "+")
}

// hintFor says what a value of type t looks like.
func hintFor(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[sim.Duration]():
		return "want a duration such as 500ms, 6s, 10m, 24h"
	case reflect.TypeFor[sim.Size]():
		return "want a size such as 512Mi, 1Gi, 1.5G (Ki Mi Gi Ti are 1024-based, k M G T 1000-based)"
	case reflect.TypeFor[sim.CPU]():
		return "want cores (\"2\", \"0.5\") or millicores (\"250m\")"
	case distType:
		return "want a number (a constant) or {kind: const|uniform|exponential|lognormal, value|min,max|mean[,std]: …}"
	}
	if t == reflect.TypeFor[money.Dec]() {
		return "want a decimal amount with no sign or exponent, e.g. 0.25 or 5000000"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "want a whole number such as 50"
	case reflect.Uint, reflect.Uint64, reflect.Uint32:
		return fmt.Sprintf("want a whole number from 0 to %d", uint64(math.MaxUint64)>>(64-t.Bits()))
	case reflect.Float64:
		return "want a number such as 0.5 or 120"
	case reflect.String:
		return "want text"
	}
	return ""
}

func isMerge(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "<<" && n.ShortTag() == "!!merge"
}

// newDefault returns a pointer to a new value of t holding t's defaults: the
// class defaults for list items and tiers, zero for everything else.
func newDefault(t reflect.Type) reflect.Value {
	p := reflect.New(t)
	switch t {
	case reflect.TypeFor[sim.TenantClass]():
		p.Elem().Set(reflect.ValueOf(DefaultTenantClass()))
	case reflect.TypeFor[sim.ProviderClass]():
		p.Elem().Set(reflect.ValueOf(DefaultProviderClass()))
	case reflect.TypeFor[sim.Shape]():
		p.Elem().Set(reflect.ValueOf(DefaultShape()))
	case reflect.TypeFor[sim.DeliveryNetwork]():
		p.Elem().Set(reflect.ValueOf(DefaultDeliveryNetwork()))
	case reflect.TypeFor[sim.MLBatch]():
		p.Elem().Set(reflect.ValueOf(DefaultMLBatch()))
	}
	return p
}

// fields is a struct type's yaml keys in declaration order.
type fields struct {
	names []string
	index map[string]int
}

var fieldCache sync.Map // reflect.Type → *fields

func fieldsOf(t reflect.Type) *fields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*fields)
	}
	f := &fields{index: map[string]int{}}
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag == "" || tag == "-" || !t.Field(i).IsExported() {
			continue
		}
		f.names = append(f.names, tag)
		f.index[tag] = i
	}
	fieldCache.Store(t, f)
	return f
}
