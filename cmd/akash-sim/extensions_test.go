package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestExtensionsListsTheBuiltins: every built-in kind is listed with its
// defaults as scenario text, in text and in JSON.
func TestExtensionsListsTheBuiltins(t *testing.T) {
	out, errOut, code := run(t, "extensions")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"strategy (providers[].pricing)", "{strategy: undercut, undercut_bps: 100, min_margin_bps: 500, margin_bps: 2000}",
		"{kind: default, max_utilisation_bps: 10000}", "{kind: raise-on-miss, retries: 2, raise_bps: 2000}", "{kind: price-index, above: 1}"} {
		if !strings.Contains(out, want) {
			t.Errorf("extensions lacks %q:\n%s", want, out)
		}
	}
	out, _, code = run(t, "extensions", "--output", "json")
	var points []struct {
		What  string
		Kinds []struct{ Name, Defaults string }
	}
	if err := json.Unmarshal([]byte(out), &points); err != nil || code != 0 || len(points) != 4 || len(points[0].Kinds) < 4 {
		t.Fatalf("json (exit %d, %v): %s", code, err, out)
	}
}
