package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// encodeSummary is summary.json: two-space indentation, keys in struct field
// order, no HTML escaping ("<" stays "<"), a final newline.
func encodeSummary(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("%w: %v (NaN and ±Inf have no JSON form: use a pointer with omitempty, or a string)", ErrSummary, err)
	}
	return buf.Bytes(), nil
}

// jnode is a JSON value that keeps object keys in document order, which
// map[string]any would lose.
type jnode struct {
	keys   []string
	vals   []*jnode // object members, parallel to keys
	items  []*jnode // array elements
	isObj  bool
	isArr  bool
	scalar string // raw text of a number, string contents, true/false/null
	isStr  bool
}

func parseOrdered(data []byte) (*jnode, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return parseValue(dec)
}

func parseValue(dec *json.Decoder) (*jnode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &jnode{isObj: t == '{', isArr: t == '['}
		for dec.More() {
			if n.isObj {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, kt.(string))
			}
			v, err := parseValue(dec)
			if err != nil {
				return nil, err
			}
			if n.isObj {
				n.vals = append(n.vals, v)
			} else {
				n.items = append(n.items, v)
			}
		}
		if _, err := dec.Token(); err != nil { // closing delimiter
			return nil, err
		}
		return n, nil
	case string:
		return &jnode{scalar: t, isStr: true}, nil
	case json.Number:
		return &jnode{scalar: t.String()}, nil
	case bool:
		return &jnode{scalar: strconv.FormatBool(t)}, nil
	case nil:
		return &jnode{scalar: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// kvRow is one line of the key figures table: a dotted key, the value as
// shown, and the exact value when the shown one is shortened.
type kvRow struct {
	Key, Value, Exact string
	Unit              string // from Run.Units; "" when it has none
}

// kvSection groups rows under a top-level key of the summary.
type kvSection struct {
	Name string
	Rows []kvRow
	// Open: small sections start unfolded in the HTML, big ones (a scenario
	// echo with hundreds of keys) folded.
	Open bool
}

// maxArrayRows: longer arrays are summarised as one row pointing to
// summary.json; a page of 10,000 per-provider numbers helps nobody.
const maxArrayRows = 16

const openSectionRows = 40

// flattenSummary turns summary JSON into sections: scalars at the top level
// form "overview", each top-level object or array its own section with keys
// dotted below it (a.b.c) and array elements indexed (a[0].b).
func flattenSummary(data []byte) ([]kvSection, error) {
	root, err := parseOrdered(data)
	if err != nil {
		return nil, err
	}
	if !root.isObj {
		s := kvSection{Name: "summary", Open: true}
		flattenInto(&s.Rows, "value", root)
		return []kvSection{s}, nil
	}
	overview := kvSection{Name: "overview", Open: true}
	var sections []kvSection
	for i, k := range root.keys {
		v := root.vals[i]
		if !v.isObj && !v.isArr {
			flattenInto(&overview.Rows, k, v)
			continue
		}
		s := kvSection{Name: k}
		flattenInto(&s.Rows, "", v)
		if len(s.Rows) == 1 && (v.isArr || s.Rows[0].Key == "") {
			// A list or object that fits one row (short and plain, empty,
			// or summarised) joins the overview rather than making a
			// section of one row.
			r := s.Rows[0]
			switch {
			case r.Key == "":
				r.Key = k
			case strings.HasPrefix(r.Key, "["):
				r.Key = k + r.Key
			default:
				r.Key = k + "." + r.Key
			}
			overview.Rows = append(overview.Rows, r)
			continue
		}
		s.Open = len(s.Rows) <= openSectionRows
		sections = append(sections, s)
	}
	if len(overview.Rows) > 0 {
		sections = append([]kvSection{overview}, sections...)
	}
	return sections, nil
}

func flattenInto(rows *[]kvRow, key string, n *jnode) {
	join := func(k string) string {
		if key == "" {
			return k
		}
		return key + "." + k
	}
	switch {
	case n.isObj:
		if len(n.keys) == 0 {
			*rows = append(*rows, kvRow{Key: key, Value: "{}"})
		}
		for i, k := range n.keys {
			flattenInto(rows, join(k), n.vals[i])
		}
	case n.isArr:
		if len(n.items) == 0 || len(n.items) > maxArrayRows {
			*rows = append(*rows, kvRow{Key: key, Value: fmt.Sprintf("[%d items; see summary.json]", len(n.items))})
			return
		}
		if allScalar(n.items) {
			// A short list of plain values reads best on one line.
			shown, exact := make([]string, len(n.items)), make([]string, len(n.items))
			for i, it := range n.items {
				shown[i], exact[i] = displayScalar(it), it.scalar
			}
			row := kvRow{Key: key, Value: strings.Join(shown, ", ")}
			if e := strings.Join(exact, ", "); e != row.Value {
				row.Exact = e
			}
			*rows = append(*rows, row)
			return
		}
		for i, it := range n.items {
			flattenInto(rows, fmt.Sprintf("%s[%d]", key, i), it)
		}
	default:
		shown := displayScalar(n)
		row := kvRow{Key: key, Value: shown}
		if shown != n.scalar {
			row.Exact = n.scalar
		}
		*rows = append(*rows, row)
	}
}

var plainDecimal = regexp.MustCompile(`^-?[0-9]+\.[0-9]+$`)

// displayScalar shortens a value for reading, never changing what it says
// beyond rounding floats to six significant digits: decimal strings (money)
// lose trailing zeros only, integers stay as they are.
func displayScalar(n *jnode) string {
	s := n.scalar
	if n.isStr {
		if plainDecimal.MatchString(s) {
			s = strings.TrimRight(s, "0")
			s = strings.TrimSuffix(s, ".")
		}
		return s
	}
	if s == "true" || s == "false" || s == "null" || !strings.ContainsAny(s, ".eE") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return formatFloat(f)
}

// formatFloat prints six significant digits, in plain notation from 1e-4 to
// 1e15 and scientific outside it.
func formatFloat(f float64) string {
	a := math.Abs(f)
	if a == 0 || (a >= 1e-4 && a < 1e15) {
		decimals := 0
		if a > 0 {
			decimals = max(0, 5-int(math.Floor(math.Log10(a))))
		}
		s := strconv.FormatFloat(f, 'f', decimals, 64)
		if strings.Contains(s, ".") {
			s = strings.TrimRight(s, "0")
			s = strings.TrimSuffix(s, ".")
		}
		return s
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

func allScalar(ns []*jnode) bool {
	for _, n := range ns {
		if n.isObj || n.isArr {
			return false
		}
	}
	return true
}
