package manage

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/core/manifest"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
)

// PlaceIn is the SDL (file, data) with every placement requiring
// region=region: the manifest a deployment placed in region runs. A
// provider refuses a manifest whose placement differs from its order's, so
// the SDL as written (one region, or none) fits only deployments there.
func PlaceIn(file string, data []byte, region string) (*manifest.Manifest, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) != 1 {
		return nil, fmt.Errorf("%s: not one YAML document: %v", file, err)
	}
	placements := get(get(doc.Content[0], "profiles"), "placement")
	if placements == nil || placements.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: profiles.placement: missing; the manager sets region= on it", file)
	}
	for i := 1; i < len(placements.Content); i += 2 {
		pl := placements.Content[i]
		attrs := get(pl, "attributes")
		if attrs == nil {
			attrs = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			pl.Content = append(pl.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "attributes"}, attrs)
		}
		if v := get(attrs, dtypes.RegionKey); v != nil {
			v.Value, v.Tag, v.Style = region, "!!str", 0
			continue
		}
		attrs.Content = append(attrs.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: dtypes.RegionKey},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: region})
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	m, err := manifest.Parse(file, out)
	if err != nil {
		return nil, fmt.Errorf("%s placed in region %s: %w", file, region, err)
	}
	return m, nil
}

// get is the value of key in mapping n (nil when absent or n is not a mapping).
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
