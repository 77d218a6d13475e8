package conv

import (
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/money"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
)

// The proto GroupSpec carries every field of manifest.Group, so a group read
// from an SDL survives the chain unchanged: ManifestGroup(GroupSpec(g)) == g
// (empty lists come back as nil). Only the prices can fail to convert (a
// negative or malformed DecCoin in a hand-made transaction).

// GroupSpec converts a manifest group (as core/manifest compiles it) to its proto form.
func GroupSpec(g manifest.Group) dtypes.GroupSpec {
	s := dtypes.GroupSpec{
		Name: g.Name,
		Requirements: dtypes.PlacementRequirements{
			Attributes: protoAttributes(g.Requirements.Attributes),
			SignedBy: dtypes.SignedBy{
				AllOf: cloneStrings(g.Requirements.SignedBy.AllOf),
				AnyOf: cloneStrings(g.Requirements.SignedBy.AnyOf),
			},
		},
		Services: cloneStrings(g.Services),
	}
	for _, u := range g.Units {
		r := dtypes.ResourceUnit{
			Profile:       u.Profile,
			CPUMillis:     u.Resources.CPUMillis,
			CPUAttributes: protoAttributes(u.Resources.CPUAttributes),
			MemoryBytes:   u.Resources.MemoryBytes,
			GPUUnits:      u.Resources.GPU.Units,
			GPUAttributes: protoAttributes(u.Resources.GPU.Attributes),
			Bandwidth:     u.Resources.BandwidthBps,
			Count:         u.Count,
			Price:         DecCoin(u.Price),
		}
		for _, v := range u.Resources.Storage {
			r.Storage = append(r.Storage, dtypes.Storage{Name: v.Name, Bytes: v.Bytes, Attributes: protoAttributes(v.Attributes)})
		}
		s.Resources = append(s.Resources, r)
	}
	for _, e := range g.Exposes {
		s.Exposes = append(s.Exposes, dtypes.Expose{
			Service:      e.Service,
			Port:         e.Port,
			ExternalPort: e.ExternalPort,
			Proto:        e.Proto,
			Global:       e.Global,
			ToService:    e.ToService,
			Hosts:        cloneStrings(e.Hosts),
			IP:           e.IP,
		})
	}
	return s
}

// ManifestGroup converts a proto GroupSpec to the manifest group the market
// orders. It fails only on a price that is not a valid non-negative DecCoin.
func ManifestGroup(s dtypes.GroupSpec) (manifest.Group, error) {
	g := manifest.Group{
		Name: s.Name,
		Requirements: manifest.PlacementRequirements{
			Attributes: manifestAttributes(s.Requirements.Attributes),
			SignedBy: manifest.SignedBy{
				AllOf: cloneStrings(s.Requirements.SignedBy.AllOf),
				AnyOf: cloneStrings(s.Requirements.SignedBy.AnyOf),
			},
		},
		Services: cloneStrings(s.Services),
	}
	for i, r := range s.Resources {
		price, err := priceOf(r.Price)
		if err != nil {
			return manifest.Group{}, fmt.Errorf("group %q: resources[%d] (profile %q): price: %w", s.Name, i, r.Profile, err)
		}
		u := manifest.ResourceUnit{
			Profile: r.Profile,
			Resources: manifest.Resources{
				CPUMillis:     r.CPUMillis,
				CPUAttributes: manifestAttributes(r.CPUAttributes),
				MemoryBytes:   r.MemoryBytes,
				GPU:           manifest.GPU{Units: r.GPUUnits, Attributes: manifestAttributes(r.GPUAttributes)},
				BandwidthBps:  r.Bandwidth,
			},
			Count: r.Count,
			Price: price,
		}
		for _, v := range r.Storage {
			u.Resources.Storage = append(u.Resources.Storage, manifest.StorageVolume{Name: v.Name, Bytes: v.Bytes, Attributes: manifestAttributes(v.Attributes)})
		}
		g.Units = append(g.Units, u)
	}
	for _, e := range s.Exposes {
		g.Exposes = append(g.Exposes, manifest.Expose{
			Service:      e.Service,
			Port:         e.Port,
			ExternalPort: e.ExternalPort,
			Proto:        e.Proto,
			Global:       e.Global,
			ToService:    e.ToService,
			Hosts:        cloneStrings(e.Hosts),
			IP:           e.IP,
		})
	}
	return g, nil
}

// GroupSpecs converts a manifest's groups, in order, to the GroupSpecs a
// MsgCreateDeployment or MsgUpdateDeployment carries.
func GroupSpecs(gs []manifest.Group) []dtypes.GroupSpec {
	out := make([]dtypes.GroupSpec, len(gs))
	for i, g := range gs {
		out[i] = GroupSpec(g)
	}
	return out
}

// OrderedGroups converts a deployment's groups as the chain stores them to
// the manifest groups they ordered, indexed by gseq-1 (what a provider checks
// a received manifest against with manifest.FitsOrder). It fails when the
// gseqs are not 1..n or a spec does not convert.
func OrderedGroups(groups []dtypes.Group) ([]manifest.Group, error) {
	out := make([]manifest.Group, len(groups))
	seen := make([]bool, len(groups))
	for _, g := range groups {
		i := int(g.ID.Gseq) - 1
		if i < 0 || i >= len(groups) || seen[i] {
			return nil, fmt.Errorf("deployment %s/%d: group gseq %d: want each of 1..%d once", g.ID.Owner, g.ID.Dseq, g.ID.Gseq, len(groups))
		}
		mg, err := ManifestGroup(g.Spec)
		if err != nil {
			return nil, fmt.Errorf("deployment %s/%d gseq %d: %w", g.ID.Owner, g.ID.Dseq, g.ID.Gseq, err)
		}
		out[i], seen[i] = mg, true
	}
	return out, nil
}

func priceOf(c sdk.DecCoin) (money.Coin, error) {
	return CoinFromDecCoin(c)
}

func protoAttributes(l manifest.Attributes) []dtypes.Attribute {
	if len(l) == 0 {
		return nil
	}
	out := make([]dtypes.Attribute, len(l))
	for i, a := range l {
		out[i] = dtypes.Attribute{Key: a.Key, Value: a.Value}
	}
	return out
}

func manifestAttributes(l []dtypes.Attribute) manifest.Attributes {
	if len(l) == 0 {
		return nil
	}
	out := make(manifest.Attributes, len(l))
	for i, a := range l {
		out[i] = manifest.Attribute{Key: a.Key, Value: a.Value}
	}
	return out
}

func cloneStrings(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return append([]string(nil), l...)
}
