package manifest

import (
	"math"
	"sort"

	"github.com/akash-market/akash/internal/yamlfile"

	"go.yaml.in/yaml/v3"
)

type rawDeploy struct {
	Deployment
	service  string
	keyN     *yaml.Node // the placement key
	profileN *yaml.Node
	path     string
}

func (p *parser) readDeployment(n *yaml.Node) {
	ps, ok := p.mapping(n, "deployment", "map each service to {<placement>: {profile, count}}")
	if !ok {
		return
	}
	for _, x := range ps {
		base := yamlfile.Join("deployment", x.key)
		places, ok := p.mapping(x.value, base, "map a placement name to {profile: <compute profile>, count: 1}")
		if !ok {
			continue
		}
		if len(places) == 0 {
			// Akash accepts (and ignores) such an entry; see docs/manifest.md
			// for the one way it still differs there
			p.warnf(x.keyN, base, "add <placement>: {profile: <compute profile>, count: 1}, or remove the entry", "service %q is deployed nowhere and is ignored", x.key)
		}
		for _, pl := range places {
			pb := yamlfile.Join(base, pl.key)
			rd := &rawDeploy{service: x.key, keyN: pl.keyN, path: pb}
			rd.Placement = pl.key
			fields, ok := p.mapping(pl.value, pb, "write {profile: <compute profile>, count: 1}")
			if !ok {
				continue
			}
			var countSeen bool
			p.dispatch(fields, pb, keyset{
				"profile": func(y pair) {
					rd.Profile = p.str(y.value, yamlfile.Join(pb, "profile"), "name a profile under profiles.compute")
					rd.profileN = valueNode(y)
				},
				"count": func(y pair) {
					countSeen = true
					v, ok := p.uintN(y.value, yamlfile.Join(pb, "count"), "count is the number of replicas, at least 1", math.MaxUint32)
					if ok && v == 0 {
						p.errorf(valueNode(y), ErrLimit, yamlfile.Join(pb, "count"), "count is the number of replicas, at least 1", "count is 0")
					}
					rd.Count = uint32(v)
				},
			}, false, "profile, count")
			if rd.profileN == nil {
				rd.profileN = pl.keyN
				p.errorf(pl.keyN, ErrStructure, yamlfile.Join(pb, "profile"), "add profile: <name under profiles.compute>", "deployment has no profile")
			}
			if !countSeen {
				p.errorf(pl.keyN, ErrStructure, yamlfile.Join(pb, "count"), "add count: 1", "deployment has no count")
			}
			p.deploys = append(p.deploys, rd)
		}
	}
	sort.Slice(p.deploys, func(i, j int) bool {
		a, b := p.deploys[i], p.deploys[j]
		if a.service != b.service {
			return a.service < b.service
		}
		return a.Placement < b.Placement
	})
}
