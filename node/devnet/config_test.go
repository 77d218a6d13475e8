package devnet

import (
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
