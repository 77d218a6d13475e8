package scenarios

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/akash-market/akash/internal/yamlfile"
	"github.com/akash-market/akash/sim"
)

// Load reads a scenario file: YAML whose keys are sim.Scenario's (see
// docs/scenarios.md). filename only names the file in errors (and the
// scenario, when the file has no name key). overrides are --set
// "key.path=value" strings, applied in order on top of the file.
//
// Keys the file leaves out take their defaults (Defaults; each listed
// tenant and provider class takes the class defaults), then Validate
// checks the whole. On any problem Load returns Errors, every problem at once,
// each placed at file:line:col (or at its --set); it never panics.
func Load(filename string, data []byte, overrides []string) (*sim.Scenario, error) {
	sc, _, err := Check(filename, data, overrides)
	return sc, err
}

// Check is Load that also returns the scenario's warnings (Warnings:
// valid, but almost certainly a mistake, such as demand
// no provider can hold), placed like errors. `akash-sim run` and `scenario
// validate` print them.
func Check(filename string, data []byte, overrides []string) (sc *sim.Scenario, warnings Errors, err error) {
	defer func() {
		// The YAML library and reflection are not supposed to panic on any
		// input; if one does, it is still the file's error, not a crash.
		if r := recover(); r != nil {
			sc, warnings, err = nil, nil, Errors{{File: filename, Problem: fmt.Sprintf("cannot be read (%v)", r), Hint: "report this file as a bug"}}
		}
	}()
	d := newDecoder(filename)
	root, perr := yamlfile.ParseOne(filename, data, "scenario")
	if perr != nil {
		return nil, nil, Errors{*perr}
	}
	if root.Kind != yaml.MappingNode && !yamlfile.IsNull(root) {
		return nil, nil, Errors{{File: filename, Line: root.Line, Column: root.Column,
			Problem: "is " + yamlfile.KindName(root) + ", want a mapping of keys", Hint: "start with keys such as name:, duration:, market:"}}
	}
	if yamlfile.IsNull(root) {
		*root = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: root.Line, Column: root.Column}
	}
	hasName, hasDescription := hasKey(root, "name"), hasKey(root, "description")
	for _, o := range overrides {
		d.override(root, o)
	}
	out := Defaults()
	d.pos[""] = root
	d.decode(root, reflect.ValueOf(&out).Elem(), "")
	if !hasName && !hasKey(root, "name") && filename != "" {
		out.Name = strings.TrimSuffix(filepath.Base(filename), filepath.Ext(filename))
	}
	if !hasDescription && !hasKey(root, "description") {
		out.Description = ""
	}
	if d.budget < 0 {
		return nil, nil, d.errs
	}
	FillImplied(&out)
	resolveTraceFiles(&out, filename)
	d.checkTraceFiles(&out)
	if verr := Validate(&out); verr != nil {
		var ves sim.ValidationErrors
		if !errors.As(verr, &ves) {
			d.errs = append(d.errs, Error{File: filename, Problem: verr.Error()})
		}
		for _, fe := range ves {
			if d.reported(fe.Path) {
				continue
			}
			e := Error{File: filename, Path: fe.Path, Problem: fe.Problem, Hint: fe.Hint}
			d.place(&e)
			d.errs = append(d.errs, e)
		}
	}
	if len(d.errs) > 0 {
		return nil, nil, d.errs
	}
	for _, fe := range Warnings(&out) {
		w := Error{File: filename, Path: fe.Path, Problem: fe.Problem, Hint: fe.Hint}
		d.place(&w)
		warnings = append(warnings, w)
	}
	return &out, warnings, nil
}

func hasKey(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

// reported says whether a decoding problem was already reported at path or
// above it (a value that could not be read keeps its default, which Validate
// may then dislike: one report is enough).
func (d *decoder) reported(path string) bool {
	for p := path; ; p = parent(p) {
		if d.bad[p] {
			return true
		}
		if p == "" {
			return false
		}
	}
}

// place puts e where its author wrote the value at e.Path: on the --set
// that gave it (the override may have replaced only the value of a key the
// file has), else at the file's line of the key or its closest ancestor.
func (d *decoder) place(e *Error) {
	n := d.nearest(e.Path)
	if s, ok := d.set[d.vals[e.Path]]; ok {
		e.Set = s
	} else if s, ok := d.set[n]; ok {
		e.Set = s
	} else if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
}

// nearest is the node of path, or of its closest ancestor the file has.
func (d *decoder) nearest(path string) *yaml.Node {
	for p := path; ; p = parent(p) {
		if n, ok := d.pos[p]; ok {
			return n
		}
		if p == "" {
			return nil
		}
	}
}

// parent drops the last key or index of a path.
func parent(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// checkTraceFiles reads every trace_file the scenario uses, as a run would,
// so that a missing or malformed one fails here, placed at its key.
func (d *decoder) checkTraceFiles(sc *sim.Scenario) {
	for i := range sc.Tenants {
		a := &sc.Tenants[i].Arrival
		if a.Process != "trace" || a.TraceFile == "" {
			continue
		}
		if _, err := sim.ReadTrace(a.TraceFile); err != nil {
			path := fmt.Sprintf("tenants[%d].arrival.trace_file", i)
			e := Error{File: d.file, Path: path, Problem: "cannot be read: " + err.Error(),
				Hint: "name a file of arrival times (seconds from the start), one per line; a relative path is relative to the scenario file"}
			d.place(&e)
			d.bad[path] = true
			d.errs = append(d.errs, e)
		}
	}
}

// resolveTraceFiles makes a relative trace_file relative to the scenario
// file's folder, as a person reading the file expects, rather than to
// wherever the command happens to run. Absolute paths are left alone.
func resolveTraceFiles(sc *sim.Scenario, filename string) {
	dir := filepath.Dir(filename) // "." for a bare name: the path stays as written
	for i := range sc.Tenants {
		a := &sc.Tenants[i].Arrival
		if a.TraceFile != "" && !filepath.IsAbs(a.TraceFile) {
			a.TraceFile = filepath.Join(dir, a.TraceFile)
		}
	}
}
