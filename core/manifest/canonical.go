package manifest

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// encodeCanonical writes the manifest as JSON (which is YAML, so Parse reads
// it back) with every object's keys sorted bytewise, no insignificant
// whitespace, and every value normalized; docs/manifest.md specifies it.
// Only what reaches a provider is written: deployed services and the
// profiles, placements and prices they use.
func encodeCanonical(m *Manifest) []byte {
	var w jw
	w.b.Grow(2048)
	w.open('{')
	w.key("deployment")
	w.open('{')
	for _, s := range m.services {
		w.key(s.Name)
		w.open('{')
		for _, d := range s.Deployments {
			w.key(d.Placement)
			w.open('{')
			w.key("count")
			w.uint(uint64(d.Count))
			w.key("profile")
			w.str(d.Profile)
			w.close('}')
		}
		w.close('}')
	}
	w.close('}')
	if len(m.endpoints) > 0 {
		w.key("endpoints")
		w.open('{')
		for _, e := range m.endpoints {
			w.key(e.Name)
			w.open('{')
			w.key("kind")
			w.str(e.Kind)
			w.close('}')
		}
		w.close('}')
	}
	w.key("profiles")
	w.open('{')
	w.key("compute")
	w.open('{')
	for _, p := range m.profiles {
		w.key(p.Name)
		w.open('{')
		w.key("resources")
		writeResources(&w, p.Resources)
		w.close('}')
	}
	w.close('}')
	w.key("placement")
	w.open('{')
	for _, pl := range m.placements {
		writePlacement(&w, pl)
	}
	w.close('}')
	w.close('}')
	w.key("services")
	w.open('{')
	for _, s := range m.services {
		writeService(&w, s)
	}
	w.close('}')
	w.key("version")
	w.str(m.sdlVersion)
	w.close('}')
	return w.b.Bytes()
}

func writeResources(w *jw, r Resources) {
	w.open('{')
	if r.BandwidthBps != 0 {
		w.key("bandwidth")
		w.open('{')
		w.key("size")
		w.str(uitoa(r.BandwidthBps))
		w.close('}')
	}
	w.key("cpu")
	w.open('{')
	if len(r.CPUAttributes) > 0 {
		w.key("attributes")
		w.open('{')
		for _, a := range r.CPUAttributes {
			w.key(a.Key)
			w.str(a.Value)
		}
		w.close('}')
	}
	w.key("units")
	w.str(uitoa(r.CPUMillis) + "m")
	w.close('}')
	if r.GPU.Units != 0 {
		w.key("gpu")
		w.open('{')
		w.key("attributes")
		writeGPUAttributes(w, r.GPU.Attributes)
		w.key("units")
		w.uint(r.GPU.Units)
		w.close('}')
	}
	w.key("memory")
	w.open('{')
	w.key("size")
	w.str(uitoa(r.MemoryBytes))
	w.close('}')
	w.key("storage")
	w.open('[')
	for _, v := range r.Storage { // in the order written: Akash's storage order depends on it
		w.open('{')
		if v.Attributes != nil {
			w.key("attributes")
			w.open('{')
			class := attrValue(v.Attributes, "class")
			for _, a := range v.Attributes { // sorted: class < persistent
				w.key(a.Key)
				w.str(canonicalStorageAttr(a, class))
			}
			w.close('}')
		}
		w.key("name")
		w.str(v.Name)
		w.key("size")
		w.str(uitoa(v.Bytes))
		w.close('}')
	}
	w.close(']')
	w.close('}')
}

// canonicalStorageAttr writes persistent so that Parse records the same
// attributes again: Akash compares the word as written, so a persistent
// volume without class was written yes (or on), and a non-persistent one
// with a class other than ram was written no (or off).
func canonicalStorageAttr(a Attribute, class string) string {
	switch {
	case a.Key != "persistent":
		return a.Value
	case a.Value == "true" && class == "":
		return "yes"
	case a.Value == "false" && class != "" && class != "ram":
		return "no"
	}
	return a.Value
}

type gpuModel struct{ iface, model, ram string }

