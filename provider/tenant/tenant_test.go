package tenant

import (
	"testing"
	"time"
)

// The client's own logic; its chain and gateway calls run end to end in
// provider/e2e (chainclient needs a node's RPC, which node/apptest does not
// serve).

func TestGatewayError(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"error":"manifest version mismatch"}`, "manifest version mismatch"},
		{`{"error":""}`, `{"error":""}`},
		{"  plain text from a proxy\n", "plain text from a proxy"},
		{`{"other":1}`, `{"other":1}`},
		{"", ""},
	} {
		if got := gatewayError([]byte(tc.body)); got != tc.want {
			t.Errorf("gatewayError(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestPoll(t *testing.T) {
	for _, tc := range []struct{ set, want time.Duration }{
		{0, 500 * time.Millisecond},
		{2 * time.Second, 2 * time.Second},
	} {
		if got := (&Client{Poll: tc.set}).poll(); got != tc.want {
			t.Errorf("Poll %s: poll() = %s, want %s", tc.set, got, tc.want)
		}
	}
}

func TestTimings(t *testing.T) {
	got := Timings{Cert: 1500 * time.Microsecond, CreateTx: time.Second, Match: 12 * time.Second,
		Manifest: 40 * time.Millisecond, Running: 3 * time.Second, Total: 16541500 * time.Microsecond}.String()
	want := "total 16.542s: certificate 2ms, create tx 1s, waiting for the match 12s, manifest 40ms, until running 3s"
	if got != want {
		t.Errorf("Timings.String() = %q, want %q", got, want)
	}
}
