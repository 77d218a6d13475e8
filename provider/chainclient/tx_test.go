package chainclient

import (
	"strings"
	"testing"
	"unicode/utf8"

	mtypes "github.com/akash-market/akash/node/x/market/types"
)

// The SDK's logs the client reads: which message of a batch failed, and
// which sequence the node expects.
func TestTxLogParsing(t *testing.T) {
	for _, c := range []struct {
		log      string
		index    int
		expected string
	}{
		{"failed to execute message; message index: 3: order akash1x/5/1/1 is not taking bids at this height", 3, ""},
		{"failed to execute message; message index: 0: provider already bid on this order", 0, ""},
		{"account sequence mismatch, expected 17, got 15: incorrect account sequence", -1, "17"},
		{"insufficient fees; got: 0uakt required: 500uakt: insufficient fee", -1, ""},
		{"message index: x", -1, ""},
	} {
		if got := msgIndex(c.log); got != c.index {
			t.Errorf("msgIndex(%q) = %d, want %d", c.log, got, c.index)
		}
		m := reExpectedSeq.FindStringSubmatch(c.log)
		got := ""
		if m != nil {
			got = m[1]
		}
		if got != c.expected {
			t.Errorf("expected sequence in %q = %q, want %q", c.log, got, c.expected)
		}
	}
}

// TestCloseDetail: a close's detail longer than the chain keeps (a refused
// manifest's cause can be long) is cut to fit, at a rune boundary, so the
// close is not refused; a short one is unchanged.
func TestCloseDetail(t *testing.T) {
	long := strings.Repeat("é", 200) // 400 bytes
	for _, tc := range []struct {
		in      string
		wantLen int
	}{
		{"image x missing", len("image x missing")},
		{strings.Repeat("a", mtypes.MaxCloseDetail), mtypes.MaxCloseDetail},
		{strings.Repeat("a", mtypes.MaxCloseDetail+1), mtypes.MaxCloseDetail},
		{long, mtypes.MaxCloseDetail - 1}, // 253 bytes would split an é: cut at 252
	} {
		got := CloseDetail(tc.in)
		if len(got) != tc.wantLen || !utf8.ValidString(got) {
			t.Errorf("CloseDetail(%d bytes) = %d bytes (valid UTF-8: %v), want %d", len(tc.in), len(got), utf8.ValidString(got), tc.wantLen)
		}
		if len(tc.in) > mtypes.MaxCloseDetail && !strings.HasSuffix(got, "...") {
			t.Errorf("a cut detail does not end with ...: %q", got)
		}
	}
}
