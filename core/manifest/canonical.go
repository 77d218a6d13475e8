package manifest

import (
	"bytes"
	"sort"
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
	for _, v := range r.Storage {
		w.open('{')
		w.key("attributes")
		w.open('{')
		for _, a := range v.Attributes { // sorted: class < persistent
			w.key(a.Key)
			w.str(a.Value)
		}
		w.close('}')
		w.key("name")
		w.str(v.Name)
		w.key("size")
		w.str(uitoa(v.Bytes))
		w.close('}')
	}
	w.close(']')
	w.close('}')
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
	if len(s.Args) > 0 {
		w.key("args")
		w.strs(s.Args)
	}
	if len(s.Command) > 0 {
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
	if len(s.Env) > 0 {
		w.key("env")
		w.strs(s.Env)
	}
	if len(s.Expose) > 0 {
		// expose entries, their targets and accepted hosts are sets: each is
		// encoded alone and the encodings are sorted, so order never matters
		items := make([][]byte, len(s.Expose))
		for i, e := range s.Expose {
			var x jw
			writeExpose(&x, e)
			items[i] = x.b.Bytes()
		}
		sort.Slice(items, func(i, j int) bool { return bytes.Compare(items[i], items[j]) < 0 })
		w.key("expose")
		w.open('[')
		for _, it := range items {
			w.raw(it)
		}
		w.close(']')
	}
	w.key("image")
	w.str(s.Image)
	if len(s.Storage) > 0 || s.TEE != "" || len(s.Capabilities) > 0 {
		w.key("params")
		w.open('{')
		if len(s.Capabilities) > 0 {
			w.key("capabilities")
			w.strs(s.Capabilities)
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
	if len(e.Accept) > 0 {
		hosts := append([]string(nil), e.Accept...)
		sort.Strings(hosts)
		w.key("accept")
		w.strs(hosts)
	}
	if e.As != 0 {
		w.key("as")
		w.uint(uint64(e.As))
	}
	h := e.HTTPOptions
	w.key("http_options")
	w.open('{')
	w.key("max_body_size")
	w.uint(uint64(h.MaxBodySize))
	w.key("next_cases")
	w.strs(h.NextCases)
	w.key("next_timeout")
	w.uint(uint64(h.NextTimeout))
	w.key("next_tries")
	w.uint(uint64(h.NextTries))
	w.key("read_timeout")
	w.uint(uint64(h.ReadTimeout))
	w.key("send_timeout")
	w.uint(uint64(h.SendTimeout))
	w.close('}')
	w.key("port")
	w.uint(uint64(e.Port))
	w.key("proto")
	w.str(e.Proto)
	if len(e.To) > 0 {
		items := make([][]byte, len(e.To))
		for i, t := range e.To {
			var x jw
			x.open('{')
			if t.Global {
				x.key("global")
				x.bool(true)
			}
			if t.IP != "" {
				x.key("ip")
				x.str(t.IP)
			}
			if t.Service != "" {
				x.key("service")
				x.str(t.Service)
			}
			x.close('}')
			items[i] = x.b.Bytes()
		}
		sort.Slice(items, func(i, j int) bool { return bytes.Compare(items[i], items[j]) < 0 })
		w.key("to")
		w.open('[')
		for _, it := range items {
			w.raw(it)
		}
		w.close(']')
	}
	w.close('}')
}

// jw is a minimal JSON writer that tracks where commas go.
type jw struct {
	b     bytes.Buffer
	first []bool
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
func (w *jw) key(k string) {
	w.sep()
	writeJSONString(&w.b, k)
	w.b.WriteByte(':')
	w.first[len(w.first)-1] = true
	w.pendingValue()
}

// pendingValue: after a key, the next value must not be preceded by a comma,
// but the element after it must. A key sets first=true; the value's sep()
// turns it false again.
func (w *jw) pendingValue() {}

func (w *jw) str(s string) {
	w.sep()
	writeJSONString(&w.b, s)
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

func (w *jw) raw(b []byte) {
	w.sep()
	w.b.Write(b)
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
