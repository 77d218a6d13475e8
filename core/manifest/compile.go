package manifest

import (
	"sort"
	"strings"

	"github.com/akash-market/akash/internal/yamlfile"
)

// compile turns the validated raw sections into the Manifest: deployed
// services, the profiles and placements they use, groups and topology.
func (p *parser) compile() *Manifest {
	m := &Manifest{sdlVersion: p.version}
	byService := map[string][]Deployment{}
	usedProfiles := map[string]bool{}
	usedPlacements := map[string]bool{}
	for _, d := range p.deploys {
		byService[d.service] = append(byService[d.service], d.Deployment)
		usedProfiles[d.Profile] = true
		usedPlacements[d.Placement] = true
	}
	for _, name := range p.svcOrder {
		ds := byService[name]
		if len(ds) == 0 {
			continue
		}
		s := p.services[name].Service
		s.Deployments = ds // already sorted by placement
		m.services = append(m.services, s)
	}
	for _, name := range keysOf(p.profiles) {
		if usedProfiles[name] {
			m.profiles = append(m.profiles, p.profiles[name].ComputeProfile)
		} else {
			p.warnf(p.profiles[name].keyN, p.profiles[name].path, "use it in deployment, or remove it", "compute profile %q is not used", name)
		}
	}
	for _, name := range keysOf(p.placements) {
		rp := p.placements[name]
		if !usedPlacements[name] {
			p.warnf(rp.keyN, rp.path, "use it in deployment, or remove it", "placement %q is not used", name)
			continue
		}
		pl := rp.Placement
		// keep only the prices of profiles deployed in this placement
		var prices []ProfilePrice
		for _, pp := range pl.Pricing {
			if p.profileUsedIn(name, pp.Profile) {
				prices = append(prices, pp)
			}
		}
		pl.Pricing = prices
		m.placements = append(m.placements, pl)
	}
	for _, name := range keysOf(p.endpoints) {
		m.endpoints = append(m.endpoints, p.endpoints[name].Endpoint)
	}
	m.groups = buildGroups(m)
	m.topology = buildTopology(m.services)
	for _, g := range m.groups {
		at, path := p.placements[g.Name].keyN, yamlfile.Join("profiles.placement", g.Name)
		if t, ok := p.groupTotals(g.Name); !ok {
			p.errorf(at, ErrLimit, path, "use fewer replicas or smaller profiles", "group %s: resource totals overflow 64 bits", g.Name)
		} else if err := CheckGroupTotals(t); err != nil {
			p.errorf(at, ErrLimit, path, "use fewer replicas or smaller profiles in this placement, or split it into two placements",
				"group %s: %s", g.Name, strings.TrimPrefix(err.Error(), ErrLimit.Error()+": "))
		}
		if _, err := g.MaxPrice(); err != nil {
			p.errorf(p.placements[g.Name].keyN, ErrPrice, yamlfile.Join("profiles.placement", g.Name), "price every profile in one denomination, within range", "%v", err)
		}
	}
	return m
}

func (p *parser) profileUsedIn(placement, profile string) bool {
	for _, d := range p.deploys {
		if d.Placement == placement && d.Profile == profile {
			return true
		}
	}
	return false
}

// buildGroups makes one group per placement, with Akash's resource units:
// visiting the placement's services by name, SDL 2.0 adds one unit per
// service, and 2.1 one unit per compute profile whose count adds up the
// services that use it (unitIDs numbers them the same way for the version).
// A service with params.tee adds the requirement tee/type=<kind>.
func buildGroups(m *Manifest) []Group {
	profiles := map[string]ComputeProfile{}
	for _, pr := range m.profiles {
		profiles[pr.Name] = pr
	}
	groups := make([]Group, 0, len(m.placements))
	for _, pl := range m.placements {
		g := Group{Name: pl.Name, Requirements: pl.Requirements}
		ids := newUnitIDs(m.sdlVersion)
		tee := ""
		for _, s := range m.services {
			for _, d := range s.Deployments {
				if d.Placement != pl.Name {
					continue
				}
				g.Services = append(g.Services, s.Name)
				id := ids.of(d.Profile)
				if int(id) > len(g.Units) { // a new unit
					u := ResourceUnit{Profile: d.Profile, Resources: profiles[d.Profile].Resources}
					for _, pp := range pl.Pricing {
						if pp.Profile == d.Profile {
							u.Price = pp.Price
						}
					}
					g.Units = append(g.Units, u)
				}
				g.Units[id-1].Count += d.Count
				g.Exposes = append(g.Exposes, exposesOf(s)...)
				if tee == "" && s.TEE != "" {
					tee = s.TEE
				}
			}
		}
		if tee != "" {
			attrs := append(Attributes{{Key: "tee/type", Value: tee}}, g.Requirements.Attributes...)
			sort.SliceStable(attrs, func(i, j int) bool { return attrs[i].Key < attrs[j].Key })
			g.Requirements.Attributes = attrs
		}
		sortExposes(g.Exposes)
		groups = append(groups, g)
	}
	return groups
}

// exposesOf flattens a service's expose list: one record per port and target,
// one untargeted record for a port with no "to".
func exposesOf(s Service) []Expose {
	var out []Expose
	for _, e := range s.Expose {
		base := Expose{Service: s.Name, Port: e.Port, ExternalPort: e.As, Proto: e.Proto, Hosts: e.Accept}
		if len(e.To) == 0 {
			out = append(out, base)
			continue
		}
		for _, t := range e.To {
			x := base
			x.Global, x.ToService, x.IP = t.Global, t.Service, t.IP
			out = append(out, x)
		}
	}
	return out
}

func sortExposes(l []Expose) {
	sort.SliceStable(l, func(i, j int) bool { return exposeLess(l[i], l[j]) })
}

func exposeLess(a, b Expose) bool {
	switch {
	case a.Service != b.Service:
		return a.Service < b.Service
	case a.Port != b.Port:
		return a.Port < b.Port
	case a.Proto != b.Proto:
		return a.Proto < b.Proto
	case a.ExternalPort != b.ExternalPort:
		return a.ExternalPort < b.ExternalPort
	case a.Global != b.Global:
		return !a.Global
	case a.ToService != b.ToService:
		return a.ToService < b.ToService
	case a.IP != b.IP:
		return a.IP < b.IP
	}
	return strings.Join(a.Hosts, ",") < strings.Join(b.Hosts, ",")
}
