package manifest

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/akash-market/akash/internal/yamlfile"

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
		base := yamlfile.Join("profiles.compute", x.key)
		rp := &rawProfile{keyN: x.keyN, path: base}
		rp.Name = x.key
		p.profiles[x.key] = rp
		leave := p.within(scopeProfile, x.key)
		fields, ok := p.mapping(x.value, base, "write {resources: {cpu, memory, storage}}")
		if !ok {
			leave()
			continue
		}
		var seen bool
		p.dispatch(fields, base, keyset{"resources": func(y pair) {
			seen = true
			rp.Resources = p.readResources(y, yamlfile.Join(base, "resources"))
		}}, false, "resources")
		if !seen {
			p.usedOnlyf(x.keyN, ErrStructure, yamlfile.Join(base, "resources"), "add resources: {cpu: {units: 1}, memory: {size: 1Gi}, storage: {size: 1Gi}}", "profile has no resources")
		}
		leave()
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
		"cpu": func(z pair) { cpu = true; r.CPUMillis, r.CPUAttributes = p.readCPU(z, yamlfile.Join(base, "cpu")) },
		"memory": func(z pair) {
			mem = true
			r.MemoryBytes = p.readSized(z, yamlfile.Join(base, "memory"), minMemoryBytes, maxMemoryBytes, "memory")
		},
		"storage": func(z pair) {
			sto = true
			r.Storage = p.readStorage(z, yamlfile.Join(base, "storage"))
		},
		"gpu":       func(z pair) { r.GPU = p.readGPU(z, yamlfile.Join(base, "gpu")) },
		"bandwidth": func(z pair) { r.BandwidthBps = p.readSized(z, yamlfile.Join(base, "bandwidth"), 0, 0, "bandwidth") },
	}, false, "cpu, memory, storage, gpu, bandwidth")
	for _, f := range []struct {
		ok   bool
		name string
		hint string
	}{{cpu, "cpu", "add cpu: {units: 0.5}"}, {mem, "memory", "add memory: {size: 512Mi}"}, {sto, "storage", "add storage: {size: 1Gi}"}} {
		if !f.ok {
			p.usedOnlyf(y.keyN, ErrStructure, yamlfile.Join(base, f.name), f.hint, "resources have no %s", f.name)
		}
	}
	return r
}

func (p *parser) readCPU(z pair, base string) (uint64, Attributes) {
	ps, ok := p.mapping(z.value, base, "write {units: 0.5}")
	if !ok {
		return 0, nil
	}
	var millis uint64
	var attrs Attributes
	var seen bool
	p.dispatch(ps, base, keyset{
		"units": func(u pair) {
			seen = true
			path := yamlfile.Join(base, "units")
			hint := `write cores ("0.5", 2) or millicores ("500m"), between 10m and 384, without spaces`
			s, sn, ok := p.scalar(u.value, path, hint)
			if !ok {
				return
			}
			v, err := parseCPU(s)
			if err != nil {
				p.errorf(sn, ErrUnits, path, hint, "cpu units %q: %v", s, err)
				return
			}
			if v < minCPUMillis || v > maxCPUMillis {
				p.usedOnlyf(sn, ErrLimit, path, hint, "cpu units %q is %dm, outside 10m..384000m", s, v)
				return
			}
			millis = v
		},
		"attributes": func(u pair) { attrs = p.readCPUAttributes(u.value, yamlfile.Join(base, "attributes")) },
	}, false, "units, attributes")
	if !seen {
		p.usedOnlyf(z.keyN, ErrStructure, yamlfile.Join(base, "units"), "add units: 0.5", "cpu has no units")
	}
	return millis, attrs
}

// readCPUAttributes reads cpu.attributes; Akash knows one, arch (e.g. amd64).
func (p *parser) readCPUAttributes(n *yaml.Node, base string) Attributes {
	ps, _ := p.mapping(n, base, "write {arch: amd64}")
	var attrs Attributes
	p.dispatch(ps, base, keyset{
		"arch": func(a pair) {
			attrs = append(attrs, Attribute{Key: "arch", Value: p.str(a.value, yamlfile.Join(base, "arch"), "write the architecture, e.g. amd64 or arm64")})
		},
	}, true, "arch")
	return attrs
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
		v = p.size(u, yamlfile.Join(base, "size"), min, max, what, false)
	}}, false, "size")
	if !seen {
		p.usedOnlyf(z.keyN, ErrStructure, yamlfile.Join(base, "size"), "add size: 512Mi", "%s has no size", what)
	}
	return v
}

