package manifest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/akash-market/akash/internal/yamlfile"

	"github.com/akash-market/akash/core/money"
)

// checkReferences runs the rules that tie sections together: every name a
// deployment or service uses must exist, IP endpoints must be used once per
// port, mounts must name volumes of the service's profiles, and the file must
// expose something to the internet and be priced in one denomination.
func (p *parser) checkReferences() {
	deployed := map[string][]*rawDeploy{}
	denoms := map[string]*rawDeploy{}
	var denomOrder []string
	for _, d := range p.deploys {
		deployed[d.service] = append(deployed[d.service], d)
		if _, ok := p.services[d.service]; !ok {
			p.errorf(d.keyN, ErrReference, d.path, "define it under services, or remove this entry", "service %q is not defined under services", d.service)
		}
		_, okProf := p.profiles[d.Profile]
		if !okProf && d.Profile != "" {
			p.errorf(d.profileN, ErrReference, yamlfile.Join(d.path, "profile"), "use one of: "+p.names(keysOf(p.profiles)), "compute profile %q is not defined", d.Profile)
		}
		pl, ok := p.placements[d.Placement]
		if !ok {
			p.errorf(d.keyN, ErrReference, d.path, "use one of: "+p.names(keysOf(p.placements)), "placement %q is not defined under profiles.placement", d.Placement)
			continue
		}
		price, okPrice := priceOf(pl, d.Profile)
		if !okPrice && okProf {
			p.errorf(d.profileN, ErrReference, yamlfile.Join(d.path, "profile"), fmt.Sprintf("add profiles.placement.%s.pricing.%s: {denom: uakt, amount: 100}", d.Placement, d.Profile),
				"placement %q has no price for profile %q", d.Placement, d.Profile)
			continue
		}
		if okPrice && price.Denom != "" {
			if _, seen := denoms[price.Denom]; !seen {
				denoms[price.Denom] = d
				denomOrder = append(denomOrder, price.Denom)
			}
		}
	}
	if len(denomOrder) > 1 {
		first := denoms[denomOrder[0]]
		for _, dn := range denomOrder[1:] {
			d := denoms[dn]
			p.errorf(p.placements[d.Placement].pricing[d.Profile], ErrPrice, yamlfile.Join(yamlfile.Join("profiles.placement", d.Placement), "pricing."+d.Profile+".denom"),
				fmt.Sprintf("price every profile in %s, like %s.%s", denomOrder[0], first.Placement, first.Profile),
				"denomination %s differs; a deployment is paid in one denomination", dn)
		}
	}

	endpointUsed := map[string]bool{}
	ipPorts := map[string]string{}
	hosts := map[string]string{}
	globals := 0
	for _, name := range p.svcOrder {
		s := p.services[name]
		ds := deployed[name]
		if len(ds) == 0 {
			p.warnf(s.keyN, s.path, "add it under deployment, or remove it", "service %q is not deployed and is ignored", name)
			continue
		}
		for _, t := range s.targets {
			if t.global {
				globals++
			}
			if t.service != "" {
				if _, ok := deployed[t.service]; !ok {
					p.errorf(t.node, ErrReference, yamlfile.Join(t.path, "service"), "name a deployed service: "+p.names(keysOf(deployed)),
						"service %q is not deployed in this manifest", t.service)
				}
			}
			if t.ip == "" {
				continue
			}
			if _, ok := p.endpoints[t.ip]; !ok {
				p.errorf(t.node, ErrReference, yamlfile.Join(t.path, "ip"), fmt.Sprintf("declare endpoints: {%s: {kind: ip}}", t.ip), "endpoint %q is not declared", t.ip)
				continue
			}
			endpointUsed[t.ip] = true
			// Two exposes on one leased IP may not share a port. Akash
			// tells ports apart by "as" and proto as written (two exposes
			// without "as" collide even on different ports) and checks once
			// per placement of the service; this parser refuses that too,
			// and also two exposes that truly share a port and protocol.
			ext := t.as
			if ext == 0 {
				ext = t.port
			}
			keys := []string{fmt.Sprintf("%s as %d %q", t.ip, t.as, t.written), fmt.Sprintf("%s port %d %s", t.ip, ext, t.proto)}
			for _, d := range ds {
				for _, key := range keys {
					if other, dup := ipPorts[key]; dup {
						p.errorf(t.node, ErrDuplicate, yamlfile.Join(t.path, "ip"), "give each expose on a leased IP its own external port (as) and keep a service using one in one placement",
							"endpoint %q: external port %d/%s is already used by %s", t.ip, ext, t.proto, other)
						break
					}
				}
				for _, key := range keys {
					ipPorts[key] = fmt.Sprintf("service %q in placement %q", name, d.Placement)
				}
			}
		}
		p.checkHosts(s, ds, hosts)
		p.checkMounts(s, ds)
		p.checkTEE(s, ds)
	}
	if p.servicesN != nil && globals == 0 && len(p.deploys) > 0 {
		p.errorf(p.servicesN, ErrExpose, "services", "expose at least one port with to: [{global: true}]", "no service is exposed to the internet")
	}
	for name, e := range p.endpoints {
		if !endpointUsed[name] {
			p.errorf(e.keyN, ErrReference, yamlfile.Join("endpoints", name), "use it in an expose (to: [{global: true, ip: "+name+"}]) or remove it", "endpoint %q is never used", name)
		}
	}
}