// writeGPUAttributes turns vendor/<v>/model/<m>[/ram/<r>][/interface/<i>]
// attributes back into the SDL's vendor lists.
func writeGPUAttributes(w *jw, attrs Attributes) {
	byVendor := map[string][]gpuModel{}
	for _, a := range attrs {
		parts := strings.Split(a.Key, "/")
		if len(parts) < 4 {
			continue
		}
		g := gpuModel{model: parts[3]}
		for i := 4; i+1 < len(parts); i += 2 {
			switch parts[i] {
			case "ram":
				g.ram = parts[i+1]
			case "interface":
				g.iface = parts[i+1]
			}
		}
		byVendor[parts[1]] = append(byVendor[parts[1]], g)
	}
	w.open('{')
	w.key("vendor")
	w.open('{')
	for _, v := range keysOf(byVendor) {
		w.key(v)
		w.open('[')
		for _, g := range byVendor[v] {
			w.open('{')
			if g.iface != "" {
				w.key("interface")
				w.str(g.iface)
			}
			w.key("model")
			w.str(g.model)
			if g.ram != "" {
				w.key("ram")
				w.str(g.ram)
			}
			w.close('}')
		}
		w.close(']')
	}
	w.close('}')
	w.close('}')
}

func writePlacement(w *jw, pl Placement) {
	w.key(pl.Name)
	w.open('{')
	if len(pl.Requirements.Attributes) > 0 {
		w.key("attributes")
		w.open('{')
		for _, a := range pl.Requirements.Attributes {
			w.key(a.Key)
			w.str(a.Value)
		}
		w.close('}')
	}
	w.key("pricing")
	w.open('{')
	for _, pp := range pl.Pricing {
		w.key(pp.Profile)
		w.open('{')
		w.key("amount")
		w.str(pp.Price.Amount.String())
		w.key("denom")
		w.str(pp.Price.Denom)
		w.close('}')
	}
	w.close('}')
	sb := pl.Requirements.SignedBy
	if len(sb.AllOf)+len(sb.AnyOf) > 0 {
		w.key("signedBy")
		w.open('{')
		if len(sb.AllOf) > 0 {
			w.key("allOf")
			w.strs(sb.AllOf)
		}
		if len(sb.AnyOf) > 0 {
			w.key("anyOf")
			w.strs(sb.AnyOf)
		}
		w.close('}')
	}
	w.close('}')
}

func writeService(w *jw, s Service) {
	w.key(s.Name)
	w.open('{')
	if s.Args != nil {
		w.key("args")
		w.strs(s.Args)
	}
	if s.Command != nil {
		w.key("command")
		w.strs(s.Command)
	}
	if c := s.Credentials; c != nil {
		w.key("credentials")
		w.open('{')
		w.key("email")
		w.str(c.Email)
		w.key("host")
		w.str(c.Host)
		w.key("password")
		w.str(c.Password)
		w.key("username")
		w.str(c.Username)
		w.close('}')
	}
	if s.Env != nil {
		w.key("env")
		w.strs(s.Env)
	}
	if len(s.Expose) > 0 {
		// in the order written, targets too: Akash orders expose records
		// by target, port and protocol, and keeps the written order of
		// records equal on those, so the order can change the version
		w.key("expose")
		w.open('[')
		for _, e := range s.Expose {
			writeExpose(w, e)
		}
		w.close(']')
	}
	w.key("image")
	w.str(s.Image)
	if s.params {
		w.key("params")
		w.open('{')
		if len(s.Capabilities) > 0 {
			w.key("capabilities")
			w.strs(s.Capabilities)
		}
		if perm := s.Permissions; perm != nil {
			w.key("permissions")
			w.open('{')
			if len(perm.Read) > 0 {
				w.key("read")
				w.strs(perm.Read)
			}
			w.close('}')
		}
		if len(s.Storage) > 0 {
			w.key("storage")
			w.open('{')
			for _, m := range s.Storage {
				w.key(m.Volume)
				w.open('{')
				w.key("mount")
				w.str(m.Mount)
				w.key("readOnly")
				w.bool(m.ReadOnly)
				w.close('}')
			}
			w.close('}')
		}
		if s.TEE != "" {
			w.key("tee")
			w.str(s.TEE)
		}
		w.close('}')
	}
	w.close('}')
}

