package manifest

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/core/money"
)

// Akash's per-replica network limits (deployment module validation config).
const (
	minCPUMillis   = 10
	maxCPUMillis   = 384_000
	maxGPUUnits    = 24
	minMemoryBytes = 1 << 20
	maxMemoryBytes = 2 << 40
	minVolumeBytes = 5 << 20
	maxVolumeBytes = 32 << 40
	maxUnitPrice   = 10_000_000 // per replica per block, in the denom's base unit
)

var (
	// attribute keys as the chain accepts them; a trailing * is a wildcard
	attrKeyRE      = regexp.MustCompile(`^[a-zA-Z][\w/.\-]{1,126}[\w*]?$`)
	endpointNameRE = regexp.MustCompile(`^[a-z]+[a-z\-_\d]+$`)
	storageClasses = map[string]bool{"default": true, "beta1": true, "beta2": true, "beta3": true, "ram": true}
)

type rawProfile struct {
	ComputeProfile
	keyN *yaml.Node
	path string
}

type rawPlacement struct {
	Placement
	keyN    *yaml.Node
	path    string
	pricing map[string]*yaml.Node // profile → key node
}

type rawEndpoint struct {
	Endpoint
	keyN *yaml.Node
}

func (p *parser) readProfiles(n *yaml.Node) {
	ps, ok := p.mapping(n, "profiles", "profiles has compute and placement")
	if !ok {
		return
	}
	p.dispatch(ps, "profiles", keyset{
		"compute":   func(x pair) { p.readCompute(x.value) },
		"placement": func(x pair) { p.readPlacements(x.value) },
	}, false, "compute, placement")
}

func (p *parser) readCompute(n *yaml.Node) {
	ps, ok := p.mapping(n, "profiles.compute", "map a profile name to {resources: {cpu, memory, storage}}")
	if !ok {
		return
	}
	p.profiles = make(map[string]*rawProfile, len(ps))
	for _, x := range ps {
		base := join("profiles.compute", x.key)
		rp := &rawProfile{keyN: x.keyN, path: base}
		rp.Name = x.key
		p.profiles[x.key] = rp
		fields, ok := p.mapping(x.value, base, "write {resources: {cpu, memory, storage}}")
		if !ok {
			continue
		}
		var seen bool
		p.dispatch(fields, base, keyset{"resources": func(y pair) {
			seen = true
			rp.Resources = p.readResources(y, join(base, "resources"))
		}}, false, "resources")
		if !seen {
			p.errorf(x.keyN, ErrStructure, join(base, "resources"), "add resources: {cpu: {units: 1}, memory: {size: 1Gi}, storage: {size: 1Gi}}", "profile has no resources")
		}
	}
}

func (p *parser) readResources(y pair, base string) Resources {
	var r Resources
	ps, ok := p.mapping(y.value, base, "resources has cpu, memory, storage, gpu (and bandwidth)")
	if !ok {
		return r
	}
	var cpu, mem, sto bool
	p.dispatch(ps, base, keyset{
		"cpu": func(z pair) { cpu = true; r.CPUMillis = p.readCPU(z, join(base, "cpu")) },
		"memory": func(z pair) {
			mem = true
			r.MemoryBytes = p.readSized(z, join(base, "memory"), minMemoryBytes, maxMemoryBytes, "memory")
		},
		"storage": func(z pair) {
			sto = true
			r.Storage = p.readStorage(z, join(base, "storage"))
		},
		"gpu":       func(z pair) { r.GPU = p.readGPU(z, join(base, "gpu")) },
		"bandwidth": func(z pair) { r.BandwidthBps = p.readSized(z, join(base, "bandwidth"), 0, 0, "bandwidth") },
	}, false, "cpu, memory, storage, gpu, bandwidth")
	for _, f := range []struct {
		ok   bool
		name string
		hint string
	}{{cpu, "cpu", "add cpu: {units: 0.5}"}, {mem, "memory", "add memory: {size: 512Mi}"}, {sto, "storage", "add storage: {size: 1Gi}"}} {
		if !f.ok {
			p.errorf(y.keyN, ErrStructure, join(base, f.name), f.hint, "resources have no %s", f.name)
		}
	}
	return r
}

