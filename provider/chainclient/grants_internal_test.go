package chainclient

import (
	"errors"
	"fmt"
	"testing"
)

// TestNoAuthorization: the answer of authz's Grants query to a revoked
// grant (as a devnet gives it) is no grant; other failures are errors.
func TestNoAuthorization(t *testing.T) {
	const grants = "/cosmos.authz.v1beta1.Query/Grants"
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"revoked (devnet answer)", &QueryError{Method: grants, Codespace: "sdk", Code: 6,
			Log: "authorization not found for /akash.deployment.v1.MsgManageDeployment type: authorization not found: unknown request"}, true},
		{"wrapped", fmt.Errorf("step: %w", &QueryError{Method: grants, Codespace: "sdk", Code: 6, Log: "authorization not found"}), true},
		{"other unknown request", &QueryError{Method: grants, Codespace: "sdk", Code: 6, Log: "unknown query path"}, false},
		{"other codespace", &QueryError{Method: grants, Codespace: "authz", Code: 6, Log: "authorization not found"}, false},
		{"node down", errors.New("dial tcp 127.0.0.1:26657: connection refused"), false},
	} {
		if got := noAuthorization(tc.err); got != tc.want {
			t.Errorf("%s: noAuthorization(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}