func (p *parser) size(u pair, path string, min, max uint64, what string, binaryOnly bool) uint64 {
	s, sn, ok := p.scalar(u.value, path, sizeHint("", binaryOnly))
	if !ok {
		return 0
	}
	v, err := parseSize(s, binaryOnly)
	if err != nil {
		problem := err.Error()
		if unit := strings.TrimLeft(s, "+-0123456789.eE"); unit != "" && err == errNumber && strings.TrimSpace(unit) == unit {
			problem = "unknown unit " + strconv.Quote(unit)
		}
		p.errorf(sn, ErrUnits, path, sizeHint(s, binaryOnly), "%s %q: %s", what, s, problem)
		return 0
	}
	if (min != 0 && v < min) || (max != 0 && v > max) {
		p.usedOnlyf(sn, ErrLimit, path, "stay within "+humanBytes(min)+".."+humanBytes(max), "%s %q is %d bytes, outside the network limits", what, s, v)
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
		if len(items) == 0 {
			p.usedOnlyf(n, ErrStorage, base, "list at least the root volume, e.g. storage: [{size: 1Gi}]", "storage is an empty list; every replica needs a volume")
			return nil
		}
	default:
		if n != nil {
			p.errorf(n, ErrStructure, base, "write {size: 1Gi} or a list of {name, size, attributes}", "want a mapping or a list, got %s", yamlfile.KindName(n))
		}
		return nil
	}
	vols := make([]StorageVolume, 0, len(items))
	names := map[string]bool{}
	for i, it := range items {
		vb := base
		if !single {
			vb = yamlfile.Index(base, i)
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
					if s := p.str(u.value, yamlfile.Join(vb, "name"), ""); s != "" {
						v.Name = s
					}
					nameN = valueNode(u)
				}
			},
			"size": func(u pair) {
				sized = true
				v.Bytes = p.size(u, yamlfile.Join(vb, "size"), minVolumeBytes, maxVolumeBytes, "storage size", false)
			},
			"attributes": func(u pair) { v.Attributes = p.readStorageAttributes(u, yamlfile.Join(vb, "attributes")) },
		}, false, "name, size, attributes")
		if !sized {
			p.usedOnlyf(it, ErrStructure, yamlfile.Join(vb, "size"), "add size: 1Gi", "volume has no size")
		}
		if names[v.Name] {
			p.errorf(nameN, ErrDuplicate, yamlfile.Join(vb, "name"), "give each volume its own name; the unnamed one is \"default\"", "volume name %q is used twice", v.Name)
			continue
		}
		names[v.Name] = true
		vols = append(vols, v)
	}
	return vols
}

