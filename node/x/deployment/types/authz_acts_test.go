package types_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/deployment/types"
)

// TestActsFor: who may act off chain for an owner's deployment through a
// management grant. Each refusal is ErrNotManager and names what failed.
func TestActsFor(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Second)
	grant := func(live ...uint64) *types.ManageDeploymentsAuthorization {
		a := types.NewManageDeploymentsAuthorization(nil, sdk.NewInt64Coin("uakt", 10_000_000), sdk.NewDecCoin("uakt", math.NewInt(1000)), 3, nil)
		a.Live = live
		return a
	}
	const grantee = "akash1manager"
	cases := []struct {
		name string
		g    types.ManageGrant
		dseq uint64
		want string // "" = may act
	}{
		{"live grant, deployment it created", types.ManageGrant{Authorization: grant(7, 9), Expiration: &later}, 9, ""},
		{"no expiry", types.ManageGrant{Authorization: grant(7)}, 7, ""},
		{"no grant (never given, or revoked)", types.ManageGrant{}, 7, "akash1manager holds no manage-deployments grant from " + owner + " (never given, or revoked)"},
		{"expired a second ago", types.ManageGrant{Authorization: grant(7), Expiration: &earlier}, 7, "expired at 2026-12-06T11:59:59Z"},
		{"expires right now", types.ManageGrant{Authorization: grant(7), Expiration: &now}, 7, "expired at 2026-12-06T12:00:00Z"},
		{"a deployment the grant did not create", types.ManageGrant{Authorization: grant(7), Expiration: &later}, 8, "managed: deployment " + owner + "/8 was not created under the grant"},
		{"a grant that manages nothing yet", types.ManageGrant{Authorization: grant()}, 1, "(managed: [])"},
	}
	for _, c := range cases {
		err := c.g.ActsFor(owner, grantee, c.dseq, now)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.want != "" && (err == nil || !errors.Is(err, types.ErrNotManager) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v; want ErrNotManager containing %q", c.name, err, c.want)
		}
	}
}
