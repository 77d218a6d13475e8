package devnet

import (
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// TestValidateHost: validators listen on --host and peers dial it, so it is
// one interface's address, never a wildcard or a name.
func TestValidateHost(t *testing.T) {
	for _, tc := range []struct {
		host string
		want string // "" = accepted
	}{
		{"", ""}, // the default, 127.0.0.1
		{"127.0.0.1", ""},
		{"172.30.0.1", ""},
		{"::1", ""},
		{"0.0.0.0", "--host \"0.0.0.0\""},
		{"::", "--host \"::\""},
		{"localhost", "--host \"localhost\""},
		{"10.0.0.1:26657", "--host \"10.0.0.1:26657\""},
	} {
		t.Run(tc.host, func(t *testing.T) {
			// The bond denom is the app's (uakt) only once the app set it.
			err := Config{Home: t.TempDir(), Host: tc.host, Fund: "1000000000000" + sdk.DefaultBondDenom}.WithDefaults().Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "not 0.0.0.0") {
				t.Fatalf("error %v, want one naming %s and saying what is right", err, tc.want)
			}
		})
	}
}

// TestMarketParamsFlags: --matching and --bid-timeout are checked before
// anything is created and land in the market's genesis params; a wrong
// value names the flag and what is accepted.
func TestMarketParamsFlags(t *testing.T) {
	base := Config{Fund: "1000000000000" + sdk.DefaultBondDenom}
	for _, tc := range []struct {
		matching string
		timeout  int64
		want     string // "" = accepted
	}{
		{"", 0, ""},
		{"auto", 0, ""},
		{"tenant", 20, ""},
		{"Tenant", 0, ""},
		{"cheapest", 0, "--matching"},
		{"tenant", -1, "--bid-timeout -1"},
	} {
		c := base
		c.Home, c.Matching, c.BidTimeout = t.TempDir(), tc.matching, tc.timeout
		err := c.WithDefaults().Validate()
		if tc.want == "" && err != nil {
			t.Errorf("%q/%d refused: %v", tc.matching, tc.timeout, err)
		}
		if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%q/%d: error %v, want one naming %s", tc.matching, tc.timeout, err, tc.want)
		}
	}

	state := map[string]json.RawMessage{"market": json.RawMessage(`{"params":{"bid_window_blocks":"5","matching":"auto","bid_timeout_blocks":"50","sealed_bids":"tenant"}}`)}
	if err := setMarketParams(state, Config{Matching: "Tenant", BidTimeout: 20}); err != nil {
		t.Fatal(err)
	}
	const want = `{"params":{"bid_timeout_blocks":"20","bid_window_blocks":"5","matching":"tenant","sealed_bids":"tenant"}}`
	if string(state["market"]) != want {
		t.Fatalf("market genesis %s, want %s", state["market"], want)
	}
	old := map[string]json.RawMessage{"market": json.RawMessage(`{"params":{"bid_window_blocks":"5"}}`)}
	if err := setMarketParams(old, Config{Matching: "tenant"}); err == nil || !strings.Contains(err.Error(), "no matching") {
		t.Fatalf("a market without the matching param: %v, want an error naming it", err)
	}
}
