package yamlfile

import (
	"fmt"
	"strings"
)

// Error is one problem, placed where the person who wrote it can find it.
type Error struct {
	File         string // file name as given to the loader
	Line, Column int    // 1-based; 0 when the problem has no place in the file
	// Set is the --set override the problem came from ("" when it is the file's).
	Set string
	// Path is the key's path, e.g. providers[2].pricing.strategy.
	Path    string
	Problem string
	Hint    string // what would be right
}

// Error reads "file:line:col: path: problem; hint", or "--set k=v: path: …"
// for a problem in an override.
func (e Error) Error() string {
	var b strings.Builder
	switch {
	case e.Set != "":
		fmt.Fprintf(&b, "--set %s: ", e.Set)
	case e.Line > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	default:
		fmt.Fprintf(&b, "%s: ", e.File)
	}
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

// Lines prints a list of problems one per line, for the list types of the
// packages that use Error (each with its own errors.Is sentinel).
func Lines(es []Error) string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Suggest returns the allowed word closest to got, or "" when none is close
// enough to be a likely typo.
func Suggest(got string, allowed []string) string {
	best, bestD := "", len(got)/3+2
	for _, a := range allowed {
		if d := editDistance(strings.ToLower(got), a); d < bestD {
			best, bestD = a, d
		}
	}
	return best
}

// AllowedHint is the hint for an unknown key: a suggestion when one is close,
// then the keys allowed where it stands ("" for where means the top level).
func AllowedHint(got, where string, allowed []string) string {
	list := strings.Join(allowed, ", ")
	if where == "" {
		where = "the top level"
	}
	if s := Suggest(got, allowed); s != "" {
		return fmt.Sprintf("did you mean %q? keys allowed in %s: %s", s, where, list)
	}
	return fmt.Sprintf("keys allowed in %s: %s", where, list)
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