func (p *parser) readCPU(z pair, base string) uint64 {
	ps, ok := p.mapping(z.value, base, "write {units: 0.5}")
	if !ok {
		return 0
	}
	var millis uint64
	var seen bool
	p.dispatch(ps, base, keyset{
		"units": func(u pair) {
			seen = true
			path := join(base, "units")
			hint := `write cores ("0.5", 2) or millicores ("500m"), between 10m and 384`
			s, sn, ok := p.scalar(u.value, path, hint)
			if !ok {
				return
			}
			v, err := parseCPU(strings.TrimSpace(s))
			if err != nil {
				p.errorf(sn, ErrUnits, path, hint, "cpu units %q: %v", s, err)
				return
			}
			if v < minCPUMillis || v > maxCPUMillis {
				p.errorf(sn, ErrLimit, path, hint, "cpu units %q is %dm, outside 10m..384000m", s, v)
				return
			}
			millis = v
		},
		"attributes": func(u pair) {
			p.errorf(u.keyN, ErrUnknownKey, join(base, "attributes"), "remove cpu attributes", "cpu attributes are not supported")
		},
	}, true, "units")
	if !seen {
		p.errorf(z.keyN, ErrStructure, join(base, "units"), "add units: 0.5", "cpu has no units")
	}
	return millis
}

// readSized reads {size: <quantity>} (memory, bandwidth); min/max 0 = no bound.
func (p *parser) readSized(z pair, base string, min, max uint64, what string) uint64 {
	ps, ok := p.mapping(z.value, base, "write {size: 512Mi}")
	if !ok {
		return 0
	}
	var v uint64
	var seen bool
	p.dispatch(ps, base, keyset{"size": func(u pair) {
		seen = true
		v = p.size(u, join(base, "size"), min, max, what, false)
	}}, false, "size")
	if !seen {
		p.errorf(z.keyN, ErrStructure, join(base, "size"), "add size: 512Mi", "%s has no size", what)
	}
	return v
}

func (p *parser) size(u pair, path string, min, max uint64, what string, binaryOnly bool) uint64 {
	s, sn, ok := p.scalar(u.value, path, sizeHint("", binaryOnly))
	if !ok {
		return 0
	}
	v, err := parseSize(strings.TrimSpace(s), binaryOnly)
	if err != nil {
		problem := err.Error()
		if unit := strings.TrimLeft(strings.TrimSpace(s), "+-0123456789.eE"); unit != "" && err == errNumber {
			problem = "unknown unit " + strconv.Quote(unit)
		}
		p.errorf(sn, ErrUnits, path, sizeHint(s, binaryOnly), "%s %q: %s", what, s, problem)
		return 0
	}
	if (min != 0 && v < min) || (max != 0 && v > max) {
		p.errorf(sn, ErrLimit, path, "stay within "+humanBytes(min)+".."+humanBytes(max), "%s %q is %d bytes, outside the network limits", what, s, v)
		return 0
	}
	return v
}

func humanBytes(b uint64) string {
	for _, u := range []struct {
		s string
		v uint64
	}{{"Ti", 1 << 40}, {"Gi", 1 << 30}, {"Mi", 1 << 20}, {"Ki", 1 << 10}} {
		if b >= u.v && b%u.v == 0 {
			return uitoa(b/u.v) + u.s
		}
	}
	return uitoa(b)
}

func (p *parser) readStorage(z pair, base string) []StorageVolume {
	n := p.resolve(z.value)
	var items []*yaml.Node
	single := false
	switch {
	case n != nil && n.Kind == yaml.MappingNode:
		items, single = []*yaml.Node{n}, true
	case n != nil && n.Kind == yaml.SequenceNode:
		items = n.Content
	default:
		if n != nil {
			p.errorf(n, ErrStructure, base, "write {size: 1Gi} or a list of {name, size, attributes}", "want a mapping or a list, got %s", kindName(n))
		}
		return nil
	}
	vols := make([]StorageVolume, 0, len(items))
	names := map[string]bool{}
	for i, it := range items {
		vb := base
		if !single {
			vb = index(base, i)
		}
		ps, ok := p.mapping(it, vb, "write {name, size, attributes}")
		if !ok {
			continue
		}
		v := StorageVolume{Name: "default"}
		var sized bool
		var nameN *yaml.Node = it
		p.dispatch(ps, vb, keyset{
			"name": func(u pair) {
				if !single {
					if s := p.str(u.value, join(vb, "name"), ""); s != "" {
						v.Name = s
					}
					nameN = valueNode(u)
				}
			},
			"size": func(u pair) {
				sized = true
				v.Bytes = p.size(u, join(vb, "size"), minVolumeBytes, maxVolumeBytes, "storage size", false)
			},
			"attributes": func(u pair) { v.Attributes = p.readStorageAttributes(u, join(vb, "attributes")) },
		}, false, "name, size, attributes")
		if !sized {
			p.errorf(it, ErrStructure, join(vb, "size"), "add size: 1Gi", "volume has no size")
		}
		if names[v.Name] {
			p.errorf(nameN, ErrDuplicate, join(vb, "name"), "give each volume its own name; the unnamed one is \"default\"", "volume name %q is used twice", v.Name)
			continue
		}
		names[v.Name] = true
		if v.Attributes == nil {
			v.Attributes = Attributes{{Key: "persistent", Value: "false"}}
		}
		vols = append(vols, v)
	}
	sort.Slice(vols, func(i, j int) bool { return vols[i].Name < vols[j].Name })
	return vols
}

