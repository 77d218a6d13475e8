package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/akash-market/akash/node/x/deployment/types"
)

// GroupDiffs lists what differs between a deployment's group on chain and
// the manifest's, one "field: chain value on chain, manifest value in the
// manifest" per leaf field (e.g. resources[0].price.amount), sorted.
func GroupDiffs(onChain, manifest types.GroupSpec) []string {
	a, b := flatten(onChain), flatten(manifest)
	var out []string
	for k, va := range a {
		if vb, ok := b[k]; !ok {
			out = append(out, fmt.Sprintf("%s: %s on chain, absent in the manifest", k, va))
		} else if va != vb {
			out = append(out, fmt.Sprintf("%s: %s on chain, %s in the manifest", k, va, vb))
		}
	}
	for k, vb := range b {
		if _, ok := a[k]; !ok {
			out = append(out, fmt.Sprintf("%s: absent on chain, %s in the manifest", k, vb))
		}
	}
	slices.Sort(out)
	return out
}

// flatten maps each leaf of v's JSON form to its value.
func flatten(v any) map[string]string {
	out := map[string]string{}
	bz, err := json.Marshal(v)
	if err != nil {
		out[""] = err.Error()
		return out
	}
	var tree any
	_ = json.Unmarshal(bz, &tree)
	var walk func(path string, n any)
	walk = func(path string, n any) {
		switch n := n.(type) {
		case map[string]any:
			for k, c := range n {
				walk(strings.TrimPrefix(path+"."+k, "."), c)
			}
		case []any:
			for i, c := range n {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		default:
			out[path] = fmt.Sprint(n)
		}
	}
	walk("", tree)
	return out
}
