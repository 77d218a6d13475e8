package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/akash-market/akash/internal/yamlfile"
	"github.com/akash-market/akash/sim"
)

// A metric is a path into summary.json: keys joined by dots, list items by
// [i] (orders.fill_rate, time_to_lease_seconds.p90, utilisation.by_region.eu).
// Its value must be a number, or a string holding one (exact money amounts
// such as providers.revenue are decimal strings).

// summaryShape is summary.json of a zero summary: the keys every run has.
var summaryShape = sync.OnceValue(func() map[string]any {
	b, err := json.Marshal(sim.Summary{})
	if err != nil {
		panic("sweep: sim.Summary does not encode: " + err.Error())
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic("sweep: sim.Summary does not decode: " + err.Error())
	}
	return m
})

// checkMetric says what is wrong with a metric path ("" when it may exist).
// Keys of structs are checked with did-you-mean; under a map (which a zero
// summary leaves empty) or an open value (inputs, tiers) anything goes.
func checkMetric(path string) (problem, hint string) {
	segs, err := metricPath(path)
	if err != nil {
		return err.Error(), "write keys joined by dots, e.g. orders.fill_rate"
	}
	var cur any = summaryShape()
	walked := ""
	for _, s := range segs {
		obj, ok := cur.(map[string]any)
		if !ok || len(obj) == 0 {
			if !ok && cur != nil {
				return fmt.Sprintf("%s is a single value; it has no key %q", walked, s), "end the path at " + walked
			}
			return "", "" // a map or an open value: checked when aggregating
		}
		next, ok := obj[s]
		if !ok {
			keys := make([]string, 0, len(obj))
			for k := range obj {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			where := walked
			if where == "" {
				where = "summary.json"
			}
			return fmt.Sprintf("summary.json has no key %q", join(walked, s)), yamlfile.AllowedHint(s, where, keys)
		}
		cur, walked = next, join(walked, s)
	}
	switch cur.(type) {
	case float64, string:
		return "", ""
	case map[string]any:
		return fmt.Sprintf("%s is a group of figures, not one number", path), "name one of its keys, e.g. " + path + ".<key>"
	}
	return "", ""
}

// metricPath splits a.b[2].c into "a", "b", "[2]", "c".
func metricPath(path string) ([]string, error) {
	if path == "" {
		return nil, fmt.Errorf("empty metric")
	}
	var segs []string
	for _, part := range strings.Split(path, ".") {
		if part == "" {
			return nil, fmt.Errorf("metric %q has an empty key", path)
		}
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			segs = append(segs, key)
		}
		for rest != "" {
			idx, after, ok := strings.Cut(rest, "]")
			if _, err := strconv.Atoi(idx); !ok || err != nil {
				return nil, fmt.Errorf("metric %q has a bad index", path)
			}
			segs = append(segs, "["+idx+"]")
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return segs, nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	if strings.HasPrefix(b, "[") {
		return a + b
	}
	return a + "." + b
}

// decodeSummary reads summary.json keeping numbers exact until asked.
func decodeSummary(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// metricValue reads one metric from a decoded summary.
func metricValue(summary map[string]any, path string) (float64, error) {
	segs, err := metricPath(path)
	if err != nil {
		return 0, err
	}
	var cur any = summary
	for _, s := range segs {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[s]
			if !ok {
				return 0, fmt.Errorf("%w: %s: no key %q", ErrMetric, path, s)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(strings.Trim(s, "[]"))
			if err != nil || !strings.HasPrefix(s, "[") || i >= len(v) {
				return 0, fmt.Errorf("%w: %s: no item %s in a list of %d", ErrMetric, path, s, len(v))
			}
			cur = v[i]
		default:
			return 0, fmt.Errorf("%w: %s: %s is inside a single value", ErrMetric, path, s)
		}
	}
	switch v := cur.(type) {
	case json.Number:
		return strconv.ParseFloat(string(v), 64)
	case string:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %s is %q, not a number", ErrMetric, path, v)
		}
		return f, nil
	}
	return 0, fmt.Errorf("%w: %s is not a number", ErrMetric, path)
}
