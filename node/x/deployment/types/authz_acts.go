package types

import (
	"fmt"
	"slices"
	"time"

	"cosmossdk.io/errors"
	"github.com/cosmos/cosmos-sdk/x/authz"
	"github.com/cosmos/gogoproto/proto"
)

// ErrNotManager: an account asked to act off chain for a deployment's owner
// (send its manifest to a provider, read its leases' status) without a live
// management grant that covers the deployment; the wrap says which part failed.
var ErrNotManager = errors.Register(ModuleName, 22, "not a manager of the deployment")

// ManageGrant is an owner's deployment management grant to one grantee as the
// chain holds it: the authorization (nil when there is none: never given, or
// revoked) and authz's expiry (nil: none). authz keeps an expired grant in
// its store until it is pruned, so a reader must check Expiration itself.
type ManageGrant struct {
	Authorization *ManageDeploymentsAuthorization
	Expiration    *time.Time
}

// Live reports, with the reason when not, whether the grant from owner to
// grantee exists and has not expired at now.
func (g ManageGrant) Live(owner, grantee string, now time.Time) error {
	if g.Authorization == nil {
		return ErrNotManager.Wrapf("%s holds no manage-deployments grant from %s (never given, or revoked); the owner grants one with akash-node tx authz grant %s manage-deployments ...",
			grantee, owner, grantee)
	}
	if g.Expiration != nil && !now.Before(*g.Expiration) {
		return ErrNotManager.Wrapf("the manage-deployments grant from %s to %s expired at %s; the owner grants a new one",
			owner, grantee, g.Expiration.UTC().Format(time.RFC3339))
	}
	return nil
}

// ActsFor is the market's rule for who may act for a deployment's owner off
// chain, at the providers that lease it: deliver its manifest and read its
// leases' status. The owner itself may (the caller checks that); a management
// key may when the owner's grant to it is live at now (exists, not expired)
// and covers dseq: the deployment was created under that grant and not closed
// under it (the grant's `live` list, the same bound as `managed` for close
// and update). A grant from another owner covers nothing of this owner's: the
// caller loads the grant of the deployment's owner to grantee, never any
// grant grantee holds. The manifest itself is still checked against the
// deployment's on-chain version, whoever sends it.
func (g ManageGrant) ActsFor(owner, grantee string, dseq uint64, now time.Time) error {
	if err := g.Live(owner, grantee, now); err != nil {
		return err
	}
	if !slices.Contains(g.Authorization.Live, dseq) {
		return ErrNotManager.Wrapf("%s: deployment %s/%d was not created under the grant from %s to %s (managed: %v); a management key acts only for the deployments its grant created",
			LimitManaged, owner, dseq, owner, grantee, g.Authorization.Live)
	}
	return nil
}

// ManageGrantOf picks the management grant out of authz's Grants query
// answer (the query's grants of one granter to one grantee): the first
// ManageDeploymentsAuthorization, decoded; an empty ManageGrant when none.
func ManageGrantOf(grants []*authz.Grant) (ManageGrant, error) {
	url := "/" + proto.MessageName(&ManageDeploymentsAuthorization{})
	for _, g := range grants {
		if g == nil || g.Authorization == nil || g.Authorization.TypeUrl != url {
			continue
		}
		var a ManageDeploymentsAuthorization
		if err := a.Unmarshal(g.Authorization.Value); err != nil {
			return ManageGrant{}, fmt.Errorf("%s: %w", url, err)
		}
		return ManageGrant{Authorization: &a, Expiration: g.Expiration}, nil
	}
	return ManageGrant{}, nil
}

// String is the grant in one line, for logs.
func (g ManageGrant) String() string {
	if g.Authorization == nil {
		return "no grant"
	}
	exp := "no expiry"
	if g.Expiration != nil {
		exp = "expires " + g.Expiration.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s; %s", g.Authorization.Summary(), exp)
}
