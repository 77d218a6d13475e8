package manifest

import (
	"math"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/akash-market/akash/internal/yamlfile"

	"go.yaml.in/yaml/v3"
)

var (
	// Akash's service name rule (a DNS label: the provider names pods after it).
	serviceNameRE = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
	// Kubernetes' environment variable name rule, which Akash applies.
	envNameRE = regexp.MustCompile(`^[-._a-zA-Z][-._a-zA-Z0-9]*$`)
	// An RFC 1123 subdomain in lowercase, as Kubernetes (and so Akash) checks a host.
	hostnameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

// Akash's ingress defaults and ceilings.
const (
	defaultMaxBodySize = 1 << 20
	maxMaxBodySize     = 100 << 20
	defaultTimeoutMS   = 60000
	defaultNextTries   = 3
	maxProxyBufferSize = 1 << 20
)

var nextCases = map[string]bool{"error": true, "timeout": true, "500": true, "502": true, "503": true,
	"504": true, "403": true, "404": true, "429": true, "off": true}

type rawService struct {
	Service
	keyN    *yaml.Node
	path    string
	targets []targetRef
	mounts  []mountRef
}

type targetRef struct {
	node    *yaml.Node
	path    string
	service string
	ip      string
	global  bool
	port    uint32
	as      uint32
	proto   string
	written string // proto as written ("" when absent): Akash keys leased-IP ports by it
}

type mountRef struct {
	node *yaml.Node
	path string
	StorageMount
}

const serviceKeys = "image, command, args, env, expose, params, credentials, dependencies"

func (p *parser) readServices(n *yaml.Node) {
	ps, ok := p.mapping(n, "services", "services maps a service name to its image, expose, ...")
	if !ok {
		return
	}
	p.services = make(map[string]*rawService, len(ps))
	for _, x := range ps {
		s := p.readService(x)
		p.services[x.key] = s
		p.svcOrder = append(p.svcOrder, x.key)
	}
	sort.Strings(p.svcOrder)
}

func (p *parser) readService(x pair) *rawService {
	defer p.within(scopeService, x.key)()
	base := yamlfile.Join("services", x.key)
	s := &rawService{keyN: x.keyN, path: base}
	s.Name = x.key
	if len(x.key) > 63 || !serviceNameRE.MatchString(x.key) {
		p.usedOnlyf(x.keyN, ErrName, base, "use lowercase letters, digits and '-', starting with a letter, at most 63 characters (e.g. web-api)",
			"service name %q is invalid", x.key)
	}
	ps, ok := p.mapping(x.value, base, "a service has "+serviceKeys)
	if !ok {
		return s
	}
	var imageN *yaml.Node
	p.dispatch(ps, base, keyset{
		"image": func(y pair) {
			imageN = y.keyN
			s.Image = p.str(y.value, yamlfile.Join(base, "image"), "write the image reference, e.g. nginx:1.25")
			if strings.TrimSpace(s.Image) == "" {
				p.usedOnlyf(y.keyN, ErrStructure, yamlfile.Join(base, "image"), "write the image reference, e.g. nginx:1.25", "image is empty")
			} else if strings.TrimSpace(s.Image) != s.Image {
				p.usedOnlyf(valueNode(y), ErrStructure, yamlfile.Join(base, "image"), "remove the spaces around the image reference", "image %q has spaces around it", s.Image)
			}
		},
		"command": func(y pair) {
			s.Command = p.strList(y.value, yamlfile.Join(base, "command"), `write a list, e.g. ["sh", "-c"]`)
		},
		"args": func(y pair) {
			s.Args = p.strList(y.value, yamlfile.Join(base, "args"), `write a list, e.g. ["--port", "8080"]`)
		},
		"env": func(y pair) {
			items, ok := p.sequence(y.value, yamlfile.Join(base, "env"), "write a list of NAME=value")
			if ok && items != nil {
				s.Env = []string{}
			}
			for i, it := range items {
				path := yamlfile.Index(yamlfile.Join(base, "env"), i)
				v, vn, ok := p.scalar(it, path, "write NAME=value")
				if !ok {
					continue
				}
				name, _, _ := strings.Cut(v, "=")
				if !envNameRE.MatchString(name) {
					p.usedOnlyf(vn, ErrName, path, "a name is letters, digits, '_', '-' or '.', not starting with a digit, followed by =value",
						"environment variable name %q is invalid", name)
					continue
				}
				s.Env = append(s.Env, v)
			}
		},
		"expose": func(y pair) {
			items, _ := p.sequence(y.value, yamlfile.Join(base, "expose"), "write a list of {port, as, proto, to}")
			for i, it := range items {
				p.readExpose(s, it, yamlfile.Index(yamlfile.Join(base, "expose"), i))
			}
		},
		"params":       func(y pair) { p.readParams(s, y.value, yamlfile.Join(base, "params")) },
		"credentials":  func(y pair) { p.readCredentials(s, y, yamlfile.Join(base, "credentials")) },
		"dependencies": func(y pair) { p.readDependencies(y.value, yamlfile.Join(base, "dependencies")) },
	}, false, serviceKeys)
	if imageN == nil {
		p.usedOnlyf(x.keyN, ErrStructure, yamlfile.Join(base, "image"), "add image: <registry/name:tag>", "service has no image")
	}
	return s
}

func (p *parser) readDependencies(n *yaml.Node, base string) {
	items, _ := p.sequence(n, base, "write a list of {service: name}")
	for i, it := range items {
		ps, _ := p.mapping(it, yamlfile.Index(base, i), "write {service: name}")
		p.dispatch(ps, yamlfile.Index(base, i), keyset{"service": func(y pair) { p.str(y.value, yamlfile.Join(yamlfile.Index(base, i), "service"), "") }}, false, "service")
	}
}

func (p *parser) readCredentials(s *rawService, y pair, base string) {
	ps, ok := p.mapping(y.value, base, "write host, username, password (and optionally email)")
	if !ok {
		return
	}
	c := &Credentials{}
	p.dispatch(ps, base, keyset{
		"host":     func(z pair) { c.Host = p.str(z.value, yamlfile.Join(base, "host"), "") },
		"email":    func(z pair) { c.Email = p.str(z.value, yamlfile.Join(base, "email"), "") },
		"username": func(z pair) { c.Username = p.str(z.value, yamlfile.Join(base, "username"), "") },
		"password": func(z pair) { c.Password = p.str(z.value, yamlfile.Join(base, "password"), "") },
	}, false, "host, email, username, password")
	for _, f := range []struct{ name, v string }{{"host", c.Host}, {"username", c.Username}, {"password", c.Password}} {
		if strings.TrimSpace(f.v) == "" {
			p.usedOnlyf(y.keyN, ErrStructure, yamlfile.Join(base, f.name), "a registry login needs host, username and password", "%s is missing", f.name)
		}
	}
	s.Credentials = c
}

const exposeKeys = "port, as, proto, to, accept, http_options"

func (p *parser) readExpose(s *rawService, n *yaml.Node, base string) {
	ps, ok := p.mapping(n, base, "write {port: 80, as: 80, to: [{global: true}]}")
	if !ok {
		return
	}
	e := ServiceExpose{Proto: "TCP", HTTPOptions: defaultHTTPOptions()}
	var portN *yaml.Node
	var tos []*yaml.Node
	p.dispatch(ps, base, keyset{
		"port": func(y pair) {
			portN = y.keyN
			v, ok := p.uintN(y.value, yamlfile.Join(base, "port"), "a port is 1..65535", math.MaxUint32)
			if ok && (v == 0 || v > 65535) {
				p.usedOnlyf(valueNode(y), ErrExpose, yamlfile.Join(base, "port"), "a port is 1..65535", "port %d is out of range", v)
			}
			e.Port = uint32(v)
		},
		"as": func(y pair) {
			v, ok := p.uintN(y.value, yamlfile.Join(base, "as"), "as is the external port, 1..65535", math.MaxUint32)
			if ok && v > 65535 {
				p.usedOnlyf(valueNode(y), ErrExpose, yamlfile.Join(base, "as"), "as is the external port, 1..65535", "as %d is out of range", v)
			}
			e.As = uint32(v)
		},
		"proto": func(y pair) {
			v, vn, ok := p.scalar(y.value, yamlfile.Join(base, "proto"), "")
			if !ok {
				return
			}
			e.protoText = v
			switch strings.ToUpper(v) {
			case "", "TCP":
				e.Proto = "TCP"
			case "UDP":
				e.Proto = "UDP"
			default:
				p.usedOnlyf(vn, ErrExpose, yamlfile.Join(base, "proto"), "use TCP or UDP", "protocol %q is unknown", v)
			}
		},
		"to": func(y pair) {
			tos, _ = p.sequence(y.value, yamlfile.Join(base, "to"), "write a list such as [{global: true}, {service: web}]")
		},
		"accept": func(y pair) {
			items, ok := p.sequence(y.value, yamlfile.Join(base, "accept"), "write a list of host names")
			if ok && items != nil {
				e.Accept = []string{}
			}
			for i, it := range items {
				h, hn, ok := p.scalar(it, yamlfile.Index(yamlfile.Join(base, "accept"), i), "")
				if !ok {
					continue
				}
				hint := "write a host name in lowercase such as www.example.com (no scheme, path, port or wildcard)"
				if lower := strings.ToLower(h); lower != h && hostnameRE.MatchString(lower) {
					hint = "write it in lowercase: " + lower
				}
				// Akash reads the list only if "http://<host>" is a URL, and
				// checks the host's form only on deployed services
				if _, err := url.ParseRequestURI("http://" + h); err != nil {
					p.errorf(hn, ErrExpose, yamlfile.Index(yamlfile.Join(base, "accept"), i), hint, "%q is not a host name", h)
					continue
				}
				if len(h) > 253 || !hostnameRE.MatchString(h) {
					p.usedOnlyf(hn, ErrExpose, yamlfile.Index(yamlfile.Join(base, "accept"), i), hint, "%q is not a host name", h)
					continue
				}
				e.Accept = append(e.Accept, h)
			}
		},
		"http_options": func(y pair) { e.HTTPOptions = p.readHTTPOptions(y.value, yamlfile.Join(base, "http_options")) },
	}, false, exposeKeys)
	if portN == nil {
		p.usedOnlyf(n, ErrExpose, yamlfile.Join(base, "port"), "add port: <container port 1..65535>", "expose has no port")
	}
	for i, t := range tos {
		tp := yamlfile.Index(yamlfile.Join(base, "to"), i)
		tps, ok := p.mapping(t, tp, "write {global: true} or {service: name}")
		if !ok {
			continue
		}
		var tg ExposeTarget
		tn := t
		p.dispatch(tps, tp, keyset{
			"service": func(y pair) {
				tg.Service = p.str(y.value, yamlfile.Join(tp, "service"), "name a service of this manifest")
				tn = valueNode(y)
			},
			"global": func(y pair) { tg.Global = p.boolean(y.value, yamlfile.Join(tp, "global")) },
			"ip": func(y pair) {
				tg.IP = p.str(y.value, yamlfile.Join(tp, "ip"), "name an endpoint declared under endpoints")
			},
			"http_options": func(y pair) {
				p.warnf(y.keyN, yamlfile.Join(tp, "http_options"), "put http_options on the expose entry", "http_options under to is ignored")
			},
		}, false, "service, global, ip")
		if tg.Service == "" && !tg.Global {
			p.warnf(tn, tp, "write {service: <name>} or {global: true}", "this target names no service and is not global, so it allows nothing")
		}
		if tg.IP != "" && !tg.Global {
			p.usedOnlyf(tn, ErrExpose, yamlfile.Join(tp, "ip"), "add global: true next to ip", "an IP endpoint is only for global exposes")
		}
		e.To = append(e.To, tg)
		s.targets = append(s.targets, targetRef{node: tn, path: tp, service: tg.Service, ip: tg.IP, global: tg.Global,
			port: e.Port, as: e.As, proto: e.Proto, written: e.protoText})
	}
	s.Expose = append(s.Expose, e)
}

func valueNode(y pair) *yaml.Node {
	if y.value != nil && y.value.Line > 0 {
		return y.value
	}
	return y.keyN
}

func defaultHTTPOptions() HTTPOptions {
	return HTTPOptions{MaxBodySize: defaultMaxBodySize, ReadTimeout: defaultTimeoutMS, SendTimeout: defaultTimeoutMS,
		NextTries: defaultNextTries, NextCases: []string{"error", "timeout"}}
}

func (p *parser) readHTTPOptions(n *yaml.Node, base string) HTTPOptions {
	h := defaultHTTPOptions()
	ps, ok := p.mapping(n, base, "")
	if !ok {
		return h
	}
	num := func(y pair, dst *uint32, def, max uint32, unit string) {
		v, ok := p.uintN(y.value, yamlfile.Join(base, y.key), "", math.MaxUint32)
		if !ok {
			return
		}
		if v == 0 {
			v = uint64(def)
		}
		if max != 0 && v > uint64(max) {
			p.usedOnlyf(valueNode(y), ErrExpose, yamlfile.Join(base, y.key), "use at most "+uitoa(uint64(max))+" "+unit+" (0 means the default)", "%s %d is above the maximum %d %s", y.key, v, max, unit)
			return
		}
		*dst = uint32(v)
	}
	p.dispatch(ps, base, keyset{
		"max_body_size": func(y pair) { num(y, &h.MaxBodySize, defaultMaxBodySize, maxMaxBodySize, "bytes") },
		"read_timeout":  func(y pair) { num(y, &h.ReadTimeout, defaultTimeoutMS, defaultTimeoutMS, "ms") },
		"send_timeout":  func(y pair) { num(y, &h.SendTimeout, defaultTimeoutMS, defaultTimeoutMS, "ms") },
		"next_tries":    func(y pair) { num(y, &h.NextTries, defaultNextTries, 0, "") },
		"next_timeout":  func(y pair) { num(y, &h.NextTimeout, 0, 0, "ms") },
		// 0 stays 0: the provider picks its default, and Akash leaves it out of the version
		"proxy_buffer_size": func(y pair) { num(y, &h.ProxyBufferSize, 0, maxProxyBufferSize, "bytes") },
		"next_cases": func(y pair) {
			cases := p.strList(y.value, yamlfile.Join(base, "next_cases"), "")
			if len(cases) == 0 {
				return
			}
			for _, c := range cases {
				if !nextCases[c] {
					p.usedOnlyf(valueNode(y), ErrExpose, yamlfile.Join(base, "next_cases"), "use error, timeout, 500, 502, 503, 504, 403, 404, 429 or off", "next case %q is unknown", c)
					return
				}
				if c == "off" && len(cases) != 1 {
					p.usedOnlyf(valueNode(y), ErrExpose, yamlfile.Join(base, "next_cases"), "write off alone", "off cannot be combined with other cases")
					return
				}
			}
			h.NextCases = cases
		},
	}, false, "max_body_size, read_timeout, send_timeout, next_tries, next_timeout, next_cases, proxy_buffer_size")
	return h
}

func (p *parser) readParams(s *rawService, n *yaml.Node, base string) {
	ps, ok := p.mapping(n, base, "params has storage, permissions, tee and capabilities")
	if !ok {
		return
	}
	s.params = !nullValue(n)
	p.dispatch(ps, base, keyset{
		"storage": func(y pair) {
			sb := yamlfile.Join(base, "storage")
			vols, ok := p.mapping(y.value, sb, "map a volume name to {mount: /path, readOnly: false}")
			if !ok {
				return
			}
			mounts := map[string]string{}
			for _, v := range vols {
				vb := yamlfile.Join(sb, v.key)
				m := mountRef{node: v.keyN, path: vb}
				m.Volume = v.key
				fields, _ := p.mapping(v.value, vb, "write {mount: /path, readOnly: false}")
				var mountN *yaml.Node = v.keyN
				p.dispatch(fields, vb, keyset{
					"mount":    func(z pair) { m.Mount = p.str(z.value, yamlfile.Join(vb, "mount"), ""); mountN = valueNode(z) },
					"readOnly": func(z pair) { m.ReadOnly = p.boolean(z.value, yamlfile.Join(vb, "readOnly")) },
				}, false, "mount, readOnly")
				if !path.IsAbs(m.Mount) {
					p.usedOnlyf(mountN, ErrStorage, yamlfile.Join(vb, "mount"), "write an absolute path such as /var/lib/data", "mount %q is not an absolute path", m.Mount)
				} else if other, dup := mounts[path.Clean(m.Mount)]; dup {
					p.usedOnlyf(mountN, ErrStorage, yamlfile.Join(vb, "mount"), "mount each volume at its own path", "mount %q is already used by volume %q", m.Mount, other)
				} else {
					mounts[path.Clean(m.Mount)] = v.key
				}
				s.mounts = append(s.mounts, m)
				s.Storage = append(s.Storage, m.StorageMount)
			}
			sort.Slice(s.Storage, func(i, j int) bool { return s.Storage[i].Volume < s.Storage[j].Volume })
		},
		"permissions": func(y pair) { s.Permissions = p.readPermissions(y.value, yamlfile.Join(base, "permissions")) },
		"tee": func(y pair) {
			s.TEE = p.str(y.value, yamlfile.Join(base, "tee"), "write tee: cpu or tee: cpu-gpu")
			if s.TEE != "" && s.TEE != teeCPU && s.TEE != teeCPUGPU {
				p.usedOnlyf(valueNode(y), ErrStructure, yamlfile.Join(base, "tee"), "write cpu (confidential cpu) or cpu-gpu (confidential cpu and gpu)", "tee %q is unknown", s.TEE)
			}
		},
		"capabilities": func(y pair) {
			cb := yamlfile.Join(base, "capabilities")
			seen := map[string]bool{}
			for _, name := range p.strList(y.value, cb, `write a list of Linux capabilities, e.g. [NET_BIND_SERVICE]`) {
				c, ok := CanonicalCapability(name)
				if !ok {
					p.errorf(y.value, ErrName, cb, "use one of "+capabilityNames(), "%q is not a Linux capability", name)
					continue
				}
				if !seen[c] {
					seen[c] = true
					s.Capabilities = append(s.Capabilities, c)
				}
			}
			sort.Strings(s.Capabilities)
		},
	}, false, "storage, permissions, tee, capabilities")
}

// Trusted execution (params.tee): Akash's two kinds. cpu-gpu needs a GPU.
const (
	teeCPU    = "cpu"
	teeCPUGPU = "cpu-gpu"
)

// readPermissions reads params.permissions: {read: [...]}, passed through
// to the provider as written (Akash does not check the entries).
func (p *parser) readPermissions(n *yaml.Node, base string) *Permissions {
	if nullValue(n) {
		return nil
	}
	ps, ok := p.mapping(n, base, "write {read: [deployment, logs]}")
	if !ok {
		return nil
	}
	perm := &Permissions{}
	p.dispatch(ps, base, keyset{
		"read": func(y pair) {
			perm.Read = p.strList(y.value, yamlfile.Join(base, "read"), "write a list, e.g. [deployment, logs]")
		},
	}, false, "read")
	return perm
}
