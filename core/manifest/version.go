package manifest

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"
)

// The version is Akash's: sha256 of the manifest an Akash provider receives
// (pkg.akt.dev/go/manifest/v2beta3: the groups of services it runs, without
// prices or placement requirements), encoded as Go's encoding/json encodes it
// and then re-encoded with every object's keys sorted (cosmos-sdk SortJSON).
// encodeAkashManifest writes that encoding directly: keys in sorted order,
// numbers as JSON integers, resource quantities as {"val": "<decimal>"},
// strings escaped as encoding/json escapes them (HTML characters included).
// docs/manifest.md lists every field.

// encodeAkashManifest writes the manifest Akash hashes into the version.
func encodeAkashManifest(m *Manifest) []byte {
	profiles := make(map[string]*Resources, len(m.profiles))
	for i := range m.profiles {
		profiles[m.profiles[i].Name] = &m.profiles[i].Resources
	}
	seq := endpointSequenceNumbers(m.services)
	w := jw{goStrings: true}
	w.b.Grow(1024 * (len(m.services) + 1))
	w.open('[')
	for _, pl := range m.placements { // groups, sorted by name
		w.open('{')
		w.key("name")
		w.str(pl.Name)
		w.key("services")
		w.open('[')
		ids := newUnitIDs(m.sdlVersion)
		for i := range m.services { // sorted by name
			s := &m.services[i]
			for _, d := range s.Deployments {
				if d.Placement == pl.Name {
					writeAkashService(&w, m.sdlVersion, s, d, profiles[d.Profile], ids.of(d.Profile), seq)
				}
			}
		}
		w.close(']')
		w.close('}')
	}
	w.close(']')
	return w.b.Bytes()
}

// unitIDs numbers a group's resource units the way Akash's group builders
// do, visiting services by name: SDL 2.0 gives every service its own unit,
// 2.1 one unit per compute profile. IDs start at 1.
type unitIDs struct {
	perService bool
	next       uint32
	byProfile  map[string]uint32
}

func newUnitIDs(sdlVersion string) *unitIDs {
	return &unitIDs{perService: sdlVersion == "2.0", next: 1}
}

func (u *unitIDs) of(profile string) uint32 {
	if !u.perService {
		if id, ok := u.byProfile[profile]; ok {
			return id
		}
	}
	id := u.next
	u.next++
	if !u.perService {
		if u.byProfile == nil {
			u.byProfile = map[string]uint32{}
		}
		u.byProfile[profile] = id
	}
	return id
}

