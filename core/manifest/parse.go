package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// parser holds what one Parse has read so far, with the YAML nodes that
// later cross-reference checks point at.
type parser struct {
	decoder
	version    string
	root       *yaml.Node
	services   map[string]*rawService
	svcOrder   []string
	profiles   map[string]*rawProfile
	placements map[string]*rawPlacement
	endpoints  map[string]*rawEndpoint
	deploys    []*rawDeploy // sorted by service, placement
	deployN    *yaml.Node
	servicesN  *yaml.Node
	teeOf      map[string]teeUse // placement → the tee kind its services use
}

// Parse reads an Akash SDL file (version "2.0" or "2.1"), validates it and
// compiles it. On invalid input it returns an ErrorList with every problem
// found. It never panics.
func Parse(filename string, data []byte) (m *Manifest, err error) {
	defer func() {
		// yaml.v3 is not ours; should it ever panic, the input is still just invalid.
		if r := recover(); r != nil {
			m, err = nil, ErrorList{{File: filename, Line: 0, Column: 0, Problem: fmt.Sprintf("YAML reader failed: %v", r),
				Hint: "check the file is plain YAML", Err: ErrSyntax}}
		}
	}()
	p := &parser{decoder: decoder{file: filename}, teeOf: map[string]teeUse{}}
	if u, isUTF16, problem := fromUTF16(data); isUTF16 {
		if problem != "" {
			p.errorf(&yaml.Node{Line: 1, Column: 1}, ErrSyntax, "", "save the file as UTF-8 (or as valid UTF-16 with its byte-order mark)", "%s", problem)
			return nil, p.errs
		}
		data = u
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))
		p.errorf(&yaml.Node{Line: line, Column: 1}, ErrSyntax, "", "save the file as UTF-8", "file is not valid UTF-8")
		return nil, p.errs
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.errs = append(p.errs, yamlError(filename, err))
		return nil, p.errs
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		p.errorf(&yaml.Node{Line: 1, Column: 1}, ErrStructure, "", `start with version: "2.0", then services, profiles and deployment`, "file is empty")
		return nil, p.errs
	}
	p.root = doc.Content[0]
	p.readTop()
	if !p.over {
		p.checkReferences() // also on a partly broken file: report every problem at once
	}
	p.settleDeferred(p.usedScopes())
	if len(p.errs) > 0 {
		sortErrors(p.errs)
		return nil, p.errs
	}
	m = p.compile()
	if len(p.errs) > 0 {
		sortErrors(p.errs)
		return nil, p.errs
	}
	m.canonical = encodeCanonical(m)
	m.akash = encodeAkashManifest(m)
	m.version = sha256.Sum256(m.akash)
	sortErrors(p.warns)
	m.warnings = p.warns
	return m, nil
}

// fromUTF16 converts a file that starts with a UTF-16 byte-order mark (as
// Windows editors write them) to UTF-8, as the YAML reader Akash uses does;
// line numbers are unchanged. isUTF16 is false for any other file; problem
// says why a UTF-16 file cannot be read.
func fromUTF16(data []byte) (out []byte, isUTF16 bool, problem string) {
	if len(data) < 2 {
		return nil, false, ""
	}
	var order binary.ByteOrder
	switch {
	case data[0] == 0xFF && data[1] == 0xFE:
		order = binary.LittleEndian
	case data[0] == 0xFE && data[1] == 0xFF:
		order = binary.BigEndian
	default:
		return nil, false, ""
	}
	data = data[2:]
	if len(data)%2 != 0 {
		return nil, true, "UTF-16 file has an odd number of bytes"
	}
	out = make([]byte, 0, len(data)/2+len(data)/4)
	for i := 0; i < len(data); i += 2 {
		r := rune(order.Uint16(data[i:]))
		if utf16.IsSurrogate(r) {
			var r2 rune = utf8.RuneError
			if i+3 < len(data) {
				r2 = rune(order.Uint16(data[i+2:]))
			}
			if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
				line := 1 + bytes.Count(out, []byte("\n"))
				return nil, true, fmt.Sprintf("UTF-16 file has an unpaired surrogate on line %d", line)
			}
			i += 2
		}
		out = utf8.AppendRune(out, r)
	}
	return out, true, ""
}

// usedScopes names every service, compute profile and placement that a
// deployment uses, as decoder scopes.
func (p *parser) usedScopes() map[string]bool {
	used := map[string]bool{}
	for _, d := range p.deploys {
		used[scopeService+" "+strconv.Quote(d.service)] = true
		used[scopeProfile+" "+strconv.Quote(d.Profile)] = true
		used[scopePlacement+" "+strconv.Quote(d.Placement)] = true
	}
	return used
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// yamlError turns yaml.v3's "yaml: line N: msg" into a FieldError.
func yamlError(file string, err error) *FieldError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			if _, e := fmt.Sscanf(rest[:i], "%d", &line); e == nil {
				msg = strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return &FieldError{File: file, Line: line, Column: 0, Problem: "not valid YAML: " + msg,
		Hint: "fix the YAML syntax (indentation, quotes, ':' after keys)", Err: ErrSyntax}
}

func sortErrors(l ErrorList) {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Problem < b.Problem
	})
}

