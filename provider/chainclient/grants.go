package chainclient

import (
	"context"
	"errors"
	"fmt"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/x/authz"

	dtypes "github.com/akash-market/akash/node/x/deployment/types"
)

// ManageGrant implements gateway.Grants: owner's deployment management grant
// to grantee as the chain holds it now (authz's Grants query for
// MsgManageDeployment). No grant is an empty ManageGrant, not an error; an
// expired one is returned with its expiry (authz keeps it until pruned), so
// the caller decides with dtypes.ManageGrant.Live or ActsFor.
func (c *Client) ManageGrant(ctx context.Context, owner, grantee string) (dtypes.ManageGrant, error) {
	var res authz.QueryGrantsResponse
	req := &authz.QueryGrantsRequest{Granter: owner, Grantee: grantee, MsgTypeUrl: sdk.MsgTypeURL(&dtypes.MsgManageDeployment{})}
	if err := c.query(ctx, "/cosmos.authz.v1beta1.Query/Grants", 0, req, &res); err != nil {
		if IsNotFound(err) || noAuthorization(err) {
			return dtypes.ManageGrant{}, nil
		}
		return dtypes.ManageGrant{}, fmt.Errorf("management grant from %s to %s: %w", owner, grantee, err)
	}
	g, err := dtypes.ManageGrantOf(res.Grants)
	if err != nil {
		return g, fmt.Errorf("management grant from %s to %s: %w", owner, grantee, err)
	}
	return g, nil
}

// noAuthorization: authz's Grants query with a message type answers a
// missing grant (revoked, or never given) with the SDK's "unknown request"
// code and "authorization not found", not a not-found code.
func noAuthorization(err error) bool {
	var qe *QueryError
	return errors.As(err, &qe) && qe.Codespace == sdkerrors.RootCodespace &&
		qe.Code == sdkerrors.ErrUnknownRequest.ABCICode() && strings.Contains(qe.Log, "authorization not found")
}