// readStorageAttributes applies Akash's rules: only persistent and class;
// persistent defaults to false; a persistent volume without class gets class
// "default"; class ram must not be persistent and any other class must be.
func (p *parser) readStorageAttributes(u pair, base string) Attributes {
	ps, ok := p.mapping(u.value, base, "write {persistent: true, class: beta2}")
	if !ok {
		return nil
	}
	persistent, class := "false", ""
	var classN *yaml.Node
	p.dispatch(ps, base, keyset{
		"persistent": func(w pair) {
			s, sn, ok := p.scalar(w.value, join(base, "persistent"), "")
			if !ok {
				return
			}
			switch strings.ToLower(s) {
			case "true", "yes", "on":
				persistent = "true"
			case "false", "no", "off", "":
				persistent = "false"
			default:
				p.errorf(sn, ErrStorage, join(base, "persistent"), "write true or false", "persistent %q is not a boolean", s)
			}
		},
		"class": func(w pair) {
			class = p.str(w.value, join(base, "class"), "")
			classN = valueNode(w)
			if !storageClasses[class] {
				p.errorf(classN, ErrStorage, join(base, "class"), "use default, beta1, beta2, beta3 or ram", "storage class %q is unknown", class)
			}
		},
	}, true, "persistent, class")
	switch {
	case class == "" && persistent == "true":
		class = "default"
	case class == "ram" && persistent == "true":
		p.errorf(classN, ErrStorage, base, "ram volumes are memory-backed and cannot be persistent: set persistent: false", "class ram cannot be persistent")
	case class != "" && class != "ram" && persistent == "false":
		p.errorf(classN, ErrStorage, base, "add persistent: true, or remove class", "class %q is only for persistent volumes", class)
	}
	attrs := Attributes{{Key: "persistent", Value: persistent}}
	if class != "" {
		attrs = Attributes{{Key: "class", Value: class}, {Key: "persistent", Value: persistent}}
	}
	return attrs
}

func (p *parser) readGPU(z pair, base string) GPU {
	var g GPU
	ps, ok := p.mapping(z.value, base, "write {units: 1, attributes: {vendor: {nvidia: [{model: a100}]}}}")
	if !ok {
		return g
	}
	var attrN *yaml.Node
	p.dispatch(ps, base, keyset{
		"units": func(u pair) {
			v, ok := p.uintN(u.value, join(base, "units"), "a whole number of GPUs, 0..24", 1<<32)
			if ok && v > maxGPUUnits {
				p.errorf(valueNode(u), ErrLimit, join(base, "units"), "a whole number of GPUs, 0..24", "%d gpus is above the limit of %d per replica", v, maxGPUUnits)
			}
			g.Units = v
		},
		"attributes": func(u pair) { attrN = u.keyN; g.Attributes = p.readGPUAttributes(u, join(base, "attributes")) },
	}, true, "units, attributes")
	if g.Units > 0 && len(g.Attributes) == 0 && attrN == nil {
		p.errorf(z.keyN, ErrGPU, join(base, "attributes"), "add attributes: {vendor: {nvidia: [{model: a100}]}} (or nvidia: with no list for any model)", "gpu units > 0 need a vendor")
	}
	if g.Units == 0 && attrN != nil {
		p.errorf(attrN, ErrGPU, join(base, "attributes"), "set units: 1 or more, or remove the attributes", "gpu attributes without gpu units")
	}
	return g
}