const topKeys = "version, services, profiles, deployment, endpoints"

func (p *parser) readTop() {
	ps, ok := p.mapping(p.root, "", `a manifest is a mapping with `+topKeys)
	if !ok {
		return
	}
	var versionSeen, servicesSeen, profilesSeen, deploySeen bool
	var profilesN *yaml.Node
	p.dispatch(ps, "", keyset{
		"version": func(x pair) { versionSeen = true; p.readVersion(x) },
		"services": func(x pair) {
			servicesSeen = true
			p.servicesN = x.keyN
			p.readServices(x.value)
		},
		"profiles": func(x pair) { profilesSeen = true; profilesN = x.keyN; p.readProfiles(x.value) },
		"deployment": func(x pair) {
			deploySeen = true
			p.deployN = x.keyN
			p.readDeployment(x.value)
		},
		"endpoints": func(x pair) { p.readEndpoints(x.value) },
		"include": func(x pair) {
			p.errorf(x.keyN, ErrUnknownKey, "include", "inline the included content", "include is not supported")
		},
		"reclamation": func(x pair) {
			p.errorf(x.keyN, ErrUnknownKey, "reclamation", "remove it", "reclamation is not supported by this market")
		},
	}, true, topKeys)
	at := p.root
	if !versionSeen {
		p.errorf(at, ErrVersion, "version", `add version: "2.0" (or "2.1") at the top`, "no version")
	}
	if !servicesSeen {
		p.errorf(at, ErrStructure, "services", "add a services mapping: name → image, expose, ...", "no services")
	}
	if !profilesSeen {
		p.errorf(at, ErrStructure, "profiles", "add profiles.compute and profiles.placement", "no profiles")
	} else if profilesN != nil {
		if p.profiles == nil {
			p.errorf(profilesN, ErrStructure, "profiles.compute", "define at least one compute profile", "no compute profiles")
		}
		if p.placements == nil {
			p.errorf(profilesN, ErrStructure, "profiles.placement", "define at least one placement with pricing", "no placement profiles")
		}
	}
	if !deploySeen {
		p.errorf(at, ErrStructure, "deployment", "add deployment: <service>: <placement>: {profile: <compute profile>, count: 1}", "no deployment")
	} else if len(p.deploys) == 0 && len(p.errs) == 0 {
		p.errorf(p.deployN, ErrStructure, "deployment", "add <service>: <placement>: {profile: <compute profile>, count: 1}", "deployment places no service, so there is nothing to order")
	}
}

// readVersion reads the version as Akash does (blang/semver ParseTolerant:
// spaces and a leading "v" trimmed, leading zeros dropped, missing parts
// 0): 2.0.0 (build metadata aside) is SDL 2.0, and 2.1.0 up to below 2.2.0
// is 2.1. Akash reads every version from 2.1.0 up as 2.1 ("2.2", "3.0");
// this parser refuses those.
func (p *parser) readVersion(x pair) {
	s, n, ok := p.scalar(x.value, "version", "")
	if !ok {
		return
	}
	major, minor, patch, pre, valid := tolerantSemver(s)
	switch {
	case valid && major == 2 && minor == 0 && patch == 0 && pre == "":
		p.version = "2.0"
	case valid && major == 2 && minor == 1 && (patch > 0 || pre == ""):
		p.version = "2.1"
	default:
		p.errorf(n, ErrVersion, "version", `use "2.0" or "2.1"`, "version %q is not supported", s)
	}
}

// tolerantSemver parses major.minor.patch[-prerelease][+build] the way
// blang/semver's ParseTolerant does.
func tolerantSemver(s string) (major, minor, patch uint64, pre string, ok bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.SplitN(s, ".", 3)
	for i, q := range parts {
		if len(q) > 1 {
			q = strings.TrimLeft(q, "0")
			if q == "" || q[0] < '0' || q[0] > '9' {
				q = "0" + q
			}
			parts[i] = q
		}
	}
	if len(parts) < 3 {
		if strings.ContainsAny(parts[len(parts)-1], "+-") {
			return 0, 0, 0, "", false
		}
		for len(parts) < 3 {
			parts = append(parts, "0")
		}
	}
	last, build, hasBuild := strings.Cut(parts[2], "+")
	last, pre, hasPre := strings.Cut(last, "-")
	parts[2] = last
	for _, q := range []struct {
		text string
		set  bool
	}{{pre, hasPre}, {build, hasBuild}} {
		if q.set && (q.text == "" || strings.Trim(q.text, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-.") != "") {
			return 0, 0, 0, "", false
		}
	}
	var nums [3]uint64
	for i, q := range parts {
		if q == "" || !allDigits(q) || len(q) > 1 && q[0] == '0' {
			return 0, 0, 0, "", false
		}
		v, err := strconv.ParseUint(q, 10, 64)
		if err != nil {
			return 0, 0, 0, "", false
		}
		nums[i] = v
	}
	return nums[0], nums[1], nums[2], pre, true
}
