package chainclient

import "testing"

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