func writeExpose(w *jw, e ServiceExpose) {
	w.open('{')
	if e.Accept != nil {
		w.key("accept")
		w.strs(e.Accept)
	}
	if e.As != 0 {
		w.key("as")
		w.uint(uint64(e.As))
	}
	w.key("http_options")
	writeHTTPOptions(w, e.HTTPOptions, &canonicalHTTPKeys)
	w.key("port")
	w.uint(uint64(e.Port))
	if e.protoText != "" { // as written: see ServiceExpose.protoText
		w.key("proto")
		w.str(e.protoText)
	}
	if len(e.To) > 0 {
		w.key("to")
		w.open('[')
		for _, t := range e.To {
			w.open('{')
			if t.Global {
				w.key("global")
				w.bool(true)
			}
			if t.IP != "" {
				w.key("ip")
				w.str(t.IP)
			}
			if t.Service != "" {
				w.key("service")
				w.str(t.Service)
			}
			w.close('}')
		}
		w.close(']')
	}
	w.close('}')
}

// jw is a minimal JSON writer that tracks where commas go. Strings are
// escaped for the canonical form (valid JSON and YAML), or as Go's
// encoding/json escapes them when goStrings is set (Akash's manifest).
type jw struct {
	b         bytes.Buffer
	first     []bool
	goStrings bool
}

func (w *jw) sep() {
	if n := len(w.first); n > 0 {
		if !w.first[n-1] {
			w.b.WriteByte(',')
		}
		w.first[n-1] = false
	}
}

func (w *jw) open(c byte) {
	w.sep()
	w.b.WriteByte(c)
	w.first = append(w.first, true)
}

func (w *jw) close(c byte) {
	w.first = w.first[:len(w.first)-1]
	w.b.WriteByte(c)
}

// key writes "k": and marks the value as following without a comma.
// After a key the value must not be preceded by a comma, but the element
// after it must: key sets first=true, and the value's sep() turns it false.
func (w *jw) key(k string) {
	w.str(k)
	w.b.WriteByte(':')
	w.first[len(w.first)-1] = true
}

func (w *jw) str(s string) {
	w.sep()
	w.quoted(s)
}

func (w *jw) quoted(s string) {
	if w.goStrings {
		writeGoJSONString(&w.b, s)
	} else {
		writeJSONString(&w.b, s)
	}
}

func (w *jw) null() {
	w.sep()
	w.b.WriteString("null")
}

// strsOrNull writes a list, or null for a nil one (as Go's encoding/json).
func (w *jw) strsOrNull(l []string) {
	if l == nil {
		w.null()
		return
	}
	w.strs(l)
}

// resourceValue writes Akash's resource quantity: {"val": "<decimal>"}.
func (w *jw) resourceValue(v uint64) {
	w.open('{')
	w.key("val")
	w.str(uitoa(v))
	w.close('}')
}

func (w *jw) strs(l []string) {
	w.open('[')
	for _, s := range l {
		w.str(s)
	}
	w.close(']')
}

func (w *jw) uint(v uint64) {
	w.sep()
	w.b.WriteString(strconv.FormatUint(v, 10))
}

func (w *jw) bool(v bool) {
	w.sep()
	w.b.WriteString(strconv.FormatBool(v))
}

// writeJSONString quotes s. Besides '"' and '\\' it escapes, as \uXXXX, every
// character YAML does not allow raw in a document (C0 and C1 controls, DEL,
// U+FEFF, U+FFFE, U+FFFF), so the output is both valid JSON and valid YAML.
// All other characters, including non-ASCII, are written as UTF-8.
func writeJSONString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0xfeff || r == 0xfffe || r == 0xffff || r == 0x2028 || r == 0x2029:
			b.WriteString(`\u00`)
			if r > 0xff {
				b.Truncate(b.Len() - 2)
				b.WriteByte(hex[r>>12&0xf])
				b.WriteByte(hex[r>>8&0xf])
			}
			b.WriteByte(hex[r>>4&0xf])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}