func (p *parser) readGPUAttributes(u pair, base string) Attributes {
	ps, ok := p.mapping(u.value, base, "write {vendor: {nvidia: [{model: a100}]}}")
	if !ok {
		return nil
	}
	var attrs Attributes
	var vendorSeen bool
	p.dispatch(ps, base, keyset{"vendor": func(v pair) {
		vendorSeen = true
		vb := join(base, "vendor")
		vendors, ok := p.mapping(v.value, vb, "write {nvidia: [{model: a100}]}")
		if !ok {
			return
		}
		for _, vd := range vendors {
			if vd.key != "nvidia" && vd.key != "amd" {
				p.errorf(vd.keyN, ErrGPU, join(vb, vd.key), "use nvidia or amd", "gpu vendor %q is unknown", vd.key)
				continue
			}
			models, _ := p.sequence(vd.value, join(vb, vd.key), "write a list of {model, ram, interface}")
			if len(models) == 0 {
				attrs = append(attrs, Attribute{Key: "vendor/" + vd.key + "/model/*", Value: "true"})
				continue
			}
			for i, mn := range models {
				attrs = append(attrs, Attribute{Key: p.gpuModelKey(vd.key, mn, index(join(vb, vd.key), i)), Value: "true"})
			}
		}
	}}, true, "vendor")
	if !vendorSeen {
		p.errorf(u.keyN, ErrGPU, join(base, "vendor"), "add vendor: {nvidia: }", "gpu attributes need a vendor")
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Key < attrs[j].Key })
	out := attrs[:0]
	for i, a := range attrs {
		if i > 0 && a.Key == attrs[i-1].Key {
			continue
		}
		out = append(out, a)
	}
	return out
}

func (p *parser) gpuModelKey(vendor string, n *yaml.Node, base string) string {
	ps, _ := p.mapping(n, base, "write {model: a100, ram: 80Gi, interface: sxm}")
	model, ram, iface := "", "", ""
	p.dispatch(ps, base, keyset{
		"model": func(m pair) { model = p.str(m.value, join(base, "model"), "") },
		"ram": func(m pair) {
			ram = uitoa(p.size(m, join(base, "ram"), 0, 0, "gpu ram", true)/(1<<30)) + "Gi"
		},
		"interface": func(m pair) {
			iface = p.str(m.value, join(base, "interface"), "")
			if iface != "pcie" && iface != "sxm" {
				p.errorf(valueNode(m), ErrGPU, join(base, "interface"), "use pcie or sxm", "gpu interface %q is unknown", iface)
			}
		},
	}, true, "model, ram, interface")
	if model == "" {
		model = "*"
	}
	key := "vendor/" + vendor + "/model/" + model
	if ram != "" {
		key += "/ram/" + ram
	}
	if iface != "" {
		key += "/interface/" + iface
	}
	if !attrKeyRE.MatchString(key) && model != "*" {
		p.errorf(n, ErrGPU, join(base, "model"), "use a model name of letters, digits, '-', '_' or '.'", "gpu model %q makes an invalid attribute", model)
	}
	return key
}

func (p *parser) readPlacements(n *yaml.Node) {
	ps, ok := p.mapping(n, "profiles.placement", "map a placement name to {attributes, signedBy, pricing}")
	if !ok {
		return
	}
	p.placements = make(map[string]*rawPlacement, len(ps))
	for _, x := range ps {
		base := join("profiles.placement", x.key)
		rp := &rawPlacement{keyN: x.keyN, path: base, pricing: map[string]*yaml.Node{}}
		rp.Name = x.key
		p.placements[x.key] = rp
		if !nameOK(x.key) {
			p.errorf(x.keyN, ErrName, base, "use letters, digits, '-', '_' or '.', at most 128 characters", "placement name %q is invalid", x.key)
		}
		fields, ok := p.mapping(x.value, base, "write {attributes, signedBy, pricing}")
		if !ok {
			continue
		}
		p.dispatch(fields, base, keyset{
			"attributes": func(y pair) { rp.Requirements.Attributes = p.readAttributes(y.value, join(base, "attributes")) },
			"signedBy":   func(y pair) { rp.Requirements.SignedBy = p.readSignedBy(y.value, join(base, "signedBy")) },
			"pricing":    func(y pair) { p.readPricing(rp, y.value, join(base, "pricing")) },
		}, false, "attributes, signedBy, pricing")
	}
}

func nameOK(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func (p *parser) readAttributes(n *yaml.Node, base string) Attributes {
	ps, ok := p.mapping(n, base, "write key: value pairs, e.g. region: us-west")
	if !ok {
		return nil
	}
	attrs := make(Attributes, 0, len(ps))
	for _, a := range ps {
		if !attrKeyRE.MatchString(a.key) {
			p.errorf(a.keyN, ErrName, join(base, a.key), "start with a letter; then letters, digits, '_', '-', '.', '/'; 2..128 characters", "attribute key %q is invalid", a.key)
			continue
		}
		attrs = append(attrs, Attribute{Key: a.key, Value: p.str(a.value, join(base, a.key), "write a single value")})
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Key < attrs[j].Key })
	return attrs
}

