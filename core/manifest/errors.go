package manifest

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every FieldError wraps exactly one of them, so a caller can
// ask errors.Is(err, ErrUnits) of an ErrorList (which matches if any entry does).
var (
	ErrSyntax     = errors.New("manifest: not valid YAML")
	ErrStructure  = errors.New("manifest: wrong shape") // a mapping where a list belongs, a missing key, ...
	ErrVersion    = errors.New("manifest: unsupported version")
	ErrUnits      = errors.New("manifest: bad quantity")
	ErrLimit      = errors.New("manifest: outside network limits")
	ErrReference  = errors.New("manifest: reference to something undefined")
	ErrDuplicate  = errors.New("manifest: duplicate")
	ErrName       = errors.New("manifest: invalid name")
	ErrPrice      = errors.New("manifest: bad price")
	ErrExpose     = errors.New("manifest: bad expose")
	ErrStorage    = errors.New("manifest: bad storage")
	ErrGPU        = errors.New("manifest: bad gpu")
	ErrUnknownKey = errors.New("manifest: unknown key")
)

// FieldError is one problem in a manifest: where it is, what is wrong and what
// would be right.
type FieldError struct {
	File    string
	Line    int // 1-based; 0 when the problem has no single place (e.g. an empty file)
	Column  int
	Path    string // e.g. profiles.compute.web.resources.memory.size
	Problem string // what is wrong
	Hint    string // what would be right
	Err     error  // the sentinel it belongs to
}

// Error prints file:line:col: path: problem; hint.
func (e *FieldError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// ErrorList is every problem Parse found, in file order.
type ErrorList []*FieldError

// Error prints one problem per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As see every entry.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}