// checkHosts: as in Akash, every accepted host name appears once in the
// whole manifest, counting each copy Akash makes: one per target of the
// expose entry ("to") and one per placement the service runs in. So a host
// may not be listed twice, nor on an entry with two targets, nor on a
// service deployed in two placements.
func (p *parser) checkHosts(s *rawService, ds []*rawDeploy, seen map[string]string) {
	for _, d := range ds {
		for i, e := range s.Expose {
			for range max(1, len(e.To)) {
				for _, h := range e.Accept {
					where := fmt.Sprintf("%s.expose[%d] in placement %q", s.Name, i, d.Placement)
					if other, dup := seen[h]; dup {
						p.errorf(s.keyN, ErrDuplicate, yamlfile.Index(yamlfile.Join(s.path, "expose"), i)+".accept",
							"accept a host on one expose entry with one target, of a service in one placement (Akash copies it per target and per placement)",
							"host %q is accepted more than once: by %s and by %s", h, other, where)
						return
					}
					seen[h] = where
				}
			}
		}
	}
}

// checkTEE: tee cpu-gpu needs a GPU in every profile the service runs with,
// and one placement cannot mix the two kinds (Akash's group builder).
func (p *parser) checkTEE(s *rawService, ds []*rawDeploy) {
	if s.TEE == "" {
		return
	}
	for _, d := range ds {
		prof, ok := p.profiles[d.Profile]
		if ok && s.TEE == teeCPUGPU && prof.Resources.GPU.Units == 0 {
			p.errorf(s.keyN, ErrGPU, yamlfile.Join(s.path, "params.tee"), "give profile "+d.Profile+" a gpu, or use tee: cpu",
				"tee cpu-gpu needs a gpu, but profile %q (placement %q) has none", d.Profile, d.Placement)
		}
		if other, ok := p.teeOf[d.Placement]; ok && other.kind != s.TEE {
			p.errorf(s.keyN, ErrStructure, yamlfile.Join(s.path, "params.tee"), "use one tee kind per placement",
				"placement %q has tee %q (service %q) and tee %q (service %q)", d.Placement, other.kind, other.service, s.TEE, s.Name)
		} else if !ok {
			p.teeOf[d.Placement] = teeUse{kind: s.TEE, service: s.Name}
		}
	}
}

type teeUse struct{ kind, service string }

// checkMounts: each params.storage entry names a volume of every profile the
// service runs with. Version 2.0 also requires a service whose profile has a
// persistent volume to mount at least one volume (Akash checks exactly this,
// not that each persistent volume is mounted); 2.1 forbids read-only ram.
func (p *parser) checkMounts(s *rawService, ds []*rawDeploy) {
	for _, d := range ds {
		prof, ok := p.profiles[d.Profile]
		if !ok {
			continue
		}
		vols := map[string]StorageVolume{}
		hasPersistent := false
		for _, v := range prof.Resources.Storage {
			vols[v.Name] = v
			if attrValue(v.Attributes, "persistent") == "true" {
				hasPersistent = true
			}
		}
		for _, m := range s.mounts {
			v, ok := vols[m.Volume]
			if !ok {
				p.errorf(m.node, ErrReference, m.path, "name a volume of profile "+d.Profile+": "+p.names(keysOf(vols)),
					"volume %q is not defined in compute profile %q", m.Volume, d.Profile)
				continue
			}
			if p.version == "2.1" && attrValue(v.Attributes, "class") == "ram" && m.ReadOnly {
				p.errorf(m.node, ErrStorage, yamlfile.Join(m.path, "readOnly"), "set readOnly: false", "a ram volume cannot be read-only")
			}
		}
		if p.version == "2.0" && hasPersistent && len(s.mounts) == 0 {
			p.errorf(s.keyN, ErrStorage, yamlfile.Join(s.path, "params.storage"), "mount the persistent volume: params: {storage: {<volume>: {mount: /data}}}",
				"profile %q has a persistent volume but service %q mounts none", d.Profile, s.Name)
		}
	}
}

func attrValue(a Attributes, key string) string {
	for _, x := range a {
		if x.Key == key {
			return x.Value
		}
	}
	return ""
}

func priceOf(pl *rawPlacement, profile string) (money.Coin, bool) {
	for _, pp := range pl.Pricing {
		if pp.Profile == profile {
			return pp.Price, true
		}
	}
	return money.Coin{}, false
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (p *parser) names(l []string) string {
	if len(l) == 0 {
		return "(none defined)"
	}
	if len(l) > 8 {
		l = append(l[:8:8], "...")
	}
	return strings.Join(l, ", ")
}