// endpointSequenceNumbers numbers the leased-IP endpoints as Akash does: it
// lists the ip of every "to" entry of every deployed service except global
// ones without an ip (so "" once per service target), sorts the list, and
// gives each name the 1-based position of its last occurrence.
func endpointSequenceNumbers(services []Service) map[string]uint32 {
	var names []string
	for _, s := range services {
		for _, e := range s.Expose {
			for _, t := range e.To {
				if t.Global && t.IP == "" {
					continue
				}
				names = append(names, t.IP)
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	seq := make(map[string]uint32, len(names))
	for i, n := range names {
		seq[n] = uint32(i + 1)
	}
	return seq
}

// akashExpose is one record of Akash's ServiceExposes: one per expose entry
// and target (one untargeted record for an entry without "to").
type akashExpose struct {
	ServiceExpose
	to  ExposeTarget
	seq uint32 // the leased IP's sequence number, 0 without one
}

type akashExposes []akashExpose

func (l akashExposes) Len() int      { return len(l) }
func (l akashExposes) Swap(i, j int) { l[i], l[j] = l[j], l[i] }

// Less is Akash's ServiceExposes order: target service, port, protocol,
// global first. Records equal on these keep the order sort.Sort leaves
// them in, as in Akash (which uses the same sort).
func (l akashExposes) Less(i, j int) bool {
	a, b := &l[i], &l[j]
	switch {
	case a.to.Service != b.to.Service:
		return a.to.Service < b.to.Service
	case a.Port != b.Port:
		return a.Port < b.Port
	case a.Proto != b.Proto:
		return a.Proto < b.Proto
	case a.to.Global != b.to.Global:
		return a.to.Global
	}
	return false
}

func akashExposesOf(s *Service, seq map[string]uint32) akashExposes {
	n := 0
	for _, e := range s.Expose {
		n += max(1, len(e.To))
	}
	out := make(akashExposes, 0, n)
	for _, e := range s.Expose {
		if len(e.To) == 0 {
			out = append(out, akashExpose{ServiceExpose: e})
			continue
		}
		for _, t := range e.To {
			x := akashExpose{ServiceExpose: e, to: t}
			if t.Global && t.IP != "" {
				x.seq = seq[t.IP]
			}
			out = append(out, x)
		}
	}
	sort.Sort(out)
	return out
}

// Akash's endpoint kinds (akash.base.resources.v1beta4.Endpoint.Kind).
const (
	endpointSharedHTTP = 0 // global TCP on external port 80: the shared ingress
	endpointRandomPort = 1
	endpointLeasedIP   = 2
)

func writeAkashService(w *jw, sdlVersion string, s *Service, d Deployment, r *Resources, id uint32, seq map[string]uint32) {
	exposes := akashExposesOf(s, seq)
	w.open('{')
	w.key("args")
	w.strsOrNull(s.Args)
	w.key("command")
	w.strsOrNull(s.Command)
	w.key("count")
	w.uint(uint64(d.Count))
	w.key("credentials")
	if c := s.Credentials; c == nil {
		w.null()
	} else {
		// 2.0 passes host, username and password as written and drops the
		// email; 2.1 passes all four with surrounding spaces trimmed.
		host, email, user, pass := c.Host, "", c.Username, c.Password
		if sdlVersion != "2.0" {
			host, email, user, pass = strings.TrimSpace(c.Host), strings.TrimSpace(c.Email), strings.TrimSpace(c.Username), strings.TrimSpace(c.Password)
		}
		w.open('{')
		w.key("email")
		w.str(email)
		w.key("host")
		w.str(host)
		w.key("password")
		w.str(pass)
		w.key("username")
		w.str(user)
		w.close('}')
	}
	w.key("env")
	w.strsOrNull(s.Env)
	w.key("expose")
	w.open('[')
	for i := range exposes {
		writeAkashExpose(w, &exposes[i])
	}
	w.close(']')
	w.key("image")
	w.str(s.Image)
	w.key("name")
	w.str(s.Name)
	if s.params {
		w.key("params")
		w.open('{')
		// Not Akash's: this project's extension, in the version only when
		// asked for, so a fellow provider cannot add capabilities to a copy.
		if len(s.Capabilities) > 0 {
			w.key("capabilities")
			w.strs(s.Capabilities)
		}
		if p := s.Permissions; p != nil {
			w.key("permissions")
			w.open('{')
			if len(p.Read) > 0 {
				w.key("read")
				w.strs(p.Read)
			}
			w.close('}')
		}
		w.key("storage")
		if len(s.Storage) == 0 {
			w.null()
		} else {
			w.open('[')
			for _, m := range s.Storage { // sorted by volume name, as Akash sorts them
				w.open('{')
				w.key("mount")
				w.str(m.Mount)
				w.key("name")
				w.str(m.Volume)
				w.key("readOnly")
				w.bool(m.ReadOnly)
				w.close('}')
			}
			w.close(']')
		}
		if s.TEE != "" {
			w.key("tee")
			w.open('{')
			w.key("attestation")
			w.bool(true)
			w.key("type")
			w.str(s.TEE)
			w.close('}')
		}
		w.close('}')
	}
	w.key("resources")
	writeAkashResources(w, r, id, exposes)
	w.close('}')
}

// httpKeys names the http options' fields in one encoding, in sorted order.
type httpKeys struct{ maxBodySize, nextCases, nextTimeout, nextTries, proxyBufferSize, readTimeout, sendTimeout string }

var (
	akashHTTPKeys     = httpKeys{"maxBodySize", "nextCases", "nextTimeout", "nextTries", "proxyBufferSize", "readTimeout", "sendTimeout"}
	canonicalHTTPKeys = httpKeys{"max_body_size", "next_cases", "next_timeout", "next_tries", "proxy_buffer_size", "read_timeout", "send_timeout"}
)

// writeHTTPOptions writes the options with defaults filled in; as in
// Akash's manifest, empty next cases (never, after defaults) and a zero
// proxy buffer size are left out.
func writeHTTPOptions(w *jw, h HTTPOptions, k *httpKeys) {
	w.open('{')
	w.key(k.maxBodySize)
	w.uint(uint64(h.MaxBodySize))
	if len(h.NextCases) > 0 {
		w.key(k.nextCases)
		w.strs(h.NextCases)
	}
	w.key(k.nextTimeout)
	w.uint(uint64(h.NextTimeout))
	w.key(k.nextTries)
	w.uint(uint64(h.NextTries))
	if h.ProxyBufferSize != 0 {
		w.key(k.proxyBufferSize)
		w.uint(uint64(h.ProxyBufferSize))
	}
	w.key(k.readTimeout)
	w.uint(uint64(h.ReadTimeout))
	w.key(k.sendTimeout)
	w.uint(uint64(h.SendTimeout))
	w.close('}')
}

func writeAkashExpose(w *jw, e *akashExpose) {
	w.open('{')
	w.key("endpointSequenceNumber")
	w.uint(uint64(e.seq))
	w.key("externalPort")
	w.uint(uint64(e.As))
	w.key("global")
	w.bool(e.to.Global)
	w.key("hosts")
	w.strsOrNull(e.Accept)
	w.key("httpOptions")
	writeHTTPOptions(w, e.HTTPOptions, &akashHTTPKeys)
	w.key("ip")
	w.str(e.to.IP)
	w.key("port")
	w.uint(uint64(e.Port))
	w.key("proto")
	w.str(e.Proto)
	w.key("service")
	w.str(e.to.Service)
	w.close('}')
}

func writeAkashResources(w *jw, r *Resources, id uint32, exposes akashExposes) {
	w.open('{')
	w.key("cpu")
	w.open('{')
	writeAkashAttributes(w, r.CPUAttributes)
	w.key("units")
	w.resourceValue(r.CPUMillis)
	w.close('}')
	w.key("endpoints")
	w.open('[')
	for i := range exposes {
		e := &exposes[i]
		if !e.to.Global {
			continue
		}
		kind := endpointRandomPort
		if ext := e.As; e.Proto == "TCP" && (ext == 80 || ext == 0 && e.Port == 80) {
			kind = endpointSharedHTTP
		}
		writeAkashEndpoint(w, kind, 0) // sorted by sequence number: the leased IP (≥ 1) comes second
		if e.to.IP != "" {
			writeAkashEndpoint(w, endpointLeasedIP, e.seq)
		}
	}
	w.close(']')
	w.key("gpu")
	w.open('{')
	writeAkashAttributes(w, r.GPU.Attributes)
	w.key("units")
	w.resourceValue(r.GPU.Units)
	w.close('}')
	w.key("id")
	w.uint(uint64(id))
	w.key("memory")
	w.open('{')
	w.key("size")
	w.resourceValue(r.MemoryBytes)
	w.close('}')
	if len(r.Storage) > 0 {
		w.key("storage")
		w.open('[')
		for _, v := range akashStorageOrder(r.Storage) {
			w.open('{')
			writeAkashAttributes(w, v.Attributes)
			w.key("name")
			w.str(v.Name)
			w.key("size")
			w.resourceValue(v.Bytes)
			w.close('}')
		}
		w.close(']')
	}
	w.close('}')
}

func writeAkashEndpoint(w *jw, kind int, seq uint32) {
	w.open('{')
	if kind != 0 {
		w.key("kind")
		w.uint(uint64(kind))
	}
	w.key("sequence_number")
	w.uint(uint64(seq))
	w.close('}')
}

// writeAkashAttributes writes "attributes": [{key, value}] when there are
// any; Akash omits empty keys and values (protobuf omitempty).
func writeAkashAttributes(w *jw, attrs Attributes) {
	if len(attrs) == 0 {
		return
	}
	w.key("attributes")
	w.open('[')
	for _, a := range attrs {
		w.open('{')
		if a.Key != "" {
			w.key("key")
			w.str(a.Key)
		}
		if a.Value != "" {
			w.key("value")
			w.str(a.Value)
		}
		w.close('}')
	}
	w.close(']')
}

// akashStorageOrder sorts a profile's volumes (given in file order) with
// Akash's comparison: smaller size first; then, at equal size, a volume
// without a persistent attribute, then by that attribute's text; then a
// non-persistent one; then by name. The comparison is not a strict order
// for two non-persistent volumes of one size, so the result depends on the
// sorting algorithm: it is sort.SliceStable's, as in Akash.
func akashStorageOrder(vols []StorageVolume) []StorageVolume {
	if len(vols) < 2 {
		return vols
	}
	out := append([]StorageVolume(nil), vols...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if a.Bytes != b.Bytes {
			return a.Bytes < b.Bytes
		}
		ap, aok := attrText(a.Attributes, "persistent")
		bp, bok := attrText(b.Attributes, "persistent")
		if !aok && bok || aok && bok && ap < bp {
			return true
		} else if aok && !bok {
			return false
		}
		if ap != "true" {
			return true
		} else if bp != "true" {
			return false
		}
		return a.Name < b.Name
	})
	return out
}

// attrText is an attribute's value and whether it is set and not empty.
func attrText(a Attributes, key string) (string, bool) {
	v := attrValue(a, key)
	return v, v != ""
}

// writeGoJSONString quotes s exactly as Go's encoding/json does (with HTML
// escaping, its default): '"', '\\', \b \f \n \r \t, other control
// characters as \u00XX, '<' '>' '&' as \u003c \u003e \u0026, U+2028 and
// U+2029 as \u2028 \u2029, and each byte of invalid UTF-8 as \ufffd.
func writeGoJSONString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b.WriteString(s[start:i])
			b.WriteString(`\u202`)
			b.WriteByte(hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}