func (p *parser) readSignedBy(n *yaml.Node, base string) SignedBy {
	var sb SignedBy
	ps, _ := p.mapping(n, base, "write {anyOf: [akash1...], allOf: [...]}")
	list := func(y pair) []string {
		l := p.strList(y.value, join(base, y.key), "write a list of auditor addresses")
		out := l[:0]
		for _, s := range l {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return sortedUnique(out)
	}
	p.dispatch(ps, base, keyset{
		"allOf": func(y pair) { sb.AllOf = list(y) },
		"anyOf": func(y pair) { sb.AnyOf = list(y) },
	}, false, "allOf, anyOf")
	return sb
}

func sortedUnique(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	sort.Strings(l)
	out := l[:1]
	for _, s := range l[1:] {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) readPricing(rp *rawPlacement, n *yaml.Node, base string) {
	ps, ok := p.mapping(n, base, "map each compute profile to {denom: uakt, amount: 100}")
	if !ok {
		return
	}
	for _, x := range ps {
		pb := join(base, x.key)
		rp.pricing[x.key] = x.keyN
		fields, ok := p.mapping(x.value, pb, "write {denom: uakt, amount: 100}")
		if !ok {
			continue
		}
		var c money.Coin
		var denomOK, amountOK bool
		p.dispatch(fields, pb, keyset{
			"denom": func(y pair) {
				c.Denom = p.str(y.value, join(pb, "denom"), "")
				if money.ValidDenom(c.Denom) {
					denomOK = true
				} else {
					p.errorf(valueNode(y), ErrPrice, join(pb, "denom"), "a letter then 2-127 letters, digits or /:._- (e.g. uakt, uact, ibc/...)", "denom %q is invalid", c.Denom)
				}
			},
			"amount": func(y pair) {
				s, sn, ok := p.scalar(y.value, join(pb, "amount"), "")
				if !ok {
					return
				}
				hint := "a positive decimal with at most 18 fractional digits, e.g. 100 or 0.25, at most 10000000"
				d, err := money.ParseDec(strings.TrimSpace(s))
				switch {
				case err != nil:
					p.errorf(sn, ErrPrice, join(pb, "amount"), hint, "amount %q: %v", s, err)
				case d.IsZero():
					p.errorf(sn, ErrPrice, join(pb, "amount"), hint, "amount is zero")
				case money.NewDec(maxUnitPrice).Less(d):
					p.errorf(sn, ErrLimit, join(pb, "amount"), hint, "amount %s is above the network's maximum unit price", s)
				default:
					c.Amount, amountOK = d, true
				}
			},
		}, true, "denom, amount")
		if !denomOK && c.Denom == "" {
			p.errorf(x.keyN, ErrPrice, join(pb, "denom"), "add denom: uakt", "price has no denom")
		}
		if !amountOK && c.Amount.IsZero() && !hasKey(fields, "amount") {
			p.errorf(x.keyN, ErrPrice, join(pb, "amount"), "add amount: 100", "price has no amount")
		}
		rp.Pricing = append(rp.Pricing, ProfilePrice{Profile: x.key, Price: c})
	}
	sort.Slice(rp.Pricing, func(i, j int) bool { return rp.Pricing[i].Profile < rp.Pricing[j].Profile })
}

func hasKey(ps []pair, k string) bool {
	for _, x := range ps {
		if x.key == k {
			return true
		}
	}
	return false
}

func (p *parser) readEndpoints(n *yaml.Node) {
	ps, ok := p.mapping(n, "endpoints", "map an endpoint name to {kind: ip}")
	if !ok {
		return
	}
	p.endpoints = make(map[string]*rawEndpoint, len(ps))
	for _, x := range ps {
		base := join("endpoints", x.key)
		e := &rawEndpoint{keyN: x.keyN}
		e.Name = x.key
		if !endpointNameRE.MatchString(x.key) {
			p.errorf(x.keyN, ErrName, base, "use lowercase letters first, then lowercase letters, digits, '-' or '_'", "endpoint name %q is invalid", x.key)
		}
		fields, _ := p.mapping(x.value, base, "write {kind: ip}")
		p.dispatch(fields, base, keyset{"kind": func(y pair) {
			e.Kind = p.str(y.value, join(base, "kind"), "")
		}}, false, "kind")
		if e.Kind != "ip" {
			p.errorf(x.keyN, ErrStructure, join(base, "kind"), "write kind: ip", "endpoint kind %q is unknown", e.Kind)
		}
		p.endpoints[x.key] = e
	}
}

func uitoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return string(b[i:])
}
