package sweep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/internal/yamlfile"
)

// A sample draws points of continuous parameters instead of listing them:
//
//	sample:
//	  method: latin-hypercube     # or uniform
//	  count: 20                   # points
//	  seed: 7                     # the draw's own seed (default 1)
//	  params:
//	    market.take_rate_bps: {min: 0, max: 1000, integer: true}
//	    providers[0].pricing.margin_bps: {min: 500, max: 4000, integer: true}
//	    tenants[0].valuation.mean: {min: 1.1, max: 2.5}
//
// The points are drawn when the spec is read, from the sample's seed only,
// and stored in plan.json like a grid's: every shard of the sweep plans the
// same points, and the plan's hash covers them.

var sampleKeys = []string{"method", "count", "seed", "params"}

// SampleMethods are the ways a sample draws its points.
var SampleMethods = []string{"latin-hypercube", "uniform"}

const maxSampleCount = 100_000

type sampleParam struct {
	key     string
	lo, hi  float64
	integer bool
	at      *yaml.Node
}

func (r *specReader) sample(p *Plan, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		r.fail(n, "sample", "want a mapping", "write sample: {method: latin-hypercube, count: 20, params: {market.take_rate_bps: {min: 0, max: 1000}}}")
		return
	}
	method, count, seed := "latin-hypercube", 0, uint64(1)
	var params []sampleParam
	var countNode, paramsNode *yaml.Node
	r.mapping(n, "sample", func(k, v *yaml.Node) {
		switch k.Value {
		case "method":
			method = r.text(v, "sample.method")
			if method != "" && !slices.Contains(SampleMethods, method) {
				r.fail(v, "sample.method", fmt.Sprintf("%q is not a sampling method", method), "use one of "+strings.Join(SampleMethods, ", "))
			}
		case "count":
			countNode = v
			count = r.integer(v, "sample.count", 1, maxSampleCount)
		case "seed":
			s := r.text(v, "sample.seed")
			x, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				r.fail(v, "sample.seed", fmt.Sprintf("%q is not a seed", s), "write a whole number from 0 to 18446744073709551615")
			}
			seed = x
		case "params":
			paramsNode = v
			r.mapping(v, "sample.params", func(pk, pv *yaml.Node) {
				if sp, ok := r.sampleParam(pk, pv); ok {
					params = append(params, sp)
				}
			})
		default:
			r.fail(k, "sample."+k.Value, "unknown key", yamlfile.AllowedHint(k.Value, "sample", sampleKeys))
		}
	})
	if countNode == nil {
		r.fail(n, "sample.count", "is missing", "say how many points to draw, e.g. count: 20")
	}
	if paramsNode == nil || len(params) == 0 && len(r.errs) == 0 {
		r.fail(n, "sample.params", "is missing or empty", "give each parameter its bounds, e.g. params: {market.take_rate_bps: {min: 0, max: 1000, integer: true}}")
	}
	if len(r.errs) > 0 || count == 0 {
		return
	}
	for _, sp := range params {
		p.Params = append(p.Params, sp.key)
	}
	u := drawUnit(method, count, len(params), seed)
	seen := map[string]int{}
	for i := 0; i < count; i++ {
		vals := make([]string, len(params))
		for j, sp := range params {
			x := sp.lo + u[i][j]*(sp.hi-sp.lo)
			if sp.integer {
				vals[j] = strconv.FormatInt(int64(math.Floor(x)), 10)
			} else {
				// Six significant digits read well and are exact in YAML.
				vals[j] = strconv.FormatFloat(x, 'g', 6, 64)
			}
		}
		key := strings.Join(vals, "\x00")
		if first, dup := seen[key]; dup {
			r.fail(countNode, "sample.count", fmt.Sprintf("draws the same point twice (points %d and %d: %s)", first, i, strings.Join(vals, ", ")),
				"an integer parameter has fewer values than count: widen its bounds or lower count")
			return
		}
		seen[key] = i
		p.Points = append(p.Points, Point{Values: vals})
	}
}

func (r *specReader) sampleParam(k, v *yaml.Node) (sampleParam, bool) {
	path := "sample.params." + k.Value
	if k.Kind != yaml.ScalarNode || k.Value == "" || strings.ContainsAny(k.Value, "= ") {
		r.fail(k, path, "a key must be a --set path without '=' or spaces", "write market.take_rate_bps or providers[0].count")
		return sampleParam{}, false
	}
	sp := sampleParam{key: k.Value, at: v}
	if v.Kind != yaml.MappingNode {
		r.fail(v, path, "want bounds", "write {min: 0, max: 1000} (add integer: true for a whole-number key)")
		return sp, false
	}
	var haveLo, haveHi bool
	ok := true
	r.mapping(v, path, func(bk, bv *yaml.Node) {
		switch bk.Value {
		case "min", "max":
			s := r.text(bv, path+"."+bk.Value)
			x, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				r.fail(bv, path+"."+bk.Value, fmt.Sprintf("%q is not a finite number", s), "")
				ok = false
				return
			}
			if bk.Value == "min" {
				sp.lo, haveLo = x, true
			} else {
				sp.hi, haveHi = x, true
			}
		case "integer":
			switch s := r.text(bv, path+".integer"); s {
			case "true":
				sp.integer = true
			case "false":
			default:
				r.fail(bv, path+".integer", fmt.Sprintf("%q is not true or false", s), "")
				ok = false
			}
		default:
			r.fail(bk, path+"."+bk.Value, "unknown key", yamlfile.AllowedHint(bk.Value, path, []string{"min", "max", "integer"}))
			ok = false
		}
	})
	switch {
	case !haveLo || !haveHi:
		r.fail(v, path, "needs both min and max", "write {min: 0, max: 1000}")
		ok = false
	case ok && !(sp.hi > sp.lo):
		r.fail(v, path, fmt.Sprintf("max %v is not above min %v", sp.hi, sp.lo), "a constant belongs under set:, not sample:")
		ok = false
	case ok && sp.integer:
		// Whole numbers lo..hi, each drawn from an equal share of [lo, hi+1).
		sp.lo, sp.hi = math.Ceil(sp.lo), math.Floor(sp.hi)+1
	}
	return sp, ok
}

// drawUnit draws count points in the unit cube of dim dimensions, from seed
// alone. latin-hypercube: each dimension's [0,1) is cut into count equal
// strata and every stratum holds exactly one point, in an independent random
// order per dimension (McKay, Beckman & Conover 1979); uniform: independent
// uniform draws.
func drawUnit(method string, count, dim int, seed uint64) [][]float64 {
	out := make([][]float64, count)
	for i := range out {
		out[i] = make([]float64, dim)
	}
	for j := 0; j < dim; j++ {
		rnd := rand.New(rand.NewPCG(seed, uint64(j)+1))
		if method == "uniform" {
			for i := range out {
				out[i][j] = rnd.Float64()
			}
			continue
		}
		perm := rnd.Perm(count)
		for i := range out {
			out[i][j] = (float64(perm[i]) + rnd.Float64()) / float64(count)
		}
	}
	return out
}