// readStorageAttributes applies Akash's rules to a volume's attributes. Only
// persistent and class exist. persistent is one of true, false, yes, no, on,
// off, exactly so written (True, FALSE, "" or null are refused), and is
// recorded as true or false; absent, it is false. Akash then compares the
// text as written: only the word true gives a class-less volume the class
// "default", class ram needs the word false, and another class is refused
// with the word false only (persistent: no with class beta2 is accepted as a
// non-persistent beta2 volume, as there). A null attributes mapping is no
// attributes at all.
func (p *parser) readStorageAttributes(u pair, base string) Attributes {
	if nullValue(u.value) {
		return nil
	}
	ps, ok := p.mapping(u.value, base, "write {persistent: true, class: beta2}")
	if !ok {
		return nil
	}
	persistent, class := "false", ""
	var persistentN, classN *yaml.Node
	classSet := false
	p.dispatch(ps, base, keyset{
		"persistent": func(w pair) {
			persistent = p.str(w.value, yamlfile.Join(base, "persistent"), "write true or false")
			persistentN = valueNode(w)
		},
		"class": func(w pair) {
			classSet = true
			class = p.str(w.value, yamlfile.Join(base, "class"), "use default, beta1, beta2, beta3 or ram")
			classN = valueNode(w)
		},
	}, true, "persistent, class")
	switch {
	case class == "" && persistent == "true":
		class, classSet = "default", true
	case class == "ram" && persistent != "false":
		p.errorf(classN, ErrStorage, base, "ram volumes are memory-backed: write persistent: false (Akash takes only that word here)", "class ram cannot be persistent (persistent is %q)", persistent)
	case class != "" && class != "ram" && persistent == "false":
		p.errorf(classN, ErrStorage, base, "add persistent: true, or remove class", "class %q is only for persistent volumes", class)
	}
	value := "false"
	switch persistent {
	case "true", "yes", "on":
		value = "true"
	case "false", "no", "off":
	default:
		p.errorf(persistentN, ErrStorage, yamlfile.Join(base, "persistent"), "write true or false (in lowercase; yes, no, on and off also work)", "persistent %q is not a boolean", persistent)
	}
	if classSet && !storageClasses[class] {
		p.errorf(classN, ErrStorage, yamlfile.Join(base, "class"), "use default, beta1, beta2, beta3 or ram", "storage class %q is unknown", class)
	}
	if !classSet {
		return Attributes{{Key: "persistent", Value: value}}
	}
	return Attributes{{Key: "class", Value: class}, {Key: "persistent", Value: value}}
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
			path, hint := yamlfile.Join(base, "units"), "a whole number of GPUs, 0..24, in decimal digits (quotes allowed)"
			s, sn, ok := p.scalar(u.value, path, hint)
			if !ok || yamlfile.IsNull(sn) {
				return
			}
			// Akash reads the text as a base-10 integer: "1" and 1 work,
			// 1.0, 0x1, 1e0, +1 and " 1" do not.
			v, err := strconv.ParseUint(s, 10, 64)
			switch {
			case err != nil || !allDigits(s):
				p.errorf(sn, ErrUnits, path, hint, "gpu units %q is not a whole number in decimal digits", s)
			case v > maxGPUUnits:
				p.usedOnlyf(sn, ErrLimit, path, hint, "%d gpus is above the limit of %d per replica", v, maxGPUUnits)
			default:
				g.Units = v
			}
		},
		"attributes": func(u pair) { attrN = u.keyN; g.Attributes = p.readGPUAttributes(u, yamlfile.Join(base, "attributes")) },
	}, true, "units, attributes")
	if g.Units > 0 && len(g.Attributes) == 0 && attrN == nil {
		p.errorf(z.keyN, ErrGPU, yamlfile.Join(base, "attributes"), "add attributes: {vendor: {nvidia: [{model: a100}]}} (or nvidia: with no list for any model)", "gpu units > 0 need a vendor")
	}
	if g.Units == 0 && attrN != nil {
		p.usedOnlyf(attrN, ErrGPU, yamlfile.Join(base, "attributes"), "set units: 1 or more, or remove the attributes", "gpu attributes without gpu units")
	}
	return g
}

// readGPUAttributes turns vendor lists into attributes
// vendor/<v>/model/<m>[/ram/<r>][/interface/<i>]=true, sorted. A vendor
// without a list (or an empty vendor mapping, as in Akash) means any nvidia
// model: vendor/<v>/model/*. Two entries that make one attribute are refused.
func (p *parser) readGPUAttributes(u pair, base string) Attributes {
	ps, ok := p.mapping(u.value, base, "write {vendor: {nvidia: [{model: a100}]}}")
	if !ok {
		return nil
	}
	var attrs Attributes
	var nodes []*yaml.Node // where each attribute was written, for duplicates
	var vendorSeen bool
	p.dispatch(ps, base, keyset{"vendor": func(v pair) {
		vendorSeen = true
		vb := yamlfile.Join(base, "vendor")
		if nullValue(v.value) {
			p.errorf(v.keyN, ErrGPU, vb, "write vendor: {nvidia: } for any nvidia model", "gpu vendor is empty")
			return
		}
		vendors, ok := p.mapping(v.value, vb, "write {nvidia: [{model: a100}]}")
		if !ok {
			return
		}
		if len(vendors) == 0 {
			attrs, nodes = append(attrs, Attribute{Key: "vendor/nvidia/model/*", Value: "true"}), append(nodes, v.keyN)
		}
		for _, vd := range vendors {
			if vd.key != "nvidia" && vd.key != "amd" {
				p.errorf(vd.keyN, ErrGPU, yamlfile.Join(vb, vd.key), "use nvidia or amd", "gpu vendor %q is unknown", vd.key)
				continue
			}
			models, _ := p.sequence(vd.value, yamlfile.Join(vb, vd.key), "write a list of {model, ram, interface}")
			if len(models) == 0 {
				attrs, nodes = append(attrs, Attribute{Key: "vendor/" + vd.key + "/model/*", Value: "true"}), append(nodes, vd.keyN)
				continue
			}
			for i, mn := range models {
				attrs, nodes = append(attrs, Attribute{Key: p.gpuModelKey(vd.key, mn, yamlfile.Index(yamlfile.Join(vb, vd.key), i)), Value: "true"}), append(nodes, mn)
			}
		}
	}}, true, "vendor")
	if !vendorSeen {
		p.errorf(u.keyN, ErrGPU, yamlfile.Join(base, "vendor"), "add vendor: {nvidia: }", "gpu attributes need a vendor")
	}
	seen := make(map[string]bool, len(attrs))
	for i, a := range attrs {
		if seen[a.Key] {
			p.errorf(nodes[i], ErrDuplicate, yamlfile.Join(base, "vendor"), "list each model (with its ram and interface) once",
				"gpu model %s is listed twice", strings.TrimPrefix(a.Key, "vendor/"))
		}
		seen[a.Key] = true
	}
	sort.SliceStable(attrs, func(i, j int) bool { return attrs[i].Key < attrs[j].Key })
	return attrs
}

