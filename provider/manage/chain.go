package manage

import (
	"context"
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	"github.com/cosmos/cosmos-sdk/x/authz"

	"github.com/akash-market/akash/core/market"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	etypes "github.com/akash-market/akash/node/x/escrow/types"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/provider/chainclient"
)

// NodeChain is Chain on a node, signing as the management key (the
// chainclient's signer); owner is the tenant that granted it.
type NodeChain struct {
	C     *chainclient.Client
	Owner string
}

// Height is the node's latest height.
func (n NodeChain) Height(ctx context.Context) (int64, error) { return n.C.Height(ctx) }

// Grant reads the tenant's grant to this key (nil when none or expired).
func (n NodeChain) Grant(ctx context.Context) (*dtypes.ManageDeploymentsAuthorization, error) {
	g, err := n.C.ManageGrant(ctx, n.Owner, n.C.Signer())
	if err != nil || g.Live(n.Owner, n.C.Signer(), time.Now()) != nil {
		return nil, err
	}
	return g.Authorization, nil
}

// Deployment reads one managed deployment: its region, state, active leases, escrow balance.
func (n NodeChain) Deployment(ctx context.Context, dseq uint64) (Managed, error) {
	m := Managed{DSeq: dseq}
	var dr dtypes.QueryDeploymentResponse
	if err := n.C.Query(ctx, "/akash.deployment.v1.Query/Deployment", 0, &dtypes.QueryDeploymentRequest{Owner: n.Owner, Dseq: dseq}, &dr); err != nil {
		return m, fmt.Errorf("deployment %d: %w", dseq, err)
	}
	m.Active = dr.Deployment.State == dtypes.DeploymentActive
	if len(dr.Groups) > 0 {
		for _, at := range dr.Groups[0].Spec.Requirements.Attributes {
			if at.Key == dtypes.RegionKey {
				m.Region = at.Value
			}
		}
	}
	if !m.Active {
		return m, nil
	}
	err := chainclient.Pages(func(page *query.PageRequest) (*query.PageResponse, error) {
		var lr mtypes.QueryLeasesResponse
		if err := n.C.Query(ctx, "/akash.market.v1.Query/Leases", 0, &mtypes.QueryLeasesRequest{Owner: n.Owner, State: "active", Pagination: page}, &lr); err != nil {
			return nil, err
		}
		for _, l := range lr.Leases {
			if l.ID.DSeq == dseq {
				m.Leases = append(m.Leases, market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{
					DeploymentID: market.DeploymentID{Owner: l.ID.Owner, DSeq: l.ID.DSeq}, GSeq: l.ID.GSeq}, OSeq: l.ID.OSeq}, Provider: l.ID.Provider})
			}
		}
		return lr.Pagination, nil
	})
	if err != nil {
		return m, fmt.Errorf("leases of deployment %d: %w", dseq, err)
	}
	var er etypes.QueryAccountResponse
	if err := n.C.Query(ctx, "/akash.escrow.v1.Query/Account", 0, &etypes.QueryAccountRequest{Owner: n.Owner, Dseq: dseq}, &er); err != nil {
		return m, fmt.Errorf("escrow of deployment %d: %w", dseq, err)
	}
	if m.Balance, err = sdkmath.LegacyNewDecFromStr(er.Info.Account.Balance); err != nil {
		return m, fmt.Errorf("escrow of deployment %d: balance %q: %w", dseq, er.Info.Account.Balance, err)
	}
	return m, nil
}

// Exec sends msg through the grant and waits for its block.
func (n NodeChain) Exec(ctx context.Context, msg *dtypes.MsgManageDeployment) error {
	grantee, err := sdk.AccAddressFromBech32(n.C.Signer())
	if err != nil {
		return err
	}
	exec := authz.NewMsgExec(grantee, []sdk.Msg{msg})
	return n.C.Send(ctx, fmt.Sprintf("manage %s deployment %d", msg.Action(), msg.Dseq()), &exec)
}
