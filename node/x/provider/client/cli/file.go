package cli

import (
	"fmt"
	"os"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/node/x/provider/types"
)

// providerFile is a provider's registration in a file: Akash's provider.yaml
// (host, attributes as a list of key/value, info) or the daemon's config
// (host-uri, attributes as a map); other keys of the daemon's config (pools,
// pricing, ...) are ignored here.
type providerFile struct {
	Host       string    `yaml:"host"`
	HostURI    string    `yaml:"host-uri"`
	Attributes yaml.Node `yaml:"attributes"`
	Info       struct {
		Email   string `yaml:"email"`
		Website string `yaml:"website"`
	} `yaml:"info"`
}

// ReadProviderFile reads host URI, attributes and info from path.
func ReadProviderFile(path string) (host string, attrs []types.Attribute, info types.Info, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, info, err
	}
	var f providerFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return "", nil, info, fmt.Errorf("%s: %w", path, err)
	}
	if f.Host != "" && f.HostURI != "" && f.Host != f.HostURI {
		return "", nil, info, fmt.Errorf("%s: host %q and host-uri %q differ; give one", path, f.Host, f.HostURI)
	}
	host = f.Host
	if host == "" {
		host = f.HostURI
	}
	n := &f.Attributes
	switch n.Kind {
	case 0:
	case yaml.SequenceNode: // Akash: - key: region\n  value: us-west
		for i, item := range n.Content {
			var kv struct{ Key, Value string }
			if err := item.Decode(&kv); err != nil || kv.Key == "" {
				return "", nil, info, fmt.Errorf("%s:%d:%d: attributes[%d]: want {key: ..., value: ...}", path, item.Line, item.Column, i)
			}
			attrs = append(attrs, types.Attribute{Key: kv.Key, Value: kv.Value})
		}
	case yaml.MappingNode: // the daemon's config: {region: us-west}
		for i := 0; i+1 < len(n.Content); i += 2 {
			attrs = append(attrs, types.Attribute{Key: n.Content[i].Value, Value: n.Content[i+1].Value})
		}
		slices.SortFunc(attrs, func(a, b types.Attribute) int {
			if a.Key < b.Key {
				return -1
			}
			if a.Key > b.Key {
				return 1
			}
			return 0
		})
	default:
		return "", nil, info, fmt.Errorf("%s:%d:%d: attributes: want a list of {key, value} or a map of key: value", path, n.Line, n.Column)
	}
	return host, attrs, types.Info{Email: f.Info.Email, Website: f.Info.Website}, nil
}