func (p *parser) gpuModelKey(vendor string, n *yaml.Node, base string) string {
	ps, _ := p.mapping(n, base, "write {model: a100, ram: 80Gi, interface: sxm}")
	model, ram, iface := "", "", ""
	p.dispatch(ps, base, keyset{
		"model": func(m pair) {
			model = p.str(m.value, yamlfile.Join(base, "model"), "")
			if strings.Contains(model, "/") {
				p.errorf(valueNode(m), ErrGPU, yamlfile.Join(base, "model"), "write the model name alone; ram and interface have their own keys",
					"gpu model %q contains '/', which would make it another attribute", model)
			}
		},
		"ram": func(m pair) {
			if !nullValue(m.value) {
				ram = uitoa(p.size(m, yamlfile.Join(base, "ram"), 0, 0, "gpu ram", true)/(1<<30)) + "Gi"
			}
		},
		"interface": func(m pair) {
			s, sn, ok := p.scalar(m.value, yamlfile.Join(base, "interface"), "")
			if !ok || yamlfile.IsNull(sn) {
				return
			}
			iface = s
			if iface != "pcie" && iface != "sxm" {
				p.errorf(sn, ErrGPU, yamlfile.Join(base, "interface"), "use pcie or sxm", "gpu interface %q is unknown", iface)
			}
		},
	}, false, "model, ram, interface")
	// As in Akash, an entry without a model makes "vendor/<v>/model/" (not "*").
	key := "vendor/" + vendor + "/model/" + model
	if ram != "" {
		key += "/ram/" + ram
	}
	if iface != "" {
		key += "/interface/" + iface
	}
	if !attrKeyRE.MatchString(key) {
		p.errorf(n, ErrGPU, yamlfile.Join(base, "model"), "use a model name of letters, digits, '-', '_' or '.'", "gpu model %q makes the invalid attribute %q", model, key)
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
		base := yamlfile.Join("profiles.placement", x.key)
		rp := &rawPlacement{keyN: x.keyN, path: base, pricing: map[string]*yaml.Node{}}
		rp.Name = x.key
		p.placements[x.key] = rp
		if x.key == "" {
			p.errorf(x.keyN, ErrName, base, "name the placement, e.g. westcoast", "placement name is empty")
		}
		leave := p.within(scopePlacement, x.key)
		fields, _ := p.mapping(x.value, base, "write {attributes, signedBy, pricing}")
		p.dispatch(fields, base, keyset{
			"attributes": func(y pair) {
				rp.Requirements.Attributes = p.readAttributes(y.value, yamlfile.Join(base, "attributes"))
			},
			"signedBy": func(y pair) { rp.Requirements.SignedBy = p.readSignedBy(y.value, yamlfile.Join(base, "signedBy")) },
			"pricing":  func(y pair) { p.readPricing(rp, y.value, yamlfile.Join(base, "pricing")) },
		}, false, "attributes, signedBy, pricing")
		leave()
	}
}

// readAttributes reads a placement's required attributes. As in Akash, any
// key but the empty one is accepted (digits first, '*', non-ASCII); values
// are single values, null being "".
func (p *parser) readAttributes(n *yaml.Node, base string) Attributes {
	ps, ok := p.mapping(n, base, "write key: value pairs, e.g. region: us-west")
	if !ok {
		return nil
	}
	attrs := make(Attributes, 0, len(ps))
	for _, a := range ps {
		if a.key == "" {
			p.errorf(a.keyN, ErrName, base, "name the attribute, e.g. region: us-west", "attribute key is empty")
			continue
		}
		attrs = append(attrs, Attribute{Key: a.key, Value: p.str(a.value, yamlfile.Join(base, a.key), "write a single value")})
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Key < attrs[j].Key })
	return attrs
}

func (p *parser) readSignedBy(n *yaml.Node, base string) SignedBy {
	var sb SignedBy
	ps, _ := p.mapping(n, base, "write {anyOf: [akash1...], allOf: [...]}")
	list := func(y pair) []string {
		l := p.strList(y.value, yamlfile.Join(base, y.key), "write a list of auditor addresses")
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
		pb := yamlfile.Join(base, x.key)
		if nullValue(x.value) {
			// Akash keeps a null price as no price: refused only where a
			// deployment needs it ("placement has no price for profile")
			p.warnf(x.keyN, pb, "write {denom: uakt, amount: 100}, or remove the entry", "price is empty and is ignored")
			continue
		}
		rp.pricing[x.key] = x.keyN
		fields, ok := p.mapping(x.value, pb, "write {denom: uakt, amount: 100}")
		if !ok {
			continue
		}
		var c money.Coin
		var denomOK, amountOK bool
		p.dispatch(fields, pb, keyset{
			"denom": func(y pair) {
				c.Denom = p.str(y.value, yamlfile.Join(pb, "denom"), "")
				if money.ValidDenom(c.Denom) {
					denomOK = true
				} else {
					p.errorf(valueNode(y), ErrPrice, yamlfile.Join(pb, "denom"), "a letter then 2-127 letters, digits or /:._- (e.g. uakt, uact, ibc/...)", "denom %q is invalid", c.Denom)
				}
			},
			"amount": func(y pair) {
				s, sn, ok := p.scalar(y.value, yamlfile.Join(pb, "amount"), "")
				if !ok {
					return
				}
				hint := "a positive decimal with digits on both sides of any point and at most 18 after it, e.g. 100 or 0.25, at most 10000000"
				d, err := parseAmount(s)
				switch {
				case err != nil:
					p.errorf(sn, ErrPrice, yamlfile.Join(pb, "amount"), hint, "amount %q: %v", s, err)
				case d.IsZero():
					p.errorf(sn, ErrPrice, yamlfile.Join(pb, "amount"), hint, "amount is zero")
				case money.NewDec(maxUnitPrice).Less(d):
					p.usedOnlyf(sn, ErrLimit, yamlfile.Join(pb, "amount"), hint, "amount %s is above the network's maximum unit price", s)
				default:
					c.Amount, amountOK = d, true
				}
			},
		}, false, "denom, amount")
		if !denomOK && c.Denom == "" {
			p.errorf(x.keyN, ErrPrice, yamlfile.Join(pb, "denom"), "add denom: uakt", "price has no denom")
		}
		if !amountOK && c.Amount.IsZero() && !hasKey(fields, "amount") {
			p.errorf(x.keyN, ErrPrice, yamlfile.Join(pb, "amount"), "add amount: 100", "price has no amount")
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
		base := yamlfile.Join("endpoints", x.key)
		e := &rawEndpoint{keyN: x.keyN}
		e.Name = x.key
		if !endpointNameRE.MatchString(x.key) {
			p.errorf(x.keyN, ErrName, base, "use lowercase letters first, then lowercase letters, digits, '-' or '_'", "endpoint name %q is invalid", x.key)
		}
		fields, _ := p.mapping(x.value, base, "write {kind: ip}")
		p.dispatch(fields, base, keyset{"kind": func(y pair) {
			e.Kind = p.str(y.value, yamlfile.Join(base, "kind"), "")
		}}, false, "kind")
		if e.Kind != "ip" {
			p.errorf(x.keyN, ErrStructure, yamlfile.Join(base, "kind"), "write kind: ip", "endpoint kind %q is unknown", e.Kind)
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
